"""Field arithmetic for the reference kernels: ``Fr``, ``Fq`` and ``Fq2`` on plain integers.

Elements are Python ints (or ``gmpy2.mpz`` when gmpy2 is installed, which roughly
halves the cost of a 254-bit multiply-and-reduce); ``Fq2`` elements are pairs
``(c0, c1)`` meaning ``c0 + c1*u`` with ``u^2 = -1``.

Roots of unity follow ffjavascript (and so snarkjs), because the Lagrange bases
in a ``.ptau`` and the H points of a ``.zkey`` are defined over *its* domains:
with ``r - 1 = 2^28 * t`` (``t`` odd) and the quadratic non-residue ``5``,
``w_28 = 5^t`` has order ``2^28`` and ``w_k = w_28^(2^(28-k))`` generates the
domain of size ``2^k``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zksolvency.bn254 import FR_NON_RESIDUE, FR_TWO_ADICITY, Fq2, Q, R

try:  # pragma: no cover - exercised whichever way the environment is built
    import gmpy2

    def big(x: int) -> Any:
        """``x`` as the fastest available big-integer type (``gmpy2.mpz`` if installed)."""
        return gmpy2.mpz(x)

    HAVE_GMPY2 = True
except ImportError:  # pragma: no cover

    def big(x: int) -> Any:
        return x

    HAVE_GMPY2 = False

QQ = big(Q)
RR = big(R)

_FR_ODD_PART = (R - 1) >> FR_TWO_ADICITY
_W_MAX = pow(FR_NON_RESIDUE, _FR_ODD_PART, R)


def root_of_unity(log_n: int) -> int:
    """Generator of the multiplicative subgroup of order ``2^log_n`` (ffjavascript's ``Fr.w[log_n]``)."""
    if not 0 <= log_n <= FR_TWO_ADICITY:
        raise ValueError(f"no radix-2 domain of size 2^{log_n} in Fr")
    return pow(_W_MAX, 1 << (FR_TWO_ADICITY - log_n), R)


def fr_inv(x: int) -> int:
    if x % R == 0:
        raise ZeroDivisionError("inverse of 0 in Fr")
    return pow(int(x), -1, R)


def batch_inverse(values: Sequence[Any], modulus: Any) -> list[Any]:
    """Montgomery's trick: all inverses for one modular inversion and ``3(n-1)`` products.

    Zeros map to zero (callers use that for points at infinity).
    """
    n = len(values)
    prefix = [big(1)] * (n + 1)
    acc = big(1)
    for i, v in enumerate(values):
        if v:
            acc = acc * v % modulus
        prefix[i + 1] = acc
    inv = big(pow(int(acc), -1, int(modulus)))
    out: list[Any] = [big(0)] * n
    for i in range(n - 1, -1, -1):
        v = values[i]
        if v:
            out[i] = inv * prefix[i] % modulus
            inv = inv * v % modulus
    return out


# --- Fq2 = Fq[u] / (u^2 + 1) -------------------------------------------------------


def fq2_add(a: Fq2, b: Fq2) -> Fq2:
    return ((a[0] + b[0]) % QQ, (a[1] + b[1]) % QQ)


def fq2_sub(a: Fq2, b: Fq2) -> Fq2:
    return ((a[0] - b[0]) % QQ, (a[1] - b[1]) % QQ)


def fq2_neg(a: Fq2) -> Fq2:
    return ((-a[0]) % QQ, (-a[1]) % QQ)


def fq2_mul(a: Fq2, b: Fq2) -> Fq2:
    """Karatsuba: three base-field products."""
    a0, a1 = a
    b0, b1 = b
    t0 = a0 * b0
    t1 = a1 * b1
    return ((t0 - t1) % QQ, ((a0 + a1) * (b0 + b1) - t0 - t1) % QQ)


def fq2_sqr(a: Fq2) -> Fq2:
    a0, a1 = a
    return ((a0 + a1) * (a0 - a1) % QQ, 2 * a0 * a1 % QQ)


def fq2_scale(a: Fq2, k: int) -> Fq2:
    return (a[0] * k % QQ, a[1] * k % QQ)


def fq2_inv(a: Fq2) -> Fq2:
    """``1 / (a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2)``."""
    norm = (a[0] * a[0] + a[1] * a[1]) % QQ
    if norm == 0:
        raise ZeroDivisionError("inverse of 0 in Fq2")
    inv = big(pow(int(norm), -1, Q))
    return (a[0] * inv % QQ, (-a[1]) * inv % QQ)


def fq2_is_zero(a: Fq2) -> bool:
    return a[0] == 0 and a[1] == 0


def fq_is_square(x: int) -> bool:
    return x % Q == 0 or pow(int(x), (Q - 1) // 2, Q) == 1


def fq_sqrt(x: int) -> int:
    """A square root in ``Fq`` (``q = 3 mod 4``); ``ValueError`` if ``x`` is not a square."""
    root = pow(int(x), (Q + 1) // 4, Q)
    if root * root % Q != x % Q:
        raise ValueError("not a square in Fq")
    return root


def fq2_is_square(a: Fq2) -> bool:
    """``a`` is a square in ``Fq2`` iff its norm ``a0^2 + a1^2`` is a square in ``Fq``."""
    return fq_is_square((a[0] * a[0] + a[1] * a[1]) % Q)


def fq2_sqrt(a: Fq2) -> Fq2:
    """A square root in ``Fq2`` by the complex method (``u^2 = -1``).

    For ``a = a0 + a1 u`` with norm ``n = a0^2 + a1^2`` and ``m = sqrt(n)``:
    ``x0^2 = (a0 + m) / 2`` (or ``(a0 - m) / 2`` when that is not a square) and
    ``x1 = a1 / (2 x0)``. Which of the two roots is returned is unspecified.
    """
    a0, a1 = int(a[0]) % Q, int(a[1]) % Q
    if a1 == 0:
        if fq_is_square(a0):
            return (fq_sqrt(a0), 0)
        return (0, fq_sqrt(-a0 % Q))  # (c u)^2 = -c^2
    m = fq_sqrt((a0 * a0 + a1 * a1) % Q)
    half = pow(2, -1, Q)
    t = (a0 + m) * half % Q
    if not fq_is_square(t):
        t = (a0 - m) * half % Q
    x0 = fq_sqrt(t)
    x1 = a1 * pow(2 * x0 % Q, -1, Q) % Q
    root = (x0, x1)
    if fq2_sqr((big(x0), big(x1))) != (big(a0), big(a1)):
        raise ValueError("not a square in Fq2")
    return root
