"""Shared helpers for the solvency circuit tests (compiled circuits, witnesses, patching).

Each circuit is compiled once per session (the compile cache is the session's, see
``tests/conftest.py``); the debug main makes every ``SolvencyBatch`` output an output
of main, so that no result is optimised away and each can be read by name.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.compile import CompiledCircuit, compile_circuit
from zksolvency.circuit.formats.r1cs import R1CS, first_unsatisfied_constraint, read_r1cs
from zksolvency.circuit.solvency_inputs import BatchEntry, CircuitSize, batch_inputs
from zksolvency.circuit.solvency_outputs import read_sym
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.ledger import id_commitment
from zksolvency.model import Account, Asset, Instrument, Market

REPO = Path(__file__).resolve().parents[2]
SOLVENCY = REPO / "circuits" / "solvency"
LIB = REPO / "circuits" / "lib"

#: The test size (that of ``circuits/solvency/main_test.circom``): A = 2, I = 2, S = 4, B = 4;
#: S = 4 so that MARGIN.md's worked example fits; B = 4, one node of the 4-ary sum tree.
SMALL = CircuitSize(assets=2, instruments=2, scenarios=4, batch=4)


@dataclass(frozen=True)
class Circuit:
    compiled: CompiledCircuit
    r1cs: R1CS
    sym: dict[str, int]
    calculator: WitnessCalculator

    def witness(self, inputs: Mapping[str, object]) -> list[int]:
        return self.calculator.calculate(inputs)

    def index(self, name: str) -> int:
        index = self.sym[name]
        assert index >= 0, f"{name} was optimised away"
        return index

    def all_failing(self, witness: Sequence[int]) -> list[set[str]]:
        """For every unsatisfied constraint, the names of the signals it involves."""
        names: dict[int, set[str]] = {}
        for name, index in self.sym.items():
            if index > 0:
                names.setdefault(index, set()).add(name)
        failing = []
        for a, b, c in self.r1cs.constraints:

            def ev(lc: list[tuple[int, int]]) -> int:
                return sum(witness[w] * k for w, k in lc) % R

            if ev(a) * ev(b) % R != ev(c):
                wires = {w for lc in (a, b, c) for w, _ in lc}
                failing.append(set().union(*(names.get(w, set()) for w in wires)))
        return failing

    def failing_names(self, witness: Sequence[int]) -> list[str] | None:
        """Names of the signals in the first unsatisfied constraint, or None if all hold."""
        failed = first_unsatisfied_constraint(self.r1cs, witness)
        if failed is None:
            return None
        wires = {wire for lc in self.r1cs.constraints[failed] for wire, _ in lc}
        return sorted(name for name, index in self.sym.items() if index in wires and index > 0)


def _compile(source: str, name: str) -> Circuit:
    folder = Path(tempfile.mkdtemp(prefix=f"zks-{name}-"))
    path = folder / f"{name}.circom"
    path.write_text(source)
    compiled = compile_circuit(path, out_dir=folder / "build")
    return Circuit(
        compiled, read_r1cs(compiled.r1cs), read_sym(compiled.sym), WitnessCalculator(compiled.wasm)
    )


@functools.cache
def debug_batch(size: CircuitSize = SMALL) -> Circuit:
    """``SolvencyBatch(A, I, S, B, L)`` itself as main: every output public and readable."""
    source = (
        "pragma circom 2.1.6;\n"
        f'include "{SOLVENCY / "batch.circom"}";\n'
        f"component main = SolvencyBatch({size.assets}, {size.instruments}, "
        f"{size.scenarios}, {size.batch}, {size.live});\n"
    )
    return _compile(source, "debug_batch")


@functools.cache
def unchecked_batch(size: CircuitSize = SMALL) -> Circuit:
    """``debug_batch`` with step 7 of ``AccountMargin`` (equity >= requirement) cut out.

    Its witness calculator accepts an insolvent account and computes every other signal
    (products, maximum, hashes, tree) exactly as the real circuit names them, so a test can
    transplant them into a forged witness of the real circuit and see that the solvency
    check alone refuses it.
    """
    folder = Path(tempfile.mkdtemp(prefix="zks-unchecked-"))
    for sub in ("solvency", "lib"):
        (folder / sub).mkdir()
        for source in (REPO / "circuits" / sub).glob("*.circom"):
            (folder / sub / source.name).write_text(source.read_text())
    account = folder / "solvency" / "account.circom"
    text = account.read_text()
    check = "    component solvent = UnsignedRange(EB);\n    solvent.in <== equity - requirement;\n"
    assert text.count(check) == 1, "AccountMargin's solvency check moved: update unchecked_batch"
    account.write_text(text.replace(check, ""))
    main = folder / "solvency" / "unchecked.circom"
    main.write_text(
        'pragma circom 2.1.6;\ninclude "batch.circom";\n'
        f"component main = SolvencyBatch({size.assets}, {size.instruments}, "
        f"{size.scenarios}, {size.batch}, {size.live});\n"
    )
    compiled = compile_circuit(main, out_dir=folder / "build")
    return Circuit(
        compiled, read_r1cs(compiled.r1cs), read_sym(compiled.sym), WitnessCalculator(compiled.wasm)
    )


@functools.cache
def hash_vector(n: int) -> Circuit:
    """``HashVector(n)`` as main, to compute hashes of arbitrary vectors."""
    source = f'pragma circom 2.1.6;\ninclude "{LIB / "hash.circom"}";\ncomponent main = HashVector({n});\n'
    return _compile(source, f"hash_vector_{n}")


@functools.cache
def production(name: str) -> Circuit:
    """A shipped main from ``circuits/solvency``."""
    compiled = compile_circuit(SOLVENCY / f"{name}.circom", out_dir=Path(tempfile.mkdtemp()) / "build")
    return Circuit(
        compiled, read_r1cs(compiled.r1cs), read_sym(compiled.sym), WitnessCalculator(compiled.wasm)
    )


def worked_market() -> Market:
    """MARGIN.md's worked example snapshot."""
    return Market(
        assets=(Asset("BTC", 600 * 10**8, 9_000), Asset("USDC", 10**8, 10_000)),
        instruments=(Instrument("BTC-C", 5 * 10**16, (-2 * 10**16, 0, 3 * 10**16, 9 * 10**16)),),
        scenarios=4,
    )


def worked_account(insolvent: bool = False) -> tuple[Market, Account]:
    """The worked example's account, or its insolvent variant (BTC weight 0, ten calls sold)."""
    market = worked_market()
    if not insolvent:
        return market, Account("alice", (10**7, 10**9), (-1,), (-5 * 10**16,))
    btc = market.assets[0]
    market = Market((Asset(btc.name, btc.price, 0), market.assets[1]), market.instruments, 4)
    return market, Account("alice", (10**7, 10**9), (-10,), (-5 * 10**17,))


def entries(accounts: Sequence[Account]) -> list[BatchEntry]:
    return [BatchEntry(id_commitment(a.id, 1000 + k), a) for k, a in enumerate(accounts)]


#: The round id the circuit tests prove their batches for.
ROUND_ID = 3


def inputs_for(market: Market, accounts: Sequence[Account], size: CircuitSize = SMALL) -> dict[str, object]:
    return batch_inputs(market, entries(accounts), size, ROUND_ID)


def encode(value: int) -> int:
    return value % R


def set_bits(witness: list[int], circuit: Circuit, prefix: str, value: int, n: int) -> None:
    """Overwrite the ``out[0..n)`` bits of the ``Bits`` component at ``prefix`` with ``value``'s
    low n bits (what a cheating prover would do for a value that does not fit). Bits that
    ``--O2`` folded into a linear combination of the others are not in the witness: skipped."""
    for i in range(n):
        index = circuit.sym[f"{prefix}.out[{i}]"]
        if index >= 0:
            witness[index] = (value % R >> i) & 1


def transplant(
    dst: list[int],
    dst_circuit: Circuit,
    dst_prefix: str,
    src: Sequence[int],
    src_circuit: Circuit,
    src_prefix: str,
) -> int:
    """Copy every signal under ``src_prefix`` of ``src`` to the same-named one under ``dst_prefix``."""
    copied = 0
    for name, index in src_circuit.sym.items():
        if index < 0 or not name.startswith(src_prefix):
            continue
        target = dst_prefix + name[len(src_prefix) :]
        dst_index = dst_circuit.sym.get(target, -1)
        if dst_index >= 0:
            dst[dst_index] = src[index]
            copied += 1
    return copied


def test_small_debug_circuit_compiles_with_every_output_public() -> None:
    circuit = debug_batch()
    size = SMALL
    expected = 5 + size.assets + size.instruments + 3 * size.batch
    assert circuit.r1cs.n_outputs == expected


def test_production_main_has_exactly_one_public_signal() -> None:
    circuit = production("main_test")
    assert circuit.r1cs.n_public == 1
    assert circuit.r1cs.n_pub_inputs == 0
