"""Running the pinned snarkjs from tests: the independent implementation we check against."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from zksolvency import toolchain
from zksolvency.errors import ToolchainError


def snarkjs_cmd() -> list[str]:
    try:
        return toolchain.snarkjs_command()
    except ToolchainError as exc:
        pytest.skip(f"snarkjs is not installed (make toolchain): {exc}")


def snarkjs(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run snarkjs; the caller checks the exit status (negative tests need the failure)."""
    return subprocess.run(
        [*snarkjs_cmd(), *(str(a) for a in args)], capture_output=True, text=True, cwd=cwd, check=False
    )


def snarkjs_ok(*args: str | Path) -> str:
    done = snarkjs(*args)
    assert done.returncode == 0, f"snarkjs {' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout
