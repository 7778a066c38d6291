"""Properties of the engine over random in-range markets and accounts (Hypothesis)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from zksolvency.model.accounts import Account
from zksolvency.model.margin import evaluate, requirement, solvent
from zksolvency.model.market import Asset, Instrument, Market

MAX64 = 2**64 - 1
MAX128 = 2**128 - 1

# Values near the edges are drawn as often as small ones.
u64 = st.one_of(st.integers(0, 1000), st.integers(0, MAX64), st.just(MAX64))
s64 = st.one_of(st.integers(-1000, 1000), st.integers(-MAX64, MAX64), st.sampled_from([MAX64, -MAX64]))
s128 = st.one_of(
    st.integers(-(10**20), 10**20), st.integers(-MAX128, MAX128), st.sampled_from([MAX128, -MAX128])
)
weights = st.one_of(st.integers(0, 10_000), st.sampled_from([0, 10_000]))


@st.composite
def market_and_account(draw: st.DrawFn) -> tuple[Market, Account]:
    n_assets = draw(st.integers(1, 4))
    n_instruments = draw(st.integers(1, 4))
    n_scenarios = draw(st.integers(1, 5))
    assets = tuple(Asset(f"A{a}", draw(u64), draw(weights)) for a in range(n_assets))
    instruments = tuple(
        Instrument(f"I{i}", draw(s64), tuple(draw(s64) for _ in range(n_scenarios)))
        for i in range(n_instruments)
    )
    market = Market(assets, instruments, n_scenarios)
    account = Account(
        "acct",
        tuple(draw(u64) for _ in range(n_assets)),
        tuple(draw(s64) for _ in range(n_instruments)),
        tuple(draw(s128) for _ in range(n_instruments)),
    )
    return market, account


def reference(account: Account, market: Market) -> tuple[int, int, bool]:
    """The rule re-derived index by index, without factoring W or skipping zeros."""
    w = 10_000
    held = 0
    for a in range(len(market.assets)):
        held += account.balances[a] * market.assets[a].price * market.assets[a].weight
    marked = sum(w * account.sizes[i] * market.instruments[i].mark for i in range(len(market.instruments)))
    marked -= sum(w * cost for cost in account.costs)
    scenario_pnl = [
        sum(w * account.sizes[i] * market.instruments[i].shocks[s] for i in range(len(market.instruments)))
        for s in range(market.scenarios)
    ]
    required = -min([0, *scenario_pnl])
    total = held + marked
    return total, required, not total < required


@settings(max_examples=300)
@given(market_and_account())
def test_engine_equals_an_independent_derivation(case: tuple[Market, Account]) -> None:
    market, account = case
    result = evaluate(account, market)
    assert (result.equity, result.requirement, result.solvent) == reference(account, market)


@given(market_and_account())
def test_requirement_is_never_negative_and_solvent_implies_nonnegative_equity(
    case: tuple[Market, Account],
) -> None:
    market, account = case
    result = evaluate(account, market)
    assert result.requirement >= 0
    assert result.collateral >= 0
    if result.solvent:
        assert result.equity >= 0
    else:
        assert result.equity < result.requirement


@given(market_and_account(), st.integers(0, 3), st.integers(1, MAX64))
def test_adding_collateral_never_makes_an_account_insolvent(
    case: tuple[Market, Account], asset: int, extra: int
) -> None:
    market, account = case
    asset %= len(market.assets)
    balances = list(account.balances)
    balances[asset] = min(MAX64, balances[asset] + extra)
    richer = dataclasses.replace(account, balances=tuple(balances))
    before, after = evaluate(account, market), evaluate(richer, market)
    assert after.equity >= before.equity
    assert after.requirement == before.requirement
    assert after.solvent or not before.solvent


def test_removing_collateral_can_make_an_account_insolvent() -> None:
    """The failure twin of monotonicity: collateral is what keeps this account solvent."""
    market = Market((Asset("USD", 10**8, 10_000),), (Instrument("X", 0, (-(10**8),)),), 1)
    funded = Account("a", (1,), (1,), (0,))
    assert solvent(funded, market)
    assert not solvent(dataclasses.replace(funded, balances=(0,)), market)


@given(market_and_account(), st.lists(s128, min_size=4, max_size=4), st.lists(u64, min_size=4, max_size=4))
def test_requirement_depends_only_on_sizes_and_shocks(
    case: tuple[Market, Account], costs: list[int], balances: list[int]
) -> None:
    market, account = case
    other = dataclasses.replace(
        account,
        balances=tuple(balances[: len(account.balances)]),
        costs=tuple(costs[: len(account.costs)]),
    )
    assert requirement(other, market) == requirement(account, market)


@given(market_and_account())
def test_flipping_every_position_mirrors_the_scenario_pnl(case: tuple[Market, Account]) -> None:
    market, account = case
    flipped = dataclasses.replace(account, sizes=tuple(-s for s in account.sizes))
    assert evaluate(flipped, market).pnl == tuple(-p for p in evaluate(account, market).pnl)
