"""``zksolvency market build``: the example, the report, and nothing written on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from zksolvency.cli.market_cmd import market

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_build_reproduces_the_committed_example(tmp_path: Path) -> None:
    out = tmp_path / "market.json"
    result = CliRunner().invoke(market, ["build", str(EXAMPLES / "market.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (EXAMPLES / "market.json").read_bytes()
    assert result.stderr == f"wrote {out}: 4 assets, 16 instruments, 16 scenarios\n"


def test_report_file_and_stdout(tmp_path: Path) -> None:
    out, report = tmp_path / "m.json", tmp_path / "report.json"
    description = str(EXAMPLES / "market.toml")
    result = CliRunner().invoke(market, ["build", description, "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    written = json.loads(report.read_text())
    assert len(written["instruments"]) == 16
    assert {"delta", "gamma", "vega", "theta"} <= set(written["instruments"]["ETH-30D-3000-C"])
    to_stdout = CliRunner().invoke(market, ["build", description, "--out", str(out), "--report", "-"])
    assert json.loads(to_stdout.stdout) == written
    quiet = CliRunner().invoke(market, ["build", description, "--out", str(out)])
    assert quiet.stdout == ""


def test_bad_description_writes_nothing(tmp_path: Path) -> None:
    text = (EXAMPLES / "market.toml").read_text().replace("vol = 0.55", "vol = -0.55", 1)
    description = tmp_path / "bad.toml"
    description.write_text(text)
    out, report = tmp_path / "m.json", tmp_path / "r.json"
    args = ["build", str(description), "--out", str(out), "--report", str(report)]
    result = CliRunner().invoke(market, args)
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: {description}: field instruments.BTC-30D-60000-P.vol: -0.55 must be > 0\n"
    )
    assert not out.exists() and not report.exists()
    assert list(tmp_path.iterdir()) == [description]


def test_out_of_range_value_leaves_an_existing_snapshot_alone(tmp_path: Path) -> None:
    text = (EXAMPLES / "market.toml").read_text().replace("BTC = 60000.0", "BTC = 60000000000.0")
    description = tmp_path / "big.toml"
    description.write_text(text)
    out = tmp_path / "m.json"
    out.write_text("previous")
    result = CliRunner().invoke(market, ["build", str(description), "--out", str(out)])
    assert result.exit_code == 2
    assert "out of range (abs < 2**64)" in result.stderr
    assert out.read_text() == "previous"


def test_help_teaches_units_and_gives_an_example() -> None:
    result = CliRunner().invoke(market, ["build", "--help"])
    assert result.exit_code == 0
    for phrase in ("10**8", "Black-Scholes", "price_moves", "zksolvency market build examples/market.toml"):
        assert phrase in result.output
