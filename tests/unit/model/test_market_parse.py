"""The snapshot reader: what it accepts, canonical order, the writer, and every rejection."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from zksolvency.errors import InputError
from zksolvency.model.market import (
    Asset,
    Instrument,
    Market,
    market_from_obj,
    market_to_json,
    parse_market,
    read_market,
)

MAX64 = 2**64 - 1

#: Line numbers below refer to this text.
BASE = """\
{
  "assets": {
    "USDC": {"price": "100000000", "weight": 10000},
    "BTC": {"price": "60000000000", "weight": 9000}
  },
  "instruments": {
    "BTC-C": {
      "mark": "50000000000000000",
      "shocks": ["-20000000000000000", "0", "30000000000000000", "90000000000000000"]
    },
    "BTC-P": {
      "mark": 1000,
      "shocks": [1, 2, 3, 4]
    }
  }
}
"""


def mutate(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def test_base_snapshot_parses_in_canonical_order() -> None:
    market = parse_market(BASE, "market.json")
    assert [a.name for a in market.assets] == ["BTC", "USDC"]
    assert market.assets[0] == Asset("BTC", 60_000_000_000, 9000)
    assert market.instruments[0] == Instrument(
        "BTC-C", 5 * 10**16, (-2 * 10**16, 0, 3 * 10**16, 9 * 10**16), None, None
    )
    assert market.scenarios == 4
    assert market.instrument_index == {"BTC-C": 0, "BTC-P": 1}
    assert market.instruments[0].effective_band_bps == 500
    assert market.instruments[0].effective_initial_shocks == market.instruments[0].shocks


def test_file_order_does_not_matter_but_values_do() -> None:
    document = json.loads(BASE)
    reordered = {
        "instruments": dict(reversed(list(document["instruments"].items()))),
        "assets": dict(reversed(list(document["assets"].items()))),
    }
    assert market_from_obj(reordered) == parse_market(BASE)
    reordered["assets"]["BTC"]["weight"] = 8999
    assert market_from_obj(reordered) != parse_market(BASE)


def test_optional_fields_are_read() -> None:
    text = mutate(
        '"shocks": [1, 2, 3, 4]', '"shocks": [1, 2, 3, 4], "initial_shocks": [5, 6, 7, "-8"], "band_bps": 0'
    )
    inst = parse_market(text).instruments[1]
    assert inst.initial_shocks == (5, 6, 7, -8)
    assert inst.effective_initial_shocks == (5, 6, 7, -8)
    assert inst.band_bps == 0
    assert inst.effective_band_bps == 0


def test_generated_metadata_is_ignored_but_must_be_an_object() -> None:
    text = BASE.replace("{\n", '{\n  "_generated": {"generator": "x", "anything": [1.5, null]},\n', 1)
    assert parse_market(text) == parse_market(BASE)
    bad = BASE.replace("{\n", '{\n  "_generated": "x",\n', 1)
    with pytest.raises(InputError, match=r"^m:2: field _generated: expected an object"):
        parse_market(bad, "m")


def test_scenarios_field_is_a_cross_check() -> None:
    assert parse_market(BASE.replace("{\n", '{\n  "scenarios": 4,\n', 1)).scenarios == 4
    with pytest.raises(
        InputError, match=r"^m:2: field scenarios: says 5, but instruments.BTC-C.shocks has 4"
    ):
        parse_market(BASE.replace("{\n", '{\n  "scenarios": 5,\n', 1), "m")


def test_extreme_values_are_accepted() -> None:
    text = mutate('"price": "60000000000"', f'"price": "{MAX64}"')
    text = text.replace('"mark": 1000', f'"mark": -{MAX64}').replace(
        "[1, 2, 3, 4]", f'[{MAX64}, "-{MAX64}", 0, 0]'
    )
    text = text.replace('"weight": 9000', '"weight": 10000')
    market = parse_market(text)
    assert market.assets[0].price == MAX64
    assert market.instruments[1].mark == -MAX64
    assert market.instruments[1].shocks[:2] == (MAX64, -MAX64)


REJECTIONS = [
    # (case, old, new, line, field, message fragment)
    (
        "price = 2**64",
        '"price": "60000000000"',
        f'"price": "{2**64}"',
        4,
        "assets.BTC.price",
        "out of range (must be 0 <= price < 2**64)",
    ),
    ("price negative", '"price": "60000000000"', '"price": -1', 4, "assets.BTC.price", "-1 is negative"),
    (
        "weight > 10000",
        '"weight": 9000',
        '"weight": 10001',
        4,
        "assets.BTC.weight",
        "10001 is out of range (must be 0 <= weight <= 10000)",
    ),
    ("weight negative", '"weight": 9000', '"weight": "-1"', 4, "assets.BTC.weight", "is negative"),
    (
        "mark = 2**64",
        '"mark": 1000',
        f'"mark": {2**64}',
        12,
        "instruments.BTC-P.mark",
        "out of range (must be abs(mark) < 2**64)",
    ),
    ("mark = -2**64", '"mark": 1000', f'"mark": "-{2**64}"', 12, "instruments.BTC-P.mark", "out of range"),
    (
        "shock = 2**64",
        "[1, 2, 3, 4]",
        f"[1, 2, {2**64}, 4]",
        13,
        "instruments.BTC-P.shocks[2]",
        "abs(shock) < 2**64",
    ),
    (
        "shock lists differ",
        "[1, 2, 3, 4]",
        "[1, 2, 3]",
        13,
        "instruments.BTC-P.shocks",
        "has 3 shocks, but instruments.BTC-C.shocks has 4",
    ),
    ("shock list longer", "[1, 2, 3, 4]", "[1, 2, 3, 4, 5]", 13, "instruments.BTC-P.shocks", "has 5 shocks"),
    (
        "S = 0",
        '"shocks": ["-20000000000000000", "0", "30000000000000000", "90000000000000000"]',
        '"shocks": []',
        9,
        "instruments.BTC-C.shocks",
        "is empty (S, the number of scenarios, must be at least 1)",
    ),
    (
        "shocks not a list",
        "[1, 2, 3, 4]",
        '"1,2,3,4"',
        13,
        "instruments.BTC-P.shocks",
        "expected a list of shocks",
    ),
    (
        "initial_shocks length",
        "[1, 2, 3, 4]",
        '[1, 2, 3, 4], "initial_shocks": [1]',
        13,
        "instruments.BTC-P.initial_shocks",
        "has 1 shocks",
    ),
    (
        "initial_shocks range",
        "[1, 2, 3, 4]",
        f'[1, 2, 3, 4], "initial_shocks": [1, 2, 3, -{2**64}]',
        13,
        "instruments.BTC-P.initial_shocks[3]",
        "out of range",
    ),
    (
        "band_bps > 10000",
        "[1, 2, 3, 4]",
        '[1, 2, 3, 4], "band_bps": 10001',
        13,
        "instruments.BTC-P.band_bps",
        "0 <= band_bps <= 10000",
    ),
    (
        "band_bps negative",
        "[1, 2, 3, 4]",
        '[1, 2, 3, 4], "band_bps": -5',
        13,
        "instruments.BTC-P.band_bps",
        "is negative",
    ),
    (
        "float number",
        '"mark": 1000',
        '"mark": 1000.0',
        12,
        "instruments.BTC-P.mark",
        "1000.0 is not an integer",
    ),
    ("exponent", '"mark": 1000', '"mark": 1e3', 12, "instruments.BTC-P.mark", "1e3 is not an integer"),
    ("boolean", '"weight": 9000', '"weight": true', 4, "assets.BTC.weight", "expected an integer, got true"),
    ("null", '"weight": 9000', '"weight": null', 4, "assets.BTC.weight", "got null"),
    (
        "leading plus",
        '"weight": 9000',
        '"weight": "+9000"',
        4,
        "assets.BTC.weight",
        "is not a decimal integer",
    ),
    ("whitespace", '"weight": 9000', '"weight": " 9000"', 4, "assets.BTC.weight", "is not a decimal integer"),
    (
        "leading zero",
        '"weight": 9000',
        '"weight": "09000"',
        4,
        "assets.BTC.weight",
        "is not a decimal integer",
    ),
    (
        "decimal string",
        '"weight": 9000',
        '"weight": "9000.0"',
        4,
        "assets.BTC.weight",
        "is not a decimal integer",
    ),
    ("underscore", '"weight": 9000', '"weight": "9_000"', 4, "assets.BTC.weight", "is not a decimal integer"),
    (
        "unicode digits",
        '"weight": 9000',
        '"weight": "\u0669\u0660\u0660\u0660"',
        4,
        "assets.BTC.weight",
        "is not a decimal integer",
    ),
    ("hex string", '"weight": 9000', '"weight": "0x10"', 4, "assets.BTC.weight", "is not a decimal integer"),
    ("empty string", '"weight": 9000', '"weight": ""', 4, "assets.BTC.weight", "is not a decimal integer"),
    (
        "unknown asset field",
        '"weight": 9000}',
        '"weight": 9000, "haircut": 1}',
        4,
        "assets.BTC.haircut",
        "unknown field",
    ),
    ("missing price", '"price": "60000000000", ', "", 4, "assets.BTC", "missing field 'price'"),
    (
        "missing shocks",
        '"mark": 1000,\n      "shocks": [1, 2, 3, 4]',
        '"mark": 1000',
        11,
        "instruments.BTC-P",
        "missing field 'shocks'",
    ),
    (
        "asset not object",
        '{"price": "60000000000", "weight": 9000}',
        "60000000000",
        4,
        "assets.BTC",
        "expected an object",
    ),
    ("duplicate asset", '"BTC": {"price"', '"USDC": {"price"', 4, "assets.USDC", "appears twice"),
    (
        "duplicate field",
        '"weight": 9000}',
        '"weight": 9000, "weight": 9000}',
        4,
        "assets.BTC.weight",
        "appears twice",
    ),
    ("empty asset name", '"BTC": {"price"', '"": {"price"', 4, "assets.", "is empty"),
    (
        "long name",
        '"BTC": {"price"',
        f'"{"B" * 32}": {{"price"',
        4,
        "assets." + "B" * 32,
        "is 32 UTF-8 bytes (must be 1..31)",
    ),
    (
        "name whitespace",
        '"BTC": {"price"',
        '"BTC ": {"price"',
        4,
        "assets.BTC ",
        "leading or trailing whitespace",
    ),
    (
        "name control char",
        '"BTC": {"price"',
        '"B\\u0007TC": {"price"',
        4,
        "assets.B\x07TC",
        "control character",
    ),
    ("name not NFC", '"BTC-C": {', '"BTC-e\\u0301": {', 7, "instruments.BTC-e\u0301", "normal form NFC"),
    (
        "unknown top field",
        '  "instruments": {\n',
        '  "instrument": {},\n  "instruments": {\n',
        6,
        "instrument",
        "unknown field",
    ),
    (
        "no assets",
        BASE[BASE.index('"assets"') : BASE.index("  },\n") + 4],
        '"assets": {},\n',
        2,
        "assets",
        "lists no assets",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "fragment"),
    [case[1:] for case in REJECTIONS],
    ids=[case[0] for case in REJECTIONS],
)
def test_rejection_names_file_line_and_field(
    old: str, new: str, line: int, field: str, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_market(mutate(old, new), "market.json")
    message = str(caught.value)
    assert message.startswith(f"market.json:{line}: field {field}: "), message
    assert fragment in message


def test_no_instruments_is_rejected() -> None:
    text = BASE[: BASE.index('  "instruments"')].rstrip().rstrip(",") + ',\n  "instruments": {}\n}\n'
    with pytest.raises(InputError, match=r"^m:6: field instruments: lists no instruments"):
        parse_market(text, "m")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('{\n  "assets": {\n    "BTC" {}\n', 3, "expected ':' at column 11"),
        ('{\n  "assets": NaN\n}', 2, "expected a value"),
        ("[1, 2]", 1, None),
        ('{"assets": {}} {}', 1, "extra data after the document"),
        ("", 1, "unexpected end of file"),
        ('{"a": "\\x"}', 1, "bad escape"),
        ("{\n\n  'assets': 1}", 3, "expected a key in double quotes"),
    ],
    ids=["missing colon", "NaN", "top-level list", "extra data", "empty", "bad escape", "single quotes"],
)
def test_malformed_json_names_the_line(text: str, line: int, fragment: str | None) -> None:
    with pytest.raises(InputError) as caught:
        parse_market(text, "m.json")
    assert str(caught.value).startswith(f"m.json:{line}: ")
    if fragment:
        assert fragment in str(caught.value)


def test_read_market_rejects_bad_bytes(write: Callable[[str, str | bytes], Path]) -> None:
    good = write("good.json", BASE)
    assert read_market(good) == parse_market(BASE)
    broken = write("bad.json", BASE.encode().replace(b'"BTC-P"', b'"BTC-\xff"'))
    with pytest.raises(InputError, match=r"bad.json:11: not valid UTF-8 \(byte 0xff at column 10\)"):
        read_market(broken)
    bom = write("bom.json", b"\xef\xbb\xbf" + BASE.encode())
    with pytest.raises(InputError, match=r"bom.json:1: starts with a UTF-8 byte-order mark"):
        read_market(bom)


def test_writer_output_is_canonical_and_reads_back() -> None:
    market = parse_market(
        mutate(
            '"shocks": [1, 2, 3, 4]', '"shocks": [1, 2, 3, 4], "initial_shocks": [4, 3, 2, 1], "band_bps": 7'
        )
    )
    text = market_to_json(market, {"generator": "test"})
    assert parse_market(text) == market
    assert json.loads(text)["_generated"] == {"generator": "test"}
    document = json.loads(text)
    assert list(document["assets"]) == ["BTC", "USDC"]
    assert document["instruments"]["BTC-C"]["shocks"][0] == "-20000000000000000"
    reordered = market_from_obj(
        {"assets": dict(reversed(list(document["assets"].items()))), "instruments": document["instruments"]}
    )
    assert market_to_json(reordered, {"generator": "test"}) == text
    changed = Market(market.assets[:1], market.instruments, market.scenarios)
    assert market_to_json(changed) != market_to_json(market)


@pytest.mark.parametrize(
    "bad",
    [
        lambda m: Market((), m.instruments, m.scenarios),
        lambda m: Market(tuple(reversed(m.assets)), m.instruments, m.scenarios),
        lambda m: Market(m.assets, m.instruments, 3),
        lambda m: Market((Asset("BTC", 2**64, 0), m.assets[1]), m.instruments, m.scenarios),
        lambda m: Market(m.assets, (Instrument("BTC-C", 0, (0, 0, 0, 2**64)), m.instruments[1]), m.scenarios),
        lambda m: Market(m.assets, (Instrument("BTC-C", 0, (0,) * 4, band_bps=10_001), m.instruments[1]), 4),
    ],
    ids=["no assets", "unsorted", "wrong S", "price range", "shock range", "band range"],
)
def test_market_constructor_rechecks_invariants(bad: Callable[[Market], Market]) -> None:
    market = parse_market(BASE)
    assert Market(market.assets, market.instruments, market.scenarios) == market
    with pytest.raises(ValueError, match="malformed Market"):
        bad(market)
