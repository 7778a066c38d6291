"""The public side of a batch: market hash, sums hash and the batch commitment.

These are what ``SolvencyBatch`` (``circuits/solvency/batch.circom``) computes in-circuit:

* ``market_hash = HashVector(2A + I + I S)(price, weight, mark, shocks instrument-major)``
  of the snapshot padded to the circuit size (each value one field element, ``r + x``
  when negative);
* ``sums_hash = HashVector(A + I)(balance sums, net position sums)``;
* ``commitment = Poseidon(root, sums_hash, market_hash)``: the batch proof's only public
  signal.
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import CircuitSize, market_inputs
from zksolvency.hashing import hash_vector, poseidon
from zksolvency.model.market import Market


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
    """``HashVector(A + I)`` of the (signed) sums."""
    return hash_vector([value % R for value in sums])


def batch_commitment(root: int, sums: Sequence[int], market_digest: int) -> int:
    """``Poseidon(root, sums_hash(sums), market_digest)``."""
    return poseidon([root, sums_hash(sums), market_digest])
