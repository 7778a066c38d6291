"""The exact-integer engine on MARGIN.md's worked example, its insolvent variant, and the extremes."""

from __future__ import annotations

import dataclasses

import pytest

from zksolvency.model.accounts import Account, account_from_obj
from zksolvency.model.margin import (
    collateral,
    equity,
    evaluate,
    evaluate_all,
    mark_value,
    pnl,
    requirement,
    requirement_from_pnl,
    solvent,
)
from zksolvency.model.market import Asset, Instrument, Market

MAX64 = 2**64 - 1
MAX128 = 2**128 - 1


def spec_account(market: Market) -> Account:
    return account_from_obj(
        {
            "id": "alice",
            "balances": {"USDC": 10**9, "BTC": 10**7},
            "positions": {"BTC-C": {"size": -1, "cost": -5 * 10**16}},
        },
        market,
    )


def insolvent_variant(market: Market) -> tuple[Account, Market]:
    """MARGIN.md: BTC weight 0 and ten calls sold instead of one."""
    btc = market.asset_index["BTC"]
    assets = tuple(dataclasses.replace(a, weight=0) if i == btc else a for i, a in enumerate(market.assets))
    variant = dataclasses.replace(market, assets=assets)
    account = account_from_obj(
        {
            "id": "alice",
            "balances": {"USDC": 10**9, "BTC": 10**7},
            "positions": {"BTC-C": {"size": -10, "cost": -5 * 10**17}},
        },
        variant,
    )
    return account, variant


def test_worked_example_is_solvent_with_the_spec_integers(spec_market: Market) -> None:
    account = spec_account(spec_market)
    assert collateral(account, spec_market) == 6_400_000_000_000_000_000_000
    assert mark_value(account, spec_market) == 0
    assert pnl(account, spec_market) == (2 * 10**20, 0, -3 * 10**20, -9 * 10**20)
    assert requirement(account, spec_market) == 9 * 10**20
    assert equity(account, spec_market) == 64 * 10**20
    assert solvent(account, spec_market) is True


def test_worked_example_insolvent_variant_has_the_spec_integers(spec_market: Market) -> None:
    account, variant = insolvent_variant(spec_market)
    assert equity(account, variant) == 10**21
    assert requirement(account, variant) == 9 * 10**21
    assert solvent(account, variant) is False


def test_evaluate_agrees_with_the_single_functions(spec_market: Market) -> None:
    account = spec_account(spec_market)
    result = evaluate(account, spec_market)
    assert result == dataclasses.replace(
        result,
        id="alice",
        collateral=collateral(account, spec_market),
        mark_value=mark_value(account, spec_market),
        equity=equity(account, spec_market),
        pnl=pnl(account, spec_market),
        requirement=requirement(account, spec_market),
        solvent=True,
    )
    variant_account, variant = insolvent_variant(spec_market)
    assert [r.solvent for r in evaluate_all([account, variant_account], variant)] == [True, False]


def test_solvent_on_the_boundary_and_insolvent_one_unit_below(spec_market: Market) -> None:
    # Short one call, no premium: requirement 9e20, mark value -5e20; collateral decides.
    base = {"id": "x", "positions": {"BTC-C": {"size": -1, "cost": 0}}}
    short = account_from_obj(base, spec_market)
    needed = requirement(short, spec_market) - mark_value(short, spec_market)  # 1.4e21
    usdc = spec_market.assets[spec_market.asset_index["USDC"]]
    per_unit = usdc.price * usdc.weight
    assert needed % per_unit == 0
    exact = dataclasses.replace(short, balances=(0, needed // per_unit))
    below = dataclasses.replace(short, balances=(0, needed // per_unit - 1))
    assert equity(exact, spec_market) == requirement(exact, spec_market)
    assert solvent(exact, spec_market) is True
    assert solvent(below, spec_market) is False


def test_negative_equity_without_requirement_is_insolvent(spec_market: Market) -> None:
    # Bought one call for more than its mark and hold nothing: requirement 0 < loss.
    overpaid = account_from_obj({"id": "x", "positions": {"BTC-C": {"size": 0, "cost": 1}}}, spec_market)
    assert requirement(overpaid, spec_market) == 0
    assert equity(overpaid, spec_market) == -10_000
    assert solvent(overpaid, spec_market) is False
    paid_nothing = account_from_obj({"id": "y"}, spec_market)
    assert solvent(paid_nothing, spec_market) is True


def extreme_market() -> Market:
    return Market(
        assets=(Asset("A", MAX64, 10_000), Asset("B", MAX64, 10_000)),
        instruments=(
            Instrument("LONG", MAX64, (MAX64, -MAX64)),
            Instrument("SHORT", -MAX64, (-MAX64, MAX64)),
        ),
        scenarios=2,
    )


def test_extremes_are_computed_exactly() -> None:
    market = extreme_market()
    account = Account("max", (MAX64, MAX64), (-MAX64, MAX64), (MAX128, -MAX128))
    square = 340282366920938463426481119284349108225  # (2**64 - 1) ** 2, written out
    assert square == MAX64 * MAX64
    assert collateral(account, market) == 2 * square * 10_000
    # (-M * M - (2**128 - 1)) + (M * -M + (2**128 - 1)) = -2 M**2
    assert mark_value(account, market) == -2 * square * 10_000
    assert equity(account, market) == 0
    # scenario 0: -M*M + M*(-M) = -2M**2; scenario 1: +2M**2
    assert pnl(account, market) == (-2 * square * 10_000, 2 * square * 10_000)
    assert requirement(account, market) == 6_805_647_338_418_769_268_529_622_385_686_982_164_500_000
    assert solvent(account, market) is False


def test_extreme_costs_alone_give_the_largest_equities() -> None:
    market = extreme_market()
    rich = Account("rich", (0, 0), (0, 0), (-MAX128, -MAX128))
    poor = Account("poor", (0, 0), (0, 0), (MAX128, MAX128))
    assert (
        equity(rich, market)
        == 2 * MAX128 * 10_000
        == 6_805_647_338_418_769_269_267_492_148_635_364_229_100_000
    )
    assert solvent(rich, market) is True
    assert equity(poor, market) == -2 * MAX128 * 10_000
    assert solvent(poor, market) is False


def test_initial_shocks_are_used_only_when_asked(spec_market: Market) -> None:
    inst = spec_market.instruments[0]
    wider = dataclasses.replace(inst, initial_shocks=(0, 0, 0, 10**17))
    market = dataclasses.replace(spec_market, instruments=(wider,))
    account = spec_account(market)
    assert requirement(account, market) == 9 * 10**20
    assert requirement(account, market, initial=True) == 10**21
    assert evaluate(account, market).requirement == 9 * 10**20
    plain = spec_account(spec_market)
    assert requirement(plain, spec_market, initial=True) == requirement(plain, spec_market)


def test_zero_padding_changes_nothing_but_a_nonzero_pad_does(spec_market: Market) -> None:
    """The circuit pads to A, I, S; zero assets, instruments and scenarios must not matter."""
    account = spec_account(spec_market)
    padded = Market(
        assets=(*spec_market.assets, Asset("ZZ-PAD", 0, 0)),
        instruments=(
            *(dataclasses.replace(i, shocks=(*i.shocks, 0)) for i in spec_market.instruments),
            Instrument("ZZ-PAD", 0, (0,) * 5),
        ),
        scenarios=5,
    )
    padded_account = Account(account.id, (*account.balances, 0), (*account.sizes, 0), (*account.costs, 0))
    before, after = evaluate(account, spec_market), evaluate(padded_account, padded)
    assert (after.equity, after.requirement, after.solvent) == (
        before.equity,
        before.requirement,
        before.solvent,
    )
    # A padded scenario with a loss is not neutral:
    lossy = dataclasses.replace(
        padded,
        instruments=(
            dataclasses.replace(padded.instruments[0], shocks=(*spec_market.instruments[0].shocks, 10**18)),
            padded.instruments[1],
        ),
    )
    assert evaluate(padded_account, lossy).requirement == 10**22


def test_requirement_from_pnl_is_never_negative() -> None:
    assert requirement_from_pnl([5, 7]) == 0
    assert requirement_from_pnl([5, -7]) == 7
    assert requirement_from_pnl([-3]) == 3


def test_account_from_another_market_is_rejected(spec_market: Market) -> None:
    account = spec_account(spec_market)
    other = extreme_market()
    with pytest.raises(ValueError):
        evaluate(account, other)
    assert evaluate(account, spec_market).solvent
