"""The reference kernels against naive definitions."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zksolvency.bn254 import FR_TWO_ADICITY, R
from zksolvency.groth16 import curve
from zksolvency.groth16.fields import root_of_unity
from zksolvency.groth16.kernels import PythonKernels, get_kernels

K = PythonKernels()
field_elements = st.integers(min_value=0, max_value=R - 1)


def _naive_eval(coeffs: list[int], x: int) -> int:
    return sum(c * pow(x, j, R) for j, c in enumerate(coeffs)) % R


def test_roots_of_unity_have_exact_order() -> None:
    # ffjavascript's 2^28-th root, as printed by circomlib and snarkjs.
    assert root_of_unity(28) == 19103219067921713944291392827692070036145651957329286315305642004821462161904
    for k in (1, 5, 12, FR_TWO_ADICITY):
        w = root_of_unity(k)
        assert pow(w, 1 << k, R) == 1
        assert pow(w, 1 << (k - 1), R) == R - 1  # order exactly 2^k
    with pytest.raises(ValueError, match="no radix-2 domain"):
        root_of_unity(FR_TWO_ADICITY + 1)


@settings(max_examples=20, deadline=None)
@given(
    st.integers(min_value=0, max_value=6).flatmap(
        lambda k: st.lists(field_elements, min_size=1 << k, max_size=1 << k)
    )
)
def test_fft_is_evaluation_on_the_domain_and_ifft_inverts_it(coeffs: list[int]) -> None:
    n = len(coeffs)
    w = root_of_unity(n.bit_length() - 1)
    evals = K.fft(coeffs)
    assert evals == [_naive_eval(coeffs, pow(w, i, R)) for i in range(n)]
    assert K.ifft(evals) == coeffs


def test_fft_rejects_lengths_that_are_not_powers_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        K.fft([1, 2, 3])


def test_coset_fft_evaluates_on_the_shifted_domain() -> None:
    coeffs = [random.randrange(R) for _ in range(16)]
    g = 7
    w = root_of_unity(4)
    assert K.coset_fft(coeffs, g) == [_naive_eval(coeffs, g * pow(w, i, R) % R) for i in range(16)]
    assert K.coset_fft(coeffs, g) != K.fft(coeffs)


def test_quotient_scalars_are_a_times_b_minus_c_on_the_odd_points() -> None:
    n = 8
    a = [random.randrange(R) for _ in range(n)]
    b = [random.randrange(R) for _ in range(n)]
    c = [x * y % R for x, y in zip(a, b, strict=True)]
    pa, pb, pc = K.ifft(a), K.ifft(b), K.ifft(c)
    w2 = root_of_unity(4)
    expected = []
    for i in range(n):
        x = pow(w2, 2 * i + 1, R)
        expected.append((_naive_eval(pa, x) * _naive_eval(pb, x) - _naive_eval(pc, x)) % R)
    got = K.quotient_scalars(a, b, c)
    assert got == expected
    assert any(got)  # A*B - C is not the zero polynomial off the domain


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.tuples(st.integers(min_value=0, max_value=2**20), field_elements), min_size=0, max_size=40)
)
def test_msm_g1_matches_the_sum_of_products(pairs: list[tuple[int, int]]) -> None:
    bases = [curve.g1_mul(curve.G1_GEN, k) for k, _ in pairs]  # k = 0 gives the point at infinity
    scalars = [s for _, s in pairs]
    expected = curve.g1_sum([curve.g1_mul(p, s) if p else None for p, s in zip(bases, scalars, strict=True)])
    assert K.msm_g1(bases, scalars) == expected


def test_msm_g1_with_small_and_extreme_scalars() -> None:
    bases = [curve.g1_mul(curve.G1_GEN, k) for k in range(1, 9)]
    scalars = [0, 1, 2, R - 1, R, R + 5, 1 << 200, 3]
    expected = curve.g1_sum([curve.g1_mul(p, s) for p, s in zip(bases, scalars, strict=True)])
    assert K.msm_g1(bases, scalars) == expected
    assert K.msm_g1(bases, [0] * 8) is None


def test_msm_g2_matches_the_sum_of_products() -> None:
    ks = [random.randrange(1, R) for _ in range(12)]
    bases = [curve.g2_mul(curve.G2_GEN, k) for k in ks]
    scalars = [random.randrange(R) for _ in ks]
    acc = curve.G2_INF
    for p, s in zip(bases, scalars, strict=True):
        acc = curve.g2_add(acc, curve.g2_mul_jacobian(p, s))
    assert K.msm_g2(bases, scalars) == curve.g2_to_affine(acc)


def test_msm_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="2 bases but 1 scalars"):
        K.msm_g1([curve.G1_GEN, curve.G1_GEN], [1])


def test_get_kernels_names_the_choices_for_an_unknown_backend() -> None:
    assert get_kernels("python").name == "python"
    with pytest.raises(ValueError, match="choose from: python"):
        get_kernels("cuda")
