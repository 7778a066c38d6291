"""The venue (sparse) batch circuit at the test size: honest batches hold and match the dense
engine, every challenge equals the documented transcript, insolvency and oversize accounts
are refused, and a batch proves with the native prover."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.circuits.venue_fixtures import (
    ROUND_ID,
    TEST,
    accounts,
    entries,
    forge,
    honest_inputs,
    market,
    refresh,
    strict,
    value,
)
from zksolvency.bn254 import R
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.r1cs import first_unsatisfied_constraint, read_r1cs
from zksolvency.circuit.venue_inputs import transcript_of, venue_inputs
from zksolvency.circuit.venue_public import check_venue_public
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.errors import InputError
from zksolvency.model import Account, evaluate
from zksolvency.model.sparse import SparseBounds, to_sparse

MAIN_TEST = Path(__file__).resolve().parents[2] / "circuits" / "venue" / "main_test.circom"


def _signed(x: int) -> int:
    return x - R if x > R // 2 else x


def test_honest_batch_satisfies_every_constraint_and_matches_the_engine() -> None:
    circuit = strict()
    inputs = honest_inputs()
    witness = circuit.witness(inputs)
    assert circuit.failing_names(witness) is None
    for b, account in enumerate(accounts()):
        result = evaluate(account, market())
        assert _signed(value(circuit, witness, f"main.equity[{b}]")) == result.equity
        assert value(circuit, witness, f"main.requirement[{b}]") == result.requirement
    assert value(circuit, witness, "main.equity[3]") == value(circuit, witness, "main.requirement[3]") == 0


def test_challenges_and_commitment_follow_the_documented_transcript() -> None:
    circuit = strict()
    inputs = honest_inputs()
    witness = circuit.witness(inputs)
    transcript = transcript_of(inputs, TEST)
    for name in ("root", "sumsHash", "alpha", "rho", "beta", "commitment"):
        field = {"sumsHash": "sums_hash"}.get(name, name)
        assert value(circuit, witness, f"main.{name}") == getattr(transcript, field), name


def test_asset_totals_are_the_batch_sums() -> None:
    inputs = honest_inputs()
    held = [sum(a.balances[k] for a in accounts()) for k in range(3)]
    assert inputs["assetTotal"] == [*held, 0]


def test_forged_witness_harness_reproduces_the_honest_witness() -> None:
    """The adversarial tests' harness: on honest inputs its witness satisfies the circuit
    (so a failure in an attack test comes from the attack, not from the harness)."""
    circuit = strict()
    inputs = honest_inputs()
    forged = forge(inputs)
    assert first_unsatisfied_constraint(circuit.r1cs, forged) is None
    assert forged == circuit.witness(inputs)


def test_insolvent_account_is_refused() -> None:
    """The twin of the honest batch: ten calls sold against worthless BTC."""
    circuit = strict()
    poor = Account("dave", (10**7, 0, 0), (-10, 0, 0, 0, 0, 0), (-5 * 10**17, 0, 0, 0, 0, 0))
    assert not evaluate(poor, market()).solvent
    sparse = [to_sparse(a, TEST.bounds) for a in [*accounts(), poor]]
    inputs = venue_inputs(market(), entries(sparse), TEST, ROUND_ID)
    with pytest.raises(InputError, match="Assert Failed"):
        circuit.witness(inputs)
    forged = forge(inputs)
    failing = circuit.all_failing(forged)
    assert failing and all(any(".account[3].solvent" in n for n in names) for names in failing), failing


def test_account_with_more_positions_than_k_is_refused_before_proving() -> None:
    crowded = Account("erin", (1, 0, 0), (1, 1, 1, 1, 0, 0), (0,) * 6)
    with pytest.raises(InputError, match=r"account 'erin': 4 open positions.*K = 3"):
        to_sparse(crowded, SparseBounds(positions=3, balances=2))


def test_market_larger_than_the_table_is_refused() -> None:
    big = market()
    with pytest.raises(ValueError, match="circuit holds at most"):
        venue_inputs(big, [], type(TEST)(4, 4, 4, 3, 2, 4), ROUND_ID)


@pytest.mark.slow
def test_production_main_proves_with_the_native_prover(tmp_path: Path) -> None:
    """Setup (UNSAFE dev ptau), native prove, verify; public signals are the commitment, the
    table, its hash and the round. The twin: the same proof with another round fails."""
    from zksolvency.circuit.formats.ptau import PTauFile
    from zksolvency.groth16.kernels import get_kernels
    from zksolvency.groth16.prove import prove_with
    from zksolvency.groth16.ptau_dev import generate_dev_ptau
    from zksolvency.groth16.setup import setup
    from zksolvency.groth16.verify import verify
    from zksolvency.groth16.vkey import export_vkey

    compiled = compile_circuit(MAIN_TEST, out_dir=tmp_path / "build")
    r1cs = read_r1cs(compiled.r1cs)
    inputs = honest_inputs()
    witness = WitnessCalculator(compiled.wasm).calculate(inputs)
    ptau_path = tmp_path / "pot_unsafe.ptau"
    power = (r1cs.n_constraints + r1cs.n_public + 1).bit_length()
    generate_dev_ptau(ptau_path, power)
    with PTauFile(ptau_path) as ptau:
        zkey = setup(r1cs, ptau, kernels="native")
    rng = random.Random(12)
    proof, public = prove_with(zkey, witness, rng.randrange(R), rng.randrange(R), get_kernels("native"))
    transcript = transcript_of(inputs, TEST)
    shocks: list[list[int]] = inputs["shock"]  # type: ignore[assignment]
    prices: list[int] = inputs["price"]  # type: ignore[assignment]
    weights: list[int] = inputs["weight"]  # type: ignore[assignment]
    marks: list[int] = inputs["mark"]  # type: ignore[assignment]
    table = [*prices, *weights, *(m % R for m in marks), *(s % R for row in shocks for s in row)]
    assert public == [transcript.commitment, *table, inputs["marketHash"], ROUND_ID]
    assert check_venue_public(public, market(), TEST, ROUND_ID).commitment == transcript.commitment
    vk = export_vkey(zkey)
    assert verify(vk, public, proof).valid
    assert not verify(vk, [*public[:-1], ROUND_ID + 1], proof).valid


@st.composite
def _solvent_batch(draw: st.DrawFn) -> list[Account]:
    """Up to four accounts on the test market, each within K = 3 and C = 2, sizes and balances
    anywhere in the spec's ranges; insolvent ones are dropped (the circuit refuses them)."""
    picked: list[Account] = []
    for n in range(draw(st.integers(1, 4))):
        held = draw(st.lists(st.integers(0, 5), max_size=3, unique=True))
        sizes = [0] * 6
        costs = [0] * 6
        for i in held:
            sizes[i] = draw(st.one_of(st.integers(-1000, 1000), st.integers(-(2**64 - 1), 2**64 - 1)))
            costs[i] = draw(st.one_of(st.integers(-(10**20), 10**20), st.integers(-(2**128 - 1), 2**128 - 1)))
        balances = [0] * 3
        for a in draw(st.lists(st.integers(0, 2), max_size=2, unique=True)):
            balances[a] = draw(st.integers(0, 2**64 - 1))
        account = Account(f"h{n}", tuple(balances), tuple(sizes), tuple(costs))
        if evaluate(account, market()).solvent:
            picked.append(account)
    return picked


@settings(max_examples=25, deadline=None)
@given(_solvent_batch())
def test_differential_circuit_equals_the_dense_engine(batch: list[Account]) -> None:
    assume(batch)
    circuit = strict()
    sparse = [to_sparse(a, TEST.bounds) for a in batch]
    witness = circuit.witness(venue_inputs(market(), entries(sparse), TEST, ROUND_ID))
    assert circuit.failing_names(witness) is None
    for b, account in enumerate(batch):
        result = evaluate(account, market())
        assert _signed(value(circuit, witness, f"main.equity[{b}]")) == result.equity
        assert value(circuit, witness, f"main.requirement[{b}]") == result.requirement


@settings(max_examples=10, deadline=None)
@given(_solvent_batch(), st.integers(0, 3), st.integers(1, 10**6))
def test_differential_lie_about_one_claim_is_refused(batch: list[Account], b: int, lie: int) -> None:
    """The twin: the same batches with one claimed sum off by ``lie`` (the multiplicities
    refreshed for the new transcript) fail the evaluation identity."""
    sparse = [to_sparse(a, TEST.bounds) for a in batch]
    inputs = venue_inputs(market(), entries(sparse), TEST, ROUND_ID)
    pnl: list[list[int]] = [list(row) for row in inputs["pnl"]]  # type: ignore[attr-defined]
    pnl[b][b % 4] += lie
    forged = forge(refresh({**inputs, "pnl": pnl}))
    assert strict().all_failing(forged)
