"""The solvency batch circuit against the Python engine (MARGIN.md's rule) and ledger (hashes).

Each success test has a failure twin right below it. Sizes: ``SMALL`` (A=2, I=2, S=4, B=4).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.circuits.test_solvency_fixtures import (
    ROUND_ID,
    SMALL,
    debug_batch,
    entries,
    hash_vector,
    inputs_for,
    production,
    worked_account,
)
from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import batch_inputs
from zksolvency.circuit.solvency_outputs import expected_sums, read_batch_outputs
from zksolvency.errors import InputError
from zksolvency.ledger import batch_digest, pack_sums, parent
from zksolvency.model import Account, Asset, Instrument, Market, evaluate

M64 = 2**64 - 1
M128 = 2**128 - 1


def _check_against_engine(market: Market, accounts: list[Account]) -> None:
    """Every circuit output equals what Python computes (the margin engine for equity and
    requirement, the ledger for leaves, root, sums and hashes), and the witness satisfies
    the R1CS."""
    circuit = debug_batch()
    batch = entries(accounts)
    witness = circuit.witness(batch_inputs(market, batch, SMALL, ROUND_ID))
    assert circuit.failing_names(witness) is None
    out = read_batch_outputs(circuit.sym, witness, SMALL)
    digest = batch_digest(market, batch, SMALL, ROUND_ID)
    assert out.leaves == tuple(leaf.hash() for leaf in digest.leaves)
    assert (out.root, out.sums_hash, out.market_hash) == (digest.root, digest.sums_hash, digest.market_hash)
    assert out.commitment == digest.commitment
    assert (*out.balance_sums, *out.position_sums, out.cost_sum) == digest.sums
    padded = [*accounts, *[None] * (SMALL.batch - len(accounts))]
    for k, account in enumerate(padded):
        if account is None:
            assert (out.equities[k], out.requirements[k]) == (0, 0)
            continue
        result = evaluate(account, market)
        assert out.equities[k] == result.equity
        assert out.requirements[k] == result.requirement
    assert (out.balance_sums, out.position_sums, out.cost_sum) == expected_sums(batch, SMALL)


# --- MARGIN.md's worked example -------------------------------------------------


def test_worked_example_matches_engine() -> None:
    market, account = worked_account()
    result = evaluate(account, market)
    assert (result.equity, result.requirement, result.solvent) == (64 * 10**20, 9 * 10**20, True)
    _check_against_engine(market, [account])


def test_worked_example_insolvent_variant_is_refused() -> None:
    market, account = worked_account(insolvent=True)
    result = evaluate(account, market)
    assert (result.equity, result.requirement, result.solvent) == (10**21, 9 * 10**21, False)
    with pytest.raises(InputError, match="rejected"):
        debug_batch().witness(inputs_for(market, [account]))


# --- the extremes of the spec's ranges ----------------------------------------------


def _extreme_market() -> Market:
    return Market(
        assets=(Asset("A", M64, 10_000), Asset("B", M64, 10_000)),
        instruments=(
            Instrument("X", M64, (M64, -M64, 0, 1)),
            Instrument("Y", -M64, (-M64, M64, M64, -M64)),
        ),
        scenarios=4,
    )


def test_extreme_values_are_accepted_and_exact() -> None:
    rich = Account("rich", (M64, M64), (M64, -M64), (-M128, -M128))
    short = Account("short", (M64, M64), (-M64, M64), (-M128, -M128))
    market = _extreme_market()
    assert all(evaluate(a, market).solvent for a in (rich, short))
    _check_against_engine(market, [rich, short])


@pytest.mark.parametrize(
    ("balances", "sizes", "costs"),
    [
        ((2**64, 0), (0, 0), (0, 0)),
        ((0, 0), (2**64, 0), (0, 0)),
        ((0, 0), (-(2**64), 0), (0, 0)),
        ((0, 0), (0, 0), (-(2**128), -(2**128))),
        ((0, 0), (0, 0), (2**128, 2**128)),
        ((-1, 0), (0, 0), (0, 0)),
    ],
    ids=[
        "balance 2**64",
        "size 2**64",
        "size -2**64",
        "cost total -2**129",
        "cost total 2**129",
        "balance -1",
    ],
)
def test_values_just_outside_the_ranges_are_refused(
    balances: tuple[int, int], sizes: tuple[int, int], costs: tuple[int, int]
) -> None:
    market = _extreme_market()
    # Bypass the model's own validation (Account is a plain dataclass).
    account = Account("edge", balances, sizes, costs)
    with pytest.raises(InputError, match="rejected"):
        debug_batch().witness(inputs_for(market, [account]))


# --- differential, Hypothesis ----------------------------------------------------------


def _signed(bound: int) -> st.SearchStrategy[int]:
    top = bound - 1
    return st.one_of(st.integers(-top, top), st.sampled_from([-top, top, 0, 1, -1]))


def _unsigned(top: int) -> st.SearchStrategy[int]:
    return st.one_of(st.integers(0, top), st.sampled_from([0, top, 1]))


@st.composite
def _markets(draw: st.DrawFn) -> Market:
    assets = tuple(Asset(n, draw(_unsigned(M64)), draw(_unsigned(10_000))) for n in ("A", "B"))
    instruments = tuple(
        Instrument(n, draw(_signed(2**64)), tuple(draw(_signed(2**64)) for _ in range(4))) for n in ("X", "Y")
    )
    return Market(assets, instruments, 4)


@st.composite
def _accounts(draw: st.DrawFn, name: str) -> Account:
    return Account(
        name,
        (draw(_unsigned(M64)), draw(_unsigned(M64))),
        (draw(_signed(2**64)), draw(_signed(2**64))),
        (draw(_signed(2**128)), draw(_signed(2**128))),
    )


@st.composite
def _solvent_accounts(draw: st.DrawFn, name: str) -> Account:
    """Solvent by construction: abs(size) < 2**62 and cost = -(2**128 - 1) (premium received)
    give equity >= W (2**129 - 2**127) > W 2**127 >= requirement."""
    return Account(
        name,
        (draw(_unsigned(M64)), draw(_unsigned(M64))),
        (draw(_signed(2**62)), draw(_signed(2**62))),
        (-M128, -M128),
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market=_markets(), first=_accounts("first"), second=_accounts("second"))
def test_differential_engine_equals_circuit(market: Market, first: Account, second: Account) -> None:
    """solvent == False for some account exactly when no witness comes out; else outputs agree."""
    accounts = [first, second]
    solvent = all(evaluate(a, market).solvent for a in accounts)
    event("all solvent" if solvent else "some insolvent")
    if solvent:
        _check_against_engine(market, accounts)
    else:
        with pytest.raises(InputError, match="rejected"):
            debug_batch().witness(inputs_for(market, accounts))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market=_markets(), first=_solvent_accounts("first"), second=_solvent_accounts("second"))
def test_differential_solvent_accounts_match_engine(market: Market, first: Account, second: Account) -> None:
    """The success side of the differential test, with every value of the rule exercised."""
    assert all(evaluate(a, market).solvent for a in (first, second))
    _check_against_engine(market, [first, second])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market=_markets(), first=_solvent_accounts("first"))
def test_differential_solvent_account_made_insolvent_is_refused(market: Market, first: Account) -> None:
    """Twin: the account with its first position pushed to the size that loses most in the worst
    scenario and its premium removed; insolvent unless that scenario's shock is small."""
    worst = max(range(4), key=lambda s: abs(market.instruments[0].shocks[s]))
    shock = market.instruments[0].shocks[worst]
    size = -(2**64 - 1) if shock > 0 else 2**64 - 1
    account = Account("first", first.balances, (size, first.sizes[1]), (0, 0))
    event("insolvent" if not evaluate(account, market).solvent else "solvent")
    if evaluate(account, market).solvent:
        _check_against_engine(market, [account])
    else:
        with pytest.raises(InputError, match="rejected"):
            debug_batch().witness(inputs_for(market, [account]))


# --- hashing, sums, padding, the production main ---------------------------------------


def test_root_and_sums_hash_follow_the_documented_construction() -> None:
    """The root is SumNode4 over the four leaves: checked against HashVector compiled on its
    own (circomlib's Poseidon), with the sums packed by the ledger's ``pack_sums``."""
    market, account = worked_account()
    other = Account("bob", (5, 7), (3,), (11,))
    circuit = debug_batch()
    witness = circuit.witness(inputs_for(market, [account, other]))
    out = read_batch_outputs(circuit.sym, witness, SMALL)
    sums = [*out.balance_sums, *out.position_sums]
    assert out.cost_sum == sum(account.costs) + sum(other.costs)
    packed = pack_sums(sums, 1)
    node = hash_vector(4 + len(packed)).witness({"in": [*out.leaves, *packed]})
    assert node[1] == out.root
    vector = [*sums, out.cost_sum]
    assert hash_vector(len(vector)).witness({"in": [v % R for v in vector]})[1] == out.sums_hash
    top = hash_vector(4).witness({"in": [out.root, out.sums_hash, out.market_hash, ROUND_ID]})
    assert top[1] == out.commitment
    # Twins: sums off by one, a cost sum off by one, another round: other hashes.
    off = pack_sums([sums[0] + 1, *sums[1:]], 1)
    assert hash_vector(4 + len(off)).witness({"in": [*out.leaves, *off]})[1] != out.root
    cheaper = [*sums, out.cost_sum - 1]
    assert hash_vector(len(cheaper)).witness({"in": [v % R for v in cheaper]})[1] != out.sums_hash
    later = hash_vector(4).witness({"in": [out.root, out.sums_hash, out.market_hash, ROUND_ID + 1]})
    assert later[1] != out.commitment


def test_cost_enters_the_leaf_only_as_its_total() -> None:
    """Two accounts with the same cost total (and everything else equal) have the same leaf and
    equity; the twin with another total has another leaf."""
    worked, base = worked_account()
    call = worked.instruments[0]
    market = Market(worked.assets, (call, Instrument("BTC-P", 3 * 10**16, (1, 2, 3, 4))), 4)
    cost = base.costs[0]
    account = Account(base.id, base.balances, (base.sizes[0], 0), (cost, 0))
    split = Account(base.id, base.balances, (base.sizes[0], 0), (cost - 7, 7))
    moved = Account(base.id, base.balances, (base.sizes[0], 0), (cost - 7, 8))
    circuit = debug_batch()
    read = [
        read_batch_outputs(circuit.sym, circuit.witness(inputs_for(market, [a])), SMALL)
        for a in (account, split, moved)
    ]
    assert read[0].leaves[0] == read[1].leaves[0]
    assert read[0].equities[0] == read[1].equities[0]
    assert read[2].leaves[0] != read[0].leaves[0]
    assert read[2].equities[0] == read[0].equities[0] - 10_000


def test_python_parent_equals_circuit_node() -> None:
    """``zksolvency.ledger.parent`` at height 1 equals the circuit's root of four leaves;
    twin: at height 2 (another packing width) it does not."""
    market, account = worked_account()
    circuit = debug_batch()
    out = read_batch_outputs(circuit.sym, circuit.witness(inputs_for(market, [account])), SMALL)
    digest = batch_digest(market, entries([account]), SMALL, ROUND_ID)
    children = [leaf.node for leaf in digest.leaves]
    assert parent(children, 1).hash == out.root
    assert parent(children, 2).hash != out.root


def test_production_main_commitment_equals_debug_commitment() -> None:
    market, account = worked_account()
    inputs = inputs_for(market, [account])
    debug = debug_batch()
    expected = read_batch_outputs(debug.sym, debug.witness(inputs), SMALL).commitment
    main = production("main_test")
    witness = main.witness(inputs)
    assert main.failing_names(witness) is None
    assert witness[1] == expected
    # Twin: another market gives another public value.
    other_market = Market(
        market.assets, (Instrument("BTC-C", market.instruments[0].mark + 1, (-1, 0, 3, 9)),), 4
    )
    assert main.witness(inputs_for(other_market, [account]))[1] != expected


def test_padding_accounts_change_no_sum() -> None:
    market, account = worked_account()
    _check_against_engine(market, [account])
    circuit = debug_batch()
    one = read_batch_outputs(circuit.sym, circuit.witness(inputs_for(market, [account])), SMALL)
    empty = Account("empty", (0, 0), (0,), (0,))
    two = read_batch_outputs(circuit.sym, circuit.witness(inputs_for(market, [account, empty])), SMALL)
    assert (one.balance_sums, one.position_sums, one.cost_sum) == (
        two.balance_sums,
        two.position_sums,
        two.cost_sum,
    )
    # Twin: a real empty account has a commitment, so its leaf differs from padding's.
    assert one.leaves[1] != two.leaves[1]
    assert one.root != two.root
