"""The native verifier against the py_ecc one: same answers, same reasons, on good and bad input."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from zksolvency.bn254 import Q, R
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.groth16.kernels import get_kernels
from zksolvency.groth16.native_verify import g2_in_subgroup_native, verify_native
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.transcript import ChaChaRng, draw_twist_point
from zksolvency.groth16.verify import MalformedInput, Verification, verify
from zksolvency.groth16.vkey import export_vkey

from .conftest import CircuitKey


@pytest.fixture(scope="module")
def valid(circuit_keys: list[CircuitKey]) -> tuple[VerificationKey, Proof, list[int]]:
    ck = circuit_keys[2]  # three public inputs
    proof, public = prove_with(ck.zkey, ck.circuit.witness, 11, 12, get_kernels("native"))
    return export_vkey(ck.zkey), proof, public


def _both(vk: VerificationKey, public: list[int], proof: Proof) -> Verification | str:
    """The common answer of both verifiers (a result, or the MalformedInput reason); fails if they differ."""
    answers: list[Verification | str] = []
    for backend in ("native", "python"):
        try:
            answers.append(verify(vk, public, proof, backend=backend))
        except MalformedInput as exc:
            answers.append(f"malformed: {exc}")
    assert answers[0] == answers[1]
    return answers[0]


def test_valid_proof_is_accepted_by_both(valid: tuple[VerificationKey, Proof, list[int]]) -> None:
    vk, proof, public = valid
    assert _both(vk, public, proof) == Verification(True, "the pairing equation holds")


def test_tampered_proof_is_invalid_for_both(valid: tuple[VerificationKey, Proof, list[int]]) -> None:
    vk, proof, public = valid
    answer = _both(vk, public, Proof(a=proof.a, b=proof.b, c=proof.a))
    assert isinstance(answer, Verification) and not answer.valid


def test_other_public_inputs_are_invalid_for_both(valid: tuple[VerificationKey, Proof, list[int]]) -> None:
    vk, proof, public = valid
    answer = _both(vk, [(public[0] + 1) % R, *public[1:]], proof)
    assert isinstance(answer, Verification) and not answer.valid


def test_alias_input_plus_r_is_malformed_for_both(valid: tuple[VerificationKey, Proof, list[int]]) -> None:
    vk, proof, public = valid
    answer = _both(vk, [public[0] + R, *public[1:]], proof)
    assert isinstance(answer, str) and "alias is refused" in answer


def test_point_off_the_curve_is_malformed_for_both(valid: tuple[VerificationKey, Proof, list[int]]) -> None:
    vk, proof, public = valid
    assert proof.a is not None
    answer = _both(vk, public, replace(proof, a=(proof.a[0], (proof.a[1] + 1) % Q)))
    assert isinstance(answer, str) and "not on the G1 curve" in answer


def test_coordinate_not_below_q_is_malformed_for_both(
    valid: tuple[VerificationKey, Proof, list[int]],
) -> None:
    vk, proof, public = valid
    assert proof.c is not None
    answer = _both(vk, public, replace(proof, c=(proof.c[0] + Q, proof.c[1])))
    assert isinstance(answer, str) and "not below the base field modulus q" in answer


def test_g2_point_outside_the_subgroup_is_malformed_for_both(
    valid: tuple[VerificationKey, Proof, list[int]],
) -> None:
    vk, proof, public = valid
    bad_b = draw_twist_point(ChaChaRng((9, 9, 9, 9, 9, 9, 9, 9)))  # on the twist, cofactor not cleared
    assert not g2_in_subgroup_native(bad_b)
    assert g2_in_subgroup_native(proof.b)
    answer = _both(vk, public, replace(proof, b=bad_b))
    assert isinstance(answer, str) and "not in the order-r subgroup of G2" in answer
    answer_vk = _both(replace(vk, delta2=bad_b), public, proof)
    assert isinstance(answer_vk, str) and "vk_delta_2" in answer_vk


def test_wrong_number_of_inputs_is_malformed_for_both(
    valid: tuple[VerificationKey, Proof, list[int]],
) -> None:
    vk, proof, public = valid
    answer = _both(vk, public[:-1], proof)
    assert isinstance(answer, str) and "expected 3 values" in answer


def test_native_verify_is_fast(valid: tuple[VerificationKey, Proof, list[int]]) -> None:
    vk, proof, public = valid
    verify_native(vk, public, proof)  # warm up
    start = time.perf_counter()
    for _ in range(10):
        assert verify_native(vk, public, proof).valid
    # generous bound (shared CI machines); measured figures are in docs/native.md
    assert (time.perf_counter() - start) / 10 < 0.1


def test_unknown_verifier_backend_is_refused(valid: tuple[VerificationKey, Proof, list[int]]) -> None:
    vk, proof, public = valid
    with pytest.raises(ValueError, match="unknown kernel backend 'cuda'"):
        verify(vk, public, proof, backend="cuda")
