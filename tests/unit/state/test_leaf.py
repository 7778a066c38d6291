"""The state leaf reuses the solvency round leaf: Poseidon(account_leaf, nonce, Ax, Ay)."""

from __future__ import annotations

import pytest

from zksolvency.hashing import poseidon
from zksolvency.ledger.leaf import LeafValues, id_commitment
from zksolvency.state import StateAccount, state_leaf

ALICE = StateAccount("alice", 42, 3, (11, 22), (1000, 5), (-2,), -7_000)


def test_state_leaf_is_poseidon_of_account_leaf_nonce_and_key() -> None:
    account_leaf = LeafValues(id_commitment("alice", 42), -7_000, (1000, 5, 0), (-2, 0)).hash()
    assert ALICE.account_leaf(3, 2) == account_leaf
    assert ALICE.leaf(3, 2) == poseidon([account_leaf, 3, 11, 22]) == state_leaf(account_leaf, 3, (11, 22))


@pytest.mark.parametrize(
    "other",
    [
        StateAccount("alice", 43, 3, (11, 22), (1000, 5), (-2,), -7_000),
        StateAccount("alice", 42, 4, (11, 22), (1000, 5), (-2,), -7_000),
        StateAccount("alice", 42, 3, (22, 11), (1000, 5), (-2,), -7_000),
        StateAccount("alice", 42, 3, (11, 22), (1000, 6), (-2,), -7_000),
        StateAccount("alice", 42, 3, (11, 22), (1000, 5), (-1,), -7_000),
        StateAccount("alice", 42, 3, (11, 22), (1000, 5), (-2,), -7_001),
        StateAccount("bob", 42, 3, (11, 22), (1000, 5), (-2,), -7_000),
    ],
    ids=["salt", "nonce", "key", "balance", "size", "cost", "id"],
)
def test_every_field_changes_the_leaf(other: StateAccount) -> None:
    assert other.leaf(3, 2) != ALICE.leaf(3, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [((2**254, 0, (1, 2)), "account leaf"), ((1, 2**32, (1, 2)), "nonce"), ((1, 0, (1, -1)), "Ay")],
)
def test_out_of_range_values_are_refused(args: tuple[int, int, tuple[int, int]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        state_leaf(*args)


def test_an_account_larger_than_the_circuit_is_refused() -> None:
    with pytest.raises(ValueError, match="balances do not fit"):
        ALICE.leaf(1, 2)
