"""``hash_vector``: the ``HashVector(n)`` construction of ``circuits/lib/hash.circom``, in Python.

A chain of Poseidon calls, each element hashed exactly once, in order:

* ``n <= 16``: ``H = Poseidon(v_0, .., v_{n-1})``;
* ``n > 16``: ``h = Poseidon(v_0, .., v_15)``, then for each following chunk
  ``c`` of at most 15 elements ``h = Poseidon(h, c...)``; ``H = h``.

For example ``n = 37`` makes three calls: ``Poseidon`` of 16 inputs, then of
``1 + 15``, then of ``1 + 6``. No length is hashed: the circuit fixes ``n``, and
vectors of different lengths are never compared.
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.hashing.poseidon import MAX_INPUTS, check_inputs, poseidon


def hash_vector(values: Sequence[int]) -> int:
    """``HashVector(len(values))`` of ``values`` (each a field element ``0 <= x < r``, at least one)."""
    if len(values) == 0:
        raise ValueError("hash_vector needs at least one value")
    for start in range(0, len(values), MAX_INPUTS):  # name a bad element by its index in ``values``
        check_inputs(values[start : start + MAX_INPUTS], offset=start)
    h = poseidon(values[:MAX_INPUTS])
    for start in range(MAX_INPUTS, len(values), MAX_INPUTS - 1):
        h = poseidon([h, *values[start : start + MAX_INPUTS - 1]])
    return h
