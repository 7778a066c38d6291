"""The low-level commands, end to end, with snarkjs replaying each step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.bn254 import R
from zksolvency.circuit.compile import CompiledCircuit
from zksolvency.cli.main import cli

from ..snarkjs_tool import snarkjs, snarkjs_ok

pytestmark = pytest.mark.snarkjs


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory, multiplier: CompiledCircuit) -> dict[str, Path]:
    """ptau dev -> groth16 setup -> zkey export-vkey -> witness -> groth16 prove, via the CLI."""
    out = tmp_path_factory.mktemp("cli")
    circuit = multiplier
    paths = {
        "ptau": out / "pot4_unsafe.ptau",
        "zkey": out / "m.zkey",
        "vkey": out / "vkey.json",
        "wtns": out / "w.wtns",
        "proof": out / "proof.json",
        "public": out / "public.json",
        "r1cs": circuit.r1cs,
    }
    assert run("ptau", "dev", "4", paths["ptau"])[0] == 0
    code, _, stderr = run("groth16", "setup", circuit.r1cs, paths["ptau"], paths["zkey"])
    assert code == 0, stderr
    assert "UNSAFE" in stderr
    assert run("zkey", "export-vkey", paths["zkey"], paths["vkey"])[0] == 0
    inputs = out / "input.json"
    inputs.write_text(json.dumps({"a": 3, "b": 11}))
    assert run("witness", circuit.wasm, inputs, paths["wtns"])[0] == 0
    assert run("groth16", "prove", paths["zkey"], paths["wtns"], paths["proof"], paths["public"])[0] == 0
    return paths


def test_cli_flow_output_is_accepted_by_snarkjs(flow: dict[str, Path]) -> None:
    assert "ZKey Ok!" in snarkjs_ok("zkey", "verify", flow["r1cs"], flow["ptau"], flow["zkey"])
    assert "OK" in snarkjs_ok("groth16", "verify", flow["vkey"], flow["public"], flow["proof"])
    assert json.loads(flow["public"].read_text())[0] == "33"


def test_verify_exit_status_0_for_a_valid_proof(flow: dict[str, Path]) -> None:
    code, stdout, _ = run("groth16", "verify", flow["vkey"], flow["public"], flow["proof"])
    assert code == 0
    assert stdout.startswith("OK")


def test_verify_exit_status_1_for_an_invalid_proof(flow: dict[str, Path], tmp_path: Path) -> None:
    public = tmp_path / "public.json"
    public.write_text(json.dumps(["34", *json.loads(flow["public"].read_text())[1:]]))
    code, _, stderr = run("groth16", "verify", flow["vkey"], public, flow["proof"])
    assert code == 1
    assert "invalid proof" in stderr
    assert snarkjs("groth16", "verify", flow["vkey"], public, flow["proof"]).returncode != 0


def test_verify_exit_status_2_for_the_alias_attack(flow: dict[str, Path], tmp_path: Path) -> None:
    values = json.loads(flow["public"].read_text())
    public = tmp_path / "public.json"
    public.write_text(json.dumps([str(int(values[0]) + R), *values[1:]]))
    code, _, stderr = run("groth16", "verify", flow["vkey"], public, flow["proof"])
    assert code == 2
    assert "malformed input: public input 0" in stderr


def test_verify_exit_status_2_for_a_broken_json_shape(flow: dict[str, Path], tmp_path: Path) -> None:
    proof = json.loads(flow["proof"].read_text())
    proof["pi_a"] = proof["pi_a"][:2]
    bad = tmp_path / "proof.json"
    bad.write_text(json.dumps(proof))
    code, _, stderr = run("groth16", "verify", flow["vkey"], flow["public"], bad)
    assert code == 2
    assert "pi_a" in stderr


def test_setup_refuses_a_ptau_too_small_and_writes_nothing(
    poseidon_range: CompiledCircuit, tmp_path: Path
) -> None:
    ptau = tmp_path / "pot1_unsafe.ptau"
    assert run("ptau", "dev", "1", ptau)[0] == 0
    code, _, stderr = run("groth16", "setup", poseidon_range.r1cs, ptau, tmp_path / "x.zkey")
    assert code == 2
    assert "circuit too big for this ptau" in stderr
    assert not (tmp_path / "x.zkey").exists()


def test_ptau_dev_refuses_a_safe_looking_name(tmp_path: Path) -> None:
    code, _, stderr = run("ptau", "dev", "3", tmp_path / "pot3.ptau")
    assert code == 2
    assert "must contain 'unsafe'" in stderr
    assert list(tmp_path.iterdir()) == []


def test_ptau_info_reports_the_unsafe_label(flow: dict[str, Path]) -> None:
    code, stdout, _ = run("ptau", "info", flow["ptau"], "--json")
    assert code == 0
    facts = json.loads(stdout)
    assert facts["unsafe_dev"] is True and facts["power"] == 4 and facts["prepared"] is True


def test_zkey_contribute_extends_the_chain(flow: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "more.zkey"
    assert run("zkey", "contribute", flow["zkey"], out, "--name", "auditor")[0] == 0
    assert "auditor" in snarkjs_ok("zkey", "verify", flow["r1cs"], flow["ptau"], out)


def test_help_lists_every_command_with_one_line() -> None:
    code, stdout, _ = run("--help")
    assert code == 0
    for name in ("demo", "doctor", "margin", "market", "circuit", "ptau", "groth16", "zkey", "witness"):
        assert f"\n  {name} " in stdout
