"""The shape of a round's tree of roots: batches, levels of nodes, and the top root.

A root circuit holds at most its ``NB`` slots of batch commitments (256 at the reference
size: 16,384 accounts in batches of 64). Larger rounds put a level of *nodes* above the
batches: node ``k`` of level 1 is a ``SolvencyNodeMain(A, I, F)`` proof over batches
``kF .. kF + F - 1`` (``F``, the fan-in, a shipped node size), padded with padding
batches; its commitment ``Poseidon(M_k, HashVector(totals_k), market_hash, round_id)`` has
the shape of a batch commitment, so the level above opens it as it opens a batch. Levels
are added until one level fits a root circuit; the top root is the smallest shipped root
with enough slots, exactly as for a round without levels. The registry and its one
public value ``P`` do not change.

For ``n`` batches and fan-in ``F`` the level sizes are ``n_0 = n`` and
``n_l = ceil(n_{l-1} / F)`` while ``n_{l-1} > F``. Example: 10^6 accounts in batches of
64 are 15,625 batches; with ``F = 256``, 62 level-1 nodes, and the top root has 64 slots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.ledger.round_tree import slot_count


@dataclass(frozen=True)
class TreeShape:
    """How many proofs each level of a round has."""

    batches: int
    fan_in: int
    #: Nodes per intermediate level, level 1 first (empty: the top root takes the batches).
    levels: tuple[int, ...]
    top_slots: int

    def count(self, level: int) -> int:
        """Proofs at ``level`` (0: batches, 1..: nodes)."""
        return self.batches if level == 0 else self.levels[level - 1]

    @property
    def depth(self) -> int:
        """Intermediate levels."""
        return len(self.levels)

    @property
    def top_children(self) -> int:
        """Commitments the top root takes (the rest of its slots are padding)."""
        return self.count(self.depth)

    def children(self, level: int, node: int) -> range:
        """Indices, at ``level - 1``, of the children of ``node`` at ``level`` (>= 1)."""
        below = self.count(level - 1)
        return range(node * self.fan_in, min(below, (node + 1) * self.fan_in))

    @property
    def proofs(self) -> int:
        return self.batches + sum(self.levels) + 1


def tree_shape(batches: int, fan_in: int, root_slots: Sequence[int]) -> TreeShape:
    """The shape for ``batches`` batches, nodes of ``fan_in`` children, shipped roots of ``root_slots``."""
    if batches < 1:
        raise ValueError("a round needs at least one batch")
    if fan_in < 4 or slot_count(fan_in) != fan_in:
        raise ValueError(f"fan-in {fan_in}: a node holds a power of four children, at least 4")
    counts = [batches]
    while counts[-1] > fan_in:
        counts.append(-(-counts[-1] // fan_in))
    fits = sorted(s for s in root_slots if s >= counts[-1])
    if not fits:
        raise ValueError(
            f"{counts[-1]} commitments need a root circuit with {slot_count(counts[-1])} slots; the largest "
            f"shipped has {max(root_slots, default=0)} (use a fan-in no larger than it)"
        )
    return TreeShape(batches, fan_in, tuple(counts[1:]), fits[0])
