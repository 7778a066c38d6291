"""The top of a round in Python: slots, the global Merkle root, totals and the public value.

Mirrors ``SolvencyRoot(A, I, NB)`` (``circuits/solvency/root.circom``):

* ``NB`` slots (a power of four); slot ``b < n`` holds batch ``b``'s commitment
  ``c_b = Poseidon(root_b, HashVector(V)(sums_b), market_hash, round_id)`` with
  ``V = A + I + 1`` sums (balances, net positions, the cost total), every other slot the
  *padding commitment*, that of a batch of ``B`` padding accounts (root of padding
  leaves, sums 0) in this round, which anyone recomputes from the snapshot and round id;
* ``global_root`` = the plain 4-ary Merkle root over the slots, each node
  ``Poseidon(4)(children)``; for ``NB = 1`` the root is ``c_0``;
* ``totals[k] = sum_b sums_b[k]`` (exact integers), ``totals_hash = HashVector(V)(totals)``;
* the public value ``P = Poseidon(global_root, totals_hash, market_hash, round_id)``,
  ``0 <= round_id < 2**64``: the root proof's only public signal, and what the on-chain
  registry recomputes. A node of a round's tree of roots (``round.levels``) computes the
  same ``P`` over its children as its *commitment*, opened one level up like a batch's.

A *global path* of slot ``b`` lists, from the slots up, ``b``'s position among its
siblings and the three sibling hashes; :func:`root_from_global_path` recomputes the root.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.hashing import poseidon
from zksolvency.ledger.commitment import check_round_id, sums_hash
from zksolvency.ledger.packing import ARITY


def slot_count(batches: int) -> int:
    """The smallest power of four that holds ``batches`` slots (at least 1)."""
    if batches < 0:
        raise ValueError("a round cannot have a negative number of batches")
    slots = 1
    while slots < batches:
        slots *= ARITY
    return slots


def _check_power_of_four(n: int) -> None:
    if n < 1 or slot_count(n) != n:
        raise ValueError(f"{n} slots: a round tree needs a power of four (1, 4, 16, ...)")


@dataclass(frozen=True, slots=True)
class GlobalStep:
    """One level of a global path: where the node sits and its three siblings' hashes, in order."""

    position: int
    siblings: tuple[int, ...]


class MerkleTree4:
    """A plain 4-ary Poseidon Merkle tree; ``levels[0]`` are the slots, ``levels[-1] == [root]``."""

    def __init__(self, leaves: Sequence[int]) -> None:
        _check_power_of_four(len(leaves))
        for value in leaves:
            if not 0 <= value < R:
                raise ValueError("a Merkle leaf must be a field element")
        levels = [list(leaves)]
        while len(levels[-1]) > 1:
            below = levels[-1]
            levels.append([poseidon(below[k : k + ARITY]) for k in range(0, len(below), ARITY)])
        self.levels: list[list[int]] = levels

    @property
    def root(self) -> int:
        return self.levels[-1][0]

    def path(self, index: int) -> list[GlobalStep]:
        """The global path of slot ``index``, from the slots' level up."""
        if not 0 <= index < len(self.levels[0]):
            raise IndexError(f"slot {index} outside 0..{len(self.levels[0]) - 1}")
        steps: list[GlobalStep] = []
        for level in self.levels[:-1]:
            first, position = index - index % ARITY, index % ARITY
            steps.append(GlobalStep(position, tuple(level[first + k] for k in range(ARITY) if k != position)))
            index //= ARITY
        return steps


def root_from_global_path(leaf: int, path: Sequence[GlobalStep]) -> int:
    """The global root that slot value ``leaf`` and its ``path`` imply."""
    node = leaf
    for level, step in enumerate(path):
        if not 0 <= step.position < ARITY or len(step.siblings) != ARITY - 1:
            raise ValueError(
                f"global path step {level}: position {step.position}, {len(step.siblings)} siblings"
            )
        children = list(step.siblings)
        children.insert(step.position, node)
        node = poseidon(children)
    return node


def totals_of(sums: Sequence[Sequence[int]], width: int) -> tuple[int, ...]:
    """Column sums of the batches' sums (exact integers); ``width`` zeros for no batch."""
    totals = [0] * width
    for row in sums:
        if len(row) != width:
            raise ValueError(f"a batch has {len(row)} sums, expected {width}")
        totals = [t + v for t, v in zip(totals, row, strict=True)]
    return tuple(totals)


def round_public_value(global_root: int, totals_digest: int, market_digest: int, round_id: int) -> int:
    """``P = Poseidon(global_root, totals_hash, market_hash, round_id)``."""
    return poseidon([global_root, totals_digest, market_digest, check_round_id(round_id)])


def node_public(global_root: int, commitment: int) -> int:
    """A node proof's one public signal: ``Poseidon(global_root, commitment)`` (``SolvencyNodeMain``).

    ``global_root`` is the Merkle root over the node's children, which the auditor
    recomputes from the listed children; ``commitment`` is the node's commitment, listed for
    the level above. Together they tie that commitment to exactly those children.
    """
    return poseidon([global_root, commitment])


@dataclass(frozen=True)
class RoundDigest:
    """Everything the root proof commits to, computed in Python."""

    slots: list[int]
    tree: MerkleTree4
    totals: tuple[int, ...]
    totals_hash: int
    market_hash: int
    round_id: int
    public_value: int

    @property
    def global_root(self) -> int:
        return self.tree.root


def round_digest(
    commitments: Sequence[int],
    sums: Sequence[Sequence[int]],
    padding: int,
    slots: int,
    market_digest: int,
    round_id: int,
) -> RoundDigest:
    """The round over ``commitments`` (one per proven batch, with their ``sums``), padded to ``slots``.

    ``padding`` is the padding commitment (``batch_digest(market, [], size, round_id).commitment``);
    padding batches add nothing to the totals.
    """
    if len(commitments) != len(sums):
        raise ValueError(f"{len(commitments)} commitments but {len(sums)} sum vectors")
    if len(commitments) > slots:
        raise ValueError(f"{len(commitments)} batches do not fit {slots} slots")
    if not sums:
        raise ValueError("a round needs at least one batch")
    filled = [*commitments, *([padding] * (slots - len(commitments)))]
    tree = MerkleTree4(filled)
    totals = totals_of(sums, len(sums[0]))
    totals_digest = sums_hash(totals)
    return RoundDigest(
        slots=filled,
        tree=tree,
        totals=totals,
        totals_hash=totals_digest,
        market_hash=market_digest,
        round_id=round_id,
        public_value=round_public_value(tree.root, totals_digest, market_digest, round_id),
    )
