"""An executed batch -> the input JSON of ``TradeBatchMain(A, I, S, D, T)`` and its public signals.

Input groups (``circuits/trades/batch.circom``):

* the snapshot, padded to ``(A, I, S)``: ``price``, ``weight``, ``mark``, ``shock``
  (maintenance) as the solvency circuits take them, then ``initialShock``, ``bandBps`` and
  ``name`` (:func:`zksolvency.trades.snapshot.snapshot_vectors`);
* ``batchId``, ``batchTime``, ``feeBps``, ``oldRoot``;
* per trade ``t`` (padded to ``T`` with kind 0 and every value 0): ``kind``, ``sel`` (one-hot
  instrument), ``q``, ``p``, ``liqBuyer``, ``liqSeller``, and per side ``j`` (0 buyer,
  1 seller) the account *before* its update (``account`` = name element of its id, ``salt``,
  ``balance``, ``size``, ``costTotal``, ``nonce``, ``Ax``, ``Ay``), its slot ``index`` and
  ``sibling`` (the old path), and the order (``orderSize``, ``limit``, ``expiry``, ``R8x``,
  ``R8y``, ``sigS``; zero with ``R8 = (0, 1)`` for a side that signed nothing).

Padding sides use ``Ax = 0, Ay = 1`` (the identity), so the disabled signature check has a
well-formed point; padding never touches the state (the circuit keeps the root).
"""

from __future__ import annotations

from dataclasses import dataclass

from zksolvency.circuit.solvency_inputs import id_field_element, market_inputs
from zksolvency.model.market import Market
from zksolvency.trades.execution import BUYER, SELLER, Execution, SideStep, TradeStep
from zksolvency.trades.size import TradeCircuitSize
from zksolvency.trades.snapshot import (
    header,
    public_commitment,
    snapshot_hash,
    snapshot_vectors,
    trades_commitment,
)

Inputs = dict[str, object]

_SIDE_KEYS = (
    "account",
    "salt",
    "balance",
    "size",
    "costTotal",
    "nonce",
    "Ax",
    "Ay",
    "index",
    "sibling",
    "orderSize",
    "limit",
    "expiry",
    "R8x",
    "R8y",
    "sigS",
)
_TRADE_KEYS = ("kind", "sel", "q", "p", "liqBuyer", "liqSeller")


@dataclass(frozen=True, slots=True)
class BatchPublic:
    """What the proof makes public and what it is made of."""

    old_root: int
    new_root: int
    snapshot_hash: int
    trades_commitment: int
    header: int

    @property
    def signals(self) -> tuple[int, int]:
        """``(public[0], public[1])``: the commitment and the header."""
        return (
            public_commitment(self.old_root, self.new_root, self.snapshot_hash, self.trades_commitment),
            self.header,
        )


def _pad(values: tuple[int, ...], length: int) -> list[int]:
    return [*values, *([0] * (length - len(values)))]


def _side(step: SideStep, size: TradeCircuitSize) -> dict[str, object]:
    a = step.before
    order = step.order
    signature = order.signature if order is not None else None
    if order is not None and signature is None:
        raise ValueError(f"the order of {a.id!r} is not signed")
    return {
        "account": id_field_element(a.id),
        "salt": a.salt,
        "balance": _pad(a.balances, size.assets),
        "size": _pad(a.sizes, size.instruments),
        "costTotal": a.cost_total,
        "nonce": a.nonce,
        "Ax": a.public[0],
        "Ay": a.public[1],
        "index": step.slot,
        "sibling": list(step.update.old_path),
        "orderSize": order.size if order else 0,
        "limit": order.limit_price if order else 0,
        "expiry": order.expiry if order else 0,
        "R8x": signature.r8x if signature else 0,
        "R8y": signature.r8y if signature else 1,
        "sigS": signature.s if signature else 0,
    }


def _padding_side(size: TradeCircuitSize) -> dict[str, object]:
    side: dict[str, object] = {key: 0 for key in _SIDE_KEYS}
    side.update(balance=[0] * size.assets, size=[0] * size.instruments, sibling=[0] * size.depth, Ay=1, R8y=1)
    return side


def _trade(step: TradeStep, size: TradeCircuitSize) -> dict[str, object]:
    sel = [0] * size.instruments
    sel[step.instrument] = 1
    return {
        "kind": step.kind,
        "sel": sel,
        "q": step.size,
        "p": step.price,
        "liqBuyer": int(step.liquidated == BUYER),
        "liqSeller": int(step.liquidated == SELLER),
    }


def batch_public(
    execution: Execution, market: Market, size: TradeCircuitSize, batch_id: int, batch_time: int, fee_bps: int
) -> BatchPublic:
    """The public values of the batch, computed in Python."""
    return BatchPublic(
        execution.old_root,
        execution.new_root,
        snapshot_hash(market, size),
        trades_commitment([s.hash for s in execution.steps], size.trades),
        header(batch_id, batch_time, fee_bps),
    )


def batch_inputs(
    execution: Execution, market: Market, size: TradeCircuitSize, batch_id: int, batch_time: int, fee_bps: int
) -> Inputs:
    """The circuit's input JSON (signed values as Python ints; the calculator encodes them)."""
    if len(execution.steps) > size.trades:
        raise ValueError(f"{len(execution.steps)} trades do not fit a batch of {size.trades}")
    header(batch_id, batch_time, fee_bps)  # range checks
    inputs: Inputs = dict(market_inputs(market, size.market_size))
    vectors = snapshot_vectors(market, size)
    inputs["initialShock"] = [list(row) for row in vectors.initial_shocks]
    inputs["bandBps"] = list(vectors.band_bps)
    inputs["name"] = list(vectors.names)
    inputs.update(batchId=batch_id, batchTime=batch_time, feeBps=fee_bps, oldRoot=execution.old_root)
    trades = [_trade(step, size) for step in execution.steps]
    sides = [[_side(s, size) for s in step.sides] for step in execution.steps]
    for _ in range(size.trades - len(trades)):
        trades.append({key: ([0] * size.instruments if key == "sel" else 0) for key in _TRADE_KEYS})
        sides.append([_padding_side(size), _padding_side(size)])
    for key in _TRADE_KEYS:
        inputs[key] = [trade[key] for trade in trades]
    for key in _SIDE_KEYS:
        inputs[key] = [[pair[0][key], pair[1][key]] for pair in sides]
    return inputs
