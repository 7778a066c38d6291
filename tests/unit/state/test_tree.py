"""The state tree against a naive full tree at depth 4; paths, updates, and their failure twins."""

from __future__ import annotations

import random

import pytest

from zksolvency.hashing import poseidon
from zksolvency.state import StateTree, empty_hashes, root_from_path

DEPTH = 4


def naive_root(leaves: dict[int, int], depth: int) -> int:
    """Hash every level of the full tree, empty slots 0: no sparse shortcut."""
    level = [leaves.get(i, 0) for i in range(1 << depth)]
    while len(level) > 1:
        level = [poseidon([level[2 * i], level[2 * i + 1]]) for i in range(len(level) // 2)]
    return level[0]


def some_leaves(seed: int, count: int) -> dict[int, int]:
    rng = random.Random(seed)
    return {i: rng.randrange(1, 2**250) for i in rng.sample(range(1 << DEPTH), count)}


def test_empty_tree_root_is_z_depth() -> None:
    z = empty_hashes(DEPTH)
    assert z[0] == 0 and z[1] == poseidon([0, 0])
    assert StateTree(DEPTH).root == z[DEPTH] == naive_root({}, DEPTH)


@pytest.mark.parametrize("count", [1, 5, 16])
def test_root_equals_the_naive_full_tree(count: int) -> None:
    leaves = some_leaves(count, count)
    assert StateTree(DEPTH, leaves).root == naive_root(leaves, DEPTH)


def test_root_differs_when_one_leaf_moves_slot() -> None:
    """The twin: the same leaf values in other slots give another root."""
    leaves = some_leaves(3, 3)
    moved = {(i + 1) % (1 << DEPTH): v for i, v in leaves.items()}
    assert StateTree(DEPTH, moved).root != naive_root(leaves, DEPTH)


def test_every_path_verifies() -> None:
    tree = StateTree(DEPTH, some_leaves(7, 6))
    for index in range(1 << DEPTH):
        assert root_from_path(tree.leaf(index), index, tree.path(index)) == tree.root


def test_a_wrong_sibling_fails() -> None:
    tree = StateTree(DEPTH, some_leaves(8, 6))
    index = next(iter(tree.leaves()))
    path = list(tree.path(index))
    for k in range(DEPTH):
        bad = path.copy()
        bad[k] = (bad[k] + 1) % (2**250)
        assert root_from_path(tree.leaf(index), index, bad) != tree.root


def test_a_wrong_index_or_leaf_fails() -> None:
    tree = StateTree(DEPTH, some_leaves(9, 6))
    index = next(iter(tree.leaves()))
    path = tree.path(index)
    assert root_from_path(tree.leaf(index), index ^ 1, path) != tree.root
    assert root_from_path(tree.leaf(index) + 1, index, path) != tree.root


def test_update_returns_old_leaf_old_path_and_new_root() -> None:
    leaves = some_leaves(10, 5)
    tree = StateTree(DEPTH, leaves)
    index = 3
    before = tree.root
    up = tree.update(index, 12345)
    assert up.old_leaf == leaves.get(index, 0) and up.old_root == before
    assert root_from_path(up.old_leaf, index, up.old_path) == before
    assert root_from_path(12345, index, up.old_path) == up.new_root == tree.root
    assert tree.root == naive_root({**leaves, index: 12345}, DEPTH)


def test_two_updates_of_the_same_slot_in_sequence() -> None:
    leaves = some_leaves(11, 5)
    tree = StateTree(DEPTH, leaves)
    index = next(iter(leaves))
    first = tree.update(index, 111)
    second = tree.update(index, 222)
    assert second.old_leaf == 111 and second.old_root == first.new_root
    assert second.old_path == first.old_path  # the siblings did not move
    assert root_from_path(111, index, second.old_path) == first.new_root
    assert tree.root == second.new_root == naive_root({**leaves, index: 222}, DEPTH)


def test_the_first_update_path_does_not_prove_the_second_leaf_under_the_old_root() -> None:
    """The twin: after two updates, the new leaf under the first old root is refused."""
    leaves = some_leaves(12, 5)
    tree = StateTree(DEPTH, leaves)
    index = next(iter(leaves))
    first = tree.update(index, 111)
    tree.update(index, 222)
    assert root_from_path(222, index, first.old_path) != first.old_root


def test_emptying_a_slot_restores_the_sparse_tree() -> None:
    leaves = some_leaves(13, 4)
    tree = StateTree(DEPTH, leaves)
    index = next(iter(leaves))
    tree.update(index, 0)
    rest = {i: v for i, v in leaves.items() if i != index}
    assert tree.root == StateTree(DEPTH, rest).root == naive_root(rest, DEPTH)
    assert tree.size == len(rest)


def test_updates_in_any_order_reach_the_same_root_as_a_fresh_build() -> None:
    target = some_leaves(14, 9)
    tree = StateTree(DEPTH)
    for index, leaf in sorted(target.items(), reverse=True):
        tree.update(index, leaf)
    assert tree.root == StateTree(DEPTH, target).root


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: StateTree(0), "depth"),
        (lambda: StateTree(DEPTH, {16: 1}), "slot 16"),
        (lambda: StateTree(DEPTH, {0: -1}), "leaf 0"),
        (lambda: StateTree(DEPTH).update(0, 2**254), "new leaf"),
        (lambda: StateTree(DEPTH).path(-1), "slot -1"),
        (lambda: root_from_path(1, 16, [0] * DEPTH), "slot 16"),
    ],
)
def test_out_of_range_input_is_refused(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_depth_20_is_sparse() -> None:
    tree = StateTree(20, {0: 5, 2**20 - 1: 7})
    assert root_from_path(7, 2**20 - 1, tree.path(2**20 - 1)) == tree.root
    assert sum(len(level) for level in tree._levels) <= 2 * 21
