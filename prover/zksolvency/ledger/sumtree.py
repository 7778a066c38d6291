"""The 4-ary Poseidon Merkle sum tree of a batch (``SumNode4`` in ``circuits/lib/sumtree.circom``).

A node is ``(hash, sums)``. Leaves are at height 0 (their sums: balances, then
sizes). A parent at height ``h`` has the sums of its four children added and

    hash = HashVector(4 + ceil(K / 3))(child hashes, pack_sums(sums, h))

The number of leaves is a power of four; a tree of one leaf has that leaf as root.
An inclusion path lists, from the leaf up, the leaf's position among its siblings
and the three siblings' hashes and sums; :func:`root_from_path` recomputes the root.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.hashing import hash_vector
from zksolvency.ledger.packing import ARITY, MAX_HEIGHT, pack_sums


@dataclass(frozen=True, slots=True)
class Node:
    """A tree node: its hash and its sums (exact signed integers)."""

    hash: int
    sums: tuple[int, ...]


def parent(children: Sequence[Node], height: int) -> Node:
    """The parent at ``height`` (>= 1) of four children."""
    if len(children) != ARITY:
        raise ValueError(f"a node has {ARITY} children, got {len(children)}")
    widths = {len(c.sums) for c in children}
    if len(widths) != 1:
        raise ValueError("children carry sums of different lengths")
    sums = tuple(sum(column) for column in zip(*(c.sums for c in children), strict=True))
    return Node(hash_vector([*(c.hash for c in children), *pack_sums(sums, height)]), sums)


def tree_depth(leaves: int) -> int:
    """``d`` with ``4**d == leaves``; ``ValueError`` unless ``leaves`` is a power of four."""
    depth, width = 0, 1
    while width < leaves:
        depth, width = depth + 1, width * ARITY
    if leaves < 1 or width != leaves or depth > MAX_HEIGHT:
        raise ValueError(f"{leaves} leaves: a sum tree needs a power of four, at most 4**{MAX_HEIGHT}")
    return depth


@dataclass(frozen=True, slots=True)
class PathStep:
    """One level of an inclusion path: where the node sits and its three siblings, in order."""

    position: int
    siblings: tuple[Node, ...]


class SumTree:
    """All levels of a sum tree; ``levels[0]`` are the leaves, ``levels[-1] == [root]``."""

    def __init__(self, leaves: Sequence[Node]) -> None:
        depth = tree_depth(len(leaves))
        levels = [list(leaves)]
        for height in range(1, depth + 1):
            below = levels[-1]
            levels.append([parent(below[k : k + ARITY], height) for k in range(0, len(below), ARITY)])
        self.levels: list[list[Node]] = levels

    @classmethod
    def from_levels(cls, levels: Sequence[Sequence[Node]]) -> SumTree:
        """A tree from levels computed before (e.g. by a prover worker), checked for shape only.

        The hashes are not recomputed: whoever uses a path of this tree checks it against a
        commitment (the holder's inclusion check does).
        """
        tree_depth(len(levels[0]))
        widths = [len(level) for level in levels]
        if widths != [len(levels[0]) // ARITY**k for k in range(len(levels))] or widths[-1] != 1:
            raise ValueError(f"levels of widths {widths} are not a 4-ary tree")
        tree = cls.__new__(cls)
        tree.levels = [list(level) for level in levels]
        return tree

    @property
    def root(self) -> Node:
        return self.levels[-1][0]

    @property
    def depth(self) -> int:
        return len(self.levels) - 1

    def path(self, index: int) -> list[PathStep]:
        """The inclusion path of leaf ``index``, from the leaf's level up."""
        if not 0 <= index < len(self.levels[0]):
            raise IndexError(f"leaf {index} outside 0..{len(self.levels[0]) - 1}")
        steps: list[PathStep] = []
        for level in self.levels[:-1]:
            first = index - index % ARITY
            position = index % ARITY
            siblings = tuple(level[first + k] for k in range(ARITY) if k != position)
            steps.append(PathStep(position, siblings))
            index //= ARITY
        return steps


def root_from_path(leaf: Node, path: Sequence[PathStep]) -> Node:
    """The root that ``leaf`` and its inclusion ``path`` imply (``parent`` level by level)."""
    node = leaf
    for height, step in enumerate(path, start=1):
        if not 0 <= step.position < ARITY or len(step.siblings) != ARITY - 1:
            bad = f"position {step.position}, {len(step.siblings)} siblings"
            raise ValueError(f"path step {height - 1}: {bad}")

        children = list(step.siblings)
        children.insert(step.position, node)
        node = parent(children, height)
    return node
