"""`zksolvency demo`: the README's first command (a whole round, audited), and its failure twins."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.cli.main import cli
from zksolvency.pipeline import demo as demo_pipeline
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
    for name in ("bundle/manifest.json", "bundle/root.proof.json", "inclusion/index.json", "market.json"):
        assert (tmp_path / "demo" / name).is_file()


def test_demo_round_result_reports_a_failed_inclusion(tmp_path: Path) -> None:
    result = demo_pipeline.run_round_demo(tmp_path, reference=False)
    assert result.ok and not result.reference_size
    assert result.round.accounts == demo_pipeline.SMALL_ACCOUNTS
    manifest = result.round.bundle / "manifest.json"
    manifest.write_text(manifest.read_text().replace(str(result.round.global_root), "1"))
    audit = audit_bundle(result.round.bundle)
    assert not audit.ok and "global root" in {c.name for c in audit.failed()}


def test_demo_with_a_missing_ptau_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path), "--ptau", str(tmp_path / "none.ptau")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
