"""Packing of bounded sums into field elements, as ``PackSums`` in ``circuits/lib/sumtree.circom``.

A node of the 4-ary sum tree at height ``h`` covers at most ``4**h`` leaves, and every
leaf value ``v`` (a balance or a position size) has ``abs(v) < 2**64``; so each sum has
``abs(sum) < 2**(64 + 2h)`` and ``sum + 2**(64 + 2h)`` fits in ``w = 65 + 2h`` bits.
Three such shifted values share one field element::

    element_j = sum_{m < 3} (v[3j + m] + 2**(w - 1)) * 2**(w m)

which is injective while every value respects the bound, and below ``2**252 < r`` for
``w <= 84`` (``h <= 9``: at most ``4**9`` leaves under one node).

*Wide* values (an account's cost total, ``abs < 2**CB`` with ``CB`` up to 188 bits, and the
cost sums of batches and rounds) are not packed: each is one field element, ``x`` or
``r + x``. That is injective for ``abs(x) < r/2``; :func:`wide_element` refuses anything at
or beyond ``2**246``, the bound the root circuit's argument gives for any sum a circuit
can produce.
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.bn254 import R

#: Children per node of the sum tree.
ARITY = 4
#: Packed values per field element.
PER_ELEMENT = 3
#: The largest height whose width still packs three values below 2**252.
MAX_HEIGHT = 9
#: Wide sums stay below this in absolute value (``circuits/solvency/root.circom``'s bound).
WIDE_BOUND = 2**246


def sum_width(height: int) -> int:
    """Bits of one shifted sum at ``height``: ``65 + 2 height`` (``sumWidth`` in the circuit)."""
    if not 0 <= height <= MAX_HEIGHT:
        raise ValueError(f"height {height} outside 0..{MAX_HEIGHT}")
    return 65 + 2 * height


def packed_length(count: int) -> int:
    """Field elements that hold ``count`` packed values (``packedLength`` in the circuit)."""
    return (count + PER_ELEMENT - 1) // PER_ELEMENT


def pack_sums(values: Sequence[int], height: int) -> list[int]:
    """The packed elements of ``values`` at ``height``; ``ValueError`` if a value is out of bound.

    The bound ``abs(v) < 2**(64 + 2 height)`` is what the circuit's range checks and
    tree shape guarantee; checking it here keeps a caller from hashing a vector the
    circuit could never produce.
    """
    width = sum_width(height)
    half = 1 << (width - 1)
    packed: list[int] = []
    for start in range(0, len(values), PER_ELEMENT):
        element = 0
        for m, value in enumerate(values[start : start + PER_ELEMENT]):
            if not -half < value < half:
                raise ValueError(
                    f"value {start + m} = {value} does not fit a height-{height} sum (abs < 2**{width - 1})"
                )
            element += (value + half) << (width * m)
        packed.append(element)
    return packed


def unpack_sums(packed: Sequence[int], count: int, height: int) -> list[int]:
    """Inverse of :func:`pack_sums` for ``count`` values (for inspection and tests)."""
    width = sum_width(height)
    half = 1 << (width - 1)
    mask = (1 << width) - 1
    values = [(packed[k // PER_ELEMENT] >> (width * (k % PER_ELEMENT)) & mask) - half for k in range(count)]
    if packed_length(count) != len(packed):
        raise ValueError(f"{len(packed)} elements cannot hold exactly {count} values")
    return values


def wide_element(value: int) -> int:
    """The field element of a wide (unpacked) sum: ``value mod r``; ``ValueError`` past ``2**246``."""
    if not -WIDE_BOUND < value < WIDE_BOUND:
        raise ValueError(f"wide sum {value} is outside abs < 2**246")
    return value % R
