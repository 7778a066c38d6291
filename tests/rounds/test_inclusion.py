"""Every account's inclusion proof verifies; a modified one fails the step that no longer matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zksolvency.round import verify_inclusion

from .conftest import ACCOUNTS, Proven


def _edit(src: Path, dest: Path, change: object) -> Path:
    document = json.loads(src.read_text())
    change(document)  # type: ignore[operator]
    dest.write_text(json.dumps(document))
    return dest


def _failed(proven: Proven, proof: Path, account_id: str) -> set[str]:
    return {c.name for c in verify_inclusion(proven.bundle, proof, account_id).failed()}


def test_every_account_has_a_verifying_inclusion_proof(proven: Proven) -> None:
    for k in range(ACCOUNTS):
        account_id = f"acct-{k:04d}"
        report = verify_inclusion(proven.bundle, proven.inclusion_file(account_id), account_id)
        assert report.ok, [c.line() for c in report.failed()]
        assert [c.name for c in report.checks][-3:] == ["global root", "round", "margin"]


def test_a_modified_balance_fails_the_leaf(proven: Proven, tmp_path: Path) -> None:
    def richer(doc: dict[str, dict[str, dict[str, object]]]) -> None:
        doc["account"]["balances"]["USDC"] = int(str(doc["account"]["balances"]["USDC"])) + 1

    proof = _edit(proven.inclusion_file("acct-0001"), tmp_path / "p.json", richer)
    assert "leaf values" in _failed(proven, proof, "acct-0001")


def test_a_modified_balance_and_leaf_fail_the_batch_commitment(proven: Proven, tmp_path: Path) -> None:
    def richer(doc: dict[str, dict[str, object]]) -> None:
        new = int(str(doc["account"]["balances"]["USDC"])) + 1  # type: ignore[index]
        doc["account"]["balances"]["USDC"] = new  # type: ignore[index]
        doc["leaf"]["balances"][1] = str(new)  # type: ignore[index]

    proof = _edit(proven.inclusion_file("acct-0002"), tmp_path / "p.json", richer)
    assert _failed(proven, proof, "acct-0002") == {"batch sums", "batch commitment"}


def test_a_wrong_id_or_salt_fails(proven: Proven, tmp_path: Path) -> None:
    assert _failed(proven, proven.inclusion_file("acct-0003"), "acct-0004") == {"account id"}

    def salted(doc: dict[str, object]) -> None:
        doc["salt"] = str(int(str(doc["salt"])) + 1)

    proof = _edit(proven.inclusion_file("acct-0003"), tmp_path / "p.json", salted)
    assert "id commitment" in _failed(proven, proof, "acct-0003")


def test_a_changed_sibling_fails_the_global_root(proven: Proven, tmp_path: Path) -> None:
    def bend(doc: dict[str, dict[str, list[dict[str, list[str]]]]]) -> None:
        siblings = doc["global"]["path"][0]["siblings"]
        siblings[0] = str(int(siblings[0]) + 1)

    proof = _edit(proven.inclusion_file("acct-0005"), tmp_path / "p.json", bend)
    assert _failed(proven, proof, "acct-0005") == {"global root"}


def test_an_unreadable_proof_is_an_error(proven: Proven, tmp_path: Path) -> None:
    bad = tmp_path / "p.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(Exception, match="not an inclusion proof"):
        verify_inclusion(proven.bundle, bad, "acct-0000")


def test_an_out_of_bound_sibling_sum_fails_the_batch_path(proven: Proven, tmp_path: Path) -> None:
    def inflate(doc: dict[str, dict[str, list[dict[str, list[dict[str, list[str]]]]]]]) -> None:
        doc["batch"]["path"][0]["siblings"][0]["sums"][0] = str(2**200)

    proof = _edit(proven.inclusion_file("acct-0006"), tmp_path / "p.json", inflate)
    assert _failed(proven, proof, "acct-0006") == {"batch sums"}
