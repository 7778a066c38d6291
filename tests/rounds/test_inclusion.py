"""The holder's check: every account verifies against its own record; each difference is named.

The session's round (``conftest.proven``) is honest, so a holder's record that differs from
what was proven stands for an operator who proved a changed account (the attack itself, on
a round proven with a lowered cost, is in ``test_audit_findings.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zksolvency.errors import FormatError
from zksolvency.round import verify_inclusion
from zksolvency.round.inclusion_verify import NOT_CHECKED

from .conftest import ACCOUNTS, Proven

TAIL = ["global root", "round", "leaf padding", "balances", "positions", "costs", "cost total", "margin"]


def _edit(src: Path, dest: Path, change: object) -> Path:
    document = json.loads(src.read_text())
    change(document)  # type: ignore[operator]
    dest.write_text(json.dumps(document))
    return dest


def _record(proven: Proven, account_id: str) -> dict[str, object]:
    """The holder's own record: their line of the operator's accounts file (their statement)."""
    for line in proven.inputs.accounts.read_text().splitlines():
        record: dict[str, object] = json.loads(line)
        if record["id"] == account_id:
            return record
    raise KeyError(account_id)


def _record_file(tmp_path: Path, record: dict[str, object]) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(record) + "\n")
    return path


def _failed(proven: Proven, proof: Path, account_id: str, record: Path | None = None) -> dict[str, str]:
    report = verify_inclusion(proven.bundle, proof, account_id, record)
    return {c.name: c.detail for c in report.failed()}


def test_every_account_verifies_against_its_holders_record(proven: Proven, tmp_path: Path) -> None:
    for k in range(ACCOUNTS):
        account_id = f"acct-{k:04d}"
        mine = _record_file(tmp_path, _record(proven, account_id))
        report = verify_inclusion(proven.bundle, proven.inclusion_file(account_id), account_id, mine)
        assert report.ok, [c.line() for c in report.failed()]
        assert [c.name for c in report.checks][-len(TAIL) :] == TAIL
        assert report.warnings == [] and report.to_json()["checked_against_holder_record"] is True


def test_without_a_record_the_check_says_so_and_shows_every_value(proven: Proven) -> None:
    account_id = "acct-0001"
    report = verify_inclusion(proven.bundle, proven.inclusion_file(account_id), account_id)
    assert report.ok  # the operator's statement is what was proven ...
    assert report.warnings == [NOT_CHECKED]  # ... but nothing was compared with the holder's data
    assert report.to_json()["checked_against_holder_record"] is False
    details = {c.name: c.detail for c in report.checks}
    record = _record(proven, account_id)
    positions = record.get("positions", {})
    assert isinstance(positions, dict)
    for name, position in positions.items():
        assert f"positions.{name}.cost {position['cost']}" in details["costs"]
    total = sum(int(p["cost"]) for p in positions.values())
    assert f"sum of costs {total}" in details["cost total"]


def test_a_record_with_another_balance_fails_naming_field_and_both_values(
    proven: Proven, tmp_path: Path
) -> None:
    record = _record(proven, "acct-0002")
    balances = record["balances"]
    assert isinstance(balances, dict)
    proven_usdc = int(balances["USDC"])
    balances["USDC"] = proven_usdc + 1
    failed = _failed(proven, proven.inclusion_file("acct-0002"), "acct-0002", _record_file(tmp_path, record))
    assert set(failed) == {"balances"}
    assert failed["balances"] == f"balances.USDC: yours {proven_usdc + 1}, proven {proven_usdc}"


def test_a_record_with_another_cost_fails_the_cost_and_its_total(proven: Proven, tmp_path: Path) -> None:
    account_id = next(
        f"acct-{k:04d}" for k in range(ACCOUNTS) if _record(proven, f"acct-{k:04d}").get("positions")
    )
    record = _record(proven, account_id)
    positions = record["positions"]
    assert isinstance(positions, dict)
    name = sorted(positions)[0]
    proven_cost = int(positions[name]["cost"])
    positions[name]["cost"] = str(proven_cost + 5)
    failed = _failed(proven, proven.inclusion_file(account_id), account_id, _record_file(tmp_path, record))
    assert {"costs", "cost total"} <= set(failed) <= {"costs", "cost total", "margin"}
    assert f"positions.{name}.cost: yours {proven_cost + 5}" in failed["costs"]
    assert "sum of costs: yours" in failed["cost total"] and "proven" in failed["cost total"]


def test_a_cost_moved_between_instruments_keeps_the_proven_total(proven: Proven, tmp_path: Path) -> None:
    """The leaf binds costs through their total: a split changes no equity, and only the
    per-instrument comparison with the operator's statement sees it."""
    record = _record(proven, "acct-0003")
    positions = dict(record.get("positions", {}))  # type: ignore[call-overload]
    cost_c = int(positions.get("BTC-C", {"cost": 0})["cost"])
    cost_p = int(positions.get("BTC-PERP", {"cost": 0})["cost"])
    size_c = positions.get("BTC-C", {"size": 0})["size"]
    size_p = positions.get("BTC-PERP", {"size": 0})["size"]
    record["positions"] = {
        "BTC-C": {"size": size_c, "cost": str(cost_c - 7)},
        "BTC-PERP": {"size": size_p, "cost": str(cost_p + 7)},
    }
    failed = _failed(proven, proven.inclusion_file("acct-0003"), "acct-0003", _record_file(tmp_path, record))
    assert set(failed) == {"costs"}


def test_a_record_of_another_account_or_unknown_asset_fails_your_record(
    proven: Proven, tmp_path: Path
) -> None:
    proof = proven.inclusion_file("acct-0004")
    other = _record_file(tmp_path, _record(proven, "acct-0005"))
    assert set(_failed(proven, proof, "acct-0004", other)) == {"your record"}
    record = _record(proven, "acct-0004")
    record["balances"] = {**record.get("balances", {}), "ETH": 1}  # type: ignore[dict-item]
    failed = _failed(proven, proof, "acct-0004", _record_file(tmp_path, record))
    assert set(failed) == {"your record"} and "balances.ETH: unknown asset" in failed["your record"]


def test_a_record_that_is_not_one_json_object_is_an_error(proven: Proven, tmp_path: Path) -> None:
    bad = tmp_path / "mine.json"
    bad.write_text('{"id": "acct-0004"}\n{"id": "acct-0005"}\n')
    with pytest.raises(FormatError, match="not one JSON account record"):
        verify_inclusion(proven.bundle, proven.inclusion_file("acct-0004"), "acct-0004", bad)


def test_a_modified_balance_in_the_statement_fails_without_a_record(proven: Proven, tmp_path: Path) -> None:
    def richer(doc: dict[str, dict[str, dict[str, object]]]) -> None:
        doc["account"]["balances"]["USDC"] = int(str(doc["account"]["balances"]["USDC"])) + 1

    proof = _edit(proven.inclusion_file("acct-0001"), tmp_path / "p.json", richer)
    assert set(_failed(proven, proof, "acct-0001")) == {"balances"}


def test_a_modified_leaf_fails_the_batch_commitment(proven: Proven, tmp_path: Path) -> None:
    def richer(doc: dict[str, dict[str, object]]) -> None:
        new = int(str(doc["account"]["balances"]["USDC"])) + 1  # type: ignore[index]
        doc["account"]["balances"]["USDC"] = new  # type: ignore[index]
        doc["leaf"]["balances"][1] = str(new)  # type: ignore[index]

    proof = _edit(proven.inclusion_file("acct-0002"), tmp_path / "p.json", richer)
    assert set(_failed(proven, proof, "acct-0002")) == {"batch commitment"}


def test_a_modified_leaf_cost_total_fails_the_batch_commitment(proven: Proven, tmp_path: Path) -> None:
    def cheaper(doc: dict[str, dict[str, object]]) -> None:
        doc["leaf"]["cost_total"] = str(int(str(doc["leaf"]["cost_total"])) - 1)

    proof = _edit(proven.inclusion_file("acct-0007"), tmp_path / "p.json", cheaper)
    assert set(_failed(proven, proof, "acct-0007")) == {"batch commitment"}


def test_a_wrong_id_or_salt_fails(proven: Proven, tmp_path: Path) -> None:
    assert set(_failed(proven, proven.inclusion_file("acct-0003"), "acct-0004")) == {"account id"}

    def salted(doc: dict[str, object]) -> None:
        doc["salt"] = str(int(str(doc["salt"])) + 1)

    proof = _edit(proven.inclusion_file("acct-0003"), tmp_path / "p.json", salted)
    assert "id commitment" in _failed(proven, proof, "acct-0003")


def test_a_changed_sibling_fails_the_global_root(proven: Proven, tmp_path: Path) -> None:
    def bend(doc: dict[str, dict[str, list[dict[str, list[str]]]]]) -> None:
        siblings = doc["global"]["path"][0]["siblings"]
        siblings[0] = str(int(siblings[0]) + 1)

    proof = _edit(proven.inclusion_file("acct-0005"), tmp_path / "p.json", bend)
    assert set(_failed(proven, proof, "acct-0005")) == {"global root"}


def test_a_changed_batch_cost_sum_fails_the_batch_commitment(proven: Proven, tmp_path: Path) -> None:
    def bend(doc: dict[str, dict[str, str]]) -> None:
        doc["batch"]["cost_sum"] = str(int(doc["batch"]["cost_sum"]) - 2**127)

    proof = _edit(proven.inclusion_file("acct-0008"), tmp_path / "p.json", bend)
    assert set(_failed(proven, proof, "acct-0008")) == {"batch commitment"}


def test_an_unreadable_proof_is_an_error(proven: Proven, tmp_path: Path) -> None:
    bad = tmp_path / "p.json"
    bad.write_text('{"format": "zksolvency-inclusion/1"}')
    with pytest.raises(FormatError, match="not an inclusion proof"):
        verify_inclusion(proven.bundle, bad, "acct-0000")


def test_an_out_of_bound_sibling_sum_fails_the_batch_path(proven: Proven, tmp_path: Path) -> None:
    def inflate(doc: dict[str, dict[str, list[dict[str, list[dict[str, list[str]]]]]]]) -> None:
        doc["batch"]["path"][0]["siblings"][0]["sums"][0] = str(2**200)

    proof = _edit(proven.inclusion_file("acct-0006"), tmp_path / "p.json", inflate)
    assert set(_failed(proven, proof, "acct-0006")) == {"batch sums"}
