"""The UNSAFE dev ptau: right points, right layout, labelled unsafe everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, R
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.errors import SetupError
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels import PythonKernels
from zksolvency.groth16.ptau_dev import DevSecrets, generate_dev_ptau, is_unsafe_dev_ptau, lagrange_scalars

from ..snarkjs_tool import snarkjs

SECRETS = DevSecrets(tau=7, alpha=11, beta=13)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ptau") / "pot3_unsafe.ptau"
    generate_dev_ptau(path, 3, SECRETS)
    return path


def test_dev_ptau_points_are_the_secret_powers(small: Path) -> None:
    with PTauFile(small) as p:
        assert (p.power, p.ceremony_power, p.prepared) == (3, 3, True)
        assert p.tau_g1() == [curve.g1_mul(G1_GENERATOR, pow(7, i, R)) for i in range(15)]
        assert p.tau_g2() == [curve.g2_mul(G2_GENERATOR, pow(7, i, R)) for i in range(8)]
        assert p.alpha_tau_g1() == [curve.g1_mul(G1_GENERATOR, 11 * pow(7, i, R)) for i in range(8)]
        assert p.beta_tau_g1() == [curve.g1_mul(G1_GENERATOR, 13 * pow(7, i, R)) for i in range(8)]
        assert p.beta_g2() == curve.g2_mul(G2_GENERATOR, 13)


def test_dev_ptau_lagrange_points_interpolate_tau(small: Path) -> None:
    """sum_j L_j(tau) * w^(j*k) == tau^k on every domain: the Lagrange basis is right."""
    powers = [pow(7, i, R) for i in range(16)]
    with PTauFile(small) as p:
        for log_n in range(4):
            n = 1 << log_n
            scalars = lagrange_scalars(powers, log_n)
            assert PythonKernels().fft(scalars) == powers[:n]
            assert p.lagrange_g1(n) == [curve.g1_mul(G1_GENERATOR, s) for s in scalars]
        # The extra top domain of section 12 counts tau^15 as absent (snarkjs's convention).
        top = PythonKernels().ifft([*powers[:15], 0])
        assert p.lagrange_g1(16) == [curve.g1_mul(G1_GENERATOR, s) for s in top]
        assert top != lagrange_scalars(powers, 4)


def test_dev_ptau_is_labelled_unsafe(small: Path, snarkjs_ptau: Path) -> None:
    with PTauFile(small) as p:
        assert is_unsafe_dev_ptau(p)
        assert p.contributions[0].name is not None and p.contributions[0].name.startswith("UNSAFE")
    with PTauFile(snarkjs_ptau) as p:
        assert not is_unsafe_dev_ptau(p)


def test_dev_ptau_refuses_a_name_without_unsafe(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="must contain 'unsafe'"):
        generate_dev_ptau(tmp_path / "pot3.ptau", 3)
    assert not (tmp_path / "pot3.ptau").exists()


def test_dev_ptau_refuses_out_of_range_powers(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="between 1 and"):
        generate_dev_ptau(tmp_path / "pot0_unsafe.ptau", 0)


@pytest.mark.snarkjs
def test_snarkjs_accepts_the_dev_ptau_as_a_one_party_ceremony_and_shows_its_label(small: Path) -> None:
    done = snarkjs("powersoftau", "verify", small)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output  # proofs of knowledge, response and next-challenge hashes all hold
    assert "Powers of Tau Ok!" in output
    assert "UNSAFE zksolvency single-party dev ptau" in output  # ... and its one contributor is named


@pytest.mark.snarkjs
def test_snarkjs_refuses_the_dev_ptau_with_a_changed_point(small: Path, tmp_path: Path) -> None:
    """The twin: the next-challenge hash covers the points, so one changed point breaks the file."""
    with PTauFile(small) as p:
        offset = p.section_offset(2) + 3 * 64  # tauG1[3]
    data = bytearray(small.read_bytes())
    data[offset : offset + 64] = data[offset + 64 : offset + 128]  # tauG1[3] := tauG1[4], still on the curve
    bad = tmp_path / "bad_unsafe.ptau"
    bad.write_bytes(bytes(data))
    done = snarkjs("powersoftau", "verify", bad)
    assert done.returncode != 0
