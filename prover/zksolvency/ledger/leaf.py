"""Account leaves: the id commitment and ``AccountLeaf``'s hash (``circuits/solvency/batch.circom``).

* id commitment: ``Poseidon(id_field_element(id), salt)``, with a secret random salt
  per account; the id itself never enters a circuit or a public file;
* leaf: ``HashVector(2 + ceil((A + I) / 3))(commitment, cost_total, pack_sums(balances
  ++ sizes, 0))``; ``cost_total`` (the sum of the account's costs, the only way the rule
  uses them) is one field element, ``r + x`` when negative.

A padding account (commitment 0, every value 0) hashes like any other leaf.
"""

from __future__ import annotations

from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import CircuitSize, account_values, id_field_element
from zksolvency.hashing import hash_vector, poseidon
from zksolvency.ledger.packing import pack_sums, wide_element
from zksolvency.ledger.sumtree import Node
from zksolvency.model.accounts import Account


def id_commitment(account_id: str, salt: int) -> int:
    """``Poseidon(id_field_element(account_id), salt)``; ``salt`` must lie in ``[0, r)``."""
    if not 0 <= salt < R:
        raise ValueError("salt must lie in [0, r)")
    return poseidon([id_field_element(account_id), salt])


@dataclass(frozen=True, slots=True)
class LeafValues:
    """What a leaf binds: the id commitment, the cost total, balances and sizes (padded)."""

    commitment: int
    cost_total: int
    balances: tuple[int, ...]
    sizes: tuple[int, ...]

    @property
    def sums(self) -> tuple[int, ...]:
        """The packed values the sum tree adds up: balances, then sizes."""
        return (*self.balances, *self.sizes)

    @property
    def node(self) -> Node:
        """The leaf as a node of the sum tree: its hash and its sums."""
        return Node(self.hash(), self.sums)

    def hash(self) -> int:
        """The leaf hash (``AccountLeaf``)."""
        if not 0 <= self.commitment < R:
            raise ValueError("commitment is not a field element")
        packed = pack_sums(self.sums, 0)
        return hash_vector([self.commitment, wide_element(self.cost_total), *packed])


def leaf_values(commitment: int, account: Account, size: CircuitSize) -> LeafValues:
    """The leaf of ``account`` under ``commitment``, padded to ``size``."""
    balances, sizes, cost_total = account_values(account, size)
    return LeafValues(commitment, cost_total, tuple(balances), tuple(sizes))


def padding_leaf(size: CircuitSize) -> LeafValues:
    """The leaf of a padding account: commitment 0 and every value 0."""
    return LeafValues(0, 0, (0,) * size.assets, (0,) * size.instruments)
