"""The native kernels, one by one, against the python reference kernels."""

from __future__ import annotations

import random

import pytest

from zksolvency import _native
from zksolvency.bn254 import FR_TWO_ADICITY, G1_GENERATOR, G2_GENERATOR, R
from zksolvency.circuit.formats.zkey import ZKEY_SECTION_COEFFS, zkey_raw_from_zkey
from zksolvency.groth16 import curve
from zksolvency.groth16.fields import root_of_unity
from zksolvency.groth16.kernels import NativeKernels, PythonKernels, get_kernels
from zksolvency.groth16.kernels.native import scalars_from_bytes, scalars_to_bytes
from zksolvency.groth16.prove import qap_evaluations

from .conftest import CircuitKey

NATIVE = NativeKernels()
PYTHON = PythonKernels()


def _vector(rng: random.Random, n: int) -> list[int]:
    return [rng.randrange(R) for _ in range(n)]


def test_native_is_the_default_backend_and_python_stays_selectable() -> None:
    assert get_kernels().name == "native"
    assert get_kernels("native").name == "native"
    assert get_kernels("python").name == "python"


def test_an_unknown_backend_is_refused_naming_both() -> None:
    with pytest.raises(ValueError, match="python, native"):
        get_kernels("cuda")


@pytest.mark.parametrize("k", [1, 2, 10, 16, FR_TWO_ADICITY])
def test_native_roots_of_unity_are_ffjavascripts(k: int) -> None:
    assert scalars_from_bytes(_native.root_of_unity(k)) == [root_of_unity(k)]
    assert scalars_from_bytes(_native.root_of_unity(k)) != [root_of_unity(k - 1)]


def test_no_root_of_unity_beyond_the_two_adicity() -> None:
    with pytest.raises(ValueError, match="two-adicity"):
        _native.root_of_unity(FR_TWO_ADICITY + 1)


@pytest.mark.parametrize("log_n", [0, 1, 3, 6])
def test_fft_ifft_coset_fft_match_the_reference(log_n: int) -> None:
    rng = random.Random(log_n)
    v = _vector(rng, 1 << log_n)
    assert NATIVE.fft(v) == PYTHON.fft(v)
    assert NATIVE.ifft(v) == PYTHON.ifft(v)
    assert NATIVE.coset_fft(v, 7) == PYTHON.coset_fft(v, 7)
    assert NATIVE.ifft(NATIVE.fft(v)) == v


def test_fft_of_different_input_differs() -> None:
    v = _vector(random.Random(5), 16)
    w = [*v[:-1], (v[-1] + 1) % R]
    assert NATIVE.fft(v) != NATIVE.fft(w)
    assert NATIVE.coset_fft(v, 7) != NATIVE.coset_fft(v, 11)


def test_fft_refuses_a_length_that_is_not_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        NATIVE.fft([1, 2, 3])


def test_scalars_not_below_r_are_refused_at_the_boundary() -> None:
    with pytest.raises(ValueError, match="not below the field modulus r"):
        _native.fft(R.to_bytes(32, "little") * 2)
    assert len(_native.fft((R - 1).to_bytes(32, "little") * 2)) == 64


@pytest.mark.parametrize("log_n", [1, 4, 6])
def test_quotient_matches_the_reference(log_n: int) -> None:
    rng = random.Random(100 + log_n)
    a, b, c = (_vector(rng, 1 << log_n) for _ in range(3))
    assert NATIVE.quotient_scalars(a, b, c) == PYTHON.quotient_scalars(a, b, c)
    c2 = [*c[:-1], (c[-1] + 1) % R]
    assert NATIVE.quotient_scalars(a, b, c2) != NATIVE.quotient_scalars(a, b, c)


def _points(rng: random.Random, n: int) -> tuple[list, list]:  # type: ignore[type-arg]
    g1 = [curve.g1_mul(G1_GENERATOR, rng.randrange(1, R)) for _ in range(n)]
    g2 = [curve.g2_mul(G2_GENERATOR, rng.randrange(1, R)) for _ in range(n)]
    g1[1], g2[1] = None, None  # the point at infinity among the bases
    return g1, g2


def _sparse_scalars(rng: random.Random, n: int) -> list[int]:
    """Zeros, ones, small and full-size values: every path of the sparse MSM."""
    return [rng.choice([0, 1, 1, 2, rng.randrange(1 << 16), rng.randrange(R), R - 1]) for _ in range(n)]


@pytest.mark.parametrize("seed", [1, 2])
def test_msm_matches_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    n = 40
    g1, g2 = _points(rng, n)
    k = _sparse_scalars(rng, n)
    assert NATIVE.msm_g1(g1, k) == PYTHON.msm_g1(g1, k)
    assert NATIVE.msm_g2(g2, k) == PYTHON.msm_g2(g2, k)


def test_msm_with_a_changed_scalar_differs() -> None:
    rng = random.Random(9)
    g1, g2 = _points(rng, 12)
    k = _sparse_scalars(rng, 12)
    k2 = [*k[:-1], (k[-1] + 1) % R]
    assert NATIVE.msm_g1(g1, k) != NATIVE.msm_g1(g1, k2)
    assert NATIVE.msm_g2(g2, k) != NATIVE.msm_g2(g2, k2)


def test_msm_edge_cases_match_the_reference() -> None:
    g1, g2 = _points(random.Random(3), 4)
    for k in ([0, 0, 0, 0], [1, 1, 1, 1], [R - 1, 0, 1, 2]):
        assert NATIVE.msm_g1(g1, k) == PYTHON.msm_g1(g1, k)
        assert NATIVE.msm_g2(g2, k) == PYTHON.msm_g2(g2, k)
    assert NATIVE.msm_g1([], []) is None
    # P + (-1) P is the point at infinity
    assert NATIVE.msm_g1([g1[0], g1[0]], [1, R - 1]) is None


def test_msm_refuses_mismatched_lengths_and_points_off_the_curve() -> None:
    g1, _ = _points(random.Random(4), 3)
    with pytest.raises(ValueError, match="3 bases but 2 scalars"):
        NATIVE.msm_g1(g1, [1, 2])
    with pytest.raises(ValueError, match="not on the G1 curve"):
        _native.msm_g1(b"\x01" + bytes(63), scalars_to_bytes([5]))


def test_qap_evaluations_match_the_reference(circuit_keys: list[CircuitKey]) -> None:
    for ck in circuit_keys:
        zkey, witness = ck.zkey, ck.circuit.witness
        coeffs = zkey_raw_from_zkey(zkey).section(ZKEY_SECTION_COEFFS)
        a, b = _native.qap_evaluations(coeffs, zkey.domain_size, scalars_to_bytes(witness))
        a_ref, b_ref, _ = qap_evaluations(zkey, witness)
        assert (scalars_from_bytes(a), scalars_from_bytes(b)) == (a_ref, b_ref)
        flipped = [witness[0], (witness[1] + 1) % R, *witness[2:]]  # wire 1 is in A (public row)
        a2, b2 = _native.qap_evaluations(coeffs, zkey.domain_size, scalars_to_bytes(flipped))
        assert (a2, b2) != (a, b)
