"""Provenance records: made from a verified ceremony, re-checked against a key; the audit's setup check."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from zksolvency.ceremony.contribute import read_key_chain
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.provenance import (
    CEREMONY,
    DEV,
    SetupProvenance,
    check_provenance,
    combined_kind,
    provenance_from_report,
    read_provenance,
    vkey_sha256,
    write_provenance,
)
from zksolvency.ceremony.verify import verify_ceremony
from zksolvency.circuit.formats.zkey import MPCParams, encode_mpc_params, read_zkey_header
from zksolvency.errors import SetupError
from zksolvency.groth16.kernels import get_section_kernels
from zksolvency.groth16.ptau_dev import generate_dev_ptau
from zksolvency.groth16.vkey import export_vkey
from zksolvency.round.audit_setup import check_setup
from zksolvency.round.bundle import BUNDLE_FORMAT, Bundle
from zksolvency.round.report import Report

from .conftest import PARTIES, Ceremony, Circuits, run_ceremony

pytestmark = pytest.mark.snarkjs


def record_of(ceremony: Ceremony) -> SetupProvenance:
    report = verify_ceremony(ceremony.final, ceremony.ptau, ceremony.r1cs)
    _, mpc = read_key_chain(ceremony.final)
    return provenance_from_report(report, mpc, export_vkey(read_zkey_header(ceremony.final)))


@pytest.fixture(scope="module")
def record(ours: Ceremony) -> SetupProvenance:
    return record_of(ours)


@pytest.fixture(scope="module")
def key_sha256(ours: Ceremony) -> str:
    return vkey_sha256(export_vkey(read_zkey_header(ours.final)))


def test_a_verified_ceremony_gives_a_trusted_record_that_holds_for_its_key(
    record: SetupProvenance, key_sha256: str, tmp_path: Path
) -> None:
    assert record.kind == CEREMONY and record.trusted
    assert [c["name"] for c in record.contributions] == [*PARTIES, "beacon"]
    chain = check_provenance(record, key_sha256, get_section_kernels())
    assert chain.transcript_hash.hex() == record.transcript_hash
    write_provenance(tmp_path / "p.json", record)
    assert read_provenance(tmp_path / "p.json") == record


def test_a_record_checked_against_another_key_is_refused(record: SetupProvenance) -> None:
    with pytest.raises(InvalidLink, match="the record is about key"):
        check_provenance(record, "0x" + "00" * 32, get_section_kernels())


def test_a_record_with_a_link_removed_or_a_changed_hash_is_refused(
    record: SetupProvenance, key_sha256: str, ours: Ceremony
) -> None:
    _, mpc = read_key_chain(ours.final)
    shorter = encode_mpc_params(MPCParams(mpc.cs_hash, mpc.contributions[:-1])).hex()
    with pytest.raises(InvalidLink, match="final key"):  # delta2 of the key is not carol's delta
        check_provenance(replace(record, mpc_params=shorter), key_sha256, get_section_kernels())
    with pytest.raises(InvalidLink, match="transcript hash"):
        check_provenance(replace(record, transcript_hash="00" * 64), key_sha256, get_section_kernels())


def test_a_ceremony_on_a_dev_ptau_is_recorded_as_dev(circuits: Circuits, ceremony_work: Path) -> None:
    dev = ceremony_work / "pot4_unsafe.ptau"
    generate_dev_ptau(dev, 4)
    folder = ceremony_work / "on-dev"
    with pytest.raises(SetupError, match="UNSAFE"):
        run_ceremony(circuits.multiplier, dev, folder, {"solo": (0x50, 0x51)})
    dev_record = record_of(run_ceremony(circuits.multiplier, dev, folder, {"solo": (0x50, 0x51)}, True))
    assert dev_record.kind == DEV and not dev_record.trusted
    assert combined_kind([dev_record, dev_record]) == DEV


def _bundle_with(tmp_path: Path, batch: SetupProvenance | None, root: SetupProvenance | None) -> Bundle:
    setup = {k: r.to_json() for k, r in (("batch", batch), ("root", root)) if r is not None}
    (tmp_path / "manifest.json").write_text(json.dumps({"format": BUNDLE_FORMAT, "setup": setup}))
    return Bundle(tmp_path)


def _setup_checks(bundle: Bundle, ours: Ceremony, allow: bool) -> Report:
    vk = export_vkey(read_zkey_header(ours.final))
    report = Report()
    check_setup(bundle, report, {"batch": vk, "root": vk}, allow)
    return report


def test_the_audit_passes_ceremony_keys_and_names_their_contributors(
    record: SetupProvenance, ours: Ceremony, tmp_path: Path
) -> None:
    report = _setup_checks(_bundle_with(tmp_path, record, record), ours, allow=False)
    assert report.ok and [c.name for c in report.checks] == ["batch key setup", "root key setup"]
    assert (
        "verified ceremony" in report.checks[0].detail
        and "alice, bob, carol, beacon" in report.checks[0].detail
    )
    assert not report.warnings


def test_the_audit_fails_keys_of_unknown_or_unsafe_origin_unless_allowed(
    record: SetupProvenance, ours: Ceremony, tmp_path: Path
) -> None:
    unsafe = replace(record, kind=DEV)
    strict = _setup_checks(_bundle_with(tmp_path, unsafe, None), ours, allow=False)
    assert [c.name for c in strict.failed()] == ["batch key setup", "root key setup"]
    assert "UNSAFE" in strict.checks[0].detail and "no provenance" in strict.checks[1].detail
    lenient = _setup_checks(_bundle_with(tmp_path, unsafe, None), ours, allow=True)
    assert lenient.ok and len(lenient.warnings) == 2


def test_the_audit_fails_a_record_that_does_not_hold_even_when_dev_keys_are_allowed(
    record: SetupProvenance, ours: Ceremony, tmp_path: Path
) -> None:
    forged = replace(record, transcript_hash="11" * 64)
    report = _setup_checks(_bundle_with(tmp_path, forged, record), ours, allow=True)
    assert [c.name for c in report.failed()] == ["batch key setup"]
    assert "does not hold" in report.failed()[0].detail
