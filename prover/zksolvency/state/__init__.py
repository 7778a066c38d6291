"""The trades state: account leaves with nonces and keys, the sparse Poseidon tree, the state folder."""

from zksolvency.state.batch_public import batch_header, settlement_public_input, split_header
from zksolvency.state.leaf import EMPTY_LEAF, NONCE_BOUND, PublicKey, StateAccount, state_leaf
from zksolvency.state.store import State, create_state, read_state, write_state
from zksolvency.state.tree import StateTree, Update, empty_hashes, root_from_path

__all__ = [
    "EMPTY_LEAF",
    "NONCE_BOUND",
    "PublicKey",
    "State",
    "StateAccount",
    "StateTree",
    "Update",
    "batch_header",
    "create_state",
    "empty_hashes",
    "read_state",
    "root_from_path",
    "settlement_public_input",
    "split_header",
    "state_leaf",
    "write_state",
]
