"""EdDSA over Baby Jubjub with Poseidon: circomlibjs 0.1.7's ``signPoseidon``, circomlib 2.0.5's verifier.

Notation: ``B = BASE8``, ``l = SUBORDER`` (:mod:`zksolvency.orders.babyjub`), ``H = BLAKE-512``
(:mod:`zksolvency.orders.blake512`), ``le(b)`` the little-endian integer of bytes ``b``.

**Key.** The secret is 32 bytes ``k``. Let ``h = H(k)`` (64 bytes) and prune its first half as
in Ed25519 (``h[0] &= 0xF8``, ``h[31] &= 0x7F``, ``h[31] |= 0x40``); then ``s = le(h[0..32))``
(a multiple of 8) and the public key is ``A = (s >> 3) B``.

**Signing** a message ``M`` (one field element, ``0 <= M < r``):

    nonce  ρ = le(H(h[32..64) || le32(M))) mod l         (deterministic, as circomlibjs)
    R8     = ρ B
    c      = Poseidon(R8x, R8y, Ax, Ay, M)                (circomlib Poseidon(5))
    S      = (ρ + c s) mod l

and the signature is ``(R8x, R8y, S)``.

**Verification** (circomlib's ``EdDSAPoseidonVerifier``): ``S < l`` and

    S B == R8 + (8 c) A

which holds for an honest signature because ``8 (s >> 3) = s`` (the low 3 bits of ``s`` are 0).
The circuit also refuses a public key with ``8 A`` of x-coordinate 0 (a low-order key); so do we.

Answers: :func:`verify` returns ``False`` when the equation fails and raises ``ValueError``
for malformed input: a value outside its range (coordinates and ``M`` in ``[0, r)``,
``S`` in ``[0, l)``: ``S + l`` would satisfy the same equation, so it is refused, not
reduced), a point off the curve, or a low-order public key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.hashing import poseidon
from zksolvency.orders.babyjub import BASE8, COFACTOR, SUBORDER, Point, add, is_on_curve, multiply
from zksolvency.orders.blake512 import blake512

SECRET_BYTES = 32


@dataclass(frozen=True)
class Signature:
    """``(R8x, R8y, S)``: the point ``R8 = ρ BASE8`` and the scalar ``S < l``."""

    r8x: int
    r8y: int
    s: int


def new_secret() -> bytes:
    """32 bytes from the operating system's CSPRNG."""
    return secrets.token_bytes(SECRET_BYTES)


def _expand(secret: bytes) -> tuple[int, bytes]:
    """``(s, h[32..64))``: the pruned scalar and the nonce prefix of the module docstring."""
    if not isinstance(secret, bytes | bytearray) or len(secret) != SECRET_BYTES:
        raise ValueError(f"a secret key is {SECRET_BYTES} bytes")
    digest = bytearray(blake512(bytes(secret)))
    digest[0] &= 0xF8
    digest[31] &= 0x7F
    digest[31] |= 0x40
    return int.from_bytes(digest[:32], "little"), bytes(digest[32:])


def public_key(secret: bytes) -> Point:
    """``A = (s >> 3) BASE8``."""
    scalar, _ = _expand(secret)
    return multiply(BASE8, scalar >> 3)


def _check_field(value: object, name: str, bound: int = R) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < bound:
        raise ValueError(f"{name} must be an integer in [0, {bound})")
    return value


def challenge(r8: Point, public: Point, message: int) -> int:
    """``c = Poseidon(R8x, R8y, Ax, Ay, M)``."""
    return poseidon([r8[0], r8[1], public[0], public[1], message])


def sign(secret: bytes, message: int) -> Signature:
    """The deterministic signature ``(R8x, R8y, S)`` of the field element ``message``."""
    _check_field(message, "message")
    scalar, prefix = _expand(secret)
    public = multiply(BASE8, scalar >> 3)
    nonce = int.from_bytes(blake512(prefix + message.to_bytes(32, "little")), "little") % SUBORDER
    r8 = multiply(BASE8, nonce)
    s = (nonce + challenge(r8, public, message) * scalar) % SUBORDER
    return Signature(r8[0], r8[1], s)


def check_public_key(public: Point) -> Point:
    """``public`` if it is a usable key: on the curve, ``8 A`` not of x-coordinate 0; else ``ValueError``."""
    if not isinstance(public, tuple) or len(public) != 2:
        raise ValueError("a public key is a pair (x, y)")
    x, y = (_check_field(v, f"public key {n}") for v, n in zip(public, "xy", strict=True))
    if not is_on_curve((x, y)):
        raise ValueError("the public key is not on Baby Jubjub")
    if multiply((x, y), COFACTOR)[0] == 0:
        raise ValueError("the public key has small order")
    return (x, y)


def verify(public: Point, message: int, signature: Signature) -> bool:
    """``S B == R8 + (8 c) A``; ``ValueError`` for malformed input (module docstring)."""
    check_public_key(public)
    _check_field(message, "message")
    if not isinstance(signature, Signature):
        raise ValueError("signature must be a Signature")
    r8 = (_check_field(signature.r8x, "signature R8x"), _check_field(signature.r8y, "signature R8y"))
    s = _check_field(signature.s, "signature S", SUBORDER)
    if not is_on_curve(r8):
        raise ValueError("signature R8 is not on Baby Jubjub")
    left = multiply(BASE8, s)
    right = add(r8, multiply(public, COFACTOR * challenge(r8, public, message)))
    return left == right
