"""A/B runs against another commit: its ``zksolvency`` package with its own native extension.

:func:`build` exports ``prover/`` of a git ref into ``benchmarks/work/baseline-<commit>/`` and
builds the crate there as ``pip install`` does (maturin's settings in ``pyproject.toml``:
release profile, ``Cargo.lock`` as is, BMI2 and ADX enabled), then puts the library where that
package imports it. A child interpreter started with :func:`child_env` imports that package
instead of this checkout's. Each commit is built once (``make clean`` removes
``benchmarks/work``).

Imported by the scripts in this folder (run as ``python benchmarks/NAME.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / "work"
#: As ``[tool.maturin] config`` in pyproject.toml.
RUSTFLAGS = 'target.x86_64-unknown-linux-gnu.rustflags=["-C", "target-feature=+bmi2,+adx"]'


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def build(ref: str) -> Path:
    """The folder to put on ``PYTHONPATH`` for the package of ``ref``, built if needed."""
    commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    folder = WORK / f"baseline-{commit[:12]}"
    prover = folder / "prover"
    library = prover / "zksolvency" / "_native.abi3.so"
    if library.is_file():
        return prover
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "archive", commit, "prover"], cwd=REPO, stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(folder, filter="data")
    target = WORK / "baseline-target"
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "--lib", "--config", RUSTFLAGS],
        cwd=prover / "native",
        env=dict(os.environ, CARGO_TARGET_DIR=str(target)),
        check=True,
    )
    shutil.copyfile(target / "release" / "lib_native.so", library)
    return prover


def child_env(baseline: Path | None, **extra: str) -> dict[str, str]:
    """The environment of a child that imports the package at ``baseline`` (this one's if None)."""
    env = dict(os.environ, **extra)
    if baseline is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(baseline), env.get("PYTHONPATH")]))
    return env


def describe(ref: str | None) -> str:
    """``ref (commit)``, or this checkout's commit with a note when it has local changes."""
    if ref is None:
        dirty = " with local changes" if _git("status", "--porcelain", "prover") else ""
        return f"this checkout ({_git('rev-parse', '--short=12', 'HEAD')}{dirty})"
    return f"{ref} ({_git('rev-parse', '--short=12', f'{ref}^{{commit}}')})"
