"""Interoperability with snarkjs 0.7.6, a Groth16 implementation nobody here wrote.

Each claim is checked in both directions on both example circuits (one of them
built from circomlib's Poseidon and comparators), and each has a negative twin.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from zksolvency.bn254 import Q, R
from zksolvency.circuit.formats.binfile import read_binfile
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.snarkjs_json import (
    Proof,
    read_proof,
    read_public,
    read_vkey,
    write_proof,
    write_public,
)
from zksolvency.circuit.formats.zkey import read_zkey, write_zkey
from zksolvency.groth16 import curve
from zksolvency.groth16.prove import prove, prove_with
from zksolvency.groth16.setup import contribute, new_zkey
from zksolvency.groth16.transcript import ChaChaRng, draw_twist_point
from zksolvency.groth16.verify import MalformedInput, verify

from ..snarkjs_tool import snarkjs, snarkjs_ok
from .conftest import CIRCUITS, Circuit, Keys

pytestmark = pytest.mark.snarkjs


@pytest.fixture(params=CIRCUITS)
def key(request: pytest.FixtureRequest, keys: dict[str, Keys]) -> Keys:
    return keys[request.param]


def _snarkjs_verifies(vkey: Path, public: Path, proof: Path) -> bool:
    done = snarkjs("groth16", "verify", vkey, public, proof)
    return done.returncode == 0 and "OK" in done.stdout


def _write(tmp_path: Path, proof: Proof, public: list[int]) -> tuple[Path, Path]:
    proof_path, public_path = tmp_path / "proof.json", tmp_path / "public.json"
    write_proof(proof_path, proof)
    write_public(public_path, public)
    return proof_path, public_path


def _tamper(proof: Proof) -> Proof:
    """Replace C by C + G1: still a valid curve point, no longer a valid proof."""
    c = curve.g1_add(curve.g1_from_affine(proof.c), curve.g1_from_affine(curve.G1_GEN))
    return replace(proof, c=curve.g1_to_affine(c))


# --- setup -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", CIRCUITS)
def test_initial_zkey_is_identical_to_snarkjs_groth16_setup(
    name: str, circuits: dict[str, Circuit], ptau_path: Path, tmp_path: Path
) -> None:
    circuit = circuits[name]
    with PTauFile(ptau_path) as ptau:
        ours = new_zkey(circuit.r1cs, ptau)
    write_zkey(tmp_path / "ours.zkey", ours)
    snarkjs_ok("groth16", "setup", circuit.r1cs_path, ptau_path, tmp_path / "theirs.zkey")
    ours_sections = read_binfile(tmp_path / "ours.zkey", b"zkey").sections
    theirs_sections = read_binfile(tmp_path / "theirs.zkey", b"zkey").sections
    assert sorted(ours_sections) == sorted(theirs_sections) == list(range(1, 11))
    for section_id, payload in theirs_sections.items():
        assert ours_sections[section_id] == payload, f"section {section_id} differs"


def test_initial_zkey_differs_from_snarkjs_when_the_circuit_differs(
    circuits: dict[str, Circuit], snarkjs_ptau: Path, tmp_path: Path
) -> None:
    circuit = circuits["multiplier"]
    (a, b, c), *rest = circuit.r1cs.constraints
    changed = replace(circuit.r1cs, constraints=[(a, b, [(w, 2 * v % R) for w, v in c]), *rest])
    with PTauFile(snarkjs_ptau) as ptau:
        ours = new_zkey(changed, ptau)
    snarkjs_ok("groth16", "setup", circuit.r1cs_path, snarkjs_ptau, tmp_path / "theirs.zkey")
    theirs = read_zkey(tmp_path / "theirs.zkey")
    assert ours.mpc.cs_hash != theirs.mpc.cs_hash


def test_snarkjs_zkey_verify_accepts_our_key_with_two_contributions(
    key: Keys, ptau_path: Path, tmp_path: Path
) -> None:
    with PTauFile(ptau_path) as ptau:
        zkey = new_zkey(key.circuit.r1cs, ptau)
    zkey = contribute(contribute(zkey, 11, 12, "first"), 13, 14, "second")
    write_zkey(tmp_path / "two.zkey", zkey)
    out = snarkjs_ok("zkey", "verify", key.circuit.r1cs_path, ptau_path, tmp_path / "two.zkey")
    assert "ZKey Ok!" in out and "first" in out and "second" in out


def test_snarkjs_zkey_verify_rejects_our_key_when_tampered(key: Keys, tmp_path: Path) -> None:
    h = list(key.ours.h)
    h[1] = curve.g1_mul(h[1], 2)
    write_zkey(tmp_path / "bad_h.zkey", replace(key.ours, h=h))
    done = snarkjs("zkey", "verify", key.circuit.r1cs_path, key.ptau, tmp_path / "bad_h.zkey")
    assert done.returncode != 0 or "ZKey Ok!" not in done.stdout
    # A contribution record that does not match delta is refused too.
    write_zkey(tmp_path / "bad_delta.zkey", replace(key.ours, delta1=curve.g1_mul(key.ours.delta1, 3)))
    done = snarkjs("zkey", "verify", key.circuit.r1cs_path, key.ptau, tmp_path / "bad_delta.zkey")
    assert done.returncode != 0 or "ZKey Ok!" not in done.stdout


def test_snarkjs_contribution_on_our_key_still_verifies(key: Keys, tmp_path: Path) -> None:
    snarkjs_ok("zkey", "contribute", key.ours_path, tmp_path / "more.zkey", "--name=theirs", "-e=x")
    assert "ZKey Ok!" in snarkjs_ok("zkey", "verify", key.circuit.r1cs_path, key.ptau, tmp_path / "more.zkey")
    # ... and we read their contribution back and extend the chain once more.
    theirs = read_zkey(tmp_path / "more.zkey")
    assert [c.name for c in theirs.mpc.contributions] == ["tests", "theirs"]
    write_zkey(tmp_path / "again.zkey", contribute(theirs, 21, 22, "ours again"))
    assert "ZKey Ok!" in snarkjs_ok(
        "zkey", "verify", key.circuit.r1cs_path, key.ptau, tmp_path / "again.zkey"
    )


def test_our_verification_key_equals_snarkjs_export(key: Keys, tmp_path: Path) -> None:
    snarkjs_ok("zkey", "export", "verificationkey", key.ours_path, tmp_path / "theirs.json")
    theirs = json.loads((tmp_path / "theirs.json").read_text())
    ours = json.loads(key.ours_vkey.read_text())
    assert ours == theirs
    # Twin: another setup of the same circuit has another key, down to e(alpha, beta)'s ... unless
    # alpha and beta come from the same ptau (they do here), where only delta and IC differ.
    other = json.loads(key.snarkjs_vkey.read_text())
    assert other["vk_alphabeta_12"] == ours["vk_alphabeta_12"]
    assert other["vk_delta_2"] != ours["vk_delta_2"]


# --- proofs, both directions -----------------------------------------------------------------


def test_snarkjs_verifies_our_proof(key: Keys, tmp_path: Path) -> None:
    proof, public = prove(key.ours, key.circuit.witness)
    proof_path, public_path = _write(tmp_path, proof, public)
    assert _snarkjs_verifies(key.ours_vkey, public_path, proof_path)
    assert verify(read_vkey(key.ours_vkey), public, proof).valid


def test_snarkjs_rejects_our_tampered_proof(key: Keys, tmp_path: Path) -> None:
    proof, public = prove(key.ours, key.circuit.witness)
    proof_path, public_path = _write(tmp_path, _tamper(proof), public)
    assert not _snarkjs_verifies(key.ours_vkey, public_path, proof_path)


def test_we_verify_a_snarkjs_proof(key: Keys, tmp_path: Path) -> None:
    snarkjs_ok(
        "groth16", "prove", key.snarkjs_path, key.circuit.wtns, tmp_path / "p.json", tmp_path / "x.json"
    )
    result = verify(
        read_vkey(key.snarkjs_vkey), read_public(tmp_path / "x.json"), read_proof(tmp_path / "p.json")
    )
    assert result.valid, result.reason


def test_we_reject_a_snarkjs_proof_for_other_public_inputs(key: Keys, tmp_path: Path) -> None:
    snarkjs_ok(
        "groth16", "prove", key.snarkjs_path, key.circuit.wtns, tmp_path / "p.json", tmp_path / "x.json"
    )
    public = read_public(tmp_path / "x.json")
    public[0] = (public[0] + 1) % R
    result = verify(read_vkey(key.snarkjs_vkey), public, read_proof(tmp_path / "p.json"))
    assert not result.valid


def test_our_prover_works_with_a_snarkjs_zkey(key: Keys, tmp_path: Path) -> None:
    zkey = read_zkey(key.snarkjs_path)
    proof, public = prove(zkey, key.circuit.witness)
    proof_path, public_path = _write(tmp_path, proof, public)
    assert _snarkjs_verifies(key.snarkjs_vkey, public_path, proof_path)
    assert verify(read_vkey(key.snarkjs_vkey), public, proof).valid


def test_our_proof_under_a_snarkjs_zkey_fails_under_another_key(
    keys: dict[str, Keys], tmp_path: Path
) -> None:
    key = keys["multiplier"]
    proof, public = prove(read_zkey(key.snarkjs_path), key.circuit.witness)
    proof_path, public_path = _write(tmp_path, proof, public)
    # Same circuit, our independent setup: a different key.
    assert not _snarkjs_verifies(key.ours_vkey, public_path, proof_path)
    assert not verify(read_vkey(key.ours_vkey), public, proof).valid


# --- our verifier's negative twins ---------------------------------------------------------------


@pytest.fixture(scope="module")
def valid(keys: dict[str, Keys]) -> tuple[Keys, Proof, list[int]]:
    key = keys["poseidon_range"]
    proof, public = prove_with(key.ours, key.circuit.witness, 1234, 5678)
    return key, proof, public


def test_alias_attack_public_input_plus_r_is_refused(
    valid: tuple[Keys, Proof, list[int]], tmp_path: Path
) -> None:
    key, proof, public = valid
    vkey = read_vkey(key.ours_vkey)
    assert verify(vkey, public, proof).valid
    aliased = [public[0] + R, *public[1:]]
    with pytest.raises(MalformedInput, match="not below the field modulus r"):
        verify(vkey, aliased, proof)


def test_point_off_the_curve_is_refused(valid: tuple[Keys, Proof, list[int]]) -> None:
    key, proof, public = valid
    assert proof.a is not None
    off = replace(proof, a=(proof.a[0], (proof.a[1] + 1) % Q))
    with pytest.raises(MalformedInput, match="pi_a: point is not on the G1 curve"):
        verify(read_vkey(key.ours_vkey), public, off)


def test_coordinate_not_below_q_is_refused(valid: tuple[Keys, Proof, list[int]]) -> None:
    key, proof, public = valid
    assert proof.c is not None
    big = replace(proof, c=(proof.c[0] + Q, proof.c[1]))
    with pytest.raises(MalformedInput, match="pi_c: coordinate not below"):
        verify(read_vkey(key.ours_vkey), public, big)


def test_g2_point_outside_the_subgroup_is_refused(valid: tuple[Keys, Proof, list[int]]) -> None:
    key, proof, public = valid
    outside = replace(proof, b=draw_twist_point(ChaChaRng((9, 9, 9, 9, 9, 9, 9, 9))))
    with pytest.raises(MalformedInput, match="pi_b: point is not in the order-r subgroup"):
        verify(read_vkey(key.ours_vkey), public, outside)


def test_wrong_verification_key_rejects_a_valid_proof(
    valid: tuple[Keys, Proof, list[int]], keys: dict[str, Keys]
) -> None:
    _key, proof, public = valid
    other = read_vkey(keys["poseidon_range"].snarkjs_vkey)  # same circuit, snarkjs's setup
    result = verify(other, public, proof)
    assert not result.valid
    assert "does not hold" in result.reason


def test_tampered_proof_is_invalid_not_malformed(valid: tuple[Keys, Proof, list[int]]) -> None:
    key, proof, public = valid
    result = verify(read_vkey(key.ours_vkey), public, _tamper(proof))
    assert not result.valid


def test_wrong_number_of_public_inputs_is_refused(valid: tuple[Keys, Proof, list[int]]) -> None:
    key, proof, public = valid
    n = len(public)
    with pytest.raises(MalformedInput, match=f"expected {n} values, got {n + 1}"):
        verify(read_vkey(key.ours_vkey), [*public, 0], proof)
    with pytest.raises(MalformedInput, match=f"expected {n} values, got {n - 1}"):
        verify(read_vkey(key.ours_vkey), public[:-1], proof)


# --- the deterministic core -------------------------------------------------------------------


def test_prove_with_is_deterministic_and_blinding_changes_the_proof(
    valid: tuple[Keys, Proof, list[int]],
) -> None:
    key, proof, public = valid
    again, _ = prove_with(key.ours, key.circuit.witness, 1234, 5678)
    assert again == proof
    other, _ = prove_with(key.ours, key.circuit.witness, 1, 2)
    assert other != proof
    assert verify(read_vkey(key.ours_vkey), public, other).valid
