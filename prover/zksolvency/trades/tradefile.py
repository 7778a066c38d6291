"""Trades files (JSON Lines): matched trades and liquidations, validated as read.

    {"buy": <order index>, "sell": <order index>, "size": "<q>", "price": "<p>"}
    {"liquidation": true, "liquidated": "<account id>", "order": <order index>,
     "size": "<q>", "price": "<p>"}

Order indices count the lines of the orders file from 0. Ranges: ``0 < q < 2**64``,
``abs(p) < 2**64``. Integers are JSON numbers or decimal strings (MARGIN.md's
convention). A bad line is refused naming the file, the line and the field.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from zksolvency.errors import InputError
from zksolvency.model.fields import decode_utf8, input_error, parse_name, parse_ranged

BOUND_64 = 2**64


@dataclass(frozen=True, slots=True)
class MatchedTrade:
    """Order ``buy`` against order ``sell``: ``size`` contracts at ``price``."""

    buy: int
    sell: int
    size: int
    price: int


@dataclass(frozen=True, slots=True)
class LiquidationTrade:
    """The liquidator's order ``order`` takes ``size`` contracts at ``price`` from ``liquidated``."""

    liquidated: str
    order: int
    size: int
    price: int


TradeLine = MatchedTrade | LiquidationTrade

_MATCHED_KEYS = frozenset({"buy", "sell", "size", "price"})
_LIQUIDATION_KEYS = frozenset({"liquidation", "liquidated", "order", "size", "price"})


def parse_trade(obj: object, source: str = "<trades>", line: int | None = None) -> TradeLine:
    """One trades-file object; ``InputError`` naming the field when it is malformed."""
    if not isinstance(obj, dict):
        raise input_error(source, line, None, "a trade must be a JSON object")
    liquidation = obj.get("liquidation", False)
    keys = _LIQUIDATION_KEYS if liquidation is True else _MATCHED_KEYS
    if liquidation not in (True, False):
        raise input_error(source, line, "liquidation", "must be true when present")
    missing = sorted(keys - obj.keys() - ({"liquidation"} if liquidation is True else set()))
    if missing:
        raise input_error(source, line, missing[0], "missing")
    extra = sorted(obj.keys() - keys - {"liquidation"})
    if extra:
        raise input_error(source, line, extra[0], "unknown field")
    size = parse_ranged(obj["size"], 1, BOUND_64 - 1, "0 < size < 2**64", source, line, "size")
    low, high = -BOUND_64 + 1, BOUND_64 - 1
    price = parse_ranged(obj["price"], low, high, "abs(price) < 2**64", source, line, "price")
    if liquidation is True:
        who = parse_name(obj["liquidated"], source, line, "liquidated")
        order = parse_ranged(obj["order"], 0, 2**62, "an order index >= 0", source, line, "order")
        return LiquidationTrade(who, order, size, price)
    buy = parse_ranged(obj["buy"], 0, 2**62, "an order index >= 0", source, line, "buy")
    sell = parse_ranged(obj["sell"], 0, 2**62, "an order index >= 0", source, line, "sell")
    return MatchedTrade(buy, sell, size, price)


def read_trades(path: str | os.PathLike[str]) -> list[TradeLine]:
    """Every trade of a trades file, in order (blank lines skipped)."""
    source = os.fspath(path)
    text = decode_utf8(Path(path).read_bytes(), source)
    trades: list[TradeLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{number}: not JSON ({exc.msg})") from None
        trades.append(parse_trade(obj, source, number))
    return trades
