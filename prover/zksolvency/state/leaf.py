"""State leaves: a solvency account leaf, the account's next order nonce and its Baby Jubjub key.

    state_leaf = Poseidon(account_leaf, nonce, Ax, Ay)

``account_leaf`` is exactly the solvency round's leaf (:meth:`zksolvency.ledger.leaf.LeafValues.hash`,
``AccountLeaf`` in ``circuits/solvency/batch.circom``) at the state's circuit size ``(A, I)``:
``HashVector(commitment, cost_total, pack_sums(balances ++ sizes, 0))`` with
``commitment = Poseidon(id_field_element(id), salt)``; ``nonce`` (``0 <= nonce < 2**32``,
starting at 0) is the nonce the account's next order must carry; ``(Ax, Ay)`` is its EdDSA
public key. An empty slot of the tree is the field element 0 (no leaf is 0 but with
probability about ``2**-254``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.hashing import poseidon
from zksolvency.ledger.leaf import LeafValues, id_commitment

#: Nonces are 32-bit (the order format's bound).
NONCE_BOUND = 2**32
#: The value of an empty slot.
EMPTY_LEAF = 0

PublicKey = tuple[int, int]


def state_leaf(account_leaf: int, nonce: int, public: PublicKey) -> int:
    """``Poseidon(account_leaf, nonce, Ax, Ay)``; ``ValueError`` for a value out of range."""
    ax, ay = public
    for name, value in (("account leaf", account_leaf), ("Ax", ax), ("Ay", ay)):
        if not 0 <= value < R:
            raise ValueError(f"{name} is not a field element")
    if not 0 <= nonce < NONCE_BOUND:
        raise ValueError(f"nonce {nonce} outside [0, 2**32)")
    return poseidon([account_leaf, nonce, ax, ay])


def _padded(values: Sequence[int], length: int, what: str) -> tuple[int, ...]:
    if len(values) > length:
        raise ValueError(f"{len(values)} {what} do not fit a circuit with {length}")
    return (*values, *([0] * (length - len(values))))


@dataclass(frozen=True, slots=True)
class StateAccount:
    """One account of the state: who (id, salt), what it holds, its next nonce and its key.

    ``balances`` and ``sizes`` are in the market's canonical order (not padded);
    ``cost_total`` is the sum of the account's position costs (what the margin rule uses).
    """

    id: str
    salt: int
    nonce: int
    public: PublicKey
    balances: tuple[int, ...]
    sizes: tuple[int, ...]
    cost_total: int

    @property
    def commitment(self) -> int:
        """``Poseidon(id_field_element(id), salt)``."""
        return id_commitment(self.id, self.salt)

    def leaf_values(self, assets: int, instruments: int) -> LeafValues:
        """The solvency leaf's values, padded to ``A`` assets and ``I`` instruments."""
        return LeafValues(
            self.commitment,
            self.cost_total,
            _padded(self.balances, assets, "balances"),
            _padded(self.sizes, instruments, "sizes"),
        )

    def account_leaf(self, assets: int, instruments: int) -> int:
        """The solvency round's leaf hash of this account at ``(A, I)``."""
        return self.leaf_values(assets, instruments).hash()

    def leaf(self, assets: int, instruments: int) -> int:
        """``state_leaf(account_leaf, nonce, public)`` at ``(A, I)``."""
        return state_leaf(self.account_leaf(assets, instruments), self.nonce, self.public)
