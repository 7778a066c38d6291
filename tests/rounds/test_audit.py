"""A proven round audits clean; each kind of tampering fails the check that names it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from zksolvency.errors import FormatError
from zksolvency.ledger.commitment import sums_hash
from zksolvency.round import audit_bundle

from .conftest import Proven


def _failed(bundle: Path) -> set[str]:
    report = audit_bundle(bundle, allow_dev_setup=True)
    return {check.name for check in report.failed()}


def _manifest(bundle: Path) -> dict[str, object]:
    return json.loads((bundle / "manifest.json").read_text())  # type: ignore[no-any-return]


def _write_manifest(bundle: Path, manifest: dict[str, object]) -> None:
    (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2))


def _flip_digit(path: Path, after: bytes) -> None:
    """Change one byte: the first digit after ``after`` becomes another digit."""
    data = bytearray(path.read_bytes())
    at = data.index(after) + len(after)
    while not chr(data[at]).isdigit():
        at += 1
    data[at] = ord("1") if data[at] != ord("1") else ord("2")
    path.write_bytes(bytes(data))


def test_the_round_audits_clean(proven: Proven) -> None:
    report = audit_bundle(proven.bundle, allow_dev_setup=True)
    assert report.ok, [c.line() for c in report.failed()]
    names = [c.name for c in report.checks]
    assert names[:3] == ["market snapshot", "market hash", "verification keys"]
    assert {
        "batch 0 proof",
        "batch 2 commitment",
        "global root",
        "totals hash",
        "round value",
        "root proof",
    } <= set(names)
    assert any("UNSAFE" in w for w in report.warnings)


def test_the_bundle_reveals_totals_and_batches_but_no_account(proven: Proven) -> None:
    manifest = _manifest(proven.bundle)
    assert manifest["accounts"] == {"count": 10, "padded": False}
    assert len(manifest["batches"]) == 3  # type: ignore[arg-type]
    text = "".join(p.read_text() for p in proven.bundle.rglob("*.json"))
    for line in proven.inputs.accounts.read_text().splitlines():
        assert json.loads(line)["id"] not in text


@pytest.mark.parametrize("target", ["batches/000001.proof.json", "root.proof.json"])
def test_one_changed_byte_of_a_proof_fails_that_proof(bundle_copy: Path, target: str) -> None:
    _flip_digit(bundle_copy / target, b'"pi_c"')
    expected = "root proof" if target.startswith("root") else "batch 1 proof"
    assert expected in _failed(bundle_copy)


def test_a_dropped_batch_fails_the_global_root(bundle_copy: Path) -> None:
    manifest = _manifest(bundle_copy)
    dropped = manifest["batches"].pop()  # type: ignore[attr-defined]
    for key in ("proof", "public"):
        os.remove(bundle_copy / dropped[key])
    _write_manifest(bundle_copy, manifest)
    assert _failed(bundle_copy) == {"global root"}


def test_a_batch_whose_files_are_missing_fails_its_proof(bundle_copy: Path) -> None:
    os.remove(bundle_copy / "batches" / "000002.proof.json")
    assert _failed(bundle_copy) == {"batch 2 proof"}


def test_two_swapped_batch_proofs_fail_their_commitments(bundle_copy: Path) -> None:
    batches = bundle_copy / "batches"
    for suffix in ("proof", "public"):
        a, b = batches / f"000000.{suffix}.json", batches / f"000001.{suffix}.json"
        a_bytes = a.read_bytes()
        a.write_bytes(b.read_bytes())
        b.write_bytes(a_bytes)
    assert _failed(bundle_copy) == {"batch 0 commitment", "batch 1 commitment"}


def test_two_swapped_listed_commitments_fail_the_global_root(bundle_copy: Path) -> None:
    manifest = _manifest(bundle_copy)
    batches = manifest["batches"]
    batches[0], batches[1] = batches[1], batches[0]  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    assert _failed(bundle_copy) == {"global root"}


def test_a_changed_total_fails_the_totals_hash(bundle_copy: Path) -> None:
    manifest = _manifest(bundle_copy)
    totals = manifest["totals"]
    totals["balances"]["USDC"] = str(int(totals["balances"]["USDC"]) + 1)  # type: ignore[index]
    totals["vector"][1] = totals["balances"]["USDC"]  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    assert _failed(bundle_copy) == {"totals hash"}


def test_a_changed_total_with_its_hash_fails_the_round_value(bundle_copy: Path) -> None:
    manifest = _manifest(bundle_copy)
    totals = manifest["totals"]
    totals["positions"]["BTC-C"] = str(int(totals["positions"]["BTC-C"]) - 5)  # type: ignore[index]
    totals["vector"][2] = totals["positions"]["BTC-C"]  # type: ignore[index]
    manifest["totals_hash"] = str(sums_hash([int(v) for v in totals["vector"]]))  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    assert _failed(bundle_copy) == {"round value"}


def test_a_changed_snapshot_fails_the_market_checks(bundle_copy: Path) -> None:
    market = bundle_copy / "market.json"
    market.write_text(market.read_text().replace('"price": "100000000"', '"price": "100000001"'))
    assert {"market snapshot", "market hash"} <= _failed(bundle_copy)


def test_a_changed_snapshot_with_its_sha256_still_fails_the_market_hash(bundle_copy: Path) -> None:
    import hashlib

    market = bundle_copy / "market.json"
    market.write_text(market.read_text().replace('"weight": 9000', '"weight": 9500'))
    manifest = _manifest(bundle_copy)
    manifest["market"]["sha256"] = hashlib.sha256(market.read_bytes()).hexdigest()  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    assert "market hash" in _failed(bundle_copy)


def test_a_swapped_verification_key_fails_the_key_check(bundle_copy: Path) -> None:
    keys = bundle_copy / "keys"
    (keys / "batch_verification_key.json").write_bytes((keys / "root_verification_key.json").read_bytes())
    assert "verification keys" in _failed(bundle_copy)


def test_a_folder_without_manifest_is_not_a_bundle(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="not a bundle"):
        audit_bundle(tmp_path, allow_dev_setup=True)


def test_audit_with_the_python_verifier_agrees(proven: Proven) -> None:
    report = audit_bundle(proven.bundle, backend="python", allow_dev_setup=True)
    assert report.ok
