"""Baby Jubjub: constants as circomlib defines them, the group laws, on-curve and subgroup checks."""

from __future__ import annotations

import random
import re

import pytest

from zksolvency import toolchain
from zksolvency.bn254 import R
from zksolvency.orders import babyjub
from zksolvency.orders.babyjub import (
    BASE8,
    GENERATOR,
    IDENTITY,
    SUBORDER,
    add,
    double,
    in_subgroup,
    is_on_curve,
    multiply,
    neg,
)

rng = random.Random(168700)
POINTS = [multiply(BASE8, rng.randrange(1, SUBORDER)) for _ in range(4)]
#: The point of order 2.
ORDER_TWO = (0, R - 1)


def test_field_and_coefficients_are_circomlibs() -> None:
    assert babyjub.P == R
    assert (babyjub.A, babyjub.D) == (168700, 168696)
    assert babyjub.ORDER == 8 * SUBORDER


@pytest.mark.snarkjs
def test_constants_equal_the_installed_circomlib_and_circomlibjs() -> None:
    circuits = toolchain.circomlib_dir() / "circuits"
    verifier = (circuits / "eddsaposeidon.circom").read_text()
    base8 = re.search(r"var BASE8\[2\] = \[\s*(\d+),\s*(\d+)", verifier)
    assert base8 is not None and (int(base8[1]), int(base8[2])) == BASE8
    assert f"CompConstant({SUBORDER - 1})" in verifier
    babyjub_circom = (circuits / "babyjub.circom").read_text()
    assert "var a = 168700;" in babyjub_circom and "var d = 168696;" in babyjub_circom
    js = (toolchain.node_modules_dir() / "circomlibjs" / "src" / "babyjub.js").read_text()
    numbers = [int(x) for x in re.findall(r'"(\d{20,})"', js)]
    assert numbers[0] == R  # the field prime comes first
    assert [*GENERATOR, *BASE8, babyjub.ORDER] == numbers[1:6]


def test_a_point_off_the_curve_is_noticed() -> None:
    x, y = BASE8
    assert is_on_curve(BASE8)
    assert not is_on_curve((x, y + 1))
    assert not is_on_curve((x + R, y))  # coordinates must be reduced


def test_identity_and_inverse() -> None:
    for p in POINTS:
        assert add(p, IDENTITY) == p
        assert add(p, neg(p)) == IDENTITY
    assert add(POINTS[0], neg(POINTS[1])) != IDENTITY


def test_commutative_and_associative() -> None:
    p, q, s, _ = POINTS
    assert add(p, q) == add(q, p)
    assert add(add(p, q), s) == add(p, add(q, s))
    assert add(add(p, q), s) != add(add(p, p), s)


def test_doubling_is_adding_a_point_to_itself_and_scalars_distribute() -> None:
    p = POINTS[0]
    assert double(p) == add(p, p) == multiply(p, 2)
    a, b = rng.randrange(SUBORDER), rng.randrange(SUBORDER)
    assert add(multiply(p, a), multiply(p, b)) == multiply(p, a + b)
    assert multiply(multiply(p, a), b) == multiply(p, a * b)
    assert multiply(p, a + 1) != multiply(p, a)


def test_subgroup_membership() -> None:
    assert all(in_subgroup(p) for p in [BASE8, IDENTITY, *POINTS])
    assert multiply(BASE8, SUBORDER) == IDENTITY
    assert multiply(BASE8, SUBORDER + 5) == multiply(BASE8, 5)


def test_points_outside_the_subgroup_are_refused() -> None:
    assert is_on_curve(GENERATOR) and not in_subgroup(GENERATOR)  # order 8 l
    assert is_on_curve(ORDER_TWO) and not in_subgroup(ORDER_TWO)
    assert not in_subgroup(add(BASE8, ORDER_TWO))
    assert not in_subgroup((BASE8[0], BASE8[1] + 1))  # off the curve


def test_negative_scalars_are_refused() -> None:
    assert multiply(BASE8, 0) == IDENTITY
    with pytest.raises(ValueError, match="non-negative"):
        multiply(BASE8, -1)
