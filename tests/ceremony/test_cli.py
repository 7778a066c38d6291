"""``zksolvency ceremony``: the commands, their output and exit statuses; the secret stays in memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from zksolvency.bn254 import N8
from zksolvency.cli.main import cli

from .conftest import BEACON_ITERATIONS, PHASE2_BEACON, Ceremony, Circuits
from .test_ceremony import flip, record_offset

pytestmark = pytest.mark.snarkjs


def run(*args: str | Path, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["ceremony", *(str(a) for a in args)], input=input)


def test_a_whole_ceremony_from_the_command_line(circuits: Circuits, phase1: Path, tmp_path: Path) -> None:
    k0, k1, k2, final = (tmp_path / f"{n}.zkey" for n in ("k0", "k1", "k2", "final"))
    made = run("new", circuits.cube4, "--ptau", phase1, "--out", k0)
    assert made.exit_code == 0, made.output
    assert "3 contributions verified: alice, bob, beacon" in made.output and "circuit hash:" in made.output
    first = run("contribute", k0, k1, "--name", "alice")
    assert first.exit_code == 0, first.output
    second = run("contribute", k1, k2, "--name", "bob", "--passphrase", input="correct horse battery\n")
    assert second.exit_code == 0, second.output
    assert "Passphrase (input hidden)" in second.output and "correct horse" not in second.output
    closing = run("beacon", k2, final, "--beacon", PHASE2_BEACON, "--iterations", str(BEACON_ITERATIONS))
    assert closing.exit_code == 0, closing.output
    checked = run("verify", final, "--ptau", phase1, "--r1cs", circuits.cube4)
    assert checked.exit_code == 0, checked.output
    for result in (first, second, closing):  # every printed contribution hash is in the verified transcript
        hash_lines = result.output.split(
            "publish it: it is how everyone finds your link in the transcript):\n"
        )[1]
        assert hash_lines.strip() in checked.output
    assert "#1 alice" in checked.output and "#2 bob" in checked.output and "#3 final beacon" in checked.output
    assert "OK:" in checked.output


def test_verify_exits_1_naming_the_first_bad_link(ours: Ceremony, tmp_path: Path) -> None:
    bad = flip(ours.final, tmp_path / "bad.zkey", record_offset(ours.final, 3) + 320)  # carol's transcript
    result = run("verify", bad, "--ptau", ours.ptau, "--r1cs", ours.r1cs)
    assert result.exit_code == 1
    assert "INVALID: contribution #3 (carol): its transcript does not follow" in result.output
    as_json = run("verify", bad, "--ptau", ours.ptau, "--json")
    assert as_json.exit_code == 1 and '"link": "contribution #3 (carol)"' in as_json.output


def test_verify_by_shipped_circuit_name_refuses_a_key_for_another_circuit(ours: Ceremony) -> None:
    result = run("verify", ours.final, "--ptau", ours.ptau, "--circuit", "test")
    assert (
        result.exit_code == 1 and "INVALID: circuit:" in result.output and "another circuit" in result.output
    )
    unknown = run("verify", ours.final, "--ptau", ours.ptau, "--circuit", "no-such-circuit")
    assert unknown.exit_code == 2 and "no circuit 'no-such-circuit'" in unknown.output


def test_verify_exits_2_on_malformed_input(ours: Ceremony, tmp_path: Path) -> None:
    not_a_key = run("verify", ours.ptau, "--ptau", ours.ptau)
    assert (
        not_a_key.exit_code == 2
        and "malformed input" in not_a_key.output
        and "not a zkey file" in not_a_key.output
    )
    no_circuit = run("verify", ours.final, "--ptau", ours.ptau, "--provenance", tmp_path / "p.json")
    assert no_circuit.exit_code == 2 and "--provenance needs --r1cs or --circuit" in no_circuit.output
    assert not (tmp_path / "p.json").exists()


def test_verify_without_r1cs_says_the_circuit_was_not_checked(ours: Ceremony) -> None:
    result = run("verify", ours.final, "--ptau", ours.ptau)
    assert result.exit_code == 0 and "circuit: NOT checked" in result.output


def test_new_refuses_a_phase1_file_too_small_and_names_the_power(
    circuits: Circuits, phase1: Path, tmp_path: Path
) -> None:
    result = run("new", circuits.cube20, "--ptau", phase1, "--out", tmp_path / "k.zkey")
    assert result.exit_code == 2 and "power 6 or more" in result.output
    assert not (tmp_path / "k.zkey").exists()


def test_new_exits_1_on_a_phase1_file_that_does_not_verify(
    circuits: Circuits, phase1: Path, tmp_path: Path
) -> None:
    from .test_phase1 import NEXT_CHALLENGE
    from .test_phase1 import record_offset as ptau_record

    bad = flip(phase1, tmp_path / "bad.ptau", ptau_record(phase1, 1) + NEXT_CHALLENGE)
    result = run("new", circuits.cube4, "--ptau", bad, "--out", tmp_path / "k.zkey")
    assert result.exit_code == 1 and "phase 1 contribution #2 (bob)" in result.output
    assert not (tmp_path / "k.zkey").exists()


def test_contribute_refuses_a_broken_input_and_writes_nothing(ours: Ceremony, tmp_path: Path) -> None:
    bad = flip(ours.keys[2], tmp_path / "bad.zkey", record_offset(ours.keys[2], 1) + 330)
    result = run("contribute", bad, tmp_path / "out.zkey", "--name", "dave")
    assert result.exit_code == 1 and "not contributing" in result.output
    assert not (tmp_path / "out.zkey").exists()


def test_beacon_refuses_bad_parameters(ours: Ceremony, tmp_path: Path) -> None:
    not_hex = run("beacon", ours.keys[3], tmp_path / "o.zkey", "--beacon", "xyz", "--iterations", "10")
    assert not_hex.exit_code == 2 and "not a hexadecimal" in not_hex.output
    too_few = run("beacon", ours.keys[3], tmp_path / "o.zkey", "--beacon", "ab", "--iterations", "9")
    assert too_few.exit_code == 2
    assert not (tmp_path / "o.zkey").exists()


def test_the_secret_never_reaches_a_file_or_the_output(
    ours: Ceremony, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the OS entropy pinned, neither the secret nor the passphrase appears anywhere we can see."""
    secret, k = 0x1D2C3B4A5F6E7D8C9BAAB9C8D7E6F5041322314051627384, 0x77
    monkeypatch.setattr("zksolvency.cli.ceremony_cmd.contribution_secrets", lambda phrase: (secret, k))
    folder = tmp_path / "out"
    folder.mkdir()
    result = run(
        "contribute", ours.keys[3], folder / "k.zkey", "--name", "zed", "--passphrase", input="s3cret pass\n"
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in folder.iterdir()] == ["k.zkey"]  # no temporary file left behind
    data = (folder / "k.zkey").read_bytes()
    for encoding in (secret.to_bytes(N8, "little"), secret.to_bytes(N8, "big"), b"s3cret pass"):
        assert encoding not in data
    assert "s3cret" not in result.output and f"{secret:x}" not in result.output
    assert data != ours.keys[3].read_bytes()  # the twin: the key did change


def test_help_teaches_the_exit_statuses() -> None:
    for command in ("new", "contribute", "beacon", "verify"):
        text = run(command, "--help").output
        assert "Exit status" in text, command
