"""The pinned external tools: where they are, which version, how to run them.

Every npm tool the package drives (circom2, snarkjs, circomlib, circomlibjs, solc-js, anvil)
is pinned in exactly one place, ``toolchain/package.json``, and installed by
``make toolchain`` (``npm ci``) into ``toolchain/node_modules``. This module
reads the pins from that file and the installed versions from each installed
package's own ``package.json``, so that a stale or half-finished install is
reported as such instead of producing subtly different artifacts.

The toolchain folder is ``$ZKSOLVENCY_TOOLCHAIN`` when set, otherwise
``<repo>/toolchain`` found relative to this file (the editable install that the
README sets up). When that folder has no ``package.json`` (for example a fresh,
empty folder named by the environment variable), the pins are read from the
repository's ``toolchain/package.json``.

Versions are compared exactly: the pins are exact versions, not ranges.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from zksolvency.errors import ToolchainError

#: The one command that installs every missing tool.
INSTALL_COMMAND = "make toolchain"

#: Environment variable that overrides the toolchain folder.
TOOLCHAIN_ENV = "ZKSOLVENCY_TOOLCHAIN"

#: Where the repository's own toolchain folder is, relative to this file
#: (``prover/zksolvency/toolchain.py`` -> ``toolchain/``).
_REPO_TOOLCHAIN = Path(__file__).resolve().parents[2] / "toolchain"

#: Environment variable naming a native circom binary to use instead of npm's circom2.
NATIVE_CIRCOM_ENV = "ZKSOLVENCY_CIRCOM"

#: The circom release circom2 (the pinned npm package) runs, compiled to WebAssembly. A native
#: compiler named by ``$ZKSOLVENCY_CIRCOM`` must be this release, so that both write the same
#: artifacts (``tests/circuits/test_compile.py`` checks circom2 reports it too).
CIRCOM_RELEASE = "2.2.3"

#: Default time limit for one run of an external tool, in seconds.
DEFAULT_TIMEOUT = 600.0

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

Status = Literal["ok", "missing", "wrong version"]


@dataclass(frozen=True)
class ToolSpec:
    """A tool the package needs: its npm package and how it is started."""

    name: str
    package: str
    #: Name of the entry in the package's ``bin`` field; ``None`` for a library folder.
    bin_name: str | None
    #: True for JavaScript programs started as ``node <script>``.
    needs_node: bool


TOOL_SPECS: tuple[ToolSpec, ...] = (
    ToolSpec("circom2", "circom2", "circom2", needs_node=True),
    ToolSpec("snarkjs", "snarkjs", "snarkjs", needs_node=True),
    ToolSpec("circomlib", "circomlib", None, needs_node=False),
    # A JavaScript library: the tests cross-check Baby Jubjub keys and signatures against it.
    ToolSpec("circomlibjs", "circomlibjs", None, needs_node=False),
    ToolSpec("solc", "solc", "solcjs", needs_node=True),
    # A native binary shipped inside the npm package (``bin/anvil``); no node needed.
    ToolSpec("anvil", "@foundry-rs/anvil-linux-amd64", "anvil", needs_node=False),
)


@dataclass(frozen=True)
class ToolStatus:
    """What is known about one tool on this machine."""

    name: str
    package: str
    pinned: str | None
    installed: str | None
    #: The executable (script or binary) or, for circomlib, the package folder.
    path: Path | None
    #: The ``node`` executable that runs it (``None`` for tools that need none, or when absent).
    node: Path | None
    status: Status
    needs_node: bool

    @property
    def ok(self) -> bool:
        return self.status == "ok" and (self.node is not None or not self.needs_node)

    def problem(self) -> str | None:
        """One line saying what is wrong, or ``None`` when the tool is usable."""
        if self.status == "missing":
            return f"{self.name} is not installed; run `{INSTALL_COMMAND}`"
        if self.status == "wrong version":
            return (
                f"{self.name} {self.installed} is installed but {self.pinned} is pinned; "
                f"run `{INSTALL_COMMAND}`"
            )
        if self.needs_node and self.node is None:
            return f"{self.name} needs Node.js (`node` on PATH), which is not installed"
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "pinned": self.pinned,
            "version": self.installed,
            "path": str(self.path) if self.path is not None else None,
            "node": str(self.node) if self.node is not None else None,
            "status": self.status,
            "ok": self.ok,
            "problem": self.problem(),
        }


def toolchain_dir() -> Path:
    """The folder holding ``package.json`` and ``node_modules`` (see the module docstring)."""
    override = os.environ.get(TOOLCHAIN_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return _REPO_TOOLCHAIN


def node_modules_dir() -> Path:
    return toolchain_dir() / "node_modules"


def _read_json(path: Path) -> Mapping[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def pins_file() -> Path | None:
    """The ``package.json`` the pins come from, or ``None`` when there is none."""
    for candidate in (toolchain_dir() / "package.json", _REPO_TOOLCHAIN / "package.json"):
        if candidate.is_file():
            return candidate
    return None


def pinned_versions() -> dict[str, str]:
    """``{npm package: pinned version}`` from the toolchain's ``package.json``."""
    path = pins_file()
    data = _read_json(path) if path is not None else None
    deps = data.get("dependencies", {}) if data is not None else {}
    if not isinstance(deps, dict):
        raise ToolchainError(f"{path}: `dependencies` is not an object")
    return {str(k): str(v).lstrip("=") for k, v in deps.items()}


def node_path() -> Path | None:
    """The ``node`` executable on ``PATH``, or ``None``."""
    found = shutil.which("node")
    return Path(found) if found else None


def node_version() -> str | None:
    """``node --version`` without the leading ``v``, or ``None`` when node is absent or broken."""
    node = node_path()
    if node is None:
        return None
    try:
        out = subprocess.run([str(node), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip().lstrip("v") or None


def _bin_path(package_dir: Path, meta: Mapping[str, Any], bin_name: str) -> Path | None:
    """Resolve a package's ``bin`` entry (a string, or an object keyed by command name)."""
    bins = meta.get("bin")
    rel: object = None
    if isinstance(bins, str):
        rel = bins
    elif isinstance(bins, dict):
        rel = bins.get(bin_name)
    if not isinstance(rel, str):
        return None
    path = (package_dir / rel).resolve()
    return path if path.is_file() else None


def tool_status(name: str) -> ToolStatus:
    """Inspect one tool (see ``TOOL_SPECS`` for the names)."""
    spec = _spec(name)
    pinned = pinned_versions().get(spec.package)
    package_dir = node_modules_dir() / spec.package
    meta = _read_json(package_dir / "package.json")
    installed = str(meta["version"]) if meta is not None and "version" in meta else None
    path: Path | None = None
    if meta is not None:
        path = package_dir.resolve() if spec.bin_name is None else _bin_path(package_dir, meta, spec.bin_name)
    status: Status
    if installed is None or path is None:
        status = "missing"
    elif pinned is not None and installed != pinned:
        status = "wrong version"
    else:
        status = "ok"
    node = node_path() if spec.needs_node else None
    return ToolStatus(spec.name, spec.package, pinned, installed, path, node, status, spec.needs_node)


def all_tool_status() -> list[ToolStatus]:
    return [tool_status(spec.name) for spec in TOOL_SPECS]


def _spec(name: str) -> ToolSpec:
    for spec in TOOL_SPECS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def _require(name: str) -> ToolStatus:
    status = tool_status(name)
    problem = status.problem()
    if problem is not None:
        raise ToolchainError(problem)
    return status


def _node_command(name: str) -> list[str]:
    status = _require(name)
    assert status.node is not None and status.path is not None
    return [str(status.node), str(status.path)]


def circom2_command() -> list[str]:
    """``[node, .../circom2/cli.js]``: circom 2 compiled to WebAssembly (WASI), run by node."""
    return _node_command("circom2")


@dataclass(frozen=True)
class CircomCompiler:
    """The circom compiler the package runs: its command and a label for caches and reports."""

    command: tuple[str, ...]
    label: str


def circom_compiler() -> CircomCompiler:
    """npm's circom2 (the default), or the native circom named by ``$ZKSOLVENCY_CIRCOM``.

    circom2 runs circom in WebAssembly, which holds at most 4 GiB: circuits of more than about
    a million constraints run out of memory there. A native build of the same release
    (``cargo build --release -p circom`` in iden3/circom at tag ``v{CIRCOM_RELEASE}``) has no such
    limit. Its ``--version`` must say ``circom compiler {CIRCOM_RELEASE}``; anything else is a
    ``ToolchainError`` naming the variable, so an unpinned compiler never writes an artifact.
    """
    native = os.environ.get(NATIVE_CIRCOM_ENV)
    if not native:
        return CircomCompiler(tuple(circom2_command()), f"circom2 {tool_version('circom2')}")
    try:
        changed = os.stat(native).st_mtime_ns
    except OSError as exc:
        raise ToolchainError(f"${NATIVE_CIRCOM_ENV}={native}: cannot start it ({exc.strerror})") from exc
    return _native_circom(native, changed)


@functools.lru_cache(maxsize=8)
def _native_circom(native: str, _mtime_ns: int) -> CircomCompiler:
    """Asks ``native --version`` once per binary (and again when the file changes), not per compile."""
    proc = run_tool([native, "--version"], timeout=60, tool=f"${NATIVE_CIRCOM_ENV} ({native})")
    version = proc.stdout.strip().removeprefix("circom compiler ").strip()
    if version != CIRCOM_RELEASE:
        raise ToolchainError(
            f"${NATIVE_CIRCOM_ENV}={native} reports {proc.stdout.strip()!r}; the pinned release is "
            f"circom compiler {CIRCOM_RELEASE} (what circom2 runs); build that tag or unset the variable"
        )
    return CircomCompiler((native,), f"circom {version} native")


def snarkjs_command() -> list[str]:
    return _node_command("snarkjs")


def solcjs_command() -> list[str]:
    return _node_command("solc")


def circomlib_dir() -> Path:
    """The installed ``circomlib`` package folder (``.../node_modules/circomlib``)."""
    status = _require("circomlib")
    assert status.path is not None
    return status.path


def anvil_path() -> Path:
    """The native ``anvil`` binary shipped in ``@foundry-rs/anvil-linux-amd64/bin/``."""
    status = _require("anvil")
    assert status.path is not None
    return status.path


def tool_version(name: str) -> str:
    """The installed version of a usable tool (raises ``ToolchainError`` otherwise)."""
    status = _require(name)
    assert status.installed is not None
    return status.installed


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes (circom colours its diagnostics even when piped)."""
    return _ANSI.sub("", text)


def run_tool(
    cmd: Sequence[str],
    cwd: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    env: Mapping[str, str] | None = None,
    tool: str | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` capturing its output; raise ``ToolchainError`` with the tool's own stderr on failure.

    ``tool`` names the tool in messages (default: the script or program name).
    Colour codes are stripped from the captured output. With ``check=False`` a
    non-zero exit status is returned to the caller instead of raised; a tool
    that cannot start, times out or is killed by a signal always raises.
    """
    args = [str(c) for c in cmd]
    label = tool or _label(args)
    try:
        proc = subprocess.run(
            args,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=dict(env) if env is not None else None,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ToolchainError(
            f"{label}: cannot start {args[0]} ({exc.strerror}); run `{INSTALL_COMMAND}`"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolchainError(f"{label} did not finish within {timeout:g} s") from exc
    proc = subprocess.CompletedProcess(
        proc.args, proc.returncode, strip_ansi(proc.stdout), strip_ansi(proc.stderr)
    )
    if proc.returncode < 0:
        raise ToolchainError(f"{label} was killed by signal {-proc.returncode}")
    if check and proc.returncode != 0:
        detail = proc.stderr.strip() or proc.stdout.strip() or "no output"
        raise ToolchainError(f"{label} failed (exit {proc.returncode}): {detail}")
    return proc


def _label(args: Sequence[str]) -> str:
    if len(args) >= 2 and Path(args[0]).name.startswith("node"):
        script = Path(args[1])
        # .../node_modules/<package>/cli.js -> <package>
        for parent in script.parents:
            if parent.parent.name == "node_modules" or parent.parent.name.startswith("@"):
                return parent.name
        return script.name
    return Path(args[0]).name if args else "tool"
