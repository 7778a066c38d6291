"""The batches of the trade tests: valid ones and one per attack, as (orders, trades).

Prices: the call's mark is 5e16 with a 500 bps band (4.75e16 .. 5.25e16).
"""

from __future__ import annotations

from dataclasses import dataclass

from zksolvency.orders import Order
from zksolvency.trades import LiquidationTrade, MatchedTrade, TradeLine

from .builders import BATCH_TIME, forged, order

P = 51 * 10**15
HIGH = 52 * 10**15
LOW = 50 * 10**15


@dataclass(frozen=True)
class Case:
    """A batch, and for an attack: the refused field (Python) and the failing component (circuit)."""

    orders: tuple[Order, ...]
    trades: tuple[TradeLine, ...]
    field: str = ""
    component: str = ""


def two_trades() -> Case:
    """alice buys 2 calls from bob, then sells 1 back to him: the same accounts in both trades."""
    orders = (
        order("alice", "buy", 2, HIGH),
        order("bob", "sell", 3, LOW),
        order("alice", "sell", 1, LOW, nonce=1),
        order("bob", "buy", 1, HIGH, nonce=1),
    )
    return Case(orders, (MatchedTrade(0, 1, 2, P), MatchedTrade(3, 2, 1, 505 * 10**14)))


def liquidation() -> Case:
    """The insurer sells 2 calls to carol (short 10, below maintenance): carol's risk falls."""
    return Case((order("insurer", "sell", 2, LOW),), (LiquidationTrade("carol", 0, 2, P),))


def _one(
    buy: Order, sell: Order, size: int = 1, price: int = P
) -> tuple[tuple[Order, ...], tuple[TradeLine, ...]]:
    return (buy, sell), (MatchedTrade(0, 1, size, price),)


T0 = "main.batch.trade[0]"
BUY = f"{T0}.side[0]"
SELL = f"{T0}.side[1]"


def attacks() -> dict[str, Case]:
    bob_sells = order("bob", "sell", 5, LOW)
    return {
        "forged_signature": Case(
            *_one(forged(order("alice", "buy", 2, HIGH)), bob_sells), "buy.signature", f"{BUY}.signature"
        ),
        "another_accounts_key": Case(
            *_one(order("alice", "buy", 2, HIGH, signer="bob"), bob_sells),
            "buy.signature",
            f"{BUY}.signature",
        ),
        "replayed_order": Case(
            (order("alice", "buy", 2, HIGH), bob_sells),
            (MatchedTrade(0, 1, 1, P), MatchedTrade(0, 1, 1, P)),
            "buy.nonce",
            "main.batch.trade[1].side[0].signature",
        ),
        "expired_order": Case(
            *_one(order("alice", "buy", 2, HIGH, expiry=BATCH_TIME), bob_sells),
            "buy.expiry",
            f"{BUY}.expiryGap",
        ),
        "price_above_buy_limit": Case(
            *_one(order("alice", "buy", 2, LOW), bob_sells), "buy.limit_price", f"{BUY}.limitGap"
        ),
        "price_below_sell_limit": Case(
            *_one(order("alice", "buy", 2, HIGH), order("bob", "sell", 5, HIGH), price=P),
            "sell.limit_price",
            f"{SELL}.limitGap",
        ),
        "price_outside_band": Case(
            *_one(
                order("alice", "buy", 2, 60 * 10**15), order("bob", "sell", 5, 40 * 10**15), price=53 * 10**15
            ),
            "price",
            f"{T0}.band",
        ),
        "size_over_order": Case(
            *_one(order("alice", "buy", 1, HIGH), bob_sells, size=2), "buy.size", f"{BUY}.sizeGap"
        ),
        "under_initial_margin_and_riskier": Case(
            *_one(order("alice", "buy", 1, HIGH), order("dave", "sell", 1, LOW)), "sell", f"{SELL}.within"
        ),
        "liquidation_above_maintenance": Case(
            (order("insurer", "sell", 1, LOW),),
            (LiquidationTrade("alice", 0, 1, P),),
            "liquidated",
            f"{BUY}.underwater",
        ),
        "liquidation_raising_requirement": Case(
            (order("insurer", "buy", 1, HIGH),),
            (LiquidationTrade("carol", 0, 1, P),),
            "liquidated",
            f"{SELL}.within",
        ),
    }
