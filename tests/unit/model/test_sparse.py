"""Sparse accounts: the slot form, the bounds K and C, and the differential test against the
dense engine (Hypothesis: every quantity equal to the integer)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.model.test_margin_properties import s64, s128, u64, weights
from zksolvency.errors import InputError
from zksolvency.model import Account, Asset, Instrument, Market, account_from_obj, evaluate
from zksolvency.model.sparse import SparseAccount, SparseBounds, evaluate_sparse, to_sparse, to_sparse_all


@st.composite
def sparse_case(draw: st.DrawFn) -> tuple[Market, Account]:
    """A market of up to 40 instruments and 8 assets, an account holding a few of each (zeros
    drawn often, so that slots are skipped), with costs also on zero-size positions."""
    n_assets = draw(st.integers(1, 8))
    n_instruments = draw(st.integers(1, 40))
    n_scenarios = draw(st.integers(1, 5))
    assets = tuple(Asset(f"A{a:02}", draw(u64), draw(weights)) for a in range(n_assets))
    instruments = tuple(
        Instrument(f"I{i:02}", draw(s64), tuple(draw(s64) for _ in range(n_scenarios)))
        for i in range(n_instruments)
    )
    zero_or = st.one_of(st.just(0), st.just(0), st.just(0))
    balances = tuple(draw(st.one_of(zero_or, u64)) for _ in range(n_assets))
    sizes = tuple(draw(st.one_of(zero_or, s64)) for _ in range(n_instruments))
    costs = tuple(draw(st.one_of(zero_or, s128)) for _ in range(n_instruments))
    return Market(assets, instruments, n_scenarios), Account("acct", balances, sizes, costs)


@settings(max_examples=300)
@given(sparse_case())
def test_sparse_evaluation_equals_the_dense_engine_to_the_integer(case: tuple[Market, Account]) -> None:
    market, account = case
    sparse = to_sparse(account)
    assert evaluate_sparse(sparse, market) == evaluate(account, market)


@settings(max_examples=100)
@given(sparse_case())
def test_slots_are_the_non_zero_values_in_strictly_increasing_order(case: tuple[Market, Account]) -> None:
    _market, account = case
    sparse = to_sparse(account)
    assert [i for i, _ in sparse.positions] == [i for i, z in enumerate(account.sizes) if z]
    assert [a for a, _ in sparse.balances] == [a for a, b in enumerate(account.balances) if b]
    assert all(value != 0 for _, value in (*sparse.positions, *sparse.balances))
    assert sparse.cost_total == sum(account.costs)


@settings(max_examples=100)
@given(sparse_case(), st.integers(0, 39), st.integers(1, 2**64 - 1))
def test_a_wrong_slot_changes_the_result(case: tuple[Market, Account], index: int, size: int) -> None:
    """The twin of the differential test: the comparison is not vacuous (a size moved to
    another instrument, or changed, changes some quantity whenever the market can see it)."""
    market, account = case
    sparse = to_sparse(account)
    index %= len(market.instruments)
    if any(i == index for i, _ in sparse.positions):
        return
    inst = market.instruments[index]
    if inst.mark == 0 and not any(inst.shocks):
        return
    extra = sorted([*sparse.positions, (index, size)])
    forged = SparseAccount(sparse.id, tuple(extra), sparse.balances, sparse.cost_total)
    result, honest = evaluate_sparse(forged, market), evaluate(account, market)
    assert (result.mark_value, result.pnl) != (honest.mark_value, honest.pnl)


def test_worked_example_in_sparse_form(spec_market: Market) -> None:
    account = account_from_obj(
        {
            "id": "alice",
            "balances": {"USDC": 1000000000, "BTC": "10000000"},
            "positions": {"BTC-C": {"size": -1, "cost": "-50000000000000000"}},
        },
        spec_market,
    )
    sparse = to_sparse(account, SparseBounds(positions=1, balances=2))
    assert sparse == SparseAccount("alice", ((0, -1),), ((0, 10**7), (1, 10**9)), -5 * 10**16)
    result = evaluate_sparse(sparse, spec_market)
    assert (result.equity, result.requirement, result.solvent) == (64 * 10**20, 9 * 10**20, True)


def _wide_market() -> Market:
    assets = tuple(Asset(f"A{a}", 10**8, 10_000) for a in range(4))
    instruments = tuple(Instrument(f"I{i}", 1, (1,)) for i in range(6))
    return Market(assets, instruments, 1)


def test_account_within_the_bounds_is_accepted_and_padded() -> None:
    account = Account("fits", (1, 0, 2, 0), (0, 3, 0, 0, -4, 0), (0,) * 6)
    sparse = to_sparse(account, SparseBounds(positions=2, balances=2))
    assert sparse.padded(SparseBounds(positions=3, balances=3)) == (
        [(1, 3), (4, -4), (0, 0)],
        [(0, 1), (2, 2), (0, 0)],
    )


def test_more_positions_than_k_is_refused_naming_account_and_limit() -> None:
    account = Account("whale", (1, 0, 0, 0), (1, 1, 1, 0, 0, 0), (0,) * 6)
    with pytest.raises(InputError, match=r"account 'whale': 3 open positions.*K = 2"):
        to_sparse(account, SparseBounds(positions=2, balances=4))


def test_more_balances_than_c_is_refused_naming_account_and_limit() -> None:
    account = Account("hoarder", (1, 1, 1, 0), (0,) * 6, (0,) * 6)
    with pytest.raises(InputError, match=r"account 'hoarder': 3 non-zero balances.*C = 2"):
        list(to_sparse_all([account], SparseBounds(positions=4, balances=2)))


def test_zero_size_position_with_a_cost_needs_no_slot_but_keeps_its_cost() -> None:
    market = _wide_market()
    account = Account("closed", (0, 0, 0, 0), (0,) * 6, (0, 0, 7, 0, 0, 0))
    sparse = to_sparse(account, SparseBounds(positions=1, balances=1))
    assert sparse.positions == () and sparse.cost_total == 7
    assert evaluate_sparse(sparse, market) == evaluate(account, market)


def test_malformed_slot_lists_are_refused() -> None:
    market = _wide_market()
    for positions in (((2, 1), (2, 1)), ((3, 1), (1, 1)), ((6, 1),), ((1, 0),)):
        with pytest.raises(ValueError, match="strictly increasing index below 6"):
            evaluate_sparse(SparseAccount("bad", positions, (), 0), market)
