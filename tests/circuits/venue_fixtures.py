"""Shared helpers for the venue (sparse) batch circuit tests.

* ``strict()``: ``VenueBatch(8, 4, 4, 3, 2, 4)`` itself as main (every output readable).
* ``lenient()``: the same sources with every ``===`` line removed and the three challenges
  overridable (``rhoForce``, ``betaForce``, ``alphaForce``: ``[1, v]`` forces the value
  ``v``, ``[0, 0]`` leaves the Poseidon's), compiled with ``--O0`` so that every signal
  survives. Its calculator computes a complete witness for ANY input, honest or not,
  with every hint filled in as the real calculator would: the way a cheating prover
  builds a witness that bypasses the real calculator's assertions.
* ``forge(inputs)``: the lenient witness, moved by signal name into the strict
  circuit's layout; the tests then check it against the strict R1CS.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.circuits.test_solvency_fixtures import REPO, Circuit, _compile
from zksolvency.bn254 import R
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.solvency_outputs import read_sym
from zksolvency.circuit.venue_inputs import Inputs, VenueEntry, VenueSize, challenges, slot_leaf, venue_inputs
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.ledger import id_commitment
from zksolvency.model import Account, Asset, Instrument, Market
from zksolvency.model.sparse import SparseAccount, to_sparse

VENUE = REPO / "circuits" / "venue"
LIB = REPO / "circuits" / "lib"

#: Test size: I = 8, A = 4, S = 4, K = 3, C = 2, B = 4.
TEST = VenueSize(instruments=8, assets=4, scenarios=4, positions=3, balances=2, batch=4)
ROUND_ID = 5
E16 = 10**16

_CHALLENGES = ("rho", "beta", "alpha")


def market() -> Market:
    """Six instruments and three assets (the table pads to 8 and 4); MARGIN.md's worked
    example is BTC-C with BTC and USDC."""
    return Market(
        assets=(
            Asset("BTC", 600 * 10**8, 9_000),
            Asset("ETH", 30 * 10**8, 8_000),
            Asset("USDC", 10**8, 10_000),
        ),
        instruments=(
            Instrument("BTC-C", 5 * E16, (-2 * E16, 0, 3 * E16, 9 * E16)),
            Instrument("BTC-P", 4 * E16, (6 * E16, 1 * E16, -2 * E16, -4 * E16)),
            Instrument("BTC-PERP", 600 * E16, (-60 * E16, -10 * E16, 10 * E16, 60 * E16)),
            Instrument("ETH-C", 2 * E16, (-1 * E16, 0, 2 * E16, 5 * E16)),
            Instrument("ETH-P", 3 * E16, (4 * E16, 1 * E16, -1 * E16, -3 * E16)),
            Instrument("ETH-PERP", 300 * E16, (-30 * E16, -5 * E16, 5 * E16, 30 * E16)),
        ),
        scenarios=4,
    )


def accounts() -> list[Account]:
    """Three solvent accounts: the worked example, one filling every slot, one in between."""
    alice = Account("alice", (10**7, 0, 10**9), (-1, 0, 0, 0, 0, 0), (-5 * E16, 0, 0, 0, 0, 0))
    bob = Account("bob", (0, 10**9, 10**12), (0, 2, -1, 0, 0, 3), (0, 8 * E16, -600 * E16, 0, 0, 900 * E16))
    carol = Account("carol", (10**8, 0, 0), (0, 0, 0, -4, 5, 0), (0, 0, 7 * E16, -8 * E16, 15 * E16, 0))
    return [alice, bob, carol]


def entries(sparse: Sequence[SparseAccount]) -> list[VenueEntry]:
    return [VenueEntry(id_commitment(a.id, 2000 + k), a) for k, a in enumerate(sparse)]


def honest_inputs() -> Inputs:
    sparse = [to_sparse(a, TEST.bounds) for a in accounts()]
    return venue_inputs(market(), entries(sparse), TEST, ROUND_ID)


def refresh(inputs: Inputs, rho: int | None = None) -> Inputs:
    """Recompute X and Z honestly from the (possibly forged) slots and claims, for the rho
    the transcript gives (or the one given): what a cheater does so that the multiplicities
    match its own reads. Indexes outside the table are skipped."""
    out = dict(inputs)
    pos_idx: list[list[int]] = out["posIdx"]  # type: ignore[assignment]
    pos_size: list[list[int]] = out["posSize"]  # type: ignore[assignment]
    bal_idx: list[list[int]] = out["balIdx"]  # type: ignore[assignment]
    bal_val: list[list[int]] = out["balance"]  # type: ignore[assignment]
    costs: list[int] = out["costTotal"]  # type: ignore[assignment]
    commitments: list[int] = out["idCommitment"]  # type: ignore[assignment]
    leaves = [
        slot_leaf(
            TEST,
            commitments[b],
            costs[b],
            list(zip(pos_idx[b], pos_size[b], strict=True)),
            list(zip(bal_idx[b], bal_val[b], strict=True)),
        )
        for b in range(TEST.batch)
    ]
    claimed = [
        v
        for b in range(TEST.batch)
        for v in (out["markSum"][b], *out["pnl"][b], out["collateral"][b])  # type: ignore[index]
    ]
    sums = [*out["assetTotal"], sum(costs)]  # type: ignore[misc]
    first = challenges(out["marketHash"], leaves, claimed, sums, None, ROUND_ID)  # type: ignore[arg-type]
    weight_base = first.rho if rho is None else rho
    x = [0] * TEST.instruments
    z = [0] * TEST.assets
    for b in range(TEST.batch):
        weight = pow(weight_base, b, R)
        for i, value in zip(pos_idx[b], pos_size[b], strict=True):
            if 0 <= i < TEST.instruments:
                x[i] = (x[i] + weight * value) % R
        for a, value in zip(bal_idx[b], bal_val[b], strict=True):
            if 0 <= a < TEST.assets:
                z[a] = (z[a] + weight * value) % R
    out["X"], out["Z"] = x, z
    return out


@functools.cache
def strict() -> Circuit:
    """``VenueBatch`` of the test size as main."""
    source = (
        "pragma circom 2.1.6;\n"
        f'include "{VENUE / "batch.circom"}";\n'
        f"component main = VenueBatch({TEST.instruments}, {TEST.assets}, {TEST.scenarios}, "
        f"{TEST.positions}, {TEST.balances}, {TEST.batch});\n"
    )
    return _compile(source, "venue_strict")


_CONSTRAINT_LINE = re.compile(r"^\s*[^\s*/].*===.*;\s*$")


@functools.cache
def lenient() -> Circuit:
    """The witness builder of a cheating prover (module docstring)."""
    folder = Path(tempfile.mkdtemp(prefix="zks-venue-lenient-"))
    for sub in ("venue", "lib"):
        (folder / sub).mkdir()
        for source in (REPO / "circuits" / sub).glob("*.circom"):
            lines = source.read_text().splitlines(keepends=True)
            kept = [line for line in lines if not _CONSTRAINT_LINE.match(line)]
            (folder / sub / source.name).write_text("".join(kept))
    batch = folder / "venue" / "batch.circom"
    text = batch.read_text()
    for name in _CHALLENGES:
        hashed = f"    {name} <== {name}Hash.out;\n"
        assert text.count(hashed) == 1, f"VenueBatch's {name} moved: update lenient()"
        forced = f"    {name} <-- {name}Force[0] == 1 ? {name}Force[1] : {name}Hash.out;\n"
        text = text.replace(hashed, forced)
    header = "    signal input assetTotal[A];\n"
    assert text.count(header) == 2
    text = text.replace(header, header + "".join(f"    signal input {n}Force[2];\n" for n in _CHALLENGES), 1)
    batch.write_text(text)
    main = folder / "venue" / "lenient.circom"
    main.write_text(
        'pragma circom 2.1.6;\ninclude "batch.circom";\n'
        f"component main = VenueBatch({TEST.instruments}, {TEST.assets}, {TEST.scenarios}, "
        f"{TEST.positions}, {TEST.balances}, {TEST.batch});\n"
    )
    compiled = compile_circuit(main, out_dir=folder / "build", optimize="O0")
    return Circuit(
        compiled, read_r1cs(compiled.r1cs), read_sym(compiled.sym), WitnessCalculator(compiled.wasm)
    )


def forge(inputs: Inputs, force: dict[str, int] | None = None) -> list[int]:
    """A complete witness of ``strict()`` for ``inputs`` built without its assertions,
    with the challenges named in ``force`` set to the given values."""
    force = force or {}
    loose = lenient()
    full = dict(inputs)
    for name in _CHALLENGES:
        full[f"{name}Force"] = [1, force[name] % R] if name in force else [0, 0]
    source = loose.witness(full)
    target = strict()
    witness = [0] * target.r1cs.n_wires
    witness[0] = 1
    missing = []
    for name, index in target.sym.items():
        if index <= 0:
            continue
        src = loose.sym.get(name, -1)
        if src < 0:
            missing.append(name)
            continue
        witness[index] = source[src]
    assert not missing, f"signals of the strict circuit the lenient one lacks: {missing[:5]}"
    return witness


def value(circuit: Circuit, witness: Sequence[int], name: str) -> int:
    return witness[circuit.index(name)]
