"""`zksolvency demo`: the README's first command (sources to chain, audited), and its failure twins."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.cli.main import cli
from zksolvency.pipeline import demo as demo_pipeline
from zksolvency.pipeline.demo_market import SMALL_ACCOUNTS, build_demo_market
from zksolvency.round import audit_bundle


def test_demo_without_native_proves_the_small_round_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_pipeline, "native_available", lambda: False)
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.stderr
    assert "native prover is not built" in result.stderr and "UNSAFE" in result.stderr
    assert "audit:           " in result.stdout and ", 0 failed" in result.stdout
    assert "VERIFIED" in result.stdout
    assert "from 3 price sources, signed by 3 of 5 DEMO committee members" in result.stdout
    assert "DEMO committee, whose keys are PUBLIC (UNSAFE)" in result.stderr
    assert "snapshot registered (" in result.stdout and ", round 1 published (" in result.stdout
    assert "on-chain audit:  3 checks, 0 failed" in result.stdout
    assert "proven with trades-test" in result.stdout and ", verified" in result.stdout
    assert "settled on SettlementGate (" in result.stdout and "gate root = the state root" in result.stdout
    assert "snapshot signed by 3 of 5 DEMO committee members (TradeSnapshot), registered" in result.stdout
    names = (
        "bundle/manifest.json",
        "bundle/root.proof.json",
        "bundle/oracle/signatures.json",
        "inclusion/index.json",
    )
    for name in (*names, "market.json", "market.signatures.json", "committee.json"):
        assert (tmp_path / "demo" / name).is_file()


def test_demo_round_result_reports_a_failed_inclusion(tmp_path: Path) -> None:
    result = demo_pipeline.run_round_demo(tmp_path, reference=False)
    assert result.ok and not result.reference_size
    assert result.round.accounts == SMALL_ACCOUNTS
    assert result.chain.audit.ok and result.chain.published.round_id == demo_pipeline.DEMO_ROUND_ID
    manifest = result.round.bundle / "manifest.json"
    manifest.write_text(manifest.read_text().replace(str(result.round.global_root), "1"))
    audit = audit_bundle(result.round.bundle, allow_dev_setup=True)
    assert not audit.ok and "global root" in {c.name for c in audit.failed()}
    # The trades half: the gate holds the state's new root; a gate root that differs is not ok.
    assert result.trades.ok and result.trades.settled.batch_id == 0
    assert not dataclasses.replace(result.trades, gate_root=result.trades.gate_root ^ 1).ok
    assert not dataclasses.replace(result, trades=dataclasses.replace(result.trades, gate_root=0)).ok


def test_demo_with_a_missing_ptau_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path), "--ptau", str(tmp_path / "none.ptau")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_the_reference_demo_market_is_the_committed_example(tmp_path: Path) -> None:
    """The reference demo builds examples/market.json byte for byte, and signs it as the bundled file."""
    market = build_demo_market(tmp_path, reference=True)
    examples = Path(__file__).resolve().parents[2] / "examples"
    assert market.market.read_bytes() == (examples / "market.json").read_bytes()
    assert market.signatures.read_bytes() == (examples / "market.signatures.json").read_bytes()
    assert market.committee.read_bytes() == (examples / "committee-demo.json").read_bytes()
    small = (
        build_demo_market(tmp_path / "small", reference=False)
        if (tmp_path / "small").mkdir() is None
        else None
    )
    assert small is not None and small.market.read_bytes() != market.market.read_bytes()
