"""Named checks with pass/fail and a reason: what ``audit`` and ``inclusion verify`` report.

A verification never answers with a bare bool: every step is a :class:`Check` that
names what was compared and says, in words, what it found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Check:
    """One step: its name, whether it passed, and what it found."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name}: {self.detail}"

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class Report:
    """The checks of one verification, in order, warnings that are not failures, and facts."""

    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Findings that are neither checks nor warnings (figures, flags), copied into the JSON.
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        return ok

    def attempt(self, name: str, step: Callable[[], tuple[bool, str]]) -> bool:
        """Run ``step``; an exception it raises is a failed check carrying the exception's message."""
        try:
            ok, detail = step()
        except Exception as exc:  # every failure is reported as a failed check, never a crash
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        return self.add(name, ok, detail)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checks": [c.to_json() for c in self.checks],
            "warnings": self.warnings,
            **self.facts,
        }
