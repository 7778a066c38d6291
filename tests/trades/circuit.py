"""The compiled test-size trade circuit, a lenient witness calculator and unchecked execution.

* :func:`trade_circuit`: ``circuits/trades/main_test.circom`` compiled once per session.
* :func:`lenient_witness`: every signal computed by the circuit's own code (hints included)
  from the inputs, but a failing ``===`` does not stop the calculation: this is a witness
  that bypasses the calculator's checks, to be tested against the R1CS constraints.
* :func:`unchecked_execution`: :func:`zksolvency.trades.execute` with every refusal turned
  into a no-op, so a batch the rules refuse still yields circuit inputs (what a cheating
  prover would feed the circuit).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.circuits.test_solvency_fixtures import Circuit
from zksolvency.bn254 import R
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.solvency_outputs import read_sym
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.ledger import leaf as ledger_leaf
from zksolvency.orders import Order
from zksolvency.trades import TEST_SIZE, Execution, TradeLine, batch_inputs
from zksolvency.trades import execution as execution_module

from .builders import BATCH_ID, BATCH_TIME, FEE_BPS, market, state

REPO = Path(__file__).resolve().parents[2]
MAIN_TEST = REPO / "circuits" / "trades" / "main_test.circom"


class LenientCalculator(WitnessCalculator):
    """A witness calculator that counts failed assertions instead of aborting."""

    failed = 0

    def _on_exception(self, code: int) -> None:
        self.failed += 1


@functools.cache
def trade_circuit() -> Circuit:
    compiled = compile_circuit(MAIN_TEST, out_dir=Path(tempfile.mkdtemp(prefix="zks-trades-")) / "build")
    return Circuit(
        compiled, read_r1cs(compiled.r1cs), read_sym(compiled.sym), WitnessCalculator(compiled.wasm)
    )


def lenient_witness(inputs: Mapping[str, object]) -> list[int]:
    calculator = LenientCalculator(trade_circuit().compiled.wasm)
    return calculator.calculate(inputs)


def _unchecked_pack(values: Sequence[int], height: int) -> list[int]:
    """``PackSums`` as the circuit computes it, without the range check (aliasing allowed)."""
    width = 65 + 2 * height
    shifted = [(v + (1 << (width - 1))) % R for v in values]
    return [
        sum(shifted[3 * j + m] << (width * m) for m in range(3) if 3 * j + m < len(shifted)) % R
        for j in range((len(values) + 2) // 3)
    ]


@contextmanager
def unchecked(monkeypatch: pytest.MonkeyPatch, pack: bool = False) -> Iterator[list[str]]:
    """Inside: refusals are recorded (yielded list) instead of raised; with ``pack`` the leaf
    packing accepts out-of-range values as the circuit's linear packing would."""
    refused: list[str] = []

    def record(trade: int, field: str, what: str) -> None:
        refused.append(f"trade {trade}: {field}: {what}")

    with monkeypatch.context() as m:
        m.setattr(execution_module, "_refuse", record)
        if pack:
            m.setattr(ledger_leaf, "pack_sums", _unchecked_pack)
        yield refused


def inputs_of(execution: Execution, fee_bps: int = FEE_BPS) -> dict[str, object]:
    return batch_inputs(execution, market(), TEST_SIZE, BATCH_ID, BATCH_TIME, fee_bps)


def unchecked_inputs(
    monkeypatch: pytest.MonkeyPatch, orders: Sequence[Order], trades: Sequence[TradeLine], pack: bool = False
) -> tuple[dict[str, object], list[str]]:
    """Circuit inputs for a batch the rules refuse, and what they refused."""
    with unchecked(monkeypatch, pack) as refused:
        execution = execution_module.execute(state(), market(), orders, trades, BATCH_TIME, FEE_BPS)
        return inputs_of(execution), refused


def failing(witness: Sequence[int]) -> list[set[str]]:
    return trade_circuit().all_failing(witness)


def assert_fails_in(witness: Sequence[int], component: str) -> list[set[str]]:
    """At least one constraint fails, and one failing constraint involves ``component``."""
    found = failing(witness)
    assert found, "the forged witness satisfies every constraint"
    assert any(any(name.startswith(component) for name in names) for names in found), [
        sorted(names)[:4] for names in found
    ]
    return found
