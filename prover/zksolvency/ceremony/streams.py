"""Big sections in chunks: random linear combinations, equality, and the same-ratio pairing test.

Every check of a ceremony file reduces to comparing two points. A section of
``m`` points is compared with another by one random linear combination
``sum_i r_i P_i`` (``r_i`` 64-bit, fresh from the OS for every check: a
section that differs passes with probability about ``2^-64``), computed chunk
by chunk so that only one chunk of the file is in memory at a time.

``same_ratio(a1, b1, a2, b2)`` is snarkjs's ``sameRatio``: ``b1 = x a1`` and
``b2 = x a2`` for one unknown ``x``, tested as ``e(a1, b2) = e(b1, a2)``, i.e.
``e(a1, b2) e(-b1, a2) = 1``. A point at infinity never passes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from zksolvency.bn254 import N8, G1Point, G2Point, Q
from zksolvency.circuit.formats.codec import (
    G1_BYTES,
    G2_BYTES,
    decode_g1_lem,
    decode_g2_lem,
    encode_g1_lem,
    encode_g2_lem,
)
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels.interface import SectionKernels

P = TypeVar("P")

#: Points per chunk: 2^16 G1 points are 4 MiB of file.
CHUNK = 1 << 16

#: ``read(start, count)``: LEM bytes of points ``[start, start + count)`` of one section.
Reader = Callable[[int, int], bytes]


def random_scalars(count: int, bits: int = 64) -> bytes:
    """``count`` random scalars of ``bits`` bits, 32-byte little-endian each (all below ``r``)."""
    width = bits // 8
    out = np.zeros((count, N8), dtype=np.uint8)
    out[:, :width] = np.frombuffer(secrets.token_bytes(count * width), dtype=np.uint8).reshape(count, width)
    return out.tobytes()


def add_g1(a: G1Point, b: G1Point) -> G1Point:
    return curve.g1_to_affine(curve.g1_add(curve.g1_from_affine(a), curve.g1_from_affine(b)))


def add_g2(a: G2Point, b: G2Point) -> G2Point:
    return curve.g2_to_affine(curve.g2_add(curve.g2_from_affine(a), curve.g2_from_affine(b)))


def neg_g1(p: G1Point) -> G1Point:
    return None if p is None else (p[0], (-p[1]) % Q)


def _combination(
    msm: Callable[[bytes, bytes], bytes],
    decode: Callable[[bytes, str], P],
    add: Callable[[P, P], P],
    read: Reader,
    start: int,
    count: int,
    scalars: bytes,
    what: str,
) -> P:
    total: P | None = None
    for offset in range(0, count, CHUNK):
        n = min(CHUNK, count - offset)
        part = decode(msm(read(start + offset, n), scalars[offset * N8 : (offset + n) * N8]), what)
        total = part if total is None else add(total, part)
    return total  # type: ignore[return-value]  # count > 0 in every caller


def combination_g1(
    sections: SectionKernels, read: Reader, start: int, count: int, scalars: bytes, what: str
) -> G1Point:
    """``sum_i k_i P_{start + i}`` over ``count`` G1 points read in chunks; ``scalars`` holds the ``k_i``."""
    return _combination(sections.msm_g1, decode_g1_lem, add_g1, read, start, count, scalars, what)


def combination_g2(
    sections: SectionKernels, read: Reader, start: int, count: int, scalars: bytes, what: str
) -> G2Point:
    """:func:`combination_g1` in G2."""
    return _combination(sections.msm_g2, decode_g2_lem, add_g2, read, start, count, scalars, what)


def same_ratio(sections: SectionKernels, a1: G1Point, b1: G1Point, a2: G2Point, b2: G2Point) -> bool:
    """``e(a1, b2) = e(b1, a2)``: ``b1 / a1 = b2 / a2`` as discrete logarithms; infinity never passes."""
    if a1 is None or b1 is None or a2 is None or b2 is None:
        return False
    g1 = encode_g1_lem(a1) + encode_g1_lem(neg_g1(b1))
    g2 = encode_g2_lem(b2) + encode_g2_lem(a2)
    return sections.pairing_is_one(g1, g2)


def point_size(g2: bool) -> int:
    return G2_BYTES if g2 else G1_BYTES
