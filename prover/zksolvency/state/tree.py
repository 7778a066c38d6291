"""The state tree: a sparse binary Poseidon Merkle tree of depth ``D``.

* ``node = Poseidon(left, right)``; a leaf is a field element, an empty slot is 0;
* empty subtrees: ``z_0 = 0`` and ``z_{k+1} = Poseidon(z_k, z_k)``, so a tree with no
  leaf has root ``z_D``;
* slot ``index`` (``0 <= index < 2**D``) has path bit ``k = (index >> k) & 1`` at level
  ``k`` (level 0: the leaves): bit 1 means the node on the path is a right child, and its
  sibling ``siblings[k]`` is on the left.

Only non-empty nodes are stored (one dict per level), so a tree of ``n`` accounts
holds at most ``n D`` hashes whatever ``D``; an update rehashes the ``D`` nodes on
one path. :func:`root_from_path` is the pure function a circuit mirrors.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.hashing import poseidon

#: The largest depth accepted (slots are numbered by Python ints, but 2**64 slots is plenty).
MAX_DEPTH = 64


@functools.cache
def empty_hashes(depth: int) -> tuple[int, ...]:
    """``(z_0, .., z_depth)``: the root of an empty subtree of each height."""
    z = [0]
    for _ in range(depth):
        z.append(poseidon([z[-1], z[-1]]))
    return tuple(z)


def _check_depth(depth: int) -> None:
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be an integer in 1..{MAX_DEPTH}, got {depth!r}")


def _check_slot(index: int, depth: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 1 << depth:
        raise ValueError(f"slot {index!r} outside [0, 2**{depth})")


def _check_field(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < R:
        raise ValueError(f"{what} is not a field element")


def root_from_path(leaf: int, index: int, siblings: Sequence[int]) -> int:
    """The root above ``leaf`` at slot ``index`` with ``siblings`` (level 0 first).

    ``h_0 = leaf``; ``h_{k+1} = Poseidon(h_k, s_k)`` when bit ``k`` of ``index`` is 0,
    else ``Poseidon(s_k, h_k)``; the root is ``h_D`` for ``D = len(siblings)``.
    """
    depth = len(siblings)
    _check_depth(depth)
    _check_slot(index, depth)
    _check_field(leaf, "the leaf")
    h = leaf
    for k, sibling in enumerate(siblings):
        _check_field(sibling, f"sibling {k}")
        h = poseidon([sibling, h] if (index >> k) & 1 else [h, sibling])
    return h


@dataclass(frozen=True, slots=True)
class Update:
    """What :meth:`StateTree.update` did: the slot, its old and new leaf, the roots, the old path.

    ``old_path`` holds for both leaves: ``root_from_path(old_leaf, index, old_path) == old_root``
    and ``root_from_path(new_leaf, index, old_path) == new_root`` (an update changes no sibling).
    """

    index: int
    old_leaf: int
    new_leaf: int
    old_root: int
    new_root: int
    old_path: tuple[int, ...]


class StateTree:
    """A sparse binary Poseidon Merkle tree (see the module docstring)."""

    def __init__(self, depth: int, leaves: Mapping[int, int] | None = None) -> None:
        _check_depth(depth)
        self.depth = depth
        self._zero = empty_hashes(depth)
        #: ``_levels[k][i]``: node ``i`` at height ``k``, only where it differs from ``z_k``.
        self._levels: list[dict[int, int]] = [{} for _ in range(depth + 1)]
        for index, leaf in (leaves or {}).items():
            _check_slot(index, depth)
            _check_field(leaf, f"leaf {index}")
            if leaf != 0:
                self._levels[0][index] = leaf
        self._rebuild()

    def _node(self, level: int, index: int) -> int:
        return self._levels[level].get(index, self._zero[level])

    def _set(self, level: int, index: int, value: int) -> None:
        if value == self._zero[level]:
            self._levels[level].pop(index, None)
        else:
            self._levels[level][index] = value

    def _rebuild(self) -> None:
        """Every level above the leaves, from the stored leaves (``n`` hashes per level at most)."""
        for level in range(self.depth):
            above: dict[int, int] = {}
            for parent in {i >> 1 for i in self._levels[level]}:
                left, right = self._node(level, 2 * parent), self._node(level, 2 * parent + 1)
                above[parent] = poseidon([left, right])
            self._levels[level + 1] = {i: h for i, h in above.items() if h != self._zero[level + 1]}

    @property
    def root(self) -> int:
        return self._node(self.depth, 0)

    @property
    def size(self) -> int:
        """Number of non-empty slots."""
        return len(self._levels[0])

    def leaf(self, index: int) -> int:
        """The leaf at slot ``index`` (0 when empty)."""
        _check_slot(index, self.depth)
        return self._node(0, index)

    def leaves(self) -> dict[int, int]:
        """``{slot: leaf}`` of every non-empty slot."""
        return dict(self._levels[0])

    def path(self, index: int) -> tuple[int, ...]:
        """The siblings of slot ``index``, level 0 first (see :func:`root_from_path`)."""
        _check_slot(index, self.depth)
        return tuple(self._node(k, (index >> k) ^ 1) for k in range(self.depth))

    def update(self, index: int, new_leaf: int) -> Update:
        """Set slot ``index`` to ``new_leaf`` (0 empties it); the old leaf, old path and both roots."""
        _check_slot(index, self.depth)
        _check_field(new_leaf, "the new leaf")
        old_leaf, old_root, old_path = self.leaf(index), self.root, self.path(index)
        h, i = new_leaf, index
        self._set(0, i, h)
        for k, sibling in enumerate(old_path):
            h = poseidon([sibling, h] if i & 1 else [h, sibling])
            i >>= 1
            self._set(k + 1, i, h)
        return Update(index, old_leaf, new_leaf, old_root, h, old_path)
