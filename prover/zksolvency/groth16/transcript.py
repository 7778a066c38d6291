"""Deterministic points from transcript hashes, as the snarkjs ceremonies derive them.

A phase-2 contribution proves knowledge of its secret ``d`` with a pair
``(g1_s, d*g1_s)`` in G1 and ``d*g2_sp`` in G2, where ``g2_sp`` is derived from
the BLAKE2b-512 transcript hash so the contributor cannot choose it. For
``snarkjs zkey verify`` to accept our contributions we must derive ``g2_sp``
the way snarkjs does (ffjavascript's ``ChaCha`` and ``G2.fromRng``); this module
re-implements that derivation from its description:

1. Seed: the first 32 bytes of the hash as eight big-endian ``u32`` words.
2. RNG: the ChaCha20 block function (10 double rounds) over the constants
   ``"expand 32-byte k"``, the eight seed words and a 128-bit block counter
   starting at 0; each block yields 16 ``u32`` outputs, in order.
3. ``u64 = hi * 2^32 + lo`` from two successive outputs (``hi`` first). A base
   field draw concatenates four ``u64`` (little-endian order of limbs), masks
   to 254 bits, retries while ``>= q``, and is taken as a *Montgomery*
   representation, i.e. the element is ``v * 2^-256 mod q``.
4. ``G2.fromRng``: draw ``x = (c0, c1)`` and a bit ``greatest``; retry until
   ``x^3 + b2`` is a square; take the square root ``y`` whose "sign" equals
   ``greatest``, where ``Fq2`` sign is that of ``c1`` or, if ``c1 = 0``, of ``c0``,
   and an ``Fq`` element is negative when it exceeds ``(q - 1) / 2``.
5. Multiply by the G2 cofactor to land in the prime-order subgroup.

The same generator, seeded from a public random beacon, yields a beacon
contribution's secret: ``Fr.fromRng`` is step 3 modulo ``r`` (read as a
Montgomery representation too) and ``G1.fromRng`` is step 4 over ``Fq`` with
``y^2 = x^3 + 3`` and no cofactor.
"""

from __future__ import annotations

import hashlib
import struct

from zksolvency.bn254 import B1, B2, G2_COFACTOR, Fq2, G1Point, G2Point, Q, R
from zksolvency.circuit.formats.codec import MONT_Q_INV, MONT_R_INV, encode_g1_u, encode_g2_u
from zksolvency.groth16.curve import g2_mul
from zksolvency.groth16.fields import (
    fq2_add,
    fq2_is_square,
    fq2_mul,
    fq2_neg,
    fq2_sqr,
    fq2_sqrt,
    fq_is_square,
    fq_sqrt,
)

_MASK32 = 0xFFFFFFFF
_CONSTANTS = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)


def _rotl(v: int, n: int) -> int:
    return ((v << n) | (v >> (32 - n))) & _MASK32


def _quarter_round(st: list[int], a: int, b: int, c: int, d: int) -> None:
    st[a] = (st[a] + st[b]) & _MASK32
    st[d] = _rotl(st[d] ^ st[a], 16)
    st[c] = (st[c] + st[d]) & _MASK32
    st[b] = _rotl(st[b] ^ st[c], 12)
    st[a] = (st[a] + st[b]) & _MASK32
    st[d] = _rotl(st[d] ^ st[a], 8)
    st[c] = (st[c] + st[d]) & _MASK32
    st[b] = _rotl(st[b] ^ st[c], 7)


class ChaChaRng:
    """The ChaCha20-based generator of ffjavascript, producing ``u32`` words."""

    def __init__(self, seed: tuple[int, ...]) -> None:
        if len(seed) != 8:
            raise ValueError("ChaCha seed must be 8 words")
        self._state = [*_CONSTANTS, *(w & _MASK32 for w in seed), 0, 0, 0, 0]
        self._out: list[int] = []
        self._idx = 16

    @classmethod
    def from_hash(cls, digest: bytes) -> ChaChaRng:
        return cls(struct.unpack(">8I", digest[:32]))

    def _block(self) -> None:
        work = list(self._state)
        for _ in range(10):
            _quarter_round(work, 0, 4, 8, 12)
            _quarter_round(work, 1, 5, 9, 13)
            _quarter_round(work, 2, 6, 10, 14)
            _quarter_round(work, 3, 7, 11, 15)
            _quarter_round(work, 0, 5, 10, 15)
            _quarter_round(work, 1, 6, 11, 12)
            _quarter_round(work, 2, 7, 8, 13)
            _quarter_round(work, 3, 4, 9, 14)
        self._out = [(w + s) & _MASK32 for w, s in zip(work, self._state, strict=True)]
        self._idx = 0
        for i in range(12, 16):  # 128-bit little-endian block counter
            self._state[i] = (self._state[i] + 1) & _MASK32
            if self._state[i]:
                break

    def next_u32(self) -> int:
        if self._idx == 16:
            self._block()
        v = self._out[self._idx]
        self._idx += 1
        return v

    def next_u64(self) -> int:
        hi = self.next_u32()
        return (hi << 32) + self.next_u32()

    def next_bool(self) -> bool:
        return self.next_u32() & 1 == 1

    def _next_montgomery(self, modulus: int, mont_inv: int) -> int:
        mask = (1 << modulus.bit_length()) - 1
        while True:
            v = 0
            for i in range(4):
                v += self.next_u64() << (64 * i)
            v &= mask
            if v < modulus:
                return v * mont_inv % modulus

    def next_fq(self) -> int:
        """A base-field element as ffjavascript's ``F1.fromRng`` yields it (see module doc)."""
        return self._next_montgomery(Q, MONT_Q_INV)

    def next_fr(self) -> int:
        """A scalar as ffjavascript's ``Fr.fromRng`` yields it: step 3 of the module doc, modulo ``r``."""
        return self._next_montgomery(R, MONT_R_INV)


def _fq_is_negative(x: int) -> bool:
    return x > (Q - 1) // 2


def _fq2_is_negative(a: Fq2) -> bool:
    return _fq_is_negative(int(a[1])) if a[1] else _fq_is_negative(int(a[0]))


def draw_twist_point(rng: ChaChaRng) -> G2Point:
    """Step 4 of the module doc: a point on the twist curve, not yet in the prime-order subgroup."""
    while True:
        x = (rng.next_fq(), rng.next_fq())
        greatest = rng.next_bool()
        rhs = fq2_add(fq2_mul(fq2_sqr(x), x), B2)
        if fq2_is_square(rhs):
            break
    y = fq2_sqrt(rhs)
    if _fq2_is_negative(y) != greatest:
        y = fq2_neg(y)
    return ((int(x[0]), int(x[1])), (int(y[0]), int(y[1])))


def g1_from_rng(rng: ChaChaRng) -> G1Point:
    """ffjavascript's ``G1.fromRng``: step 4 of the module doc over ``Fq`` (G1 has cofactor 1)."""
    while True:
        x = rng.next_fq()
        greatest = rng.next_bool()
        rhs = (x * x * x + B1) % Q
        if fq_is_square(rhs):
            break
    y = fq_sqrt(rhs)
    if _fq_is_negative(y) != greatest:
        y = (-y) % Q
    return (x, y)


def g2_from_rng(rng: ChaChaRng) -> G2Point:
    """ffjavascript's ``G2.fromRng``: a uniformly drawn point in the prime-order subgroup."""
    return g2_mul(draw_twist_point(rng), G2_COFACTOR, reduce=False)


def hash_to_g2(digest: bytes) -> G2Point:
    """snarkjs's ``hashToG2``: seed ChaCha with the digest and draw one G2 point."""
    return g2_from_rng(ChaChaRng.from_hash(digest))


Hasher = hashlib.blake2b


def blake2b_512() -> Hasher:
    """The transcript hash of every snarkjs ceremony: BLAKE2b with a 64-byte digest."""
    return hashlib.blake2b(digest_size=64)


def hash_g1(hasher: Hasher, p: G1Point) -> None:
    hasher.update(encode_g1_u(p))


def hash_g2(hasher: Hasher, p: G2Point) -> None:
    hasher.update(encode_g2_u(p))
