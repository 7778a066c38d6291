"""The public side of a batch: market hash, sums hash and the batch commitment.

These are what ``SolvencyBatch`` (``circuits/solvency/batch.circom``) computes in-circuit:

* ``market_hash = HashVector(2A + I + I S)(price, weight, mark, shocks instrument-major)``
  of the snapshot padded to the circuit size (each value one field element, ``r + x``
  when negative);
* ``sums_hash = HashVector(A + I + 1)(balance sums, net position sums, cost sum)``;
* ``commitment = Poseidon(root, sums_hash, market_hash, round_id)``: the batch proof's
  only public signal. The round id makes a batch proof good for one round: the root
  circuit of round 7 recomputes every slot's commitment with 7.
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import CircuitSize, market_inputs
from zksolvency.hashing import hash_vector, poseidon
from zksolvency.model.market import Market

#: Round ids are unsigned 64-bit integers (range-checked in the root circuit).
ROUND_ID_BOUND = 1 << 64


def market_vector(market: Market, size: CircuitSize) -> list[int]:
    """The snapshot as the circuit hashes it: padded, flattened, reduced mod r."""
    inputs = market_inputs(market, size)
    flat: list[int] = [*inputs["price"], *inputs["weight"], *inputs["mark"]]  # type: ignore[misc]
    for row in inputs["shock"]:  # type: ignore[attr-defined]
        flat.extend(row)
    return [value % R for value in flat]


def market_hash(market: Market, size: CircuitSize) -> int:
    """``MarketHash(A, I, S)`` of ``market`` padded to ``size``."""
    return hash_vector(market_vector(market, size))


def sums_hash(sums: Sequence[int]) -> int:
    """``HashVector(A + I + 1)`` of the (signed) sums: balances, net positions, cost."""
    return hash_vector([value % R for value in sums])


def check_round_id(round_id: int) -> int:
    """``round_id`` itself; ``ValueError`` outside ``0 <= round_id < 2**64`` (the root circuit's range)."""
    if not 0 <= round_id < ROUND_ID_BOUND:
        raise ValueError(f"round id {round_id} outside 0..2**64 - 1")
    return round_id


def batch_commitment(root: int, sums: Sequence[int], market_digest: int, round_id: int) -> int:
    """``Poseidon(root, sums_hash(sums), market_digest, round_id)``."""
    return poseidon([root, sums_hash(sums), market_digest, check_round_id(round_id)])
