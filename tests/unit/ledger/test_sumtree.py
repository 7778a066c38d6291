"""The 4-ary sum tree in Python (``zksolvency.ledger.sumtree``): roots, sums, inclusion paths.

The circuit equality of leaves, nodes and roots is tested in
``tests/circuits/test_solvency_circuit.py``; here the tree's own logic, with failure twins.
"""

from __future__ import annotations

import pytest

from zksolvency.ledger import Node, PathStep, SumTree, id_commitment, parent, root_from_path, tree_depth


def _leaves(n: int) -> list[Node]:
    return [Node(1000 + k, (k, -k, 7)) for k in range(n)]


@pytest.mark.parametrize("n", [1, 4, 16, 64])
def test_every_inclusion_path_leads_to_the_root(n: int) -> None:
    tree = SumTree(_leaves(n))
    assert tree.root.sums == (sum(range(n)), -sum(range(n)), 7 * n)
    for index in range(n):
        path = tree.path(index)
        assert len(path) == tree.depth
        assert root_from_path(tree.levels[0][index], path) == tree.root


def test_a_path_with_a_changed_sibling_sum_leads_elsewhere() -> None:
    tree = SumTree(_leaves(16))
    path = tree.path(5)
    step = path[1]
    sibling = step.siblings[0]
    forged = PathStep(
        step.position, (Node(sibling.hash, (sibling.sums[0] + 1, *sibling.sums[1:])), *step.siblings[1:])
    )
    root = root_from_path(tree.levels[0][5], [path[0], forged])
    assert root.hash != tree.root.hash
    assert root.sums[0] == tree.root.sums[0] + 1


def test_a_leaf_at_another_position_leads_elsewhere() -> None:
    tree = SumTree(_leaves(4))
    path = tree.path(2)
    moved = [PathStep(1, path[0].siblings)]
    assert root_from_path(tree.levels[0][2], path) == tree.root
    assert root_from_path(tree.levels[0][2], moved) != tree.root


@pytest.mark.parametrize("n", [0, 2, 8, 12])
def test_leaf_counts_other_than_powers_of_four_are_refused(n: int) -> None:
    assert tree_depth(16) == 2
    with pytest.raises(ValueError, match="power of four"):
        tree_depth(n)


def test_a_parent_needs_four_children_with_equal_widths() -> None:
    assert parent(_leaves(4), 1).sums == (6, -6, 28)
    with pytest.raises(ValueError, match="4 children"):
        parent(_leaves(3), 1)
    with pytest.raises(ValueError, match="different lengths"):
        parent([*_leaves(3), Node(1, (0,))], 1)


def test_id_commitment_depends_on_id_and_salt() -> None:
    base = id_commitment("alice", 5)
    assert base == id_commitment("alice", 5)
    assert base != id_commitment("alice", 6)
    assert base != id_commitment("alicf", 5)
    with pytest.raises(ValueError, match="salt"):
        id_commitment("alice", -1)
    with pytest.raises(ValueError, match=r"1\.\.31"):
        id_commitment("", 5)
