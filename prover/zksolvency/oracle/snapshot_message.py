"""The message for one snapshot file, and whether a signed message is that file's.

``snapshot_message(raw, source, shape, time)``: validates the snapshot, computes its
Poseidon ``MarketHash`` padded to the circuit shape ``(A, I, S)`` and the SHA-256 of its
bytes, and takes its time from ``_generated.oracle.time`` (written by ``market build
--source``) or, for a snapshot without that record, from ``time``.

``trade_snapshot_message(raw, source, shape, time)``: the same for the settlement gate's
``TradeSnapshot``: the message above with the trade snapshot hash
(:func:`zksolvency.trades.snapshot.snapshot_hash`, which also covers the price bands, initial
shocks and names) at the same ``A, I, S``.

``message_problems(message, raw, source)``: what differs between a signed message and the
snapshot file (recomputing the hashes at the message's own ``A, I, S``): an empty list means
the signatures are about exactly these bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.errors import InputError
from zksolvency.ledger.commitment import market_hash
from zksolvency.model.fields import decode_utf8
from zksolvency.model.market import GENERATED_KEY, Market, parse_market
from zksolvency.oracle.typed_data import SnapshotMessage, TradeSnapshotMessage
from zksolvency.trades.size import TradeCircuitSize
from zksolvency.trades.snapshot import snapshot_hash

#: ``(assets, instruments, scenarios)`` of a batch circuit.
Shape = tuple[int, int, int]


def recorded_time(text: str) -> int | None:
    """``_generated.oracle.time`` of a snapshot's text, or ``None`` when it has no such record."""
    document = json.loads(text)
    generated = document.get(GENERATED_KEY) if isinstance(document, dict) else None
    oracle = generated.get("oracle") if isinstance(generated, dict) else None
    value = oracle.get("time") if isinstance(oracle, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _hash_at(market: Market, shape: Shape, source: str) -> int:
    size = CircuitSize(*shape, batch=1)
    try:
        size.check_market(market)
    except ValueError as exc:
        raise InputError(f"{source}: {exc}") from None
    return market_hash(market, size)


def snapshot_message(raw: bytes, source: str, shape: Shape, time: int | None = None) -> SnapshotMessage:
    """The ``MarketSnapshot`` message of the snapshot bytes ``raw`` for the circuit ``shape``."""
    text = decode_utf8(raw, source)
    market = parse_market(text, source)
    recorded = recorded_time(text)
    if recorded is not None and time is not None and recorded != time:
        raise InputError(f"{source}: records snapshot time {recorded} (_generated.oracle.time), not {time}")
    when = recorded if recorded is not None else time
    if when is None:
        raise InputError(
            f"{source}: no _generated.oracle.time (not built from sources): give the snapshot time"
        )
    return SnapshotMessage(
        market_hash=_hash_at(market, shape, source),
        assets=shape[0],
        instruments=shape[1],
        scenarios=shape[2],
        snapshot_sha256=hashlib.sha256(raw).digest(),
        snapshot_time=when,
    )


def _trade_hash_at(market: Market, shape: Shape, source: str) -> int:
    try:
        return snapshot_hash(market, TradeCircuitSize(*shape, depth=1, trades=1))
    except ValueError as exc:
        raise InputError(f"{source}: {exc}") from None


def trade_snapshot_message(
    raw: bytes, source: str, shape: Shape, time: int | None = None
) -> TradeSnapshotMessage:
    """The ``TradeSnapshot`` message of the snapshot bytes ``raw`` for the trade circuit ``shape``."""
    market_message = snapshot_message(raw, source, shape, time)
    market = parse_market(decode_utf8(raw, source), source)
    return TradeSnapshotMessage(
        **{f.name: getattr(market_message, f.name) for f in dataclasses.fields(market_message)},
        snapshot_hash=_trade_hash_at(market, shape, source),
    )


def message_problems(
    message: SnapshotMessage,
    raw: bytes,
    source: str,
    shape: Shape | None = None,
    expect: str | None = None,
) -> list[str]:
    """How ``message`` differs from the snapshot bytes ``raw`` (empty: it is this snapshot's message),
    from the circuit ``shape`` ``(A, I, S)`` when one is given, and from the message type
    ``expect`` (``MarketSnapshot`` or ``TradeSnapshot``) when one is given."""
    problems = []
    if expect not in (None, message.PRIMARY_TYPE):
        problems.append(f"the signatures are over a {message.PRIMARY_TYPE} message, not a {expect}")
    signed_shape = (message.assets, message.instruments, message.scenarios)
    if shape is not None and signed_shape != tuple(shape):
        problems.append(f"signed at A, I, S = {signed_shape}, the batch circuit is {tuple(shape)}")
    if hashlib.sha256(raw).digest() != message.snapshot_sha256:
        problems.append("the snapshot's SHA-256 is not the signed snapshotSha256")
    text = decode_utf8(raw, source)
    market = parse_market(text, source)
    if _hash_at(market, signed_shape, source) != message.market_hash:
        problems.append(f"the snapshot's MarketHash at A, I, S = {signed_shape} is not the signed marketHash")
    if isinstance(message, TradeSnapshotMessage) and (
        _trade_hash_at(market, signed_shape, source) != message.snapshot_hash
    ):
        problems.append(
            f"the snapshot's trade snapshot hash at A, I, S = {signed_shape} is not the signed snapshotHash"
        )
    recorded = recorded_time(text)
    if recorded is not None and recorded != message.snapshot_time:
        problems.append(
            f"the snapshot records time {recorded}, the signed snapshotTime is {message.snapshot_time}"
        )
    return problems
