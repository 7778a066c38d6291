"""Fixtures shared across the test suite.

* The compile cache points at a fresh folder for the whole session, so tests
  never read or fill the user's ``~/.cache/zksolvency``.
* Tests marked ``snarkjs`` are skipped, with the reason, when the pinned npm
  toolchain is not installed (``make toolchain``) -- except under ``CI=true``,
  where a missing tool stops the run: the interoperability tests are the point.
* ``multiplier`` and ``poseidon_range``: the example circuits, compiled once per session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from zksolvency import toolchain
from zksolvency.circuit.compile import CompiledCircuit, compile_circuit

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "circuits" / "examples"


@pytest.fixture(scope="session", autouse=True)
def _isolated_compile_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("zksolvency-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZKSOLVENCY_CACHE", str(cache))
        yield cache


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = [
        p for p in (toolchain.tool_status(n).problem() for n in ("circom2", "snarkjs", "circomlib")) if p
    ]
    if not problems:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise pytest.UsageError("CI needs the pinned npm toolchain: " + "; ".join(problems))
    skip = pytest.mark.skip(reason="; ".join(problems))
    for item in items:
        if "snarkjs" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def multiplier(tmp_path_factory: pytest.TempPathFactory, _isolated_compile_cache: Path) -> CompiledCircuit:
    """``CompiledCircuit`` of ``circuits/examples/multiplier`` (outputs in a session folder)."""
    out = tmp_path_factory.mktemp("multiplier")
    return compile_circuit(EXAMPLES / "multiplier" / "multiplier.circom", out_dir=out)


@pytest.fixture(scope="session")
def poseidon_range(
    tmp_path_factory: pytest.TempPathFactory, _isolated_compile_cache: Path
) -> CompiledCircuit:
    """``CompiledCircuit`` of ``circuits/examples/poseidon_range`` (outputs in a session folder)."""
    out = tmp_path_factory.mktemp("poseidon_range")
    return compile_circuit(EXAMPLES / "poseidon_range" / "poseidon_range.circom", out_dir=out)
