"""snarkjs, the independent implementation, checks what the native backend makes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import write_r1cs
from zksolvency.circuit.formats.snarkjs_json import write_proof, write_public, write_vkey
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.formats.zkey import decode_zkey, encode_zkey_raw, write_zkey_raw
from zksolvency.groth16.native_prove import prove_files
from zksolvency.groth16.ptau_dev import generate_dev_ptau
from zksolvency.groth16.setup import setup_raw
from zksolvency.groth16.vkey import export_vkey

from ..snarkjs_tool import snarkjs, snarkjs_ok
from .conftest import PTAU_POWER, SECRETS, random_circuit

pytestmark = pytest.mark.snarkjs


@pytest.fixture(scope="module")
def native_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A random circuit, a native dev ptau, a native key, a witness, a verification key."""
    work = tmp_path_factory.mktemp("native-snarkjs")
    circuit = random_circuit(77, n_constraints=40, n_public=2)
    files = {
        "r1cs": work / "c.r1cs",
        "ptau": work / f"pot{PTAU_POWER}_unsafe.ptau",
        "zkey": work / "c.zkey",
        "wtns": work / "w.wtns",
        "vkey": work / "vkey.json",
    }
    write_r1cs(files["r1cs"], circuit.r1cs)
    generate_dev_ptau(files["ptau"], PTAU_POWER, SECRETS, backend="native")
    with PTauFile(files["ptau"]) as ptau:
        raw = setup_raw(circuit.r1cs, ptau, "native tests")
    write_zkey_raw(files["zkey"], raw)
    write_wtns(files["wtns"], circuit.witness)
    write_vkey(files["vkey"], export_vkey(decode_zkey(encode_zkey_raw(raw))))
    return files


def test_snarkjs_zkey_verify_accepts_the_native_setup(native_files: dict[str, Path]) -> None:
    out = snarkjs_ok("zkey", "verify", native_files["r1cs"], native_files["ptau"], native_files["zkey"])
    assert "ZKey Ok!" in out


def test_snarkjs_zkey_verify_rejects_a_tampered_native_key(
    native_files: dict[str, Path], tmp_path: Path
) -> None:
    data = bytearray(native_files["zkey"].read_bytes())
    data[-200] ^= 1  # inside the last section (the contribution record)
    bad = tmp_path / "bad.zkey"
    bad.write_bytes(bytes(data))
    done = snarkjs("zkey", "verify", native_files["r1cs"], native_files["ptau"], bad)
    assert "ZKey Ok!" not in done.stdout


def test_snarkjs_verifies_a_native_proof_and_rejects_a_tampered_one(
    native_files: dict[str, Path], tmp_path: Path
) -> None:
    proof, public = prove_files(native_files["zkey"], native_files["wtns"])
    proof_path, public_path = tmp_path / "proof.json", tmp_path / "public.json"
    write_proof(proof_path, proof)
    write_public(public_path, public)
    ok = snarkjs("groth16", "verify", native_files["vkey"], public_path, proof_path)
    assert ok.returncode == 0 and "OK" in ok.stdout
    write_proof(proof_path, replace(proof, c=proof.a))
    bad = snarkjs("groth16", "verify", native_files["vkey"], public_path, proof_path)
    assert bad.returncode != 0 or "OK" not in bad.stdout
