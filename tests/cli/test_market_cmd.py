"""``zksolvency market build``: the example, the report, and nothing written on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from zksolvency.cli.market_cmd import market

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: The example's price sources and the time they were quoted at.
SOURCES = [arg for x in "abc" for arg in ("--source", str(EXAMPLES / "sources" / f"feed-{x}.json"))]
ORACLE = [*SOURCES, "--time", "1796126400"]


def test_build_reproduces_the_committed_example(tmp_path: Path) -> None:
    out = tmp_path / "market.json"
    result = CliRunner().invoke(market, ["build", str(EXAMPLES / "market.toml"), "--out", str(out), *ORACLE])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (EXAMPLES / "market.json").read_bytes()
    assert result.stderr == f"wrote {out}: 4 assets, 16 instruments, 16 scenarios\n"


def test_report_file_and_stdout(tmp_path: Path) -> None:
    out, report = tmp_path / "m.json", tmp_path / "report.json"
    description = str(EXAMPLES / "market.toml")
    result = CliRunner().invoke(
        market, ["build", description, "--out", str(out), "--report", str(report), *ORACLE]
    )
    assert result.exit_code == 0, result.output
    written = json.loads(report.read_text())
    assert len(written["instruments"]) == 16
    assert {"delta", "gamma", "vega", "theta"} <= set(written["instruments"]["ETH-30D-3000-C"])
    to_stdout = CliRunner().invoke(
        market, ["build", description, "--out", str(out), "--report", "-", *ORACLE]
    )
    assert json.loads(to_stdout.stdout) == written
    quiet = CliRunner().invoke(market, ["build", description, "--out", str(out), *ORACLE])
    assert quiet.stdout == ""


def test_bad_description_writes_nothing(tmp_path: Path) -> None:
    text = (EXAMPLES / "market.toml").read_text().replace("strike = 60000.0", "strike = -60000.0", 1)
    description = tmp_path / "bad.toml"
    description.write_text(text)
    out, report = tmp_path / "m.json", tmp_path / "r.json"
    args = ["build", str(description), "--out", str(out), "--report", str(report), *ORACLE]
    result = CliRunner().invoke(market, args)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {description}: field instruments.BTC-30D-60000-P.strike: -60000.0 must be > 0\n"
    )
    assert not out.exists() and not report.exists()
    assert list(tmp_path.iterdir()) == [description]


def test_out_of_range_value_leaves_an_existing_snapshot_alone(tmp_path: Path) -> None:
    text = (EXAMPLES / "market.toml").read_text().replace("contract_size = 0.01", "contract_size = 1e9", 1)
    description = tmp_path / "big.toml"
    description.write_text(text)
    out = tmp_path / "m.json"
    out.write_text("previous")
    result = CliRunner().invoke(market, ["build", str(description), "--out", str(out), *ORACLE])
    assert result.exit_code == 2
    assert "out of range (abs < 2**64)" in result.stderr
    assert out.read_text() == "previous"


def test_help_teaches_units_and_gives_an_example() -> None:
    result = CliRunner().invoke(market, ["build", "--help"])
    assert result.exit_code == 0
    for phrase in (
        "10**8",
        "Black-Scholes",
        "price_moves",
        "zksolvency market build examples/market.toml",
        "max_deviation_bps",
        "--source",
    ):
        assert phrase in result.output


def test_a_price_without_quorum_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    one = ["--source", str(EXAMPLES / "sources" / "feed-a.json"), "--time", "1796126400"]
    result = CliRunner().invoke(market, ["build", str(EXAMPLES / "market.toml"), "--out", str(out), *one])
    assert result.exit_code == 2
    assert "[oracle]: spot of BTC: 1 fresh source(s) (feed-a), below the quorum of 2" in result.stderr
    assert not out.exists()


def test_the_default_time_is_now_so_old_sources_are_stale(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    result = CliRunner().invoke(market, ["build", str(EXAMPLES / "market.toml"), "--out", str(out), *SOURCES])
    assert result.exit_code == 2
    assert "stale: quoted" in result.stderr and not out.exists()


def test_sources_and_time_need_an_oracle_description(tmp_path: Path) -> None:
    plain = tmp_path / "plain.toml"
    oracle = '[oracle]\nunderlyings = ["BTC"]\nmax_age_seconds = 300\nmax_deviation_bps = 200\nquorum = 2\n'
    text = (EXAMPLES / "market-small.toml").read_text()
    assert oracle in text
    text = text.replace(oracle, "[underlyings]\nBTC = 60000.0\n")
    plain.write_text(text.replace("expiry_days = 30\n", "expiry_days = 30\nvol = 0.5\n"))
    assert (
        CliRunner().invoke(market, ["build", str(plain), "--out", str(tmp_path / "ok.json")]).exit_code == 0
    )
    out = tmp_path / "m.json"
    for extra, message in (
        (SOURCES, "has no [oracle] table"),
        (["--time", "1"], "--time applies to price sources"),
    ):
        result = CliRunner().invoke(market, ["build", str(plain), "--out", str(out), *extra])
        assert result.exit_code == 2 and message in result.stderr, result.stderr
        assert not out.exists()
