"""The trades state: account leaves with nonces and keys, the sparse Poseidon tree, the state folder."""

from zksolvency.state.leaf import EMPTY_LEAF, NONCE_BOUND, PublicKey, StateAccount, state_leaf
from zksolvency.state.tree import StateTree, Update, empty_hashes, root_from_path

__all__ = [
    "EMPTY_LEAF",
    "NONCE_BOUND",
    "PublicKey",
    "StateAccount",
    "StateTree",
    "Update",
    "empty_hashes",
    "root_from_path",
    "state_leaf",
]
