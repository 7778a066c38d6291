"""``zksolvency market sign`` and ``market verify``: keys from a private file or the environment only."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from zksolvency.cli.main import cli
from zksolvency.oracle.demo_committee import DEMO_ADDRESSES, DEMO_KEYS
from zksolvency.oracle.signer_key import SIGNER_KEY_ENV

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMMITTEE = str(EXAMPLES / "committee-demo.json")


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / "market.json", tmp_path / "market.json"))


def _key_file(folder: Path, index: int, mode: int = 0o600) -> Path:
    path = folder / f"member{index}.key"
    path.write_text(DEMO_KEYS[index] + "\n")
    os.chmod(path, mode)
    return path


def _sign(snapshot: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = ["market", "sign", str(snapshot), "--chain-id", "31337", *extra]
    return CliRunner().invoke(cli, args, env={SIGNER_KEY_ENV: "", **(env or {})})


def test_three_members_sign_and_verify_passes(snapshot: Path, tmp_path: Path) -> None:
    for index in range(3):
        result = _sign(snapshot, "--key", str(_key_file(tmp_path, index)))
        assert result.exit_code == 0, result.output
        assert f"as {DEMO_ADDRESSES[index]}" in result.stdout and f"{index + 1} signature(s)" in result.stdout
        assert DEMO_KEYS[index][2:] not in result.output
    signatures = tmp_path / "market.signatures.json"
    assert signatures.read_bytes() == (EXAMPLES / "market.signatures.json").read_bytes()  # deterministic
    verified = CliRunner().invoke(cli, ["market", "verify", str(snapshot), "--committee", COMMITTEE])
    assert verified.exit_code == 0, verified.output
    assert "PASS  quorum: 3 of 5 committee members signed (threshold 3)" in verified.stdout


def test_two_members_do_not_make_a_quorum(snapshot: Path, tmp_path: Path) -> None:
    for index in (3, 4):
        assert _sign(snapshot, env={SIGNER_KEY_ENV: DEMO_KEYS[index]}).exit_code == 0
    verified = CliRunner().invoke(cli, ["market", "verify", str(snapshot), "--committee", COMMITTEE])
    assert verified.exit_code == 1
    assert "FAIL  quorum: 2 of 5 members signed; the threshold is 3" in verified.stdout
    assert verified.stderr.startswith("error: no quorum")


def test_signing_again_replaces_the_members_entry(snapshot: Path) -> None:
    for _ in range(2):
        assert _sign(snapshot, env={SIGNER_KEY_ENV: DEMO_KEYS[0]}).exit_code == 0
    written = json.loads((snapshot.parent / "market.signatures.json").read_text())
    assert [e["signer"] for e in written["signatures"]] == [DEMO_ADDRESSES[0]]


def test_a_readable_key_file_is_refused_and_nothing_is_written(snapshot: Path, tmp_path: Path) -> None:
    result = _sign(snapshot, "--key", str(_key_file(tmp_path, 0, mode=0o644)))
    assert result.exit_code == 2
    assert "mode 0644 lets others read or change the key; run `chmod 600" in result.stderr
    assert not (snapshot.parent / "market.signatures.json").exists()


def test_no_key_and_no_terminal_is_a_one_line_error(snapshot: Path) -> None:
    result = _sign(snapshot)
    assert result.exit_code == 2
    expected = f"no signing key: give --key FILE or set {SIGNER_KEY_ENV} (keys are never taken as arguments)"
    assert result.stderr == f"error: {expected}\n"


def test_no_option_takes_a_key_value(snapshot: Path) -> None:
    result = _sign(snapshot, "--private-key", DEMO_KEYS[0])
    assert result.exit_code == 2 and "No such option" in result.output


def test_signatures_over_another_message_are_not_mixed(snapshot: Path) -> None:
    assert _sign(snapshot, env={SIGNER_KEY_ENV: DEMO_KEYS[0]}).exit_code == 0
    signatures = snapshot.parent / "market.signatures.json"
    before = signatures.read_bytes()
    other_chain = CliRunner().invoke(
        cli, ["market", "sign", str(snapshot), "--chain-id", "1"], env={SIGNER_KEY_ENV: DEMO_KEYS[1]}
    )
    assert (
        other_chain.exit_code == 2 and "holds signatures over another message or chain" in other_chain.stderr
    )
    assert signatures.read_bytes() == before


def test_verify_refuses_signatures_of_another_snapshot(snapshot: Path, tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "market.signatures.json", tmp_path / "market.signatures.json")
    snapshot.write_bytes(snapshot.read_bytes() + b"\n")
    verified = CliRunner().invoke(cli, ["market", "verify", str(snapshot), "--committee", COMMITTEE])
    assert verified.exit_code == 2
    assert "is not about" in verified.stderr and "SHA-256" in verified.stderr


def test_help_teaches_the_signed_message_and_the_key_sources() -> None:
    result = CliRunner().invoke(cli, ["market", "sign", "--help"])
    assert result.exit_code == 0
    for phrase in (
        "EIP-712",
        "MarketSnapshot",
        "--chain-id",
        "ZKSOLVENCY_SIGNER_KEY",
        "mode 0600",
        "market build",
    ):
        assert phrase in result.output, phrase
