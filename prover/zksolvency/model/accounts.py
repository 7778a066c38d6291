"""Accounts: the dataclass, streaming JSON Lines and CSV readers that validate as they go, writers.

JSON Lines (MARGIN.md, "File formats"), one account per line::

    {"id": "alice", "balances": {"USDC": 1000000000, "BTC": "10000000"},
     "positions": {"BTC-C": {"size": -1, "cost": "-50000000000000000"}}}

``balances`` and ``positions`` may be left out; a position needs both ``size`` and
``cost``. CSV, one account per line after a header naming the columns::

    id,balance.USDC,balance.BTC,size.BTC-C,cost.BTC-C
    alice,1000000000,10000000,-1,-50000000000000000

Columns may come in any order and any subset of the market's assets and
instruments may appear; an empty cell is zero (not mentioned). ``size.X`` and
``cost.X`` come as a pair, and a row gives both or neither.

Every value is checked against the market before an :class:`Account` exists:
known asset / instrument, integer grammar (see :mod:`zksolvency.model.fields`)
and range, id rules, duplicate ids and duplicate keys. Errors say
``FILE:LINE: field PATH: what is wrong``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from zksolvency.errors import InputError
from zksolvency.model.fields import NonInteger, decode_utf8, input_error, parse_name, parse_ranged, show
from zksolvency.model.market import BOUND_64, BOUND_128, Market

AccountFormat = Literal["auto", "jsonl", "csv"]

_TOP_KEYS = ("id", "balances", "positions")
_POSITION_KEYS = ("size", "cost")
_MAX_64 = BOUND_64 - 1
_MAX_128 = BOUND_128 - 1
#: Integers above this lose precision in many JSON tools; writers quote them as strings.
_SAFE_JSON_INT = 2**53


@dataclass(frozen=True, slots=True)
class Account:
    """One account, dense in its market's canonical order.

    ``balances[a]`` is the balance of ``market.assets[a]`` (asset minor units,
    ``0 <= b < 2**64``); ``sizes[i]`` and ``costs[i]`` are the position in
    ``market.instruments[i]`` (contracts, ``abs(size) < 2**64``; quote minor units
    times PRICE_SCALE, ``abs(cost) < 2**128``). Assets and instruments the
    account does not mention are zero. Build one with :func:`account_from_obj`
    or the readers, which validate; the dataclass itself does not re-check ranges.
    """

    id: str
    balances: tuple[int, ...]
    sizes: tuple[int, ...]
    costs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Located:
    """An account with where it stands in its file: line number and byte offset of the line."""

    line: int
    offset: int
    account: Account


class _Object(dict[str, object]):
    """A JSON object from an account line; remembers a key that appeared twice."""

    duplicate: str | None = None


def _pairs_hook(pairs: list[tuple[str, object]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                result.duplicate = key
                break
            seen.add(key)
    return result


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed")


class _Checker:
    """Turns parsed account objects or CSV rows into Accounts for one market and one file."""

    def __init__(self, market: Market, source: str, track_ids: bool = True) -> None:
        self.market = market
        self.source = source
        self.track_ids = track_ids
        self.asset_index = market.asset_index
        self.instrument_index = market.instrument_index
        self.asset_names = ", ".join(a.name for a in market.assets)
        self.instrument_names = ", ".join(i.name for i in market.instruments)
        self.seen: dict[str, int | None] = {}

    def error(self, line: int | None, field: str, what: str) -> InputError:
        return input_error(self.source, line, field, what)

    def obj(
        self, value: object, line: int | None, field: str, allowed: Iterable[str] | None
    ) -> Mapping[str, object]:
        """A JSON object, no key twice, only ``allowed`` keys unless that is None;
        ``field`` is its path ("" at the top)."""
        if not isinstance(value, dict):
            if not field:
                raise input_error(self.source, line, None, f"expected a JSON object, got {show(value)}")
            raise self.error(line, field, f"expected an object, got {show(value)}")
        duplicate = getattr(value, "duplicate", None)
        if duplicate is not None:
            raise self.error(line, f"{field}.{duplicate}" if field else duplicate, "appears twice")
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    path = f"{field}.{key}" if field else key
                    raise self.error(line, path, f"unknown field (allowed: {', '.join(allowed)})")
        return value

    def new_id(self, value: object, line: int | None, field: str) -> str:
        account_id = parse_name(value, self.source, line, field)
        if not self.track_ids:
            return account_id
        if account_id in self.seen:
            first = self.seen[account_id]
            at = f" (first on line {first})" if first is not None else ""
            raise self.error(line, field, f"duplicate id {account_id!r}{at}")
        self.seen[account_id] = line
        return account_id

    def balance(self, value: object, line: int | None, field: str) -> int:
        return parse_ranged(value, 0, _MAX_64, "0 <= balance < 2**64", self.source, line, field)

    def size(self, value: object, line: int | None, field: str) -> int:
        return parse_ranged(value, -_MAX_64, _MAX_64, "abs(size) < 2**64", self.source, line, field)

    def cost(self, value: object, line: int | None, field: str) -> int:
        return parse_ranged(value, -_MAX_128, _MAX_128, "abs(cost) < 2**128", self.source, line, field)

    def unknown_asset(self, line: int | None, field: str) -> InputError:
        return self.error(line, field, f"unknown asset (the market lists {self.asset_names})")

    def unknown_instrument(self, line: int | None, field: str) -> InputError:
        return self.error(line, field, f"unknown instrument (the market lists {self.instrument_names})")

    def from_obj(self, value: object, line: int | None) -> Account:
        top = self.obj(value, line, "", _TOP_KEYS)
        if "id" not in top:
            raise self.error(line, "id", "missing (every account needs an id)")
        account_id = self.new_id(top["id"], line, "id")
        balances = [0] * len(self.market.assets)
        sizes = [0] * len(self.market.instruments)
        costs = [0] * len(self.market.instruments)
        if "balances" in top:
            for name, amount in self.obj(top["balances"], line, "balances", None).items():
                if name not in self.asset_index:
                    raise self.unknown_asset(line, f"balances.{name}")
                balances[self.asset_index[name]] = self.balance(amount, line, f"balances.{name}")
        if "positions" in top:
            for name, position in self.obj(top["positions"], line, "positions", None).items():
                field = f"positions.{name}"
                if name not in self.instrument_index:
                    raise self.unknown_instrument(line, field)
                pair = self.obj(position, line, field, _POSITION_KEYS)
                for key in _POSITION_KEYS:
                    if key not in pair:
                        raise self.error(line, f"{field}.{key}", "missing (a position needs size and cost)")
                index = self.instrument_index[name]
                sizes[index] = self.size(pair["size"], line, f"{field}.size")
                costs[index] = self.cost(pair["cost"], line, f"{field}.cost")
        return Account(account_id, tuple(balances), tuple(sizes), tuple(costs))


def account_from_obj(
    value: object, market: Market, source: str = "<account>", line: int | None = None
) -> Account:
    """Validate one account given as a parsed JSON object (the JSON Lines shape).

    Unknown assets or instruments are rejected with the market's names in the message.
    """
    return _Checker(market, source).from_obj(value, line)


# --- reading ----------------------------------------------------------------


def _lines(path: str | os.PathLike[str], source: str) -> Iterator[tuple[int, int, str]]:
    """Each line of the file with its number and byte offset, decoded, without its line ending."""
    offset = 0
    with Path(path).open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            start, offset = offset, offset + len(raw)
            raw = raw.removesuffix(b"\n").removesuffix(b"\r")
            yield number, start, decode_utf8(raw, source, first_line=number)


def _jsonl_account(text: str, number: int, checker: _Checker) -> Account:
    """One JSON Lines line, parsed and validated."""
    source = checker.source
    if not text.strip():
        raise input_error(source, number, None, "empty line (one account per line, no blank lines)")
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs_hook, parse_float=NonInteger, parse_constant=_reject_constant
        )
    except ValueError as exc:
        why = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise input_error(source, number, None, f"malformed line, not valid JSON: {why}") from None
    if not isinstance(value, dict):
        raise input_error(source, number, None, f"malformed line: expected a JSON object, got {show(value)}")
    return checker.from_obj(value, number)


def _located_jsonl(path: str | os.PathLike[str], checker: _Checker) -> Iterator[Located]:
    for number, offset, text in _lines(path, checker.source):
        yield Located(number, offset, _jsonl_account(text, number, checker))


def iter_accounts_jsonl(path: str | os.PathLike[str], market: Market) -> Iterator[Account]:
    """Stream the accounts of a JSON Lines file, each validated before it is yielded."""
    for located in _located_jsonl(path, _Checker(market, os.fspath(path))):
        yield located.account


_CsvColumns = tuple[int, list[tuple[int, int]], list[tuple[int, int, int]]]


def _csv_columns(header: list[str], checker: _Checker) -> _CsvColumns:
    """Column of ``id``; (column, asset) pairs; (size column, cost column, instrument) triples."""
    source = checker.source
    seen: set[str] = set()
    id_column: int | None = None
    balances: list[tuple[int, int]] = []
    size_columns: dict[str, int] = {}
    cost_columns: dict[str, int] = {}
    for column, name in enumerate(header):
        field = name or f"(column {column + 1})"
        if name in seen:
            raise input_error(source, 1, field, "column appears twice in the header")
        seen.add(name)
        kind, dot, rest = name.partition(".")
        if name == "id":
            id_column = column
        elif dot and kind == "balance":
            if rest not in checker.asset_index:
                raise checker.unknown_asset(1, field)
            balances.append((column, checker.asset_index[rest]))
        elif dot and kind in ("size", "cost"):
            if rest not in checker.instrument_index:
                raise checker.unknown_instrument(1, field)
            (size_columns if kind == "size" else cost_columns)[rest] = column
        else:
            raise input_error(
                source,
                1,
                field,
                "unknown column (expected id, balance.ASSET, size.INSTRUMENT, cost.INSTRUMENT)",
            )
    if id_column is None:
        raise input_error(source, 1, "id", "the header has no id column")
    for name in sorted(set(size_columns) ^ set(cost_columns)):
        missing = "cost" if name in size_columns else "size"
        raise input_error(
            source, 1, f"{missing}.{name}", "column missing (size and cost columns come in pairs)"
        )
    positions = [
        (size_columns[name], cost_columns[name], checker.instrument_index[name])
        for name in sorted(size_columns)
    ]
    return id_column, balances, positions


def _located_csv(path: str | os.PathLike[str], checker: _Checker) -> Iterator[Located]:
    source = checker.source
    numbered = _lines(path, source)
    current = [0, 0]

    def texts() -> Iterator[str]:
        for number, offset, text in numbered:
            current[0], current[1] = number, offset
            yield text

    reader = csv.reader(texts(), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise input_error(source, 1, None, "empty file (expected a header line: id,balance.ASSET,...)")
        columns = _csv_columns(header, checker)
        previous = current[0]
        for row in reader:
            line = current[0]
            if line != previous + 1:
                raise input_error(source, previous + 1, None, "malformed line: a quoted field spans lines")
            previous = line
            yield Located(line, current[1], _csv_row_account(row, line, header, checker, columns))
    except csv.Error as exc:
        raise input_error(source, current[0], None, f"malformed line, not valid CSV: {exc}") from None


def _csv_row_account(
    row: list[str], line: int, header: list[str], checker: _Checker, columns: _CsvColumns
) -> Account:
    if not row:
        raise input_error(checker.source, line, None, "empty line (one account per line, no blank lines)")
    if len(row) != len(header):
        raise input_error(
            checker.source, line, None, f"malformed line: {len(row)} fields, but the header has {len(header)}"
        )
    return _csv_account(row, line, header, checker, *columns)


def iter_accounts_csv(path: str | os.PathLike[str], market: Market) -> Iterator[Account]:
    """Stream the accounts of a CSV file (header first), each validated before it is yielded."""
    for located in _located_csv(path, _Checker(market, os.fspath(path))):
        yield located.account


def _csv_account(
    row: list[str],
    line: int,
    header: list[str],
    checker: _Checker,
    id_column: int,
    balance_columns: list[tuple[int, int]],
    position_columns: list[tuple[int, int, int]],
) -> Account:
    account_id = checker.new_id(row[id_column], line, "id")
    balances = [0] * len(checker.market.assets)
    sizes = [0] * len(checker.market.instruments)
    costs = [0] * len(checker.market.instruments)
    for column, index in balance_columns:
        if row[column]:
            balances[index] = checker.balance(row[column], line, header[column])
    for size_column, cost_column, index in position_columns:
        size_text, cost_text = row[size_column], row[cost_column]
        if bool(size_text) != bool(cost_text):
            empty, given = (cost_column, size_column) if size_text else (size_column, cost_column)
            raise checker.error(
                line, header[empty], f"is empty but {header[given]} is not (give both or neither)"
            )
        if size_text:
            sizes[index] = checker.size(size_text, line, header[size_column])
            costs[index] = checker.cost(cost_text, line, header[cost_column])
    return Account(account_id, tuple(balances), tuple(sizes), tuple(costs))


def detect_format(path: str | os.PathLike[str]) -> Literal["jsonl", "csv"]:
    """``csv`` for ``*.csv``; ``jsonl`` for ``*.jsonl``, ``*.ndjson`` and ``*.json``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise InputError(
        f"{os.fspath(path)}: cannot tell the accounts format from the extension {suffix!r} "
        "(use .jsonl or .csv, or say --format jsonl|csv)"
    )


def iter_accounts(
    path: str | os.PathLike[str], market: Market, fmt: AccountFormat = "auto"
) -> Iterator[Account]:
    """Stream the accounts of a file in either format (``auto``: by extension)."""
    chosen = detect_format(path) if fmt == "auto" else fmt
    return iter_accounts_csv(path, market) if chosen == "csv" else iter_accounts_jsonl(path, market)


def read_accounts(path: str | os.PathLike[str], market: Market, fmt: AccountFormat = "auto") -> list[Account]:
    """All accounts of a file; the whole file is validated before this returns."""
    return list(iter_accounts(path, market, fmt))


class AccountsFile:
    """An accounts file read in one streaming pass, then re-read one account at a time.

    For files too large to hold: :meth:`scan` yields every account validated, with its
    line number and byte offset, and does **not** keep the ids it has seen (a round checks
    duplicates itself with 8 bytes per account); :meth:`read` parses the one account at
    an offset again (a JSON Lines line, or a CSV row under the file's header).
    """

    def __init__(self, path: str | os.PathLike[str], market: Market, fmt: AccountFormat = "auto") -> None:
        self.path = Path(path)
        self.market = market
        self.format = detect_format(path) if fmt == "auto" else fmt
        self._checker = _Checker(market, os.fspath(path), track_ids=False)
        self._header: tuple[list[str], _CsvColumns] | None = None

    def scan(self) -> Iterator[Located]:
        """Every account in file order, validated (not checked for duplicate ids)."""
        if self.format == "csv":
            return _located_csv(self.path, self._checker)
        return _located_jsonl(self.path, self._checker)

    def read(self, offset: int, line: int) -> Account:
        """The account of line ``line``, which starts at byte ``offset`` (from :meth:`scan`)."""
        with self.path.open("rb") as handle:
            handle.seek(offset)
            raw = handle.readline().removesuffix(b"\n").removesuffix(b"\r")
        text = decode_utf8(raw, self._checker.source, first_line=line)
        if self.format == "jsonl":
            return _jsonl_account(text, line, self._checker)
        if self._header is None:
            with self.path.open("rb") as handle:
                first = decode_utf8(handle.readline().rstrip(b"\r\n"), self._checker.source, first_line=1)
            header = next(csv.reader([first], strict=True))
            self._header = (header, _csv_columns(header, self._checker))
        header, columns = self._header
        try:
            row = next(csv.reader([text], strict=True), [])
        except csv.Error as exc:
            raise input_error(
                self._checker.source, line, None, f"malformed line, not valid CSV: {exc}"
            ) from None
        return _csv_row_account(row, line, header, self._checker, columns)


# --- writing ----------------------------------------------------------------


def _json_int(value: int) -> int | str:
    return value if abs(value) <= _SAFE_JSON_INT else str(value)


def account_to_obj(account: Account, market: Market) -> dict[str, object]:
    """The JSON Lines object of an account: only non-zero balances and positions, integers
    beyond 2**53 as decimal strings."""
    balances = {
        asset.name: _json_int(amount)
        for asset, amount in zip(market.assets, account.balances, strict=True)
        if amount
    }
    positions = {
        inst.name: {"size": _json_int(size), "cost": _json_int(cost)}
        for inst, size, cost in zip(market.instruments, account.sizes, account.costs, strict=True)
        if size or cost
    }
    result: dict[str, object] = {"id": account.id}
    if balances:
        result["balances"] = balances
    if positions:
        result["positions"] = positions
    return result


def accounts_to_jsonl(accounts: Iterable[Account], market: Market) -> str:
    """JSON Lines text for ``accounts``."""
    return "".join(
        json.dumps(account_to_obj(account, market), ensure_ascii=False, separators=(", ", ": ")) + "\n"
        for account in accounts
    )


def accounts_to_csv(accounts: Iterable[Account], market: Market) -> str:
    """CSV text for ``accounts`` with every column of the market (zero cells left empty)."""
    header = ["id"] + [f"balance.{a.name}" for a in market.assets]
    for inst in market.instruments:
        header += [f"size.{inst.name}", f"cost.{inst.name}"]
    rows = [header]
    for account in accounts:
        row = [account.id] + [str(b) if b else "" for b in account.balances]
        for size, cost in zip(account.sizes, account.costs, strict=True):
            row += [str(size), str(cost)] if size or cost else ["", ""]
        rows.append(row)

    sink = io.StringIO()
    csv.writer(sink, lineterminator="\n").writerows(rows)
    return sink.getvalue()
