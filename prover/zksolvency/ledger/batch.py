"""One batch in Python: its padded leaves, its sum tree and its public commitment.

Mirrors ``SolvencyBatch(A, I, S, B)``: the accounts of ``entries`` in order, then
padding accounts up to ``B``; the tree over their leaves; the commitment the batch
proof makes public. The tests check each value against the circuit's witness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.circuit.solvency_inputs import BatchEntry, CircuitSize
from zksolvency.ledger.commitment import batch_commitment, market_hash, sums_hash
from zksolvency.ledger.leaf import LeafValues, leaf_values, padding_leaf
from zksolvency.ledger.sumtree import Node, SumTree
from zksolvency.model.market import Market


def batch_leaves(entries: Sequence[BatchEntry], size: CircuitSize) -> list[LeafValues]:
    """The batch's ``B`` leaves: one per entry, then padding."""
    if len(entries) > size.batch:
        raise ValueError(f"{len(entries)} accounts do not fit a batch of {size.batch}")
    leaves = [leaf_values(entry.commitment, entry.account, size) for entry in entries]
    return leaves + [padding_leaf(size)] * (size.batch - len(entries))


@dataclass(frozen=True)
class BatchDigest:
    """Everything a batch proof commits to, computed in Python."""

    leaves: list[LeafValues]
    tree: SumTree
    market_hash: int
    sums_hash: int
    commitment: int

    @property
    def root(self) -> int:
        return self.tree.root.hash

    @property
    def sums(self) -> tuple[int, ...]:
        return self.tree.root.sums


def batch_digest(market: Market, entries: Sequence[BatchEntry], size: CircuitSize) -> BatchDigest:
    """Leaves, tree, market hash, sums hash and commitment of one batch."""
    leaves = batch_leaves(entries, size)
    tree = SumTree([Node(leaf.hash(), leaf.sums) for leaf in leaves])
    digest = market_hash(market, size)
    return BatchDigest(
        leaves=leaves,
        tree=tree,
        market_hash=digest,
        sums_hash=sums_hash(tree.root.sums),
        commitment=batch_commitment(tree.root.hash, tree.root.sums, digest),
    )
