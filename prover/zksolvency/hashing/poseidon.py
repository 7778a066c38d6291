"""circomlib's ``Poseidon(n)`` over BN254's ``Fr``, in Python: a reference form and a fast form.

**State and output.** ``Poseidon(in_0 .. in_{n-1})`` (``1 <= n <= 16``) runs the
permutation on the ``t = n + 1`` lanes ``[0, in_0, .., in_{n-1}]`` (lane 0, the
capacity, starts at 0: circomlib's ``initialState``) and outputs lane 0.

**Permutation** (``permute_reference``, exactly the paper's description and
circomlib's unoptimised ``poseidon_old.circom``). With the parameters of
``poseidon_parameters(t)``, rounds ``r = 0 .. R_F + R_P - 1``, each

    x_i <- x_i + C[r t + i]                    (all lanes)
    x_i <- x_i^5                               (all lanes in the first and last R_F / 2 rounds,
                                                lane 0 only in the R_P partial rounds between)
    x   <- M x,   i.e. x'_i = sum_j M[i][j] x_j

all mod ``r`` (BN254's scalar field order ``R``).

**Fast form** (``permute``, what ``poseidon`` uses; equal to the reference for
every input, which the tests check). In a partial round only lane 0 goes through
the S-box, which allows two rewrites of the partial rounds (the paper's appendix
on efficient implementation; circomlib's ``poseidon.circom`` uses the same idea
with its own layout):

1. *Constants.* The constant vector ``c`` of partial round ``r + 1`` is moved back
   through ``M``: ``M z + c = M (z + u)`` with ``u = M^{-1} c``. Since lanes
   ``1..t-1`` of ``z = S(x + c_r)`` did not go through the S-box, ``u_1..u_{t-1}``
   join ``c_r`` before the S-box, and ``u_0`` becomes a scalar added to lane 0
   *after* the S-box of round ``r``. Going from the last partial round to the
   first leaves one full constant vector before the first partial round and one
   scalar per partial round.
2. *Matrices.* Write a matrix ``A = [[a, w^T], [v, A_11]]`` as ``A = A'' A'`` with
   ``A' = diag(1, A_11)`` and the sparse ``A'' = [[a, w^T A_11^{-1}], [v, I]]``.
   ``A'`` leaves lane 0 alone, so it commutes with the lane-0 S-box and lane-0
   constants and can be moved into the previous round's matrix
   (``A_prev <- A' A_prev``). Going from the last partial round to the first,
   every partial round keeps a sparse matrix (``2t - 1`` products instead of
   ``t^2``), the full round before them gets ``P = A'_first M``, and the
   constant vector before the first partial round becomes ``A'_first c``.
   In closed form, with ``M = [[m, m_r], [m_c, N]]``: the partial round with
   ``k`` partial rounds after it has ``A = [[m, m_r], [N^k m_c, N^(k+1)]]``, so
   its sparse factor is ``a = m``, ``v = N^k m_c``, ``w = m_r N^-(k+1)``, and
   ``A'_first = diag(1, N^R_P)``. Only ``M`` and ``N`` are ever inverted.

The tables of the fast form are built on first use for each ``t`` and cached
(a few milliseconds to some tens of milliseconds, beside the parameter
generation itself). Field elements are ``gmpy2.mpz`` when gmpy2 is installed
(about twice as fast as Python ints here), plain ints otherwise; results are
always returned as ``int``.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from operator import add, mul
from typing import Any

from zksolvency.bn254 import R
from zksolvency.hashing.parameters import MAX_T, PoseidonParameters, poseidon_parameters

try:  # pragma: no cover - exercised whichever way the environment is built
    import gmpy2

    def _big(x: int) -> Any:
        return gmpy2.mpz(x)

    HAVE_GMPY2 = True
except ImportError:  # pragma: no cover

    def _big(x: int) -> Any:
        return x

    HAVE_GMPY2 = False

_R = _big(R)

#: Most inputs one ``Poseidon`` call takes (``t = 17``).
MAX_INPUTS = MAX_T - 1

Matrix = tuple[tuple[int, ...], ...]


# --- the reference form ------------------------------------------------------------


def permute_reference(state: Sequence[int], params: PoseidonParameters) -> list[int]:
    """The Poseidon permutation exactly as specified (see the module docstring); no shortcuts."""
    t = params.t
    if len(state) != t:
        raise ValueError(f"state has {len(state)} lanes, the parameters are for t = {t}")
    half = params.full_rounds // 2
    x = [s % R for s in state]
    for r in range(params.rounds):
        x = [(x[i] + params.round_constants[r * t + i]) % R for i in range(t)]
        if r < half or r >= half + params.partial_rounds:
            x = [pow(v, params.alpha, R) for v in x]
        else:
            x[0] = pow(x[0], params.alpha, R)
        x = [sum(m * v for m, v in zip(row, x, strict=True)) % R for row in params.mds]
    return x


def poseidon_reference(inputs: Sequence[int]) -> int:
    """``poseidon`` computed with ``permute_reference`` (slow; for tests and as documentation)."""
    values = check_inputs(inputs)
    return permute_reference([0, *values], poseidon_parameters(len(values) + 1))[0]


# --- the fast form -----------------------------------------------------------------


def _mat_vec(m: Matrix, v: Sequence[int]) -> list[int]:
    return [sum(a * b for a, b in zip(row, v, strict=True)) % R for row in m]


def _mat_mul(a: Matrix, b: Matrix) -> Matrix:
    cols = list(zip(*b, strict=True))
    return tuple(tuple(sum(x * y for x, y in zip(row, col, strict=True)) % R for col in cols) for row in a)


def _vec_mat(v: Sequence[int], m: Matrix) -> list[int]:
    return [sum(a * row[j] for a, row in zip(v, m, strict=True)) % R for j in range(len(m[0]))]


def _mat_pow(m: Matrix, e: int) -> Matrix:
    result: Matrix = tuple(tuple(int(i == j) for j in range(len(m))) for i in range(len(m)))
    while e:
        if e & 1:
            result = _mat_mul(result, m)
        m = _mat_mul(m, m)
        e >>= 1
    return result


def _mat_inv(m: Matrix) -> Matrix:
    """Inverse mod ``R`` by Gauss-Jordan elimination (raises ``ValueError`` if singular)."""
    n = len(m)
    rows = [[*row, *(1 if i == j else 0 for j in range(n))] for i, row in enumerate(m)]
    for col in range(n):
        pivot = next((i for i in range(col, n) if rows[i][col] % R), None)
        if pivot is None:
            raise ValueError("singular matrix")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        inv = pow(rows[col][col], -1, R)
        rows[col] = [v * inv % R for v in rows[col]]
        for i in range(n):
            if i != col and rows[i][col]:
                f = rows[i][col]
                rows[i] = [(a - f * b) % R for a, b in zip(rows[i], rows[col], strict=True)]
    return tuple(tuple(row[n:]) for row in rows)


@dataclass(frozen=True)
class _FastTables:
    """Precomputed tables of the fast form for one ``t`` (see the module docstring)."""

    t: int
    #: Per full round, the ``t`` constants added before its S-boxes (first half, then second half).
    full_constants: tuple[tuple[Any, ...], ...]
    #: Matrix of each full round: ``P`` for the last one before the partial rounds, else ``M``.
    full_matrices: tuple[tuple[tuple[Any, ...], ...], ...]
    #: Constant vector added before the first partial round's S-box.
    partial_first: tuple[Any, ...]
    #: Per partial round, the scalar added to lane 0 after its S-box.
    partial_post: tuple[Any, ...]
    #: Per partial round, the sparse matrix ``[[a, w], [v, I]]`` as ``(a, w, v)``.
    sparse: tuple[tuple[Any, tuple[Any, ...], tuple[Any, ...]], ...]


@functools.cache
def _fast_tables(t: int) -> _FastTables:
    p = poseidon_parameters(t)
    half, rp = p.full_rounds // 2, p.partial_rounds
    mds: Matrix = p.mds
    consts = [list(p.round_constants[r * t : (r + 1) * t]) for r in range(p.rounds)]

    # 1. Constants: move each partial round's vector back through M (last partial round first).
    mds_inv = _mat_inv(mds)
    post = [0] * rp
    for k in range(rp - 1, 0, -1):
        r = half + k
        u = _mat_vec(mds_inv, consts[r])
        post[k - 1] = u[0]
        consts[r - 1] = [
            (c + (v if i else 0)) % R for i, (c, v) in enumerate(zip(consts[r - 1], u, strict=True))
        ]
        consts[r] = [0] * t

    # 2. Matrices. With M = [[m, m_r], [m_c, N]], the last partial round splits A = M; each A'
    #    moved back multiplies the lower-right block by N, so the partial round with k partial rounds
    #    after it has A = [[m, m_r], [N^k m_c, N^(k+1)]]: a = m, v = N^k m_c, w = m_r N^-(k+1).
    n_hat = tuple(row[1:] for row in mds[1:])
    n_inv = _mat_inv(n_hat)
    m_r, v = mds[0][1:], [row[0] for row in mds[1:]]
    w = _vec_mat(m_r, n_inv)
    sparse: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
    for _ in range(rp):  # k = 0, 1, .., R_P - 1: from the last partial round back
        sparse.append((mds[0][0], tuple(w), tuple(v)))
        v = _mat_vec(n_hat, v)
        w = _vec_mat(w, n_inv)
    sparse.reverse()
    # The full round before them gets P = diag(1, N^R_P) M; the first partial constant diag(1, N^R_P) c.
    n_pow = _mat_pow(n_hat, rp)
    a_first: Matrix = ((1,) + (0,) * (t - 1), *tuple((0, *row) for row in n_pow))
    a = _mat_mul(a_first, mds)
    first = _mat_vec(a_first, consts[half])

    full_rounds = [*range(half), *range(half + rp, p.rounds)]
    return _FastTables(
        t=t,
        full_constants=tuple(tuple(_big(c) for c in consts[r]) for r in full_rounds),
        full_matrices=tuple(
            tuple(tuple(_big(m) for m in row) for row in (a if r == half - 1 else mds)) for r in full_rounds
        ),
        partial_first=tuple(_big(c) for c in first),
        partial_post=tuple(_big(c) for c in post),
        sparse=tuple((_big(a0), tuple(map(_big, wk)), tuple(map(_big, vk))) for a0, wk, vk in sparse),
    )


def permute(state: Sequence[int]) -> list[int]:
    """The Poseidon permutation for ``t = len(state)`` in the fast form; equal to ``permute_reference``.

    ``state``: ``t`` integers (``2 <= t <= 17``), reduced mod ``r`` first.
    """
    tables = _fast_tables(len(state))
    p = _R
    x: list[Any] = [_big(s % R) for s in state]
    half = len(tables.full_constants) // 2
    for k in range(half):
        x = _full_round(x, tables.full_constants[k], tables.full_matrices[k])
    x = list(map(add, x, tables.partial_first))
    x0, rest = x[0], x[1:]
    for post, (a0, w, v) in zip(tables.partial_post, tables.sparse, strict=True):
        # x0 <- x0^5 + post; then [x0, rest] <- [[a0, w], [v, I]] [x0, rest]. Lanes 1.. are left
        # unreduced (they grow by one product per round, a few hundred bits at most).
        x2 = x0 * x0 % p
        x0 = x2 * x2 % p * x0 % p + post
        new0 = (a0 * x0 + sum(map(mul, w, rest))) % p
        rest = [xi + vi * x0 for xi, vi in zip(rest, v, strict=True)]
        x0 = new0
    x = [x0, *(xi % p for xi in rest)]
    for k in range(half, 2 * half):
        x = _full_round(x, tables.full_constants[k], tables.full_matrices[k])
    return [int(v) for v in x]


def _full_round(x: list[Any], constants: tuple[Any, ...], matrix: tuple[tuple[Any, ...], ...]) -> list[Any]:
    """``matrix * (x + constants)^5`` mod ``r``, for ``x`` reduced (so ``x + c < 2r``)."""
    p = _R
    y = []
    for v in map(add, x, constants):
        v2 = v * v % p
        y.append(v2 * v2 % p * v % p)
    return [sum(map(mul, row, y)) % p for row in matrix]


# --- the hash ----------------------------------------------------------------------


def check_inputs(inputs: Sequence[int], offset: int = 0) -> list[int]:
    """The inputs as ints, refusing a wrong count, a non-integer or a value outside ``[0, R)``.

    Errors name the input by its index plus ``offset``.
    """
    n = len(inputs)
    if not 1 <= n <= MAX_INPUTS:
        raise ValueError(f"Poseidon takes 1 to {MAX_INPUTS} inputs, got {n}")
    out: list[int] = []
    for i, value in enumerate(inputs, offset):
        if isinstance(value, bool):
            raise TypeError(f"Poseidon input {i} must be an integer, not bool")
        try:
            v = operator.index(value)
        except TypeError:
            raise TypeError(f"Poseidon input {i} must be an integer, not {type(value).__name__}") from None
        if not 0 <= v < R:
            raise ValueError(f"Poseidon input {i} = {v} is not a field element (must be 0 <= x < r)")
        out.append(v)
    return out


def poseidon(inputs: Sequence[int]) -> int:
    """circomlib's ``Poseidon(len(inputs))``: lane 0 of the permutation of ``[0, *inputs]``.

    ``inputs``: 1 to 16 field elements, each ``0 <= x < r`` (never reduced: a
    larger or negative value raises ``ValueError`` naming its index).
    """
    values = check_inputs(inputs)
    return permute([0, *values])[0]
