"""proof.json, verification_key.json, public.json: round trips and strict shape checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zksolvency.bn254 import Q
from zksolvency.circuit.formats.snarkjs_json import (
    Proof,
    VerificationKey,
    proof_from_json,
    proof_to_json,
    public_from_json,
    public_to_json,
    read_proof,
    read_public,
    read_vkey,
    vkey_from_json,
    vkey_to_json,
    write_proof,
    write_public,
    write_vkey,
)
from zksolvency.errors import FormatError

from .conftest import G1_POOL, G2_POOL, g1_points, g2_points

big_ints = st.integers(0, 2**300)
gt_values = st.lists(
    st.lists(st.lists(big_ints, min_size=2, max_size=2), min_size=3, max_size=3), min_size=2, max_size=2
)
proofs = st.builds(Proof, a=g1_points, b=g2_points, c=g1_points)


@st.composite
def vkeys(draw: Any) -> VerificationKey:
    n_public = draw(st.integers(0, 4))
    return VerificationKey(
        n_public=n_public,
        alpha1=draw(g1_points),
        beta2=draw(g2_points),
        gamma2=draw(g2_points),
        delta2=draw(g2_points),
        ic=draw(st.lists(g1_points, min_size=n_public + 1, max_size=n_public + 1)),
        alphabeta_12=draw(st.none() | gt_values),
    )


PROOF = Proof(a=G1_POOL[1], b=G2_POOL[1], c=G1_POOL[2])
VKEY = VerificationKey(1, G1_POOL[1], G2_POOL[1], G2_POOL[2], G2_POOL[3], [G1_POOL[2], G1_POOL[3]], None)


@given(proofs)
def test_proof_round_trip(proof: Proof) -> None:
    assert proof_from_json(json.loads(json.dumps(proof_to_json(proof)))) == proof


@given(vkeys())
def test_vkey_round_trip(vkey: VerificationKey) -> None:
    assert vkey_from_json(json.loads(json.dumps(vkey_to_json(vkey)))) == vkey


@given(st.lists(big_ints, max_size=6))
def test_public_round_trip(values: list[int]) -> None:
    assert public_from_json(json.loads(json.dumps(public_to_json(values)))) == values


def test_files_round_trip(tmp_path: Path) -> None:
    write_proof(tmp_path / "proof.json", PROOF)
    write_vkey(tmp_path / "vk.json", VKEY)
    write_public(tmp_path / "public.json", [33, 0])
    assert read_proof(tmp_path / "proof.json") == PROOF
    assert read_vkey(tmp_path / "vk.json") == VKEY
    assert read_public(tmp_path / "public.json") == [33, 0]
    assert (tmp_path / "public.json").read_text() == '[\n "33",\n "0"\n]'


def test_proof_json_shape() -> None:
    assert G1_POOL[1] is not None and G2_POOL[1] is not None
    obj = proof_to_json(PROOF)
    assert list(obj) == ["pi_a", "pi_b", "pi_c", "protocol", "curve"]
    assert obj["pi_a"] == [str(G1_POOL[1][0]), str(G1_POOL[1][1]), "1"]
    (x0, x1), (y0, y1) = G2_POOL[1]
    assert obj["pi_b"] == [[str(x0), str(x1)], [str(y0), str(y1)], ["1", "0"]]
    assert (obj["protocol"], obj["curve"]) == ("groth16", "bn128")


def test_infinity_forms() -> None:
    obj = proof_to_json(Proof(None, None, None))
    assert obj["pi_a"] == ["0", "1", "0"]
    assert obj["pi_b"] == [["0", "0"], ["1", "0"], ["0", "0"]]
    assert proof_from_json(obj) == Proof(None, None, None)


# --- what the parsers accept that a verifier must judge --------------------------------


def test_parsers_accept_values_beyond_the_field_and_json_integers() -> None:
    obj: Any = proof_to_json(PROOF)
    obj["pi_a"] = [str(Q + 5), 7, "1"]
    del obj["curve"]  # rapidsnark writes no curve
    assert proof_from_json(obj).a == (Q + 5, 7)
    assert public_from_json(["0", 12, str(2**400)]) == [0, 12, 2**400]


# --- shape refusals ----------------------------------------------------------------------


def _proof_with(path: tuple[Any, ...], value: Any) -> Any:
    obj: Any = copy.deepcopy(proof_to_json(PROOF))
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return obj


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("pi_b", 1, 0), "0x10", r"proof.json: pi_b\[1\]\[0\]: not a decimal integer string: '0x10'"),
        (("pi_a", 0), "-5", r"pi_a\[0\]: not a decimal integer string: '-5'"),
        (("pi_a", 0), " 5", r"pi_a\[0\]: not a decimal integer string"),
        (("pi_a", 1), 1.5, r"pi_a\[1\]: not a decimal integer string \(got float\)"),
        (("pi_a", 1), True, r"pi_a\[1\]: not a decimal integer string \(got bool\)"),
        (("pi_a", 1), -3, r"pi_a\[1\]: negative integer -3"),
        (("pi_a", 1), "9" * 5000, r"pi_a\[1\]: decimal integer string too long"),
        (("pi_c", 2), "2", r'pi_c: third coordinate must be "1"'),
        (("pi_c",), ["0", "0", "0"], r'pi_c: third coordinate must be "1" \(affine\) or the point must be'),
        (("pi_b", 2), ["1", "1"], r"pi_b: third coordinate must be \[\"1\", \"0\"\]"),
        (("pi_a",), ["1", "2"], r"pi_a: expected a list of 3, got 2 elements"),
        (("pi_b", 0), "12", r"pi_b\[0\]: expected a list of 2, got str"),
        (("protocol",), "plonk", r"proof.json: protocol: expected 'groth16', got 'plonk'"),
        (("curve",), "bls12381", r"proof.json: curve: expected 'bn128', got 'bls12381'"),
        (("extra",), 1, r"proof.json: unknown key\(s\) extra"),
    ],
)
def test_proof_shape_refusals(path: tuple[Any, ...], value: Any, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        proof_from_json(_proof_with(path, value))


def test_g2_infinity_must_be_the_exact_form() -> None:
    obj = _proof_with(("pi_b",), [["0", "0"], ["1", "0"], ["0", "0"]])
    assert proof_from_json(obj).b is None
    with pytest.raises(FormatError, match="pi_b: third coordinate"):
        proof_from_json(_proof_with(("pi_b",), [["0", "0"], ["0", "0"], ["0", "0"]]))


def test_proof_refuses_a_missing_key_and_a_non_object() -> None:
    obj = proof_to_json(PROOF)
    del obj["pi_c"]
    with pytest.raises(FormatError, match=r"proof.json: missing key\(s\) pi_c"):
        proof_from_json(obj)
    with pytest.raises(FormatError, match=r"proof.json: expected a JSON object, got list"):
        proof_from_json([])


def test_vkey_shape_refusals() -> None:
    good = vkey_to_json(VKEY)
    assert vkey_from_json(good) == VKEY
    for key, value, message in [
        ("nPublic", "1", r"nPublic: expected a non-negative JSON integer, got '1'"),
        ("nPublic", 2, r"IC has 2 points, expected nPublic \+ 1 = 3"),
        ("IC", {}, r"IC: expected a list, got dict"),
        ("vk_alphabeta_12", [[["1", "2"]] * 3] * 3, r"vk_alphabeta_12: expected a list of 2, got 3"),
        ("vk_alphabeta_12", [[["1", "x"]] * 3] * 2, r"vk_alphabeta_12\[0\]\[0\]\[1\]: not a decimal"),
        ("vk_delta_2", ["1", "2", "1"], r"vk_delta_2\[0\]: expected a list of 2, got str"),
        ("curve", "bls12381", r"curve: expected 'bn128'"),
    ]:
        obj = dict(good, **{key: value})
        with pytest.raises(FormatError, match=message):
            vkey_from_json(obj, "vk.json")


def test_vkey_writer_refuses_a_wrong_ic_count() -> None:
    with pytest.raises(FormatError, match=r"IC has 2 points, expected nPublic \+ 1 = 4"):
        vkey_to_json(VerificationKey(3, None, None, None, None, [None, None]))


def test_public_refusals() -> None:
    with pytest.raises(FormatError, match=r"public.json: expected a list of decimal strings, got dict"):
        public_from_json({})
    with pytest.raises(FormatError, match=r"public.json: \[1\]: not a decimal integer string: 'abc'"):
        public_from_json(["1", "abc"])
    with pytest.raises(FormatError, match=r"public signals: \[0\]: not a non-negative integer: -1"):
        public_to_json([-1])


def test_read_refuses_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "proof.json"
    path.write_text('{"pi_a": [')
    with pytest.raises(FormatError, match=r"proof.json: not valid JSON"):
        read_proof(path)
