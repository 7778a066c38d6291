"""Whole proofs: the native prover against the python one, on random circuits and witnesses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency import _native
from zksolvency.bn254 import R
from zksolvency.circuit.formats.snarkjs_json import read_proof, read_public, write_vkey
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.formats.zkey import (
    ZKEY_SECTION_B2,
    ZKEY_SECTION_H,
    ZKEY_SECTION_ORDER,
    decode_zkey_raw,
    encode_zkey_raw,
    read_zkey_layout,
    read_zkey_raw,
    write_zkey,
    write_zkey_raw,
    zkey_raw_from_zkey,
)
from zksolvency.cli.main import cli
from zksolvency.errors import FormatError, InputError
from zksolvency.groth16.kernels import get_kernels
from zksolvency.groth16.native_prove import (
    _BIG_SECTIONS,
    _header_points,
    _rs_bytes,
    prove_files,
    prove_raw,
    read_wtns_raw,
)
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.verify import verify
from zksolvency.groth16.vkey import export_vkey

from .conftest import CircuitKey


def _rs(seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    return rng.randrange(R), rng.randrange(R)


def test_native_and_python_give_identical_proofs(circuit_keys: list[CircuitKey]) -> None:
    for i, ck in enumerate(circuit_keys):
        r, s = _rs(i)
        ours = prove_with(ck.zkey, ck.circuit.witness, r, s, get_kernels("native"))
        reference = prove_with(ck.zkey, ck.circuit.witness, r, s, get_kernels("python"))
        assert ours == reference
        assert ours[1] == ck.circuit.witness[1 : ck.zkey.n_public + 1]


def test_other_blinding_gives_another_proof_for_the_same_statement(circuit_keys: list[CircuitKey]) -> None:
    ck = circuit_keys[0]
    proof1, public1 = prove_with(ck.zkey, ck.circuit.witness, 1, 2, get_kernels("native"))
    proof2, public2 = prove_with(ck.zkey, ck.circuit.witness, 3, 2, get_kernels("native"))
    assert public1 == public2
    assert proof1.a != proof2.a and proof1.c != proof2.c
    assert proof1.b == proof2.b  # pi_B depends on s only


def test_native_proof_verifies_and_a_flipped_witness_value_does_not(circuit_keys: list[CircuitKey]) -> None:
    ck = circuit_keys[1]
    vk = export_vkey(ck.zkey)
    proof, public = prove_with(ck.zkey, ck.circuit.witness, *_rs(7), get_kernels("native"))
    assert verify(vk, public, proof, backend="native").valid
    bad = list(ck.circuit.witness)
    bad[-1] = (bad[-1] + 1) % R  # the last constraint's output: the constraint no longer holds
    proof_bad, public_bad = prove_with(ck.zkey, bad, *_rs(7), get_kernels("native"))
    assert public_bad == public
    result = verify(vk, public_bad, proof_bad, backend="native")
    assert not result.valid
    assert not verify(vk, public_bad, proof_bad, backend="python").valid


def test_raw_sections_from_a_file_give_the_same_proof(circuit_keys: list[CircuitKey], tmp_path: Path) -> None:
    ck = circuit_keys[2]
    zkey_path, wtns_path = tmp_path / "k.zkey", tmp_path / "w.wtns"
    write_zkey(zkey_path, ck.zkey)
    write_wtns(wtns_path, ck.circuit.witness)
    r, s = _rs(3)
    expected = prove_with(ck.zkey, ck.circuit.witness, r, s, get_kernels("python"))
    assert prove_files(zkey_path, wtns_path, r, s) == expected
    raw = read_zkey_raw(zkey_path)
    assert raw.header.n_vars == ck.zkey.n_vars and raw.header.ic == ck.zkey.ic
    assert prove_raw(raw, read_wtns_raw(wtns_path), r, s) == expected
    assert encode_zkey_raw(raw) == zkey_path.read_bytes()
    assert prove_files(zkey_path, wtns_path, r, (s + 1) % R) != expected


def test_file_proof_reads_sections_wherever_they_lie(circuit_keys: list[CircuitKey], tmp_path: Path) -> None:
    """prove_files reads each section at its offset: sections in reverse order give the same proof."""
    ck = circuit_keys[1]
    raw = zkey_raw_from_zkey(ck.zkey)
    forward, backward = tmp_path / "forward.zkey", tmp_path / "backward.zkey"
    write_zkey_raw(forward, raw)
    write_zkey_raw(backward, raw, section_order=tuple(reversed(ZKEY_SECTION_ORDER)))
    wtns = tmp_path / "w.wtns"
    write_wtns(wtns, ck.circuit.witness)
    r, s = _rs(11)
    assert forward.read_bytes() != backward.read_bytes()
    assert read_zkey_layout(forward)[1][ZKEY_SECTION_H] != read_zkey_layout(backward)[1][ZKEY_SECTION_H]
    expected = prove_raw(raw, ck.circuit.witness, r, s)
    assert prove_files(backward, wtns, r, s) == prove_files(forward, wtns, r, s) == expected
    assert prove_files(backward, wtns, r, (s + 1) % R) != expected


def test_corrupted_section_in_key_file_is_format_error(
    circuit_keys: list[CircuitKey], tmp_path: Path
) -> None:
    ck = circuit_keys[0]
    path, wtns = tmp_path / "k.zkey", tmp_path / "w.wtns"
    write_zkey(path, ck.zkey)
    write_wtns(wtns, ck.circuit.witness)
    assert prove_files(path, wtns, 1, 1)
    offset, _ = read_zkey_layout(path)[1][ZKEY_SECTION_B2]
    data = bytearray(path.read_bytes())
    data[offset + 128] ^= 1  # B2[1].x.c0 changes: the point leaves the twist curve
    path.write_bytes(bytes(data))
    with pytest.raises(FormatError, match="B2\\[1\\]: point is not on the G2 twist curve"):
        prove_files(path, wtns, 1, 1)


def test_file_prover_names_a_section_it_cannot_read(circuit_keys: list[CircuitKey], tmp_path: Path) -> None:
    ck = circuit_keys[0]
    path = tmp_path / "k.zkey"
    write_zkey(path, ck.zkey)
    hdr, layout = read_zkey_layout(path)
    ranges = [layout[section_id] for section_id in _BIG_SECTIONS]
    witness = b"".join(v.to_bytes(32, "little") for v in ck.circuit.witness)
    args = (hdr.n_vars, hdr.n_public, hdr.domain_size, *_header_points(hdr), str(path))
    assert _native.prove_file(*args, ranges, witness, *_rs_bytes(1, 1))
    past_end = [*ranges[:5], (path.stat().st_size - 10, ranges[5][1])]
    with pytest.raises(ValueError, match=r"H section of .*k\.zkey"):
        _native.prove_file(*args, past_end, witness, *_rs_bytes(1, 1))
    with pytest.raises(ValueError, match="expected 6"):
        _native.prove_file(*args, ranges[:5], witness, *_rs_bytes(1, 1))


def test_witness_errors_are_input_errors(circuit_keys: list[CircuitKey]) -> None:
    ck = circuit_keys[0]
    raw = zkey_raw_from_zkey(ck.zkey)
    w = ck.circuit.witness
    assert prove_raw(raw, w, 1, 1)[1] == w[1 : ck.zkey.n_public + 1]
    with pytest.raises(InputError, match="witness has"):
        prove_raw(raw, w[:-1], 1, 1)
    with pytest.raises(InputError, match="witness\\[0\\] must be 1"):
        prove_raw(raw, [2, *w[1:]], 1, 1)
    with pytest.raises(InputError, match="not a field element below r"):
        prove_raw(raw, [*w[:-1], R], 1, 1)
    with pytest.raises(InputError, match="not below the field modulus r"):
        prove_raw(
            raw,
            b"".join(v.to_bytes(32, "little") for v in [*w[:-1], 0])[:-32] + R.to_bytes(32, "little"),
            1,
            1,
        )


def test_a_corrupted_key_section_is_a_format_error(circuit_keys: list[CircuitKey]) -> None:
    ck = circuit_keys[0]
    data = bytearray(encode_zkey_raw(zkey_raw_from_zkey(ck.zkey)))
    good = decode_zkey_raw(bytes(data))
    h = good.section(ZKEY_SECTION_H)
    assert prove_raw(good, ck.circuit.witness, 1, 1)
    offset = bytes(data).index(bytes(h))
    data[offset] ^= 1  # H[0].x changes: the point leaves the curve
    with pytest.raises(FormatError, match="not on the G1 curve"):
        prove_raw(decode_zkey_raw(bytes(data)), ck.circuit.witness, 1, 1)
    with pytest.raises(FormatError, match="trailing bytes"):
        decode_zkey_raw(bytes(data) + b"\x00")


@pytest.mark.parametrize("backend", ["native", "python"])
def test_cli_prove_and_verify_with_either_backend(
    backend: str, circuit_keys: list[CircuitKey], tmp_path: Path
) -> None:
    ck = circuit_keys[0]
    zkey_path, wtns_path, vkey_path = tmp_path / "k.zkey", tmp_path / "w.wtns", tmp_path / "vk.json"
    write_zkey(zkey_path, ck.zkey)
    write_wtns(wtns_path, ck.circuit.witness)
    write_vkey(vkey_path, export_vkey(ck.zkey))
    proof, public = tmp_path / "proof.json", tmp_path / "public.json"
    runner = CliRunner()
    done = runner.invoke(
        cli,
        ["groth16", "prove", str(zkey_path), str(wtns_path), str(proof), str(public), "--backend", backend],
    )
    assert done.exit_code == 0, done.output
    assert f"{backend} kernels" in done.output
    assert read_public(public) == ck.circuit.witness[1 : ck.zkey.n_public + 1]
    ok = runner.invoke(
        cli, ["groth16", "verify", str(vkey_path), str(public), str(proof), "--backend", backend]
    )
    assert ok.exit_code == 0, ok.output
    assert verify(export_vkey(ck.zkey), read_public(public), read_proof(proof)).valid
    bad = runner.invoke(
        cli,
        ["groth16", "prove", str(zkey_path), str(wtns_path), str(proof), str(public), "--backend", "cuda"],
    )
    assert bad.exit_code != 0
