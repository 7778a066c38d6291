"""Point arithmetic on BN254's G1 and G2 for the reference kernels.

Internally points are Jacobian ``(X, Y, Z)`` meaning the affine point
``(X / Z^2, Y / Z^3)``; ``Z = 0`` is the point at infinity. The curves have
``a = 0``, so doubling is ``dbl-2009-l`` and mixed addition (Jacobian plus
affine) is ``madd-2007-bl`` from the Explicit-Formulas Database. The public
boundary is affine (``bn254.G1Point`` / ``G2Point``, plain ints, ``None`` for
infinity).

G1 coordinates are integers mod ``q`` and the formulas are written out on ints
(this is the hot path of the reference prover). G2 coordinates are ``Fq2``
pairs and use the same formulas through :mod:`zksolvency.groth16.fields`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point, R
from zksolvency.groth16.fields import (
    QQ,
    batch_inverse,
    big,
    fq2_add,
    fq2_inv,
    fq2_is_zero,
    fq2_mul,
    fq2_neg,
    fq2_sqr,
    fq2_sub,
)

J1 = tuple[Any, Any, Any]  # Jacobian G1 point over Fq
J2 = tuple[Any, Any, Any]  # Jacobian G2 point over Fq2

_ONE2 = (big(1), big(0))
_ZERO2 = (big(0), big(0))

G1_INF: J1 = (big(1), big(1), big(0))
G2_INF: J2 = (_ONE2, _ONE2, _ZERO2)


# --- G1 ------------------------------------------------------------------------


def g1_from_affine(p: G1Point) -> J1:
    if p is None:
        return G1_INF
    return (big(p[0]), big(p[1]), big(1))


def g1_double(p: J1) -> J1:
    x, y, z = p
    if z == 0 or y == 0:
        return G1_INF
    a = x * x % QQ
    b = y * y % QQ
    c = b * b % QQ
    d = 2 * ((x + b) * (x + b) - a - c) % QQ
    e = 3 * a % QQ
    x3 = (e * e - 2 * d) % QQ
    y3 = (e * (d - x3) - 8 * c) % QQ
    z3 = 2 * y * z % QQ
    return (x3, y3, z3)


def g1_add_mixed(p: J1, qx: Any, qy: Any) -> J1:
    """``p + (qx, qy)`` where the second point is affine and finite."""
    x1, y1, z1 = p
    if z1 == 0:
        return (qx, qy, big(1))
    z1z1 = z1 * z1 % QQ
    u2 = qx * z1z1 % QQ
    s2 = qy * z1 * z1z1 % QQ
    h = (u2 - x1) % QQ
    rr = 2 * (s2 - y1) % QQ
    if h == 0:
        if rr == 0:
            return g1_double(p)
        return G1_INF
    hh = h * h % QQ
    i = 4 * hh % QQ
    j = h * i % QQ
    v = x1 * i % QQ
    x3 = (rr * rr - j - 2 * v) % QQ
    y3 = (rr * (v - x3) - 2 * y1 * j) % QQ
    z3 = ((z1 + h) * (z1 + h) - z1z1 - hh) % QQ
    return (x3, y3, z3)


def g1_add(p: J1, q: J1) -> J1:
    """General Jacobian addition (``add-2007-bl``)."""
    x1, y1, z1 = p
    x2, y2, z2 = q
    if z1 == 0:
        return q
    if z2 == 0:
        return p
    z1z1 = z1 * z1 % QQ
    z2z2 = z2 * z2 % QQ
    u1 = x1 * z2z2 % QQ
    u2 = x2 * z1z1 % QQ
    s1 = y1 * z2 * z2z2 % QQ
    s2 = y2 * z1 * z1z1 % QQ
    h = (u2 - u1) % QQ
    rr = 2 * (s2 - s1) % QQ
    if h == 0:
        if rr == 0:
            return g1_double(p)
        return G1_INF
    i = 4 * h * h % QQ
    j = h * i % QQ
    v = u1 * i % QQ
    x3 = (rr * rr - j - 2 * v) % QQ
    y3 = (rr * (v - x3) - 2 * s1 * j) % QQ
    z3 = ((z1 + z2) * (z1 + z2) - z1z1 - z2z2) * h % QQ
    return (x3, y3, z3)


def g1_neg(p: J1) -> J1:
    return (p[0], (-p[1]) % QQ, p[2])


def g1_to_affine(p: J1) -> G1Point:
    x, y, z = p
    if z == 0:
        return None
    zi = big(pow(int(z), -1, int(QQ)))
    zi2 = zi * zi % QQ
    return (int(x * zi2 % QQ), int(y * zi2 * zi % QQ))


def g1_batch_to_affine(points: Sequence[J1]) -> list[G1Point]:
    """Affine forms of many points for the price of one inversion."""
    inv = batch_inverse([p[2] for p in points], QQ)
    out: list[G1Point] = []
    for (x, y, z), zi in zip(points, inv, strict=True):
        if z == 0:
            out.append(None)
            continue
        zi2 = zi * zi % QQ
        out.append((int(x * zi2 % QQ), int(y * zi2 * zi % QQ)))
    return out


def g1_mul(p: G1Point, k: int) -> G1Point:
    """``k * p`` by double-and-add (for the few single multiplications the protocol needs)."""
    return g1_to_affine(g1_mul_jacobian(p, k))


def g1_mul_jacobian(p: G1Point, k: int) -> J1:
    k %= R
    if p is None or k == 0:
        return G1_INF
    px, py = big(p[0]), big(p[1])
    acc = G1_INF
    for bit in bin(k)[2:]:
        acc = g1_double(acc)
        if bit == "1":
            acc = g1_add_mixed(acc, px, py)
    return acc


def g1_sum(points: Sequence[G1Point]) -> G1Point:
    acc = G1_INF
    for p in points:
        if p is not None:
            acc = g1_add_mixed(acc, big(p[0]), big(p[1]))
    return g1_to_affine(acc)


# --- G2 ------------------------------------------------------------------------


def g2_from_affine(p: G2Point) -> J2:
    if p is None:
        return G2_INF
    (x0, x1), (y0, y1) = p
    return ((big(x0), big(x1)), (big(y0), big(y1)), _ONE2)


def g2_double(p: J2) -> J2:
    x, y, z = p
    if fq2_is_zero(z) or fq2_is_zero(y):
        return G2_INF
    a = fq2_sqr(x)
    b = fq2_sqr(y)
    c = fq2_sqr(b)
    xb = fq2_add(x, b)
    d = fq2_sub(fq2_sub(fq2_sqr(xb), a), c)
    d = fq2_add(d, d)
    e = fq2_add(fq2_add(a, a), a)
    x3 = fq2_sub(fq2_sqr(e), fq2_add(d, d))
    c8 = fq2_add(c, c)
    c8 = fq2_add(c8, c8)
    c8 = fq2_add(c8, c8)
    y3 = fq2_sub(fq2_mul(e, fq2_sub(d, x3)), c8)
    yz = fq2_mul(y, z)
    return (x3, y3, fq2_add(yz, yz))


def g2_add_mixed(p: J2, qx: Any, qy: Any) -> J2:
    x1, y1, z1 = p
    if fq2_is_zero(z1):
        return (qx, qy, _ONE2)
    z1z1 = fq2_sqr(z1)
    u2 = fq2_mul(qx, z1z1)
    s2 = fq2_mul(qy, fq2_mul(z1, z1z1))
    h = fq2_sub(u2, x1)
    rr = fq2_sub(s2, y1)
    rr = fq2_add(rr, rr)
    if fq2_is_zero(h):
        if fq2_is_zero(rr):
            return g2_double(p)
        return G2_INF
    hh = fq2_sqr(h)
    i = fq2_add(hh, hh)
    i = fq2_add(i, i)
    j = fq2_mul(h, i)
    v = fq2_mul(x1, i)
    x3 = fq2_sub(fq2_sub(fq2_sqr(rr), j), fq2_add(v, v))
    y1j = fq2_mul(y1, j)
    y3 = fq2_sub(fq2_mul(rr, fq2_sub(v, x3)), fq2_add(y1j, y1j))
    z3 = fq2_sub(fq2_sub(fq2_sqr(fq2_add(z1, h)), z1z1), hh)
    return (x3, y3, z3)


def g2_add(p: J2, q: J2) -> J2:
    """General Jacobian addition (``add-2007-bl``) over ``Fq2``."""
    x1, y1, z1 = p
    x2, y2, z2 = q
    if fq2_is_zero(z1):
        return q
    if fq2_is_zero(z2):
        return p
    z1z1 = fq2_sqr(z1)
    z2z2 = fq2_sqr(z2)
    u1 = fq2_mul(x1, z2z2)
    u2 = fq2_mul(x2, z1z1)
    s1 = fq2_mul(y1, fq2_mul(z2, z2z2))
    s2 = fq2_mul(y2, fq2_mul(z1, z1z1))
    h = fq2_sub(u2, u1)
    rr = fq2_sub(s2, s1)
    rr = fq2_add(rr, rr)
    if fq2_is_zero(h):
        if fq2_is_zero(rr):
            return g2_double(p)
        return G2_INF
    h2 = fq2_add(h, h)
    i = fq2_sqr(h2)
    j = fq2_mul(h, i)
    v = fq2_mul(u1, i)
    x3 = fq2_sub(fq2_sub(fq2_sqr(rr), j), fq2_add(v, v))
    s1j = fq2_mul(s1, j)
    y3 = fq2_sub(fq2_mul(rr, fq2_sub(v, x3)), fq2_add(s1j, s1j))
    z3 = fq2_mul(fq2_sub(fq2_sub(fq2_sqr(fq2_add(z1, z2)), z1z1), z2z2), h)
    return (x3, y3, z3)


def g2_neg(p: J2) -> J2:
    return (p[0], fq2_neg(p[1]), p[2])


def g2_to_affine(p: J2) -> G2Point:
    x, y, z = p
    if fq2_is_zero(z):
        return None
    zi = fq2_inv(z)
    zi2 = fq2_sqr(zi)
    ax = fq2_mul(x, zi2)
    ay = fq2_mul(y, fq2_mul(zi2, zi))
    return ((int(ax[0]), int(ax[1])), (int(ay[0]), int(ay[1])))


def g2_batch_to_affine(points: Sequence[J2]) -> list[G2Point]:
    # Inverting in Fq2 is one Fq inversion of the norm; batch those norms.
    norms = [(z[0] * z[0] + z[1] * z[1]) % QQ for _, _, z in points]
    inv_norms = batch_inverse(norms, QQ)
    out: list[G2Point] = []
    for (x, y, z), n_inv in zip(points, inv_norms, strict=True):
        if fq2_is_zero(z):
            out.append(None)
            continue
        zi = (z[0] * n_inv % QQ, (-z[1]) * n_inv % QQ)
        zi2 = fq2_sqr(zi)
        ax = fq2_mul(x, zi2)
        ay = fq2_mul(y, fq2_mul(zi2, zi))
        out.append(((int(ax[0]), int(ax[1])), (int(ay[0]), int(ay[1]))))
    return out


def g2_mul_jacobian(p: G2Point, k: int, reduce: bool = True) -> J2:
    """``k * p``; ``reduce=False`` keeps ``k`` as given (cofactor clearing needs that)."""
    if reduce:
        k %= R
    if p is None or k == 0:
        return G2_INF
    px, py, _ = g2_from_affine(p)
    acc = G2_INF
    for bit in bin(k)[2:]:
        acc = g2_double(acc)
        if bit == "1":
            acc = g2_add_mixed(acc, px, py)
    return acc


def g2_mul(p: G2Point, k: int, reduce: bool = True) -> G2Point:
    return g2_to_affine(g2_mul_jacobian(p, k, reduce))


def g2_in_subgroup(p: G2Point) -> bool:
    """``r * p == O``: the check py_ecc's pairing leaves to its caller."""
    return fq2_is_zero(g2_mul_jacobian(p, R, reduce=False)[2])


G1_GEN: G1Point = G1_GENERATOR
G2_GEN: G2Point = G2_GENERATOR
