"""Native setup: the dev ptau and the phase-2 key, byte for byte the python (= snarkjs) result."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from zksolvency.bn254 import R
from zksolvency.circuit.formats.ptau import PTAU_SECTION_ORDER, PTauFile
from zksolvency.circuit.formats.r1cs import LC, R1CS
from zksolvency.circuit.formats.zkey import (
    ZKEY_SECTION_C,
    ZKEY_SECTION_H,
    ZKEY_SECTION_MPC,
    decode_zkey,
    encode_zkey,
    encode_zkey_raw,
    zkey_raw_from_zkey,
)
from zksolvency.errors import SetupError
from zksolvency.groth16.kernels import get_kernels
from zksolvency.groth16.native_ptau_dev import dev_ptau_points
from zksolvency.groth16.ptau_dev import UNSAFE_NAME, DevSecrets, generate_dev_ptau, is_unsafe_dev_ptau
from zksolvency.groth16.setup import contribute, contribute_raw, new_zkey, new_zkey_raw, setup_raw

from .conftest import PTAU_POWER, SECRETS, CircuitKey, random_circuit


def test_native_dev_ptau_has_the_python_points(small_ptau: Path, native_work: Path) -> None:
    native = native_work / f"native{PTAU_POWER}_unsafe.ptau"
    generate_dev_ptau(native, PTAU_POWER, SECRETS, backend="native")
    with PTauFile(small_ptau) as theirs, PTauFile(native) as ours:
        assert is_unsafe_dev_ptau(ours)
        assert ours.contributions[0].name == UNSAFE_NAME
        for section_id in PTAU_SECTION_ORDER:
            if section_id != 7:  # the contribution record holds fresh proofs of knowledge
                assert bytes(ours.raw_section(section_id)) == bytes(theirs.raw_section(section_id)), (
                    section_id
                )


def test_other_dev_secrets_give_other_points() -> None:
    a = dev_ptau_points(3, SECRETS)
    b = dev_ptau_points(3, DevSecrets(SECRETS.tau + 1, SECRETS.alpha, SECRETS.beta))
    assert a[2][:64] == b[2][:64]  # tau^0 G1 = G1 either way
    assert a[2][64:128] != b[2][64:128]


def test_native_dev_ptau_keeps_the_unsafe_name_rule(native_work: Path) -> None:
    with pytest.raises(SetupError, match="must contain 'unsafe'"):
        generate_dev_ptau(native_work / "pot3.ptau", 3, SECRETS, backend="native")
    with pytest.raises(SetupError, match="between 1 and"):
        generate_dev_ptau(native_work / "pot0_unsafe.ptau", 0, SECRETS, backend="native")


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_native_new_zkey_is_byte_identical_to_python(seed: int, ptau: PTauFile) -> None:
    circuit = random_circuit(seed, n_constraints=30, n_public=seed % 3)
    reference = encode_zkey(new_zkey(circuit.r1cs, ptau, get_kernels("python")))
    assert encode_zkey_raw(new_zkey_raw(circuit.r1cs, ptau)) == reference
    assert encode_zkey(new_zkey(circuit.r1cs, ptau, get_kernels("native"))) == reference


def _dense_circuit(seed: int, n_constraints: int = 12, n_wires: int = 16) -> R1CS:
    """Poseidon-like constraints: linear combinations full of full-size coefficients.

    Every constraint has 6-9 terms per matrix, mostly full-size coefficients (some of
    them repeated, some ``v`` and ``r - v`` on one constraint, ``2^64`` and ``r - 2^64``
    at the small/full-size boundary), so the native setup builds a doubling ladder for
    nearly every Lagrange point. Not satisfiable: setup does not need a witness.
    """
    rng = random.Random(seed)
    shared = [rng.randrange(1, R) for _ in range(4)]

    def coeff() -> int:
        kind = rng.randrange(8)
        if kind == 0:
            return rng.choice((1, R - 1, 1 << 64, R - (1 << 64), (1 << 64) - 1))
        if kind == 1:
            return rng.choice(shared)
        if kind == 2:
            return R - rng.choice(shared)
        return rng.randrange(1, R)

    def lc() -> LC:
        return [(w, coeff()) for w in sorted(rng.sample(range(n_wires), rng.randrange(6, 10)))]

    return R1CS(
        prime=R,
        n_wires=n_wires,
        n_outputs=0,
        n_pub_inputs=2,
        n_prv_inputs=3,
        n_labels=n_wires,
        constraints=[(lc(), lc(), lc()) for _ in range(n_constraints)],
        wire_to_label=list(range(n_wires)),
    )


@pytest.mark.parametrize("seed", [51, 52])
def test_native_new_zkey_with_dense_coefficients_is_byte_identical(seed: int, ptau: PTauFile) -> None:
    r1cs = _dense_circuit(seed)
    reference = encode_zkey(new_zkey(r1cs, ptau, get_kernels("python")))
    assert encode_zkey_raw(new_zkey_raw(r1cs, ptau)) == reference
    assert encode_zkey_raw(new_zkey_raw(_dense_circuit(seed + 100), ptau)) != reference


def test_native_new_zkey_of_another_circuit_differs(ptau: PTauFile) -> None:
    a = encode_zkey_raw(new_zkey_raw(random_circuit(21).r1cs, ptau))
    b = encode_zkey_raw(new_zkey_raw(random_circuit(22).r1cs, ptau))
    assert a != b


def test_native_contribution_is_byte_identical_to_python(
    circuit_keys: list[CircuitKey], ptau: PTauFile
) -> None:
    ck = circuit_keys[0]
    raw = new_zkey_raw(ck.circuit.r1cs, ptau)
    ours = contribute_raw(raw, 0xD17A + ck.circuit.seed, 0x5EED, "tests")
    assert encode_zkey_raw(ours) == encode_zkey(ck.zkey)
    twice = contribute_raw(ours, 5, 6, "second")
    assert encode_zkey_raw(twice) == encode_zkey(contribute(ck.zkey, 5, 6, "second"))
    other = contribute_raw(raw, 0xD17A + ck.circuit.seed + 1, 0x5EED, "tests")
    for section_id in (ZKEY_SECTION_C, ZKEY_SECTION_H, ZKEY_SECTION_MPC):
        assert other.section(section_id) != ours.section(section_id)


def test_native_setup_makes_a_key_that_proves(ptau: PTauFile) -> None:
    from zksolvency.groth16.native_prove import prove_raw
    from zksolvency.groth16.verify import verify
    from zksolvency.groth16.vkey import export_vkey

    circuit = random_circuit(31)
    raw = setup_raw(circuit.r1cs, ptau, "tests")
    assert len(raw.mpc.contributions) == 1
    zkey = decode_zkey(encode_zkey_raw(raw))
    proof, public = prove_raw(raw, circuit.witness, 5, 6)
    assert verify(export_vkey(zkey), public, proof).valid
    other = decode_zkey(encode_zkey_raw(setup_raw(circuit.r1cs, ptau, "tests")))
    assert not verify(export_vkey(other), public, proof).valid  # fresh delta: another key
    assert zkey_raw_from_zkey(zkey).header == raw.header


def test_native_setup_refuses_a_circuit_too_big_for_the_ptau(ptau: PTauFile) -> None:
    circuit = random_circuit(41, n_constraints=40, n_public=1)
    big = random_circuit(41, n_constraints=40, n_public=1).r1cs
    assert new_zkey_raw(circuit.r1cs, ptau)
    from dataclasses import replace

    with pytest.raises(SetupError, match="circuit too big"):
        new_zkey_raw(replace(big, constraints=big.constraints * 2), ptau)
