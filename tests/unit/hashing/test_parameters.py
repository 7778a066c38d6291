"""Poseidon parameters generated with the Grain LFSR: shape, determinism, rejection of bad widths.

The comparison with circomlib's own tables is in ``tests/circuits/test_poseidon_python.py``
(it needs ``node_modules``). Each success test has a failure twin right below it.
"""

from __future__ import annotations

import dataclasses
import time

import pytest

from zksolvency.bn254 import R
from zksolvency.hashing import PoseidonParameters, poseidon_parameters
from zksolvency.hashing.parameters import FIELD_BITS, PARTIAL_ROUNDS, GrainBits, partial_rounds

ALL_T = range(2, 18)


@pytest.mark.parametrize("t", ALL_T)
def test_parameters_have_circomlib_shape(t: int) -> None:
    p = poseidon_parameters(t)
    assert (p.t, p.full_rounds, p.alpha) == (t, 8, 5)
    assert p.partial_rounds == PARTIAL_ROUNDS[t - 2] == partial_rounds(t)
    assert len(p.round_constants) == t * (p.full_rounds + p.partial_rounds) == t * p.rounds
    assert all(0 <= c < R for c in p.round_constants)
    assert len(p.mds) == t and all(len(row) == t for row in p.mds)
    assert all(0 < m < R for row in p.mds for m in row)


def test_partial_round_counts_are_circomlibs() -> None:
    # circomlib's poseidon.circom, N_ROUNDS_P[16]
    assert PARTIAL_ROUNDS == (56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68)


@pytest.mark.parametrize("t", [0, 1, 18, -3, 2.0, True, "3"])
def test_width_outside_2_to_17_is_rejected(t: object) -> None:
    with pytest.raises(ValueError, match=r"t must be an integer in 2\.\.17"):
        poseidon_parameters(t)
    with pytest.raises(ValueError, match=r"t must be an integer in 2\.\.17"):
        partial_rounds(t)  # type: ignore[arg-type]


@pytest.mark.parametrize("t", [2, 3, 10, 17])
def test_mds_is_a_cauchy_matrix(t: int) -> None:
    """``1 / M[i][j] = x_i + y_j``: so ``1/M[i][j] - 1/M[i][0] - 1/M[0][j] + 1/M[0][0] = 0``."""
    inv = [[pow(m, -1, R) for m in row] for row in poseidon_parameters(t).mds]
    assert all((inv[i][j] - inv[i][0] - inv[0][j] + inv[0][0]) % R == 0 for i in range(t) for j in range(t))
    assert len({m for row in poseidon_parameters(t).mds for m in row}) == t * t


def test_a_matrix_that_is_not_cauchy_fails_the_cauchy_identity() -> None:
    mds = [list(row) for row in poseidon_parameters(3).mds]
    mds[1][2] = (mds[1][2] + 1) % R
    inv = [[pow(m, -1, R) for m in row] for row in mds]
    assert (inv[1][2] - inv[1][0] - inv[0][2] + inv[0][0]) % R != 0


@pytest.mark.parametrize("t", [2, 3, 10, 17])
def test_mds_is_invertible_with_invertible_minors(t: int) -> None:
    """A Cauchy matrix of distinct x's and y's is MDS; we check the full determinant and the lower-right
    block, which the fast form inverts."""
    from zksolvency.hashing.poseidon import _mat_inv

    mds = poseidon_parameters(t).mds
    inv = _mat_inv(mds)
    product = [
        [sum(a * b for a, b in zip(row, col, strict=True)) % R for col in zip(*inv, strict=True)]
        for row in mds
    ]
    assert product == [[int(i == j) for j in range(t)] for i in range(t)]
    _mat_inv(tuple(row[1:] for row in mds[1:]))


def test_singular_matrix_is_rejected() -> None:
    from zksolvency.hashing.poseidon import _mat_inv

    with pytest.raises(ValueError, match="singular"):
        _mat_inv(((1, 2), (2, 4)))


def test_parameters_are_cached_and_fast() -> None:
    poseidon_parameters.cache_clear()
    start = time.perf_counter()
    p = poseidon_parameters(17)
    elapsed = time.perf_counter() - start
    assert poseidon_parameters(17) is p
    assert elapsed < 1.0, f"generating t = 17 took {elapsed:.2f} s"


def test_parameters_are_frozen() -> None:
    p = poseidon_parameters(3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.t = 4  # type: ignore[misc]
    assert isinstance(p, PoseidonParameters)


# --- the Grain LFSR ----------------------------------------------------------------


def test_grain_is_deterministic_and_first_constant_is_circomlibs() -> None:
    a = GrainBits(1, 0, FIELD_BITS, 3, 8, 57)
    b = GrainBits(1, 0, FIELD_BITS, 3, 8, 57)
    assert a.take(1000) == b.take(1000)
    # circomlib 2.0.5's first round constant for t = 3 (poseidon_constants_old.circom, C[0]); the
    # first 254-bit sample is below r, so it is used as is.
    first = GrainBits(1, 0, FIELD_BITS, 3, 8, 57).sample()
    assert first == 0x0EE9A592BA9A9518D05986D656F40C2114C4993C11BB29938D21D47304CD8E6E
    assert poseidon_parameters(3).round_constants[0] == first


@pytest.mark.parametrize(
    "fields",
    [
        (1, 0, FIELD_BITS, 3, 8, 56),
        (1, 0, FIELD_BITS, 4, 8, 57),
        (1, 1, FIELD_BITS, 3, 8, 57),
        (0, 0, 254, 3, 8, 57),
    ],
)
def test_grain_depends_on_every_initialisation_field(fields: tuple[int, ...]) -> None:
    assert GrainBits(*fields).take(512) != GrainBits(1, 0, FIELD_BITS, 3, 8, 57).take(512)


def test_grain_output_is_balanced_and_reads_across_refills() -> None:
    g = GrainBits(1, 0, FIELD_BITS, 17, 8, 68)
    bits = g.take(40_000)  # more than one refill of the buffer
    assert set(bits) == {"0", "1"} and 0.48 < bits.count("1") / len(bits) < 0.52
    pieces = GrainBits(1, 0, FIELD_BITS, 17, 8, 68)
    assert "".join(pieces.take(k) for k in [1, 253, 7000, 12_000, 20_746]) == bits


@pytest.mark.parametrize("fields", [(4, 0, 254, 3, 8, 57), (1, 16, 254, 3, 8, 57), (1, 0, 254, 3, 8, 1024)])
def test_grain_rejects_a_field_too_wide_for_its_bits(fields: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="out of range"):
        GrainBits(*fields)
