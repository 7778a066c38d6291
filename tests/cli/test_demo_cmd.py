"""`zksolvency demo`: the README's first command, and its failure twin."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.cli.main import cli


@pytest.mark.snarkjs
def test_demo_proves_and_both_verifiers_accept(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.stderr
    assert "zksolvency verifier: VALID" in result.stdout
    assert "snarkjs verifier:" in result.stdout and "OK" in result.stdout
    assert "UNSAFE" in result.stderr
    for name in ("multiplier.r1cs", "multiplier.zkey", "verification_key.json", "proof.json", "public.json"):
        assert (tmp_path / "demo" / name).is_file()


def test_demo_with_a_missing_ptau_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path), "--ptau", str(tmp_path / "none.ptau")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
