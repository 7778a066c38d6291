"""Trades files: both line kinds parse; a bad line is refused naming the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from zksolvency.errors import InputError
from zksolvency.trades import LiquidationTrade, MatchedTrade, read_trades


def test_matched_and_liquidation_lines_parse(tmp_path: Path) -> None:
    path = tmp_path / "trades.jsonl"
    path.write_text(
        '{"buy": 0, "sell": 1, "size": "2", "price": "-51000000000000000"}\n\n'
        '{"liquidation": true, "liquidated": "carol", "order": 2, "size": 1, "price": "5"}\n'
    )
    assert read_trades(path) == [
        MatchedTrade(0, 1, 2, -51 * 10**15),
        LiquidationTrade("carol", 2, 1, 5),
    ]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"buy": 0, "sell": 1, "size": "0", "price": "5"}', "size"),
        ('{"buy": 0, "sell": 1, "size": "1", "price": "18446744073709551616"}', "price"),
        ('{"buy": -1, "sell": 1, "size": "1", "price": "5"}', "buy"),
        ('{"buy": 0, "size": "1", "price": "5"}', "sell"),
        ('{"buy": 0, "sell": 1, "size": "1", "price": "5", "fee": 3}', "fee"),
        ('{"liquidation": true, "order": 0, "size": "1", "price": "5"}', "liquidated"),
        ('{"liquidation": "yes", "buy": 0, "sell": 1, "size": "1", "price": "5"}', "liquidation"),
    ],
)
def test_a_bad_line_is_refused_naming_line_and_field(tmp_path: Path, line: str, field: str) -> None:
    path = tmp_path / "trades.jsonl"
    path.write_text('{"buy": 0, "sell": 1, "size": "1", "price": "5"}\n' + line + "\n")
    with pytest.raises(InputError, match=rf"trades\.jsonl:2: field {field}:"):
        read_trades(path)
