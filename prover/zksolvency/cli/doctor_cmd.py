"""``zksolvency doctor``: is every external tool and Python dependency in place?

Prints each tool with its installed version and path, names what is missing
or at the wrong version, and gives the one command that fixes it. Exit status
0 when everything is usable, 2 otherwise, so scripts can gate on it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import platform
import sys
from dataclasses import dataclass
from typing import Any

import click

from zksolvency import toolchain
from zksolvency.cli.common import EXIT_BAD_INPUT, EXIT_OK

#: Python distributions the package imports at run time, and the command that installs them.
PYTHON_PACKAGES = ("wasmtime", "py_ecc", "gmpy2")
PYTHON_INSTALL_COMMAND = "make install"
NODE_HINT = "install Node.js 20 (from nodejs.org or the system package manager)"


@dataclass(frozen=True)
class Entry:
    """One line of the report."""

    name: str
    version: str | None
    path: str | None
    ok: bool
    problem: str | None
    pinned: str | None = None
    fix: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "pinned": self.pinned,
            "path": self.path,
            "ok": self.ok,
            "problem": self.problem,
            "fix": self.fix,
        }


def collect() -> list[Entry]:
    """Inspect node, every pinned npm tool, Python and its compiled dependencies."""
    entries: list[Entry] = []
    node = toolchain.node_path()
    node_version = toolchain.node_version()
    node_ok = node is not None and node_version is not None
    entries.append(
        Entry(
            "node",
            node_version,
            str(node) if node is not None else None,
            node_ok,
            None if node_ok else "node is not installed (circom2, snarkjs and solc run on it)",
            fix=None if node_ok else NODE_HINT,
        )
    )
    for status in toolchain.all_tool_status():
        problem = status.problem()
        fix = None
        if status.status != "ok":
            fix = toolchain.INSTALL_COMMAND
        elif problem is not None:
            fix = NODE_HINT
        entries.append(
            Entry(
                status.name,
                status.installed,
                str(status.path) if status.path is not None else None,
                status.ok,
                problem,
                pinned=status.pinned,
                fix=fix,
            )
        )
    entries.append(Entry("python", platform.python_version(), sys.executable, True, None))
    for dist in PYTHON_PACKAGES:
        try:
            version: str | None = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = None
        spec = importlib.util.find_spec(dist) if version is not None else None
        path = spec.origin if spec is not None else None
        ok = version is not None and spec is not None
        entries.append(
            Entry(
                dist,
                version,
                path,
                ok,
                None if ok else f"Python package {dist} is not installed",
                fix=None if ok else PYTHON_INSTALL_COMMAND,
            )
        )
    return entries


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object keyed by tool name.")
def doctor(as_json: bool) -> None:
    """Check the external tools and Python dependencies; say what to install."""
    entries = collect()
    all_ok = all(entry.ok for entry in entries)
    if as_json:
        click.echo(json.dumps({entry.name: entry.as_dict() for entry in entries}, indent=2))
    else:
        _print_text(entries)
    sys.exit(EXIT_OK if all_ok else EXIT_BAD_INPUT)


def _print_text(entries: list[Entry]) -> None:
    click.echo(f"toolchain folder: {toolchain.toolchain_dir()}")
    pins = toolchain.pins_file()
    click.echo(f"pins:             {pins if pins is not None else 'none found (toolchain/package.json)'}")
    width = max(len(entry.name) for entry in entries)
    for entry in entries:
        mark = "ok" if entry.ok else "MISSING" if entry.version is None else "WRONG"
        version = entry.version or "-"
        if entry.pinned is not None and entry.version != entry.pinned:
            version += f" (pinned {entry.pinned})"
        click.echo(f"  {mark:<7}  {entry.name:<{width}}  {version:<22}  {entry.path or '-'}")
    problems = [entry for entry in entries if not entry.ok]
    if not problems:
        click.echo("everything is installed.")
        return
    for entry in problems:
        click.echo(f"problem: {entry.problem}")
    fixes: dict[str, list[str]] = {}
    for entry in problems:
        fixes.setdefault(entry.fix or "", []).append(entry.name)
    for fix, names in fixes.items():
        if fix:
            click.echo(f"to fix {', '.join(names)}: {fix}")
    override = os.environ.get(toolchain.TOOLCHAIN_ENV)
    if override and any(entry.fix == toolchain.INSTALL_COMMAND for entry in problems):
        click.echo(
            f"note: {toolchain.TOOLCHAIN_ENV}={override} is set; `{toolchain.INSTALL_COMMAND}` installs "
            "into the repository's toolchain/ folder: unset it, or run `npm ci` in that folder"
        )
