"""Baby Jubjub, the twisted Edwards curve of circomlib 2.0.5 (``babyjub.circom``), checked at import.

The curve is ``a x^2 + y^2 = 1 + d x^2 y^2`` over ``F_p`` with ``p = r`` (BN254's scalar
field, so circuits compute on it natively), ``a = 168700``, ``d = 168696``.

* ``a`` is a square and ``d`` is not, so the addition law below is complete: it holds for
  every pair of points, doubling and the identity ``(0, 1)`` included, with no exceptions.
* ``(x1, y1) + (x2, y2) = ((x1 y2 + y1 x2) / (1 + d x1 x2 y1 y2), (y1 y2 - a x1 x2) / (1 - d x1 x2 y1 y2))``;
  ``-(x, y) = (-x, y)``.
* The group has order ``8 l`` with ``l`` prime (``SUBORDER``); ``GENERATOR`` generates all of it,
  and ``BASE8 = 8 GENERATOR`` generates the subgroup of order ``l`` in which keys and signatures live.

Points are affine ``(x, y)`` tuples of ints in ``[0, p)``; scalar multiplication is
double-and-add on affine points (one inversion per step; a few milliseconds per product).
"""

from __future__ import annotations

from zksolvency.bn254 import R

#: The base field's modulus: BN254's scalar field.
P = R
A = 168700
D = 168696

Point = tuple[int, int]

#: The neutral element.
IDENTITY: Point = (0, 1)

#: Generator of the whole group (order ``8 l``), as circomlibjs ``babyJub.Generator``.
GENERATOR: Point = (
    995203441582195749578291179787384436505546430278305826713579947235728471134,
    5472060717959818805561601436314318772137091100104008585924551046643952123905,
)
#: ``8 GENERATOR``: generator of the prime-order subgroup, circomlib's ``Base8``.
BASE8: Point = (
    5299619240641551281634865583518297030282874472190772894086521144482721001553,
    16950150798460657717958625567821834550301663161624707787222815936182638968203,
)
#: Order of the whole group.
ORDER = 21888242871839275222246405745257275088614511777268538073601725287587578984328
#: ``l = ORDER / 8``, prime: the order of ``BASE8``; a signature's ``S`` is below it.
SUBORDER = ORDER >> 3
COFACTOR = 8


def is_on_curve(point: Point) -> bool:
    """``a x^2 + y^2 == 1 + d x^2 y^2 (mod p)`` for coordinates in ``[0, p)``."""
    x, y = point
    if not (0 <= x < P and 0 <= y < P):
        return False
    xx, yy = x * x % P, y * y % P
    return (A * xx + yy - 1 - D * xx % P * yy) % P == 0


def add(p1: Point, p2: Point) -> Point:
    """The complete twisted Edwards sum of the module docstring."""
    x1, y1 = p1
    x2, y2 = p2
    dxy = D * x1 % P * x2 % P * y1 % P * y2 % P
    x3 = (x1 * y2 + y1 * x2) * pow(1 + dxy, -1, P) % P
    y3 = (y1 * y2 - A * x1 * x2) * pow(1 - dxy, -1, P) % P
    return (x3, y3)


def double(point: Point) -> Point:
    return add(point, point)


def neg(point: Point) -> Point:
    """``-(x, y) = (-x, y)``."""
    x, y = point
    return ((-x) % P, y)


def multiply(point: Point, scalar: int) -> Point:
    """``scalar * point`` for ``scalar >= 0`` (double-and-add, low bit first)."""
    if scalar < 0:
        raise ValueError("scalar must be non-negative")
    result, addend = IDENTITY, point
    while scalar:
        if scalar & 1:
            result = add(result, addend)
        addend = double(addend)
        scalar >>= 1
    return result


def in_subgroup(point: Point) -> bool:
    """On the curve and ``l * point == (0, 1)``: in the subgroup that ``BASE8`` generates."""
    return is_on_curve(point) and multiply(point, SUBORDER) == IDENTITY


def _fermat_probable_prime(n: int) -> bool:
    return all(pow(base, n - 1, n) == 1 for base in (2, 3, 5, 7, 11, 13))


# Checked at import (py_ecc's style): a wrong constant stops the package, not a signature.
assert pow(A, (P - 1) // 2, P) == 1, "a must be a square for the addition law to be complete"
assert pow(D, (P - 1) // 2, P) == P - 1, "d must be a non-square for the addition law to be complete"
assert is_on_curve(GENERATOR) and is_on_curve(BASE8)
assert multiply(GENERATOR, COFACTOR) == BASE8
assert ORDER == COFACTOR * SUBORDER and _fermat_probable_prime(SUBORDER)
assert multiply(BASE8, SUBORDER) == IDENTITY and BASE8 != IDENTITY
assert multiply(GENERATOR, 4 * SUBORDER) != IDENTITY, "GENERATOR must have the full order 8 l"
