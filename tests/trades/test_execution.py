"""``zksolvency.trades.execution``: exact integers, and every refusal names the trade and the field.

Each success test has a failure twin right below it.
"""

from __future__ import annotations

import dataclasses

import pytest

from zksolvency.errors import InputError
from zksolvency.trades import LiquidationTrade, MatchedTrade, TradeRefused, execute, fee_for
from zksolvency.trades.rule import W

from . import cases
from .builders import BATCH_TIME, FEE_BPS, MARK_CALL, account, market, order, run, state


def test_two_trades_move_positions_costs_and_nonces_exactly() -> None:
    case = cases.two_trades()
    ex = run(case.orders, case.trades)
    fee1 = fee_for(2, cases.P, FEE_BPS)
    fee2 = fee_for(1, 505 * 10**14, FEE_BPS)
    alice, bob = ex.accounts[0], ex.accounts[1]
    assert alice.sizes == (1, 0) and bob.sizes == (-1, 0)
    assert alice.cost_total == 2 * cases.P + fee1 - 505 * 10**14 + fee2
    assert bob.cost_total == -2 * cases.P + fee1 + 505 * 10**14 + fee2
    assert (alice.nonce, bob.nonce) == (2, 2)
    assert ex.new_root == dataclasses.replace(state(), accounts=ex.accounts).tree().root
    assert ex.old_root == state().tree().root != ex.new_root


def test_two_trades_refused_when_the_second_reuses_the_first_nonce() -> None:
    case = cases.two_trades()
    stale = (*case.orders[:2], order("alice", "sell", 1, cases.LOW, nonce=0), case.orders[3])
    with pytest.raises(TradeRefused, match=r"trade 1: sell\.nonce: reused") as info:
        run(stale, case.trades)
    assert (info.value.trade, info.value.field) == (1, "sell.nonce")


def test_fee_is_the_ceiling_of_bps_of_notional() -> None:
    assert fee_for(1, 10_001, 1) == 2  # 1.0001 rounds up
    assert fee_for(1, 10_000, 1) == 1  # exact
    assert fee_for(3, -7, 10_000) == 21  # abs(p)
    assert fee_for(5, 0, 10) == 0


def test_fee_rate_above_100_percent_is_refused() -> None:
    case = cases.two_trades()
    with pytest.raises(InputError, match="fee_bps"):
        execute(state(), market(), case.orders, case.trades, BATCH_TIME, 10_001)


def test_liquidation_of_an_account_below_maintenance_lowers_its_risk() -> None:
    case = cases.liquidation()
    ex = run(case.orders, case.trades)
    carol = ex.accounts[2]
    assert carol.sizes == (-8, 0) and carol.nonce == 0  # the liquidated side signs nothing
    assert ex.accounts[3].nonce == 1 and ex.steps[0].liquidated == 0  # carol took the buy side
    assert ex.steps[0].sides[0].message == 0 and ex.steps[0].sides[1].message != 0


def test_liquidation_of_an_unknown_account_is_refused() -> None:
    case = cases.liquidation()
    with pytest.raises(TradeRefused, match="trade 0: liquidated: unknown account 'zoe'"):
        run(case.orders, (LiquidationTrade("zoe", 0, 1, cases.P),))


@pytest.mark.parametrize("name", sorted(cases.attacks()))
def test_every_attack_is_refused_naming_the_trade_and_field(name: str) -> None:
    case = cases.attacks()[name]
    with pytest.raises(TradeRefused) as info:
        run(case.orders, case.trades)
    expected_trade = 1 if name == "replayed_order" else 0
    assert info.value.trade == expected_trade
    assert info.value.field == case.field, str(info.value)


def test_unknown_instrument_and_order_are_refused() -> None:
    with pytest.raises(TradeRefused, match=r"trade 0: buy\.instrument: unknown instrument 'ETH-C'"):
        run(
            (order("alice", "buy", 1, cases.HIGH, instrument="ETH-C"), order("bob", "sell", 1, cases.LOW)),
            cases.two_trades().trades[:1],
        )
    with pytest.raises(TradeRefused, match="trade 0: sell: order 1 does not exist"):
        run((order("alice", "buy", 1, cases.HIGH),), cases.two_trades().trades[:1])


def test_position_that_would_pass_2_64_is_refused() -> None:
    near = account("alice", 0, 10**15, (2**64 - 1, 0), 0)
    base = state()
    wrapped = dataclasses.replace(base, accounts=(near, *base.accounts[1:]))
    orders = (order("alice", "buy", 2, cases.HIGH), order("bob", "sell", 2, cases.LOW))
    with pytest.raises(TradeRefused, match=r"trade 0: buy\.position"):
        execute(wrapped, market(), orders, cases.two_trades().trades[:1], BATCH_TIME, FEE_BPS)


def test_band_is_inclusive_at_its_edge() -> None:
    edge = MARK_CALL + MARK_CALL * 500 // W  # exactly 5% above the mark
    orders = (order("alice", "buy", 1, edge), order("bob", "sell", 1, cases.LOW))
    run(orders, (MatchedTrade(0, 1, 1, edge),))
    with pytest.raises(TradeRefused, match="trade 0: price"):
        run((order("alice", "buy", 1, edge + 1), orders[1]), (MatchedTrade(0, 1, 1, edge + 1),))
