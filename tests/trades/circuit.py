"""The compiled test-size trade circuit, a lenient witness calculator and unchecked execution.

* :func:`trade_circuit`: ``circuits/trades/main_test.circom`` compiled once per session.
* :func:`forged_witness`: a witness of the real circuit that bypasses the calculator: every
  signal is computed by the circuit's own code (hints included) from the inputs, in a copy
  of the sources with every ``===`` removed (circomlib's included), compiled with ``--O0``
  so that every signal keeps its name, then copied by name into the real circuit's wires.
  Nothing stops at a failed check; the R1CS constraints of the real circuit decide.
* :func:`unchecked_execution`: :func:`zksolvency.trades.execute` with every refusal turned
  into a no-op, so a batch the rules refuse still yields circuit inputs (what a cheating
  prover would feed the circuit).
"""

from __future__ import annotations

import functools
import re
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
from zksolvency.trades import TEST_SIZE, Execution, TradeCircuitSize, TradeLine, batch_inputs
from zksolvency.trades import execution as execution_module

from .builders import BATCH_ID, BATCH_TIME, FEE_BPS, market, state

REPO = Path(__file__).resolve().parents[2]
MAIN_TEST = REPO / "circuits" / "trades" / "main_test.circom"


CIRCOMLIB = REPO / "toolchain" / "node_modules" / "circomlib" / "circuits"
_CONSTRAINT = re.compile(r"^(\s*)\S[^\n]*===[^\n]*;\s*$", re.MULTILINE)


def _strip_constraints(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for source in src.glob("*.circom"):
        (dest / source.name).write_text(_CONSTRAINT.sub(r"\1// === removed", source.read_text()))


def _main_source(size: TradeCircuitSize) -> str:
    return (
        'pragma circom 2.1.6;\ninclude "batch.circom";\n'
        f"component main = TradeBatchMain({size.assets}, {size.instruments}, {size.scenarios}, "
        f"{size.depth}, {size.trades});\n"
    )


@functools.cache
def _permissive(
    hint: tuple[str, str] | None = None, size: TradeCircuitSize = TEST_SIZE
) -> tuple[WitnessCalculator, dict[str, int]]:
    """``TradeBatchMain`` at ``size`` without a single ``===``, at ``--O0``: its calculator and
    its names.

    ``hint``: ``(line, replacement)`` in ``circuits/trades/trade.circom``, a hint a cheating
    prover computes differently (the rest of the witness then follows from it)."""
    work = Path(tempfile.mkdtemp(prefix="zks-trades-permissive-"))
    for sub in ("lib", "trades"):
        _strip_constraints(REPO / "circuits" / sub, work / "circuits" / sub)
    if hint is not None:
        trade = work / "circuits" / "trades" / "trade.circom"
        text = trade.read_text()
        assert text.count(hint[0]) == 1, f"{hint[0]!r} is not one line of trade.circom"
        trade.write_text(text.replace(hint[0], hint[1]))
    _strip_constraints(CIRCOMLIB, work / "libs" / "circomlib" / "circuits")
    main = work / "circuits" / "trades" / "main_permissive.circom"
    main.write_text(_main_source(size))
    compiled = compile_circuit(
        main,
        out_dir=work / "build",
        include_dirs=[work / "libs"],
        optimize="O0",
    )
    return WitnessCalculator(compiled.wasm), read_sym(compiled.sym)


@functools.cache
def trade_circuit(size: TradeCircuitSize = TEST_SIZE) -> Circuit:
    """The shipped ``main_test`` at the test size; another size from a main of the same template."""
    work = Path(tempfile.mkdtemp(prefix="zks-trades-"))
    main = MAIN_TEST
    if size != TEST_SIZE:
        main = work / "main_variant.circom"
        main.write_text(
            _main_source(size).replace('"batch.circom"', f'"{REPO / "circuits" / "trades" / "batch.circom"}"')
        )
    compiled = compile_circuit(main, out_dir=work / "build")
    return Circuit(
        compiled, read_r1cs(compiled.r1cs), read_sym(compiled.sym), WitnessCalculator(compiled.wasm)
    )


def forged_witness(
    inputs: Mapping[str, object], hint: tuple[str, str] | None = None, size: TradeCircuitSize = TEST_SIZE
) -> list[int]:
    """The real circuit's wires, each the value the circuit's code computes, no check applied."""
    calculator, names = _permissive(hint, size)
    source = calculator.calculate(inputs)
    circuit = trade_circuit(size)
    witness = [0] * circuit.r1cs.n_wires
    witness[0] = 1
    for name, index in circuit.sym.items():
        if index > 0:
            witness[index] = source[names[name]]
    return witness


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


def failing(witness: Sequence[int], size: TradeCircuitSize = TEST_SIZE) -> list[set[str]]:
    return trade_circuit(size).all_failing(witness)


def assert_fails_in(
    witness: Sequence[int], component: str, at_most: int = 4, size: TradeCircuitSize = TEST_SIZE
) -> list[set[str]]:
    """Some constraint fails, one failing constraint involves ``component``, and only a few
    fail (the targeted check, not a cascade: every other signal is the honest one)."""
    found = failing(witness, size)
    assert found, "the forged witness satisfies every constraint"
    assert len(found) <= at_most, [sorted(names)[:2] for names in found]
    assert any(any(name.startswith(component) for name in names) for names in found), [
        sorted(names)[:4] for names in found
    ]
    return found
