"""A round's oracle signatures: ``round prove`` refuses bad ones before proving; ``audit`` fails on each.

The bad quorums of issue 14 (``tests/quorum_cases.py``: 2 of 5, a repeated signer, a
signature over another hash, one for another chain id, a non-member) are put into a copy
of the session's signed bundle; ``audit`` must fail its ``committee quorum`` check, and
only that one. The session bundle itself, with 3 of 5, passes (the twin).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.cli.main import cli
from zksolvency.errors import InputError
from zksolvency.oracle.committee import write_committee
from zksolvency.oracle.demo_committee import DEMO_KEYS, demo_committee, sign_with
from zksolvency.oracle.signatures_file import SignedSnapshot, read_signatures, signatures_to_text
from zksolvency.oracle.snapshot_message import trade_snapshot_message
from zksolvency.round import audit_bundle, prove_round
from zksolvency.round.audit_oracle import BUNDLE_COMMITTEE_WARNING

from ..quorum_cases import BAD_QUORUMS
from .conftest import Inputs, Proven, options, signed_sample

ORACLE_CHECKS = ("snapshot signatures", "committee quorum")


def _bundle_signatures(bundle: Path) -> SignedSnapshot:
    return read_signatures(bundle / "oracle" / "signatures.json")


def _put_signatures(bundle: Path, signed: SignedSnapshot) -> None:
    """Replace the bundle's signatures file, and its SHA-256 in the manifest (as an operator could)."""
    text = signatures_to_text(signed)
    (bundle / "oracle" / "signatures.json").write_text(text)
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["oracle"]["signatures_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    (bundle / "manifest.json").write_text(json.dumps(manifest))


def _failed(bundle: Path, **kwargs: object) -> dict[str, str]:
    report = audit_bundle(bundle, **kwargs, allow_dev_setup=True)  # type: ignore[arg-type]
    return {c.name: c.detail for c in report.failed()}


def test_the_signed_round_passes_both_oracle_checks(proven: Proven) -> None:
    report = audit_bundle(proven.bundle, allow_dev_setup=True)
    checks = {c.name: c for c in report.checks}
    assert all(checks[name].ok for name in ORACLE_CHECKS), [checks[n].line() for n in ORACLE_CHECKS]
    assert (
        "3 of 5 committee members signed (threshold 3) (the bundle's committee)"
        in checks["committee quorum"].detail
    )
    assert BUNDLE_COMMITTEE_WARNING in report.warnings


@pytest.mark.parametrize("case", list(BAD_QUORUMS))
def test_a_bad_quorum_fails_the_audit(proven: Proven, bundle_copy: Path, case: str) -> None:
    message = _bundle_signatures(proven.bundle).message
    _put_signatures(bundle_copy, BAD_QUORUMS[case](message))
    failed = _failed(bundle_copy)
    assert list(failed) == ["committee quorum"], failed
    expected = {
        "2 of 5": "2 of 5 members signed; the threshold is 3",
        "repeated signer": "signature 2: ",
        "signature over another hash": "signature 1: recovers",
        "another chain id": "signature 2: recovers",
        "non-committee signer": "signature 1: recovers",
    }[case]
    assert expected in failed["committee quorum"], failed


def test_signatures_for_another_chain_fail_against_the_committee(proven: Proven, bundle_copy: Path) -> None:
    message = _bundle_signatures(proven.bundle).message
    _put_signatures(bundle_copy, sign_with(message, DEMO_KEYS[:3], chain_id=1))
    failed = _failed(bundle_copy)
    assert list(failed) == ["committee quorum"]
    assert "signed for chain 1; the committee signs for chain 31337" in failed["committee quorum"]


def test_signatures_over_another_file_fail_the_signatures_check(proven: Proven, bundle_copy: Path) -> None:
    message = _bundle_signatures(proven.bundle).message
    other = dataclasses.replace(message, snapshot_sha256=hashlib.sha256(b"another file").digest())
    _put_signatures(bundle_copy, sign_with(other, DEMO_KEYS[:3]))
    failed = _failed(bundle_copy)
    assert list(failed) == ["snapshot signatures"]  # valid signatures, but over another file
    assert "SHA-256 is not the signed snapshotSha256" in failed["snapshot signatures"]


def test_the_settlement_gates_trade_signatures_fail_the_signatures_check(
    proven: Proven, bundle_copy: Path
) -> None:
    """A quorum over the same file's TradeSnapshot (the gate's message) is not the registry's
    MarketSnapshot: the registry would refuse it, so the audit does."""
    market = _bundle_signatures(proven.bundle).message
    manifest = json.loads((bundle_copy / "manifest.json").read_text())
    raw = (bundle_copy / manifest["market"]["file"]).read_bytes()
    shape = (market.assets, market.instruments, market.scenarios)
    trade = trade_snapshot_message(raw, "market.json", shape, market.snapshot_time)
    _put_signatures(bundle_copy, sign_with(trade, DEMO_KEYS[:3]))
    failed = _failed(bundle_copy)
    assert list(failed) == ["snapshot signatures"], failed
    assert "over a TradeSnapshot message, not a MarketSnapshot" in failed["snapshot signatures"]


def test_a_bundle_without_signatures_fails_both_checks(bundle_copy: Path) -> None:
    manifest = json.loads((bundle_copy / "manifest.json").read_text())
    del manifest["oracle"]
    (bundle_copy / "manifest.json").write_text(json.dumps(manifest))
    failed = _failed(bundle_copy)
    assert list(failed) == list(ORACLE_CHECKS)
    assert "carries no committee signatures" in failed["snapshot signatures"]


def test_an_edited_signatures_file_fails_its_hash(proven: Proven, bundle_copy: Path) -> None:
    path = bundle_copy / "oracle" / "signatures.json"
    path.write_text(path.read_text().replace('"market.json"', '"other.json"'))
    failed = _failed(bundle_copy)
    assert "snapshot signatures" in failed and "oracle.signatures_sha256" in failed["snapshot signatures"]


def test_the_auditors_committee_replaces_the_bundles(proven: Proven, tmp_path: Path) -> None:
    stricter = dataclasses.replace(demo_committee(), threshold=4)
    report = audit_bundle(proven.bundle, committee=stricter, allow_dev_setup=True)
    failed = {c.name: c.detail for c in report.failed()}
    assert list(failed) == ["committee quorum"]
    assert "3 of 5 members signed; the threshold is 4 (the auditor's committee)" in failed["committee quorum"]
    assert BUNDLE_COMMITTEE_WARNING not in report.warnings
    # The CLI: --committee FILE with the demo committee passes, the stricter one fails with exit 1.
    good, strict = tmp_path / "good.json", tmp_path / "strict.json"
    write_committee(good, demo_committee())
    write_committee(strict, stricter)
    audit = ["audit", str(proven.bundle), "--allow-dev-setup", "--committee"]
    assert CliRunner().invoke(cli, [*audit, str(good)]).exit_code == 0
    refused = CliRunner().invoke(cli, [*audit, str(strict)])
    assert refused.exit_code == 1 and "audit failed: committee quorum" in refused.stderr


# --- round prove refuses bad signatures before proving -------------------------------------------


def _refused_before_proving(inputs: Inputs, tmp_path: Path, match: str, **overrides: object) -> None:
    out = tmp_path / "out" / "bundle"
    with pytest.raises(InputError, match=match):
        prove_round(options(inputs, out, **overrides))
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_prove_refuses_signatures_without_a_quorum(tmp_path: Path) -> None:
    inputs = signed_sample(tmp_path / "in", 3)
    signed = read_signatures(inputs.signatures)  # type: ignore[arg-type]
    short = tmp_path / "short.json"
    short.write_text(signatures_to_text(BAD_QUORUMS["2 of 5"](signed.message)))
    _refused_before_proving(inputs, tmp_path, "no quorum of the committee", signatures=short)


def test_prove_refuses_signatures_over_another_snapshot(tmp_path: Path) -> None:
    inputs = signed_sample(tmp_path / "in", 3)
    other = signed_sample(tmp_path / "other", 3, seed=8)
    assert other.market.read_bytes() == inputs.market.read_bytes()  # same market, so change its bytes
    inputs.market.write_text(inputs.market.read_text() + "\n")
    _refused_before_proving(inputs, tmp_path, "SHA-256 is not the signed snapshotSha256")


def test_prove_needs_signatures_and_committee_together(tmp_path: Path) -> None:
    inputs = signed_sample(tmp_path / "in", 3)
    _refused_before_proving(inputs, tmp_path, "together", committee=None)
