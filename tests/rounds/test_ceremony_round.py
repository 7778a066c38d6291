"""A round proven with keys from a verified ceremony: the bundle says so and the audit passes strictly.

The phase-1 file is a one-party chain made here at power 13 (``one_party_ptau``):
it stands in for a real ceremony file, which snarkjs would take minutes to
prepare at that power. It is not labelled UNSAFE, so keys from it count as a
ceremony's; the twin test is the session's dev-key round, which the strict
audit fails (``tests/rounds/test_cli.py``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.ceremony.conftest import run_ceremony
from zksolvency.circuit.formats.ptau import write_ptau_sections
from zksolvency.groth16.backends import get_backend
from zksolvency.groth16.ptau_dev_record import DevSecrets, dev_contribution
from zksolvency.round import audit_bundle, prove_round
from zksolvency.round.ceremony_keys import circuit_r1cs, install_ceremony_key

from .conftest import Inputs, options

pytestmark = [pytest.mark.slow, pytest.mark.snarkjs]


def one_party_ptau(path: Path, power: int) -> Path:
    """A prepared phase-1 file with one (named, non-dev) contribution, made with known secrets."""
    backend = get_backend()
    secrets = DevSecrets(tau=0x7A0, alpha=0xA1FA, beta=0xBE7A)
    points = backend.dev_ptau_points(power, secrets)
    record = replace(
        dev_contribution(power, secrets, points, backend.sections), name="tests: phase-1 stand-in"
    )
    write_ptau_sections(path, power, power, points, [record])
    return path


def test_a_round_with_installed_ceremony_keys_audits_without_allowing_dev_keys(
    sample_inputs: Inputs, tmp_path: Path
) -> None:
    ptau = one_party_ptau(tmp_path / "pot13.ptau", 13)
    for name in ("test", "root-test-4"):
        ceremony = run_ceremony(circuit_r1cs(name), ptau, tmp_path / name, {"alice": (0xA1, 0xA2)})
        installed = install_ceremony_key(name, ceremony.final, ptau)
        assert installed.provenance.trusted
    result = prove_round(options(sample_inputs, tmp_path / "bundle", ptau=ptau))
    setup = json.loads((result.bundle / "manifest.json").read_text())["setup"]
    assert setup["provenance"] == "ceremony"
    assert [c["name"] for c in setup["root"]["contributions"]] == ["alice", "beacon"]
    report = audit_bundle(result.bundle, allow_dev_setup=False)
    assert report.ok, [c.line() for c in report.failed()]
    assert "verified ceremony" in next(c.detail for c in report.checks if c.name == "root key setup")
