"""Compile Solidity with the pinned solc-js through its standard-JSON interface.

Sources are passed by content (no file-system imports), so what is compiled is
exactly what the caller holds; ``import "./X.sol"`` resolves between the
source units given. The optimizer is on and the EVM version is pinned
(``cancun``: supported by every major chain; solc 0.8.37's default, ``osaka``,
may emit opcodes older chains lack). Warnings are returned, errors raised.
"""

from __future__ import annotations

import functools
import json
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zksolvency import toolchain
from zksolvency.chain.errors import ChainError

#: Optimizer runs: tuned for calls (verify, publish), not for deployment size.
OPTIMIZER_RUNS = 1_000
#: Target EVM version (see the module docstring).
EVM_VERSION = "cancun"
#: Time limit for one compiler run, in seconds.
COMPILE_TIMEOUT = 300.0


@dataclass(frozen=True)
class CompiledContract:
    """One contract of the output: ABI and creation / runtime bytecode (``0x`` hex)."""

    name: str
    source: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str

    @property
    def deployed_size(self) -> int:
        """Runtime code size in bytes (EIP-170 caps it at 24,576)."""
        return (len(self.deployed_bytecode) - 2) // 2


@dataclass(frozen=True)
class CompileResult:
    """All contracts of one compiler run, the compiler's long version and the settings used."""

    compiler_version: str
    settings: dict[str, Any]
    contracts: dict[str, CompiledContract]
    warnings: list[str] = field(default_factory=list)


def settings(optimizer_runs: int = OPTIMIZER_RUNS, evm_version: str = EVM_VERSION) -> dict[str, Any]:
    """The standard-JSON ``settings`` object (without the output selection)."""
    return {
        "optimizer": {"enabled": True, "runs": optimizer_runs},
        "evmVersion": evm_version,
        "metadata": {"bytecodeHash": "none"},
    }


@functools.lru_cache(maxsize=1)
def compiler_version() -> str:
    """solc-js's long version, e.g. ``0.8.37+commit.<hash>.Emscripten.clang``."""
    proc = toolchain.run_tool([*toolchain.solcjs_command(), "--version"], tool="solc", timeout=120)
    lines = [line.strip() for line in proc.stdout.splitlines() if line.strip()]
    if not lines:
        raise ChainError("solc --version printed nothing")
    return lines[-1]


def _json_output(stdout: str) -> dict[str, Any]:
    # solc-js prints notes (">>> Cannot retry compilation with SMT ...") before the JSON.
    start = stdout.find("{")
    if start < 0:
        raise ChainError(f"solc printed no JSON: {stdout.strip()[:200]}")
    try:
        out = json.loads(stdout[start:])
    except json.JSONDecodeError as exc:
        raise ChainError(f"solc printed invalid JSON ({exc})") from None
    if not isinstance(out, dict):
        raise ChainError("solc's standard-JSON output is not an object")
    return out


def _run_standard_json(request: str) -> str:
    """Run solc-js on ``request`` (stdin) and return its stdout.

    stdout goes to a temporary file, not a pipe: node writes to pipes
    asynchronously and solc-js exits without flushing, which truncates large
    outputs; stdin comes from a temporary file for the same kind of reason (a
    synchronous read of an empty non-blocking pipe fails with EAGAIN).
    (``toolchain.run_tool`` pipes and passes no stdin, hence this.)
    """
    cmd = [*toolchain.solcjs_command(), "--standard-json"]
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as stdin,
    ):
        # stdin is a regular file too: solc-js reads it with readFileSync, which fails with
        # EAGAIN on a non-blocking pipe that is still empty (seen on loaded machines).
        stdin.write(request)
        stdin.flush()
        stdin.seek(0)
        try:
            proc = subprocess.run(
                cmd,
                stdin=stdin,
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                timeout=COMPILE_TIMEOUT,
                check=False,
            )
        except FileNotFoundError as exc:
            raise ChainError(f"solc: cannot start {cmd[0]} ({exc.strerror}); run `make toolchain`") from None
        except subprocess.TimeoutExpired:
            raise ChainError(f"solc did not finish within {COMPILE_TIMEOUT:g} s") from None
        out.seek(0)
        stdout = out.read()
    if proc.returncode != 0:
        detail = proc.stderr.strip() or stdout.strip() or "no output"
        raise ChainError(f"solc failed (exit {proc.returncode}): {detail[:2000]}")
    return stdout


def compile_sources(
    sources: Mapping[str, str], optimizer_runs: int = OPTIMIZER_RUNS, evm_version: str = EVM_VERSION
) -> CompileResult:
    """Compile ``{source unit name: text}``; raise ``ChainError`` with the compiler's messages on error."""
    chosen = settings(optimizer_runs, evm_version)
    request = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {
            **chosen,
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}},
        },
    }
    out = _json_output(_run_standard_json(json.dumps(request)))
    errors: list[str] = []
    warnings: list[str] = []
    for msg in out.get("errors", []):
        text = str(msg.get("formattedMessage") or msg.get("message", "")).strip()
        (errors if msg.get("severity") == "error" else warnings).append(text)
    if errors:
        raise ChainError("solc: " + "\n".join(errors))
    contracts: dict[str, CompiledContract] = {}
    for source, by_name in out.get("contracts", {}).items():
        for name, data in by_name.items():
            if name in contracts:
                raise ChainError(f"two contracts are named {name} ({contracts[name].source}, {source})")
            evm = data["evm"]
            contracts[name] = CompiledContract(
                name=name,
                source=source,
                abi=data["abi"],
                bytecode="0x" + evm["bytecode"]["object"],
                deployed_bytecode="0x" + evm["deployedBytecode"]["object"],
            )
    return CompileResult(compiler_version(), chosen, contracts, warnings)
