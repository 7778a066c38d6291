"""The ledger: account leaves, the 4-ary Poseidon Merkle sum tree, batch commitments."""

from zksolvency.ledger.batch import BatchDigest, batch_digest, batch_leaves
from zksolvency.ledger.commitment import batch_commitment, market_hash, market_vector, sums_hash
from zksolvency.ledger.leaf import LeafValues, id_commitment, leaf_values, padding_leaf
from zksolvency.ledger.packing import ARITY, MAX_HEIGHT, pack_sums, packed_length, sum_width, unpack_sums
from zksolvency.ledger.round_tree import (
    GlobalStep,
    MerkleTree4,
    RoundDigest,
    root_from_global_path,
    round_digest,
    round_public_value,
    slot_count,
)
from zksolvency.ledger.sumtree import Node, PathStep, SumTree, parent, root_from_path, tree_depth

__all__ = [
    "ARITY",
    "MAX_HEIGHT",
    "BatchDigest",
    "GlobalStep",
    "LeafValues",
    "MerkleTree4",
    "Node",
    "PathStep",
    "RoundDigest",
    "SumTree",
    "batch_commitment",
    "batch_digest",
    "batch_leaves",
    "id_commitment",
    "leaf_values",
    "market_hash",
    "market_vector",
    "pack_sums",
    "packed_length",
    "padding_leaf",
    "parent",
    "root_from_global_path",
    "root_from_path",
    "round_digest",
    "round_public_value",
    "slot_count",
    "sum_width",
    "sums_hash",
    "tree_depth",
    "unpack_sums",
]
