"""Poseidon hashing, bit-for-bit equal to circomlib 2.0.5's ``Poseidon(n)`` and ``HashVector(n)``."""

from zksolvency.hashing.parameters import PoseidonParameters, poseidon_parameters
from zksolvency.hashing.poseidon import permute, permute_reference, poseidon, poseidon_reference
from zksolvency.hashing.vector import hash_vector

__all__ = [
    "PoseidonParameters",
    "hash_vector",
    "permute",
    "permute_reference",
    "poseidon",
    "poseidon_parameters",
    "poseidon_reference",
]
