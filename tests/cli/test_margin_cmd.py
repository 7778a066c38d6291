"""``zksolvency margin``: output shape, exit statuses 0 / 1 / 2, and nothing on stdout for bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from zksolvency.cli.margin_cmd import margin
from zksolvency.model.accounts import read_accounts
from zksolvency.model.margin import evaluate
from zksolvency.model.market import read_market

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

SPEC_MARKET = """{"assets": {"USDC": {"price": "100000000", "weight": 10000},
            "BTC":  {"price": "60000000000", "weight": 9000}},
 "instruments": {"BTC-C": {"mark": "50000000000000000",
                           "shocks": ["-20000000000000000", "0",
                                      "30000000000000000", "90000000000000000"]}}}
"""
ALICE = (
    '{"id": "alice", "balances": {"USDC": 1000000000, "BTC": "10000000"}, '
    '"positions": {"BTC-C": {"size": -1, "cost": "-50000000000000000"}}}\n'
)
# Ten calls sold instead of one, with only USDC counting: insolvent (MARGIN.md).
BOB = (
    '{"id": "bob", "balances": {"USDC": 1000000000}, '
    '"positions": {"BTC-C": {"size": -10, "cost": "-500000000000000000"}}}\n'
)


def run(
    tmp_path: Path, accounts: str, *extra: str, name: str = "accounts.jsonl", market: str = SPEC_MARKET
) -> Result:
    (tmp_path / "market.json").write_text(market)
    (tmp_path / name).write_text(accounts)
    args = ["--accounts", str(tmp_path / name), "--market", str(tmp_path / "market.json"), *extra]
    return CliRunner().invoke(margin, args)


def test_worked_example_json_output_and_exit_0(tmp_path: Path) -> None:
    result = run(tmp_path, ALICE, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "id": "alice",
        "equity": "6400000000000000000000",
        "requirement": "900000000000000000000",
        "solvent": True,
    }
    assert result.stderr == "1 accounts, 0 insolvent\n"


def test_an_insolvent_account_gives_exit_1(tmp_path: Path) -> None:
    result = run(tmp_path, ALICE + BOB, "--json")
    assert result.exit_code == 1, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[1] == {
        "id": "bob",
        "equity": "1000000000000000000000",
        "requirement": "9000000000000000000000",
        "solvent": False,
    }
    assert result.stderr == "2 accounts, 1 insolvent\n"


def test_json_shape_on_the_examples(tmp_path: Path) -> None:
    args = [
        "--accounts",
        str(EXAMPLES / "accounts.jsonl"),
        "--market",
        str(EXAMPLES / "market.json"),
        "--json",
    ]
    result = CliRunner().invoke(margin, args)
    market = read_market(EXAMPLES / "market.json")
    expected = [evaluate(a, market) for a in read_accounts(EXAMPLES / "accounts.jsonl", market)]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(expected)
    for line, want in zip(lines, expected, strict=True):
        assert list(line) == ["id", "equity", "requirement", "solvent"]
        assert re.fullmatch(r"-?[0-9]+", line["equity"]) and re.fullmatch(r"[0-9]+", line["requirement"])
        assert (line["id"], int(line["equity"]), int(line["requirement"]), line["solvent"]) == (
            want.id,
            want.equity,
            want.requirement,
            want.solvent,
        )
    insolvent = sum(not r.solvent for r in expected)
    assert insolvent > 0
    assert result.exit_code == 1
    assert result.stderr == f"{len(expected)} accounts, {insolvent} insolvent\n"


def test_the_solvent_example_subset_gives_exit_0() -> None:
    args = ["--accounts", str(EXAMPLES / "accounts-solvent.jsonl"), "--market", str(EXAMPLES / "market.json")]
    result = CliRunner().invoke(margin, args)
    assert result.exit_code == 0
    assert result.stderr.endswith(" accounts, 0 insolvent\n")


def test_table_output(tmp_path: Path) -> None:
    result = run(tmp_path, ALICE + BOB)
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [
        ["id", "equity", "requirement", "solvent"],
        ["alice", "6400000000000000000000", "900000000000000000000", "yes"],
        ["bob", "1000000000000000000000", "9000000000000000000000", "NO"],
    ]
    assert result.exit_code == 1


def test_csv_accounts(tmp_path: Path) -> None:
    text = (
        "id,balance.USDC,balance.BTC,size.BTC-C,cost.BTC-C\nalice,1000000000,10000000,-1,-50000000000000000\n"
    )
    result = run(tmp_path, text, "--json", name="accounts.csv")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["requirement"] == "900000000000000000000"
    named = run(tmp_path, text, "--json", "--format", "csv", name="accounts.txt")
    assert named.stdout == result.stdout
    unnamed = run(tmp_path, text, "--json", name="accounts.txt")
    assert unnamed.exit_code == 2


def test_bad_account_gives_exit_2_one_line_and_no_output(tmp_path: Path) -> None:
    bad = ALICE + '{"id": "carol", "balances": {"BTC": -5}}\n'
    result = run(tmp_path, bad, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    path = tmp_path / "accounts.jsonl"
    assert (
        result.stderr
        == f"error: {path}:2: field balances.BTC: -5 is negative (must be 0 <= balance < 2**64)\n"
    )


def test_a_bad_line_after_good_ones_prints_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, ALICE + BOB + "{\n", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert ":3: malformed line" in result.stderr


def test_bad_market_gives_exit_2(tmp_path: Path) -> None:
    market = SPEC_MARKET.replace('"weight": 9000', '"weight": 10001')
    result = run(tmp_path, ALICE, market=market)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"error: {tmp_path / 'market.json'}:2: field assets.BTC.weight: 10001 is out of range"
    )


def test_missing_file_gives_exit_2(tmp_path: Path) -> None:
    args = ["--accounts", str(tmp_path / "nope.jsonl"), "--market", str(EXAMPLES / "market.json")]
    result = CliRunner().invoke(margin, args)
    assert result.exit_code == 2
    assert "nope.jsonl" in result.stderr and "No such file" in result.stderr


def test_help_teaches_units_and_gives_an_example() -> None:
    result = CliRunner().invoke(margin, ["--help"])
    assert result.exit_code == 0
    for phrase in ("10**8", "10**12", "basis points", "Exit status", "zksolvency margin --accounts"):
        assert phrase in result.output
