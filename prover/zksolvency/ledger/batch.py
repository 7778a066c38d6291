"""One batch in Python: its padded leaves, its sum tree and its public commitment.

Mirrors ``SolvencyBatch(A, I, S, B, L)``: the accounts of ``entries`` in order (at
most ``L``), then padding accounts up to ``B``; the tree over their leaves; the commitment the batch
proof makes public for one round id. The cost sum is not in the tree: it is the plain
sum of the leaves' cost totals, which each leaf hash binds (see ``SolvencyBatch``). The
tests check each value against the circuit's witness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.circuit.solvency_inputs import BatchEntry, CircuitSize
from zksolvency.ledger.commitment import batch_commitment, market_hash, sums_hash
from zksolvency.ledger.leaf import LeafValues, leaf_values, padding_leaf
from zksolvency.ledger.sumtree import SumTree
from zksolvency.model.market import Market


def batch_leaves(entries: Sequence[BatchEntry], size: CircuitSize) -> list[LeafValues]:
    """The batch's ``B`` leaves: one per entry (at most ``L``), then padding."""
    if len(entries) > size.live:
        raise ValueError(f"{len(entries)} accounts do not fit a batch of {size.live}")
    leaves = [leaf_values(entry.commitment, entry.account, size) for entry in entries]
    return leaves + [padding_leaf(size)] * (size.batch - len(entries))


@dataclass(frozen=True)
class BatchDigest:
    """Everything a batch proof commits to, computed in Python."""

    leaves: list[LeafValues]
    tree: SumTree
    market_hash: int
    round_id: int
    cost_sum: int
    sums_hash: int
    commitment: int

    @property
    def root(self) -> int:
        return self.tree.root.hash

    @property
    def sums(self) -> tuple[int, ...]:
        """The batch's ``A + I + 1`` sums: balances, net positions, then the cost total."""
        return (*self.tree.root.sums, self.cost_sum)


def batch_digest(
    market: Market, entries: Sequence[BatchEntry], size: CircuitSize, round_id: int
) -> BatchDigest:
    """Leaves, tree, market hash, sums hash and commitment of one batch of round ``round_id``."""
    leaves = batch_leaves(entries, size)
    tree = SumTree([leaf.node for leaf in leaves])
    digest = market_hash(market, size)
    cost_sum = sum(leaf.cost_total for leaf in leaves)
    vector = (*tree.root.sums, cost_sum)
    return BatchDigest(
        leaves=leaves,
        tree=tree,
        market_hash=digest,
        round_id=round_id,
        cost_sum=cost_sum,
        sums_hash=sums_hash(vector),
        commitment=batch_commitment(tree.root.hash, vector, digest, round_id),
    )
