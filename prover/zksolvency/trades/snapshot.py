"""The trade snapshot hash, the batch header, trade hashes and the two public signals.

With ``HashVector`` = :func:`zksolvency.hashing.hash_vector` and every vector in the
market's sorted order, zero-padded to the circuit size ``(A, I, S)``:

* ``snapshot_hash = HashVector(market_hash, band_bps[0..I), initial_shock[0..I)[0..S),
  name_element(instrument)[0..I))``, ``market_hash`` the solvency ``MarketHash`` of the
  same snapshot (``zksolvency.ledger.commitment.market_hash``); padding instruments have
  band 0, initial shocks 0 and name 0;
* ``header = batch_id * 2**80 + batch_time * 2**16 + fee_bps`` with ``batch_id < 2**64``,
  ``batch_time < 2**64``, ``0 <= fee_bps <= 10_000``;
* ``trade_hash = Poseidon(kind, M_buy, M_sell, q, p mod r)`` (kind 0 padding with every
  field 0, 1 matched, 2 liquidation with the liquidated side's message 0);
* ``trades_commitment = HashVector(trade_hash[0..T))``;
* ``public[0] = Poseidon(old_root, new_root, snapshot_hash, trades_commitment)``,
  ``public[1] = header`` (``TradeBatchMain``'s two outputs, in this order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import id_field_element
from zksolvency.hashing import hash_vector, poseidon
from zksolvency.ledger.commitment import market_hash
from zksolvency.model.market import Market
from zksolvency.state.batch_public import batch_header, settlement_public_input
from zksolvency.trades.size import TradeCircuitSize

BOUND_64 = 2**64
KIND_PADDING = 0
KIND_MATCHED = 1
KIND_LIQUIDATION = 2


def _padded(values: Sequence[int], length: int) -> list[int]:
    if len(values) > length:
        raise ValueError(f"{len(values)} values do not fit a circuit with {length}")
    return [*values, *([0] * (length - len(values)))]


@dataclass(frozen=True, slots=True)
class SnapshotVectors:
    """The trade fields of a snapshot, padded: band, initial shocks (instrument-major), names."""

    band_bps: tuple[int, ...]
    initial_shocks: tuple[tuple[int, ...], ...]
    names: tuple[int, ...]


def snapshot_vectors(market: Market, size: TradeCircuitSize) -> SnapshotVectors:
    """``band_bps``, ``initial_shocks`` and name elements, zero-padded to ``size``."""
    size.market_size.check_market(market)
    rows = [_padded(inst.effective_initial_shocks, size.scenarios) for inst in market.instruments]
    rows += [[0] * size.scenarios] * (size.instruments - len(rows))
    return SnapshotVectors(
        tuple(_padded([i.effective_band_bps for i in market.instruments], size.instruments)),
        tuple(tuple(row) for row in rows),
        tuple(_padded([id_field_element(i.name) for i in market.instruments], size.instruments)),
    )


def snapshot_hash(market: Market, size: TradeCircuitSize) -> int:
    """``HashVector(market_hash, band_bps, initial_shocks, names)`` (see the module docstring)."""
    vectors = snapshot_vectors(market, size)
    flat = [market_hash(market, size.market_size), *vectors.band_bps]
    for row in vectors.initial_shocks:
        flat.extend(value % R for value in row)
    flat.extend(vectors.names)
    return hash_vector(flat)


def header(batch_id: int, batch_time: int, fee_bps: int) -> int:
    """``batch_id * 2**80 + batch_time * 2**16 + fee_bps``, what SettlementGate recomputes
    (:func:`zksolvency.state.batch_public.batch_header`); ``ValueError`` for a part out of range."""
    return batch_header(batch_id, batch_time, fee_bps)


def trade_hash(kind: int, message_buy: int, message_sell: int, size: int, price: int) -> int:
    """``Poseidon(kind, M_buy, M_sell, q, p mod r)``."""
    return poseidon([kind, message_buy, message_sell, size, price % R])


PADDING_TRADE_HASH_INPUTS = (KIND_PADDING, 0, 0, 0, 0)


def trades_commitment(hashes: Sequence[int], trades: int) -> int:
    """``HashVector(trade_hash[0..T))``, the hashes followed by padding trades up to ``T``."""
    if len(hashes) > trades:
        raise ValueError(f"{len(hashes)} trades do not fit a batch of {trades}")
    padding = trade_hash(*PADDING_TRADE_HASH_INPUTS)
    return hash_vector([*hashes, *([padding] * (trades - len(hashes)))])


def public_commitment(old_root: int, new_root: int, snapshot: int, commitment: int) -> int:
    """``public[0] = Poseidon(old_root, new_root, snapshot_hash, trades_commitment)``
    (:func:`zksolvency.state.batch_public.settlement_public_input`)."""
    return settlement_public_input(old_root, new_root, snapshot, commitment)
