"""Account readers (JSON Lines, CSV) and writers; every rejection names its file, line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zksolvency.errors import InputError
from zksolvency.model.accounts import (
    Account,
    account_from_obj,
    accounts_to_csv,
    accounts_to_jsonl,
    detect_format,
    iter_accounts_jsonl,
    read_accounts,
)
from zksolvency.model.market import Asset, Instrument, Market

Write = Callable[[str, str | bytes], Path]
MAX64 = 2**64 - 1
MAX128 = 2**128 - 1

LINE2 = '{"id": "bob"}'


def jsonl(spec_account_line: str, third: str) -> str:
    return f"{spec_account_line}\n{LINE2}\n{third}\n"


def test_spec_account_reads_densely_in_canonical_order(
    spec_market: Market, spec_account_line: str, write: Write
) -> None:
    path = write("accounts.jsonl", jsonl(spec_account_line, '{"id": "carol", "balances": {"USDC": "5"}}'))
    alice, bob, carol = read_accounts(path, spec_market)
    assert alice == Account("alice", (10**7, 10**9), (-1,), (-5 * 10**16,))
    assert bob == Account("bob", (0, 0), (0,), (0,))
    assert carol.balances == (0, 5)


def test_extremes_are_accepted(spec_market: Market, write: Write) -> None:
    line = (
        f'{{"id": "{"é" * 15}x", "balances": {{"BTC": {MAX64}, "USDC": "{MAX64}"}}, '
        f'"positions": {{"BTC-C": {{"size": "-{MAX64}", "cost": -{MAX128}}}}}}}\n'
        f'{{"id": "{"z" * 31}", "positions": {{"BTC-C": {{"size": {MAX64}, "cost": "{MAX128}"}}}}}}\n'
        '{"id": "zero", "positions": {"BTC-C": {"size": "-0", "cost": 0}}}\n'
    )
    first, second, zero = read_accounts(write("a.jsonl", line), spec_market)
    assert first == Account("é" * 15 + "x", (MAX64, MAX64), (-MAX64,), (-MAX128,))
    assert (second.sizes, second.costs) == ((MAX64,), (MAX128,))
    assert zero.sizes == (0,)


def test_reading_streams_and_validates_line_by_line(
    spec_market: Market, spec_account_line: str, write: Write
) -> None:
    path = write("a.jsonl", jsonl(spec_account_line, "not json"))
    stream = iter_accounts_jsonl(path, spec_market)
    assert next(stream).id == "alice"
    assert next(stream).id == "bob"
    with pytest.raises(InputError, match=r"a.jsonl:3: malformed line"):
        next(stream)
    with pytest.raises(InputError):
        read_accounts(path, spec_market)


BAD_LINES = [
    # (case, third line, field or None, fragment)
    (
        "balance negative",
        '{"id": "c", "balances": {"BTC": -5}}',
        "balances.BTC",
        "-5 is negative (must be 0 <= balance < 2**64)",
    ),
    (
        "balance 2**64",
        f'{{"id": "c", "balances": {{"BTC": "{2**64}"}}}}',
        "balances.BTC",
        f"{2**64} is out of range (must be 0 <= balance < 2**64)",
    ),
    (
        "size 2**64",
        f'{{"id": "c", "positions": {{"BTC-C": {{"size": {2**64}, "cost": 0}}}}}}',
        "positions.BTC-C.size",
        "out of range (must be abs(size) < 2**64)",
    ),
    (
        "size -2**64",
        f'{{"id": "c", "positions": {{"BTC-C": {{"size": "-{2**64}", "cost": 0}}}}}}',
        "positions.BTC-C.size",
        "out of range",
    ),
    (
        "cost 2**128",
        f'{{"id": "c", "positions": {{"BTC-C": {{"size": 1, "cost": {2**128}}}}}}}',
        "positions.BTC-C.cost",
        "out of range (must be abs(cost) < 2**128)",
    ),
    (
        "cost -2**128",
        f'{{"id": "c", "positions": {{"BTC-C": {{"size": 1, "cost": "-{2**128}"}}}}}}',
        "positions.BTC-C.cost",
        "out of range",
    ),
    (
        "unknown asset",
        '{"id": "c", "balances": {"DOGE": 1}}',
        "balances.DOGE",
        "unknown asset (the market lists BTC, USDC)",
    ),
    (
        "unknown instrument",
        '{"id": "c", "positions": {"ETH-C": {"size": 1, "cost": 0}}}',
        "positions.ETH-C",
        "unknown instrument (the market lists BTC-C)",
    ),
    ("duplicate id", '{"id": "alice"}', "id", "duplicate id 'alice' (first on line 1)"),
    ("float", '{"id": "c", "balances": {"BTC": 1.5}}', "balances.BTC", "1.5 is not an integer"),
    ("float zero fraction", '{"id": "c", "balances": {"BTC": 1.0}}', "balances.BTC", "1.0 is not an integer"),
    ("exponent", '{"id": "c", "balances": {"BTC": 1E3}}', "balances.BTC", "1E3 is not an integer"),
    ("boolean", '{"id": "c", "balances": {"BTC": false}}', "balances.BTC", "expected an integer, got false"),
    ("null", '{"id": "c", "balances": {"BTC": null}}', "balances.BTC", "got null"),
    ("list", '{"id": "c", "balances": {"BTC": [1]}}', "balances.BTC", "got a list"),
    ("leading plus", '{"id": "c", "balances": {"BTC": "+5"}}', "balances.BTC", "is not a decimal integer"),
    ("leading space", '{"id": "c", "balances": {"BTC": " 5"}}', "balances.BTC", "is not a decimal integer"),
    (
        "trailing newline",
        '{"id": "c", "balances": {"BTC": "5\\n"}}',
        "balances.BTC",
        "is not a decimal integer",
    ),
    ("leading zero", '{"id": "c", "balances": {"BTC": "007"}}', "balances.BTC", "is not a decimal integer"),
    ("underscore", '{"id": "c", "balances": {"BTC": "1_000"}}', "balances.BTC", "is not a decimal integer"),
    (
        "fullwidth digits",
        '{"id": "c", "balances": {"BTC": "\uff15"}}',
        "balances.BTC",
        "is not a decimal integer",
    ),
    (
        "decimal point string",
        '{"id": "c", "balances": {"BTC": "5.0"}}',
        "balances.BTC",
        "is not a decimal integer",
    ),
    ("id empty", '{"id": ""}', "id", "is empty (must be 1..31 UTF-8 bytes)"),
    ("id 32 bytes", '{"id": "' + "é" * 16 + '"}', "id", "is 32 UTF-8 bytes (must be 1..31)"),
    ("id not a string", '{"id": 7}', "id", "expected a string, got 7"),
    ("id missing", '{"balances": {}}', "id", "missing"),
    ("id whitespace", '{"id": "bob "}', "id", "leading or trailing whitespace"),
    ("id control", '{"id": "b\\u0000b"}', "id", "control character"),
    ("id not NFC", '{"id": "e\\u0301"}', "id", "normal form NFC"),
    ("id lone surrogate", '{"id": "\\ud800"}', "id", "lone surrogate"),
    (
        "unknown field",
        '{"id": "c", "balance": {"BTC": 1}}',
        "balance",
        "unknown field (allowed: id, balances, positions)",
    ),
    ("duplicate top key", '{"id": "c", "id": "d"}', "id", "appears twice"),
    ("duplicate balance", '{"id": "c", "balances": {"BTC": 1, "BTC": 2}}', "balances.BTC", "appears twice"),
    ("balances not object", '{"id": "c", "balances": [1]}', "balances", "expected an object"),
    (
        "position missing cost",
        '{"id": "c", "positions": {"BTC-C": {"size": 1}}}',
        "positions.BTC-C.cost",
        "missing (a position needs size and cost)",
    ),
    (
        "position extra key",
        '{"id": "c", "positions": {"BTC-C": {"size": 1, "cost": 1, "price": 1}}}',
        "positions.BTC-C.price",
        "unknown field",
    ),
    (
        "position not object",
        '{"id": "c", "positions": {"BTC-C": 1}}',
        "positions.BTC-C",
        "expected an object",
    ),
    ("not JSON", '{"id": "c",', None, "malformed line, not valid JSON"),
    ("not an object", '["c"]', None, "malformed line: expected a JSON object, got a list"),
    ("NaN", '{"id": "c", "balances": {"BTC": NaN}}', None, "NaN is not allowed"),
    ("blank line", "   ", None, "empty line"),
    ("empty line", "", None, "empty line"),
]


@pytest.mark.parametrize(
    ("third", "field", "fragment"), [c[1:] for c in BAD_LINES], ids=[c[0] for c in BAD_LINES]
)
def test_jsonl_rejection_names_file_line_and_field(
    spec_market: Market, spec_account_line: str, write: Write, third: str, field: str | None, fragment: str
) -> None:
    path = write("accounts.jsonl", jsonl(spec_account_line, third))
    with pytest.raises(InputError) as caught:
        read_accounts(path, spec_market)
    message = str(caught.value)
    prefix = f"{path}:3: field {field}: " if field else f"{path}:3: "
    assert message.startswith(prefix), message
    assert fragment in message, message


def test_the_brief_example_message_is_exact(spec_market: Market, write: Write) -> None:
    lines = [f'{{"id": "u{n}"}}' for n in range(16)] + ['{"id": "x", "balances": {"BTC": -5}}']
    path = write("accounts.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        read_accounts(path, spec_market)
    assert (
        str(caught.value) == f"{path}:17: field balances.BTC: -5 is negative (must be 0 <= balance < 2**64)"
    )


def test_jsonl_bytes_are_checked(spec_market: Market, spec_account_line: str, write: Write) -> None:
    crlf = write("crlf.jsonl", jsonl(spec_account_line, '{"id": "c"}').replace("\n", "\r\n"))
    assert [a.id for a in read_accounts(crlf, spec_market)] == ["alice", "bob", "c"]
    bad = write("bad.jsonl", jsonl(spec_account_line, '{"id": "c"}').encode().replace(b'"c"', b'"\xc3("'))
    with pytest.raises(InputError, match=r"bad.jsonl:3: not valid UTF-8 \(byte 0xc3 at column 9\)"):
        read_accounts(bad, spec_market)
    bom = write("bom.jsonl", b"\xef\xbb\xbf" + jsonl(spec_account_line, '{"id": "c"}').encode())
    with pytest.raises(InputError, match=r"bom.jsonl:1: starts with a UTF-8 byte-order mark"):
        read_accounts(bom, spec_market)


def test_account_from_obj_validates_without_a_file(spec_market: Market) -> None:
    assert account_from_obj({"id": "a", "balances": {"USDC": "1"}}, spec_market).balances == (0, 1)
    with pytest.raises(InputError, match=r"^<account>: field balances.USDC: -1 is negative"):
        account_from_obj({"id": "a", "balances": {"USDC": -1}}, spec_market)
    with pytest.raises(InputError, match=r"^<account>: expected a JSON object"):
        account_from_obj(["a"], spec_market)


# --- CSV ----------------------------------------------------------------------

CSV_HEADER = "id,balance.USDC,balance.BTC,size.BTC-C,cost.BTC-C"


def test_csv_reads_like_jsonl(spec_market: Market, spec_account_line: str, write: Write) -> None:
    text = f'{CSV_HEADER}\nalice,1000000000,10000000,-1,-50000000000000000\nbob,,,,\n"carol, inc",5,,,\n'
    alice, bob, carol = read_accounts(write("accounts.csv", text), spec_market)
    from_jsonl = read_accounts(write("a.jsonl", spec_account_line + "\n"), spec_market)[0]
    assert alice == from_jsonl
    assert bob == Account("bob", (0, 0), (0,), (0,))
    assert carol == Account("carol, inc", (0, 5), (0,), (0,))


def test_csv_columns_may_be_any_subset_in_any_order(spec_market: Market, write: Write) -> None:
    path = write("a.csv", f"cost.BTC-C,size.BTC-C,id\n{MAX128},-{MAX64},x\n")
    assert read_accounts(path, spec_market) == [Account("x", (0, 0), (-MAX64,), (MAX128,))]
    only_id = write("b.csv", "id\nsolo\n")
    assert read_accounts(only_id, spec_market) == [Account("solo", (0, 0), (0,), (0,))]


BAD_CSV = [
    # (case, text, line, field or None, fragment)
    ("unknown column", "id,balance.USDC,foo\n", 1, "foo", "unknown column"),
    ("unknown asset", "id,balance.DOGE\n", 1, "balance.DOGE", "unknown asset (the market lists BTC, USDC)"),
    ("unknown instrument", "id,size.X,cost.X\n", 1, "size.X", "unknown instrument"),
    (
        "size without cost",
        "id,size.BTC-C\n",
        1,
        "cost.BTC-C",
        "column missing (size and cost columns come in pairs)",
    ),
    ("duplicate column", "id,balance.BTC,balance.BTC\n", 1, "balance.BTC", "column appears twice"),
    ("no id column", "balance.BTC\n5\n", 1, "id", "the header has no id column"),
    ("empty file", "", 1, None, "empty file"),
    (
        "negative balance",
        f"{CSV_HEADER}\na,-5,,,\n",
        2,
        "balance.USDC",
        "-5 is negative (must be 0 <= balance < 2**64)",
    ),
    ("balance 2**64", f"{CSV_HEADER}\na,,{2**64},,\n", 2, "balance.BTC", "out of range"),
    (
        "size 2**64",
        f"{CSV_HEADER}\na,,,{2**64},0\n",
        2,
        "size.BTC-C",
        "out of range (must be abs(size) < 2**64)",
    ),
    (
        "cost 2**128",
        f"{CSV_HEADER}\na,,,1,-{2**128}\n",
        2,
        "cost.BTC-C",
        "out of range (must be abs(cost) < 2**128)",
    ),
    ("float cell", f"{CSV_HEADER}\na,1.5,,,\n", 2, "balance.USDC", "is not a decimal integer"),
    ("plus cell", f"{CSV_HEADER}\na,+1,,,\n", 2, "balance.USDC", "is not a decimal integer"),
    ("space cell", f"{CSV_HEADER}\na, 1,,,\n", 2, "balance.USDC", "is not a decimal integer"),
    ("size without cost cell", f"{CSV_HEADER}\na,,,1,\n", 2, "cost.BTC-C", "is empty but size.BTC-C is not"),
    ("cost without size cell", f"{CSV_HEADER}\na,,,,1\n", 2, "size.BTC-C", "is empty but cost.BTC-C is not"),
    ("duplicate id", f"{CSV_HEADER}\na,,,,\nb,,,,\na,,,,\n", 4, "id", "duplicate id 'a' (first on line 2)"),
    ("empty id", f"{CSV_HEADER}\n,1,,,\n", 2, "id", "is empty"),
    ("id with space", f"{CSV_HEADER}\n a,1,,,\n", 2, "id", "leading or trailing whitespace"),
    ("too few fields", f"{CSV_HEADER}\na,1\n", 2, None, "malformed line: 2 fields, but the header has 5"),
    ("too many fields", f"{CSV_HEADER}\na,1,,,,,\n", 2, None, "7 fields"),
    ("blank line", f"{CSV_HEADER}\na,,,,\n\nb,,,,\n", 3, None, "empty line"),
    ("field spans lines", f'{CSV_HEADER}\na,,,,\n"b\nc",,,,\n', 3, None, "a quoted field spans lines"),
    ("bad quoting", f'{CSV_HEADER}\n"a"b,,,,\n', 2, None, "not valid CSV"),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment"), [c[1:] for c in BAD_CSV], ids=[c[0] for c in BAD_CSV]
)
def test_csv_rejection_names_file_line_and_field(
    spec_market: Market, write: Write, text: str, line: int, field: str | None, fragment: str
) -> None:
    path = write("accounts.csv", text)
    with pytest.raises(InputError) as caught:
        read_accounts(path, spec_market)
    message = str(caught.value)
    prefix = f"{path}:{line}: field {field}: " if field else f"{path}:{line}: "
    assert message.startswith(prefix), message
    assert fragment in message, message


def test_csv_bytes_are_checked(spec_market: Market, write: Write) -> None:
    bad = write("bad.csv", f"{CSV_HEADER}\na,,,,\n".encode() + b"\xff,,,,\n")
    with pytest.raises(InputError, match=r"bad.csv:3: not valid UTF-8"):
        read_accounts(bad, spec_market)
    bom = write("bom.csv", b"\xef\xbb\xbf" + f"{CSV_HEADER}\n".encode())
    with pytest.raises(InputError, match=r"bom.csv:1: starts with a UTF-8 byte-order mark"):
        read_accounts(bom, spec_market)


# --- formats and writers --------------------------------------------------------


def test_format_is_detected_by_extension_or_named(spec_market: Market, write: Write) -> None:
    assert detect_format("x.CSV") == "csv"
    assert detect_format("x.ndjson") == "jsonl"
    with pytest.raises(InputError, match=r"x.txt: cannot tell the accounts format"):
        detect_format("x.txt")
    path = write("accounts.txt", "id\nsolo\n")
    assert read_accounts(path, spec_market, "csv")[0].id == "solo"
    with pytest.raises(InputError, match=r"accounts.txt:1: malformed line, not valid JSON"):
        read_accounts(path, spec_market, "jsonl")


def test_writers_round_trip(spec_market: Market, write: Write) -> None:
    accounts = [
        Account("alice", (10**7, 10**9), (-1,), (-5 * 10**16,)),
        Account("max", (MAX64, 0), (-MAX64,), (MAX128,)),
        Account("cost only", (0, 0), (0,), (-3,)),
        Account("empty", (0, 0), (0,), (0,)),
    ]
    text = accounts_to_jsonl(accounts, spec_market)
    assert read_accounts(write("w.jsonl", text), spec_market) == accounts
    assert read_accounts(write("w.csv", accounts_to_csv(accounts, spec_market)), spec_market) == accounts
    assert '"cost": -50000000000000000' not in text  # beyond 2**53: a decimal string
    assert '"cost": "-50000000000000000"' in text
    assert text.splitlines()[3] == '{"id": "empty"}'


def test_malformed_json_message_gives_the_column(spec_market: Market, write: Write) -> None:
    path = write("a.jsonl", '{"id": "a", "b"}\n')
    with pytest.raises(InputError) as caught:
        read_accounts(path, spec_market)
    assert (
        str(caught.value) == f"{path}:1: malformed line, not valid JSON: Expecting ':' delimiter at column 16"
    )


@given(st.integers(-MAX128, MAX128))
def test_a_cost_reads_the_same_as_number_or_string_and_never_with_a_plus(cost: int) -> None:
    market = Market((Asset("USDC", 1, 1),), (Instrument("X", 0, (0,)),), 1)
    as_number = account_from_obj({"id": "a", "positions": {"X": {"size": 1, "cost": cost}}}, market)
    as_string = account_from_obj({"id": "a", "positions": {"X": {"size": 1, "cost": str(cost)}}}, market)
    assert as_number == as_string
    assert as_number.costs == (cost,)
    with pytest.raises(InputError, match="is not a decimal integer"):
        account_from_obj({"id": "a", "positions": {"X": {"size": 1, "cost": f"+{abs(cost)}"}}}, market)
    with pytest.raises(InputError, match="out of range"):
        account_from_obj(
            {"id": "a", "positions": {"X": {"size": 1, "cost": cost + (1 if cost >= 0 else -1) * 2**128}}},
            market,
        )
