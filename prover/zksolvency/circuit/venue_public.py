"""The auditor's checks of a venue batch proof's public signals (docs/margin.md, "What the auditor
must check outside the circuit").

``VenueBatchMain(I, A, S, K, C, B)`` has the public signals, in this order::

    commitment, price[0..A), weight[0..A), mark[0..I), shock[0][0..S), ..., shock[I-1][0..S),
    marketHash, roundId

(circom puts the outputs first, then the public inputs in declaration order). The lookup's
soundness needs the table to be the published snapshot, zero-padded to the circuit's size,
with values in MARGIN.md's ranges (a :class:`~zksolvency.model.market.Market` is validated on
construction), ``marketHash`` its ``MarketHash``, and ``roundId`` the round's. This module
checks exactly that and hands back the batch commitment for the root proof; the Groth16
verification itself is :func:`zksolvency.groth16.verify.verify`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.circuit.venue_inputs import VenueSize
from zksolvency.ledger.commitment import market_hash
from zksolvency.model.market import Market


@dataclass(frozen=True, slots=True)
class PublicCheck:
    """The verdict on one batch's public signals: ``valid``, why, and the batch commitment."""

    valid: bool
    reason: str
    commitment: int | None = None

    def __bool__(self) -> bool:
        return self.valid


def expected_table(market: Market, size: VenueSize) -> list[int]:
    """The public table of ``size``: prices, weights, marks, shocks (instrument-major),
    zero-padded, each reduced mod r."""
    size.table.check_market(market)
    pad_a = size.assets - len(market.assets)
    pad_i = size.instruments - len(market.instruments)
    values = [a.price for a in market.assets] + [0] * pad_a
    values += [a.weight for a in market.assets] + [0] * pad_a
    values += [i.mark for i in market.instruments] + [0] * pad_i
    for inst in market.instruments:
        values += [*inst.shocks, *([0] * (size.scenarios - market.scenarios))]
    values += [0] * (pad_i * size.scenarios)
    return [v % R for v in values]


def public_count(size: VenueSize) -> int:
    """``1 + 2A + I (S + 1) + 2`` public signals."""
    return 1 + 2 * size.assets + size.instruments * (size.scenarios + 1) + 2


def check_venue_public(public: Sequence[int], market: Market, size: VenueSize, round_id: int) -> PublicCheck:
    """Check a venue batch proof's public signals against the snapshot and the round."""
    if len(public) != public_count(size):
        return PublicCheck(
            False, f"{len(public)} public signals, the circuit of {size} has {public_count(size)}"
        )
    table = expected_table(market, size)
    given = list(public[1 : 1 + len(table)])
    if given != table:
        first = next(k for k, (g, t) in enumerate(zip(given, table, strict=True)) if g != t)
        return PublicCheck(
            False, f"public table value {first} is {given[first]}, the snapshot gives {table[first]}"
        )
    digest = market_hash(market, size.table)
    if public[-2] != digest:
        return PublicCheck(False, "public marketHash is not the MarketHash of the snapshot")
    if public[-1] != round_id % R:
        return PublicCheck(False, f"public roundId is {public[-1]}, the round is {round_id}")
    return PublicCheck(True, "table, market hash and round match", public[0])
