"""The round commands on the command line: exit codes, output, and their failure twins."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from zksolvency.cli.main import cli
from zksolvency.model.accounts import accounts_to_jsonl
from zksolvency.round.sample import sample_accounts, sample_market, write_sample

from .conftest import Proven, signed_sample


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_round_prove_with_pad_to_hides_the_count_and_audits(tmp_path: Path) -> None:
    inputs = signed_sample(tmp_path, 5, seed=3)
    assert inputs.signatures is not None and inputs.committee is not None
    out = tmp_path / "bundle"
    code, stdout, stderr = _run(
        "round", "prove", "--accounts", str(inputs.accounts), "--market", str(inputs.market),
        "--out", str(out), "--size", "test", "--round-id", "3", "--pad-to", "16", "--workers", "2",
        "--signatures", str(inputs.signatures), "--committee", str(inputs.committee),
    )  # fmt: skip
    assert code == 0, stderr
    assert "5 in 4 batches, 4 slots" in stdout and "UNSAFE" in stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["accounts"] == {"count": 16, "padded": True}
    assert (out / manifest["oracle"]["signatures"]).read_bytes() == inputs.signatures.read_bytes()
    code, stdout, _ = _run("audit", str(out), "--committee", str(inputs.committee), "--allow-dev-setup")
    assert code == 0 and "bundle VALID" in stdout and "PASS  committee quorum" in stdout
    index = json.loads((tmp_path / "bundle.inclusion" / "index.json").read_text())
    assert sorted(index) == [f"acct-{k:04d}" for k in range(5)]


def test_round_prove_lists_insolvent_accounts_and_exits_1(tmp_path: Path) -> None:
    market_path, accounts_path = write_sample(tmp_path, 2)
    market = sample_market()
    broke = sample_accounts(market, 1)[0].__class__("broke", (0, 0), (0, -3), (0, 0))
    accounts_path.write_text(accounts_to_jsonl([*sample_accounts(market, 2), broke], market))
    out = tmp_path / "bundle"
    code, stdout, stderr = _run(
        "round", "prove", "--accounts", str(accounts_path), "--market", str(market_path), "--out", str(out),
        "--size", "test",
    )  # fmt: skip
    assert code == 1
    assert stdout.splitlines()[0].split() == ["id", "equity", "requirement"]
    assert stdout.splitlines()[1].startswith("broke")
    assert "1 of 3 accounts are insolvent" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.jsonl", "market.json"]


def test_round_prove_rejects_bad_input_with_exit_2(tmp_path: Path) -> None:
    market_path, accounts_path = write_sample(tmp_path, 2)
    accounts_path.write_text('{"id": "x", "balances": {"DOGE": 1}}\n')
    code, _, stderr = _run(
        "round", "prove", "--accounts", str(accounts_path), "--market", str(market_path),
        "--out", str(tmp_path / "b"), "--size", "test",
    )  # fmt: skip
    assert code == 2
    assert "accounts.jsonl:1: field balances.DOGE: unknown asset" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_audit_exit_codes_and_json(proven: Proven, tmp_path: Path) -> None:
    code, stdout, _ = _run("audit", str(proven.bundle), "--json", "--allow-dev-setup")
    assert code == 0 and json.loads(stdout)["ok"] is True
    broken = Path(shutil.copytree(proven.bundle, tmp_path / "b"))
    (broken / "root.public.json").write_text('["1"]')
    code, stdout, stderr = _run("audit", str(broken), "--allow-dev-setup")
    assert code == 1
    assert "FAIL  round value" in stdout and "audit failed: round value" in stderr
    code, _, stderr = _run("audit", str(tmp_path))
    assert code == 2 and "not a bundle" in stderr


def test_audit_fails_dev_keys_unless_allowed(proven: Proven) -> None:
    """The bundle's keys come from the dev ptau: a failed check per key, unless --allow-dev-setup."""
    code, stdout, stderr = _run("audit", str(proven.bundle))
    assert code == 1
    assert (
        "FAIL  batch key setup: UNSAFE single-party dev setup" in stdout and "FAIL  root key setup" in stdout
    )
    assert "audit failed: batch key setup, root key setup" in stderr and "--allow-dev-setup" in stdout
    code, stdout, stderr = _run("audit", str(proven.bundle), "--allow-dev-setup")
    assert code == 0 and "PASS  batch key setup" in stdout and "accepted (--allow-dev-setup)" in stdout
    assert "not from a verified ceremony" in stderr


def test_inclusion_verify_passes_for_its_holder_and_fails_for_another(proven: Proven) -> None:
    proof = str(proven.inclusion_file("acct-0004"))
    code, stdout, _ = _run(
        "inclusion", "verify", "--bundle", str(proven.bundle), "--proof", proof, "--id", "acct-0004"
    )
    assert code == 0, stdout
    assert "PASS  global root" in stdout and "is included" in stdout
    code, stdout, stderr = _run(
        "inclusion", "verify", "--bundle", str(proven.bundle), "--proof", proof, "--id", "acct-0005"
    )
    assert code == 1 and "FAIL  account id" in stdout and "inclusion check failed" in stderr
