"""Our G1/G2 arithmetic against py_ecc, an implementation nobody here wrote."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from py_ecc import optimized_bn128 as bn

from zksolvency.bn254 import G2_COFACTOR, G2Point, R
from zksolvency.groth16 import curve
from zksolvency.groth16.transcript import ChaChaRng, draw_twist_point, g2_from_rng

scalars = st.integers(min_value=0, max_value=R - 1)


def _py_g1(k: int) -> tuple[int, int] | None:
    p = bn.normalize(bn.multiply(bn.G1, k))
    return None if k % R == 0 else (int(p[0]), int(p[1]))


def _py_g2(k: int) -> G2Point:
    if k % R == 0:
        return None
    x, y = bn.normalize(bn.multiply(bn.G2, k))
    return ((int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1])))


@settings(max_examples=25, deadline=None)
@given(scalars)
def test_g1_scalar_multiplication_matches_py_ecc(k: int) -> None:
    assert curve.g1_mul(curve.G1_GEN, k) == _py_g1(k)


@settings(max_examples=8, deadline=None)
@given(scalars)
def test_g2_scalar_multiplication_matches_py_ecc(k: int) -> None:
    assert curve.g2_mul(curve.G2_GEN, k) == _py_g2(k)


@settings(max_examples=20, deadline=None)
@given(scalars, scalars)
def test_g1_addition_is_scalar_addition(a: int, b: int) -> None:
    pa, pb = curve.g1_mul_jacobian(curve.G1_GEN, a), curve.g1_mul_jacobian(curve.G1_GEN, b)
    assert curve.g1_to_affine(curve.g1_add(pa, pb)) == _py_g1(a + b)


def test_g1_add_handles_doubling_and_inverse() -> None:
    p = curve.g1_mul_jacobian(curve.G1_GEN, 5)
    assert curve.g1_to_affine(curve.g1_add(p, p)) == _py_g1(10)
    assert curve.g1_to_affine(curve.g1_add(p, curve.g1_neg(p))) is None
    assert curve.g1_to_affine(curve.g1_add(p, curve.G1_INF)) == _py_g1(5)


def test_g2_add_handles_doubling_and_inverse() -> None:
    p = curve.g2_mul_jacobian(curve.G2_GEN, 7)
    assert curve.g2_to_affine(curve.g2_add(p, p)) == _py_g2(14)
    assert curve.g2_to_affine(curve.g2_add(p, curve.g2_neg(p))) is None


def test_batch_to_affine_matches_one_by_one_including_infinity() -> None:
    g1 = [curve.g1_mul_jacobian(curve.G1_GEN, k) for k in (1, 2, 3, 0, 99)]
    assert curve.g1_batch_to_affine(g1) == [curve.g1_to_affine(p) for p in g1]
    g2 = [curve.g2_mul_jacobian(curve.G2_GEN, k) for k in (1, 0, 3)]
    assert curve.g2_batch_to_affine(g2) == [curve.g2_to_affine(p) for p in g2]


def test_generator_is_in_the_g2_subgroup() -> None:
    assert curve.g2_in_subgroup(curve.G2_GEN)
    assert curve.g2_in_subgroup(curve.g2_mul(curve.G2_GEN, 12345))


def test_twist_point_outside_the_subgroup_is_detected() -> None:
    """A point on the twist curve that was not multiplied by the cofactor."""
    cleared = g2_from_rng(ChaChaRng((1, 2, 3, 4, 5, 6, 7, 8)))
    assert curve.g2_in_subgroup(cleared)
    # The same draw without cofactor clearing.
    rng = ChaChaRng((1, 2, 3, 4, 5, 6, 7, 8))
    raw = draw_twist_point(rng)
    assert not curve.g2_in_subgroup(raw)
    assert curve.g2_mul(raw, G2_COFACTOR, reduce=False) == cleared
