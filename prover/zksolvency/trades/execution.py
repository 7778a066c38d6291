"""Apply a batch of trades to the state's accounts, in exact integers, checking what the circuit checks.

For each trade ``t`` in order (``W = 10_000``; ``q`` the size, ``p`` the price, ``k`` the
instrument, ``mark = mark[k]``):

1. the orders exist, are a buy and a sell on the same known instrument, and their accounts
   exist (a liquidation: one order, the liquidated account takes the other side and signs
   nothing);
2. ``abs(p - mark) * W <= band_bps[k] * abs(mark)`` (the band);
3. for each signed order: ``p <= limit`` (buy) or ``p >= limit`` (sell), ``q <= size``,
   ``expiry > batch_time``, ``nonce`` equal to the account's current nonce, and a valid
   EdDSA-Poseidon signature of ``order_message(order)`` under the account's key;
4. ``fee = ceil(q * abs(p) * fee_bps / W)``;
5. the buyer, then the seller (so one account on both sides works):
   ``size[k] += q`` (buyer) / ``-= q`` (seller), ``cost_total += +-q p + fee``,
   ``nonce += 1`` when it signed; the new values stay in range (``abs(size) < 2**64``,
   ``abs(cost_total) < 2**CB``); then
   * a signing side: ``equity >= requirement`` with initial shocks after the trade, or its
     initial requirement did not increase;
   * a liquidated side: ``equity < requirement`` with maintenance shocks before, and its
     maintenance requirement did not increase.

Any failure raises :class:`TradeRefused` naming the trade index and the field. The state
tree is updated leaf by leaf; each side's :class:`~zksolvency.state.tree.Update` (old path)
is what the circuit's witness needs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.circuit.solvency_inputs import cost_total_bits
from zksolvency.errors import InputError
from zksolvency.model.market import Market
from zksolvency.orders.eddsa import verify as eddsa_verify
from zksolvency.orders.order import Order, order_message
from zksolvency.state.batch_public import MAX_FEE_BPS
from zksolvency.state.leaf import PublicKey, StateAccount
from zksolvency.state.store import State
from zksolvency.state.tree import StateTree, Update
from zksolvency.trades import rule
from zksolvency.trades.snapshot import (
    BOUND_64,
    KIND_LIQUIDATION,
    KIND_MATCHED,
    trade_hash,
)
from zksolvency.trades.tradefile import LiquidationTrade, MatchedTrade, TradeLine

W = rule.W
BUYER = 0
SELLER = 1
SIDE_NAMES = ("buyer", "seller")


class TradeRefused(InputError):
    """A trade of the batch breaks a rule; the message names the trade index and the field."""

    def __init__(self, trade: int, field: str, what: str) -> None:
        super().__init__(f"trade {trade}: {field}: {what}")
        self.trade = trade
        self.field = field


@dataclass(frozen=True, slots=True)
class SideStep:
    """One side of one trade: the slot, the account before and after, the tree update, the order."""

    slot: int
    before: StateAccount
    after: StateAccount
    update: Update
    order: Order | None
    message: int


@dataclass(frozen=True, slots=True)
class TradeStep:
    """One executed trade: its kind, instrument index, size, price, fee and both sides."""

    kind: int
    instrument: int
    size: int
    price: int
    fee: int
    sides: tuple[SideStep, SideStep]
    liquidated: int | None

    @property
    def hash(self) -> int:
        """``Poseidon(kind, M_buy, M_sell, q, p mod r)`` (0 for an unsigned side's message)."""
        return trade_hash(self.kind, self.sides[0].message, self.sides[1].message, self.size, self.price)


@dataclass(frozen=True, slots=True)
class Execution:
    """The executed batch: roots before and after, the steps, and the accounts after (by slot)."""

    old_root: int
    new_root: int
    steps: tuple[TradeStep, ...]
    accounts: tuple[StateAccount, ...]


def _refuse(trade: int, field: str, what: str) -> None:
    """Raise :class:`TradeRefused`: every check of this module refuses through here (one seam,
    which the adversarial tests replace to build witnesses for trades the rules refuse)."""
    raise TradeRefused(trade, field, what)


def fee_for(size: int, price: int, fee_bps: int) -> int:
    """``ceil(q * abs(p) * fee_bps / 10_000)``."""
    return -(-(size * abs(price) * fee_bps) // W)


class _Batch:
    """The mutable state of one execution: accounts by slot and the tree."""

    def __init__(self, state: State, market: Market, batch_time: int, fee_bps: int) -> None:
        self.market = market
        self.batch_time = batch_time
        self.fee_bps = fee_bps
        self.assets = state.circuit_assets
        self.instruments = state.circuit_instruments
        self.accounts = list(state.accounts)
        self.slots = {a.id: k for k, a in enumerate(state.accounts)}
        self.tree: StateTree = state.tree()
        self.cost_bound = 2 ** cost_total_bits(state.circuit_instruments)

    def slot(self, t: int, field: str, account_id: str) -> int:
        if account_id not in self.slots:
            _refuse(t, field, f"unknown account {account_id!r}")
        return self.slots[account_id]


def execute(
    state: State,
    market: Market,
    orders: Sequence[Order],
    trades: Sequence[TradeLine],
    batch_time: int,
    fee_bps: int,
) -> Execution:
    """Execute ``trades`` on ``state`` (see the module docstring); ``TradeRefused`` on the first bad one."""
    if not 0 <= batch_time < BOUND_64:
        raise InputError(f"batch time {batch_time} outside [0, 2**64)")
    if not 0 <= fee_bps <= MAX_FEE_BPS:
        raise InputError(f"fee_bps {fee_bps} outside 0..10000")
    names = tuple(i.name for i in market.instruments)
    if state.instruments != names or state.assets != tuple(a.name for a in market.assets):
        raise InputError("the market's assets or instruments are not the state's")
    batch = _Batch(state, market, batch_time, fee_bps)
    old_root = batch.tree.root
    steps = [_execute_one(batch, t, trade, orders) for t, trade in enumerate(trades)]
    return Execution(old_root, batch.tree.root, tuple(steps), tuple(batch.accounts))


def _order(t: int, field: str, orders: Sequence[Order], index: int) -> Order:
    if not 0 <= index < len(orders):
        _refuse(t, field, f"order {index} does not exist ({len(orders)} orders)")
    return orders[index]


def _execute_one(
    batch: _Batch,
    t: int,
    trade: TradeLine,
    orders: Sequence[Order],
) -> TradeStep:
    q, p = trade.size, trade.price
    if not 0 < q < BOUND_64:
        _refuse(t, "size", f"{q} outside 0 < size < 2**64")
    if not abs(p) < BOUND_64:
        _refuse(t, "price", f"{p} outside abs(price) < 2**64")
    # 1. The orders, their sides and the one instrument.
    signed: list[tuple[str, Order] | None]
    if isinstance(trade, MatchedTrade):
        kind, liquidated = KIND_MATCHED, None
        buy, sell = _order(t, "buy", orders, trade.buy), _order(t, "sell", orders, trade.sell)
        signed = [("buy", buy), ("sell", sell)]
        accounts = [buy.account, sell.account]
    else:
        assert isinstance(trade, LiquidationTrade)
        kind = KIND_LIQUIDATION
        order = _order(t, "order", orders, trade.order)
        if order.side not in ("buy", "sell"):
            _refuse(t, "order.side", f"{order.side!r} is neither buy nor sell")
        liquidated = SELLER if order.side == "buy" else BUYER
        signed = [None, None]
        signed[1 - liquidated] = ("order", order)
        accounts = [order.account, order.account]
        accounts[liquidated] = trade.liquidated
        batch.slot(t, "liquidated", trade.liquidated)
        if trade.liquidated == order.account:
            _refuse(t, "liquidated", "the liquidator's own account")
    instrument = _instrument(batch, t, signed)
    for j, entry in enumerate(signed):
        if entry is not None:
            field, order = entry
            _check_order(batch, t, field, order, j, q, p)
            batch.slot(t, f"{field}.account", order.account)
    # 2. The band.
    inst = batch.market.instruments[instrument]
    if abs(p - inst.mark) * W > inst.effective_band_bps * abs(inst.mark):
        _refuse(
            t, "price", f"{p} outside the band of {inst.effective_band_bps} bps around the mark {inst.mark}"
        )
    fee = fee_for(q, p, batch.fee_bps)
    # 3. Buyer, then seller.
    sides = []
    for j in (BUYER, SELLER):
        entry = signed[j]
        field = entry[0] if entry is not None else "liquidated"
        order_j = entry[1] if entry is not None else None
        sides.append(_apply_side(batch, t, field, j, accounts[j], order_j, instrument, q, p, fee))
    return TradeStep(kind, instrument, q, p, fee, (sides[0], sides[1]), liquidated)


def _instrument(batch: _Batch, t: int, signed: list[tuple[str, Order] | None]) -> int:
    names = [i.name for i in batch.market.instruments]
    chosen: int | None = None
    for entry in signed:
        if entry is None:
            continue
        field, order = entry
        if order.instrument not in names:
            _refuse(t, f"{field}.instrument", f"unknown instrument {order.instrument!r}")
        k = names.index(order.instrument)
        if chosen is not None and k != chosen:
            _refuse(t, f"{field}.instrument", "the two orders name different instruments")
        chosen = k
    assert chosen is not None
    return chosen


def _check_order(batch: _Batch, t: int, field: str, order: Order, side: int, q: int, p: int) -> None:
    want = "buy" if side == BUYER else "sell"
    if order.side != want:
        _refuse(t, f"{field}.side", f"{order.side!r}, expected {want!r}")
    if side == BUYER and p > order.limit_price:
        _refuse(t, f"{field}.limit_price", f"price {p} above the buy limit {order.limit_price}")
    if side == SELLER and p < order.limit_price:
        _refuse(t, f"{field}.limit_price", f"price {p} below the sell limit {order.limit_price}")
    if q > order.size:
        _refuse(t, f"{field}.size", f"trade size {q} exceeds the order's {order.size}")
    if order.expiry <= batch.batch_time:
        _refuse(t, f"{field}.expiry", f"expired ({order.expiry} <= batch time {batch.batch_time})")


def _apply_side(
    batch: _Batch,
    t: int,
    field: str,
    side: int,
    account_id: str,
    order: Order | None,
    instrument: int,
    q: int,
    p: int,
    fee: int,
) -> SideStep:
    slot = batch.slots[account_id]
    before = batch.accounts[slot]
    message = 0
    if order is not None:
        if order.nonce != before.nonce:
            what = "reused (old) nonce" if order.nonce < before.nonce else "nonce ahead of the account's"
            _refuse(t, f"{field}.nonce", f"{what}: {order.nonce}, the account's next is {before.nonce}")
        message = order_message(order)
        problem = _signature_problem(before.public, message, order)
        if problem is not None:
            _refuse(t, f"{field}.signature", problem.format(who=repr(account_id)))
    sign = 1 if side == BUYER else -1
    sizes = list(before.sizes)
    sizes[instrument] += sign * q
    cost_total = before.cost_total + sign * q * p + fee
    if not abs(sizes[instrument]) < BOUND_64:
        _refuse(t, f"{field}.position", f"{account_id!r}'s size {sizes[instrument]} leaves abs < 2**64")
    if not abs(cost_total) < batch.cost_bound:
        _refuse(t, f"{field}.cost_total", f"{account_id!r}'s cost total leaves its range")
    after = dataclasses.replace(
        before, sizes=tuple(sizes), cost_total=cost_total, nonce=before.nonce + (order is not None)
    )
    _check_margin(batch.market, t, field, account_id, before, after, liquidated=order is None)
    update = batch.tree.update(slot, after.leaf(batch.assets, batch.instruments))
    batch.accounts[slot] = after
    return SideStep(slot, before, after, update, order, message)


def _signature_problem(public: PublicKey, message: int, order: Order) -> str | None:
    """None when ``order``'s signature of ``message`` verifies under ``public``, else what is wrong."""
    if order.signature is None:
        return "missing"
    try:
        valid = eddsa_verify(public, message, order.signature)
    except ValueError as exc:
        return f"malformed ({exc})"
    return None if valid else "not a valid signature by {who}'s key"


def _check_margin(
    market: Market,
    t: int,
    field: str,
    who: str,
    before: StateAccount,
    after: StateAccount,
    *,
    liquidated: bool,
) -> None:
    shocks = "maintenance" if liquidated else "initial"
    old_req = rule.requirement(before.sizes, market, initial=not liquidated)
    new_req = rule.requirement(after.sizes, market, initial=not liquidated)
    if liquidated:
        if rule.equity(before.balances, before.sizes, before.cost_total, market) >= old_req:
            _refuse(t, field, f"{who!r} is not below maintenance margin")
        if new_req > old_req:
            _refuse(t, field, f"the liquidation raises {who!r}'s maintenance requirement")
        return
    new_equity = rule.equity(after.balances, after.sizes, after.cost_total, market)
    if new_equity < new_req and new_req > old_req:
        _refuse(
            t,
            field,
            f"leaves {who!r} under {shocks} margin and raises its requirement ({old_req} -> {new_req})",
        )
