"""Price sources and the [oracle] description: parsing, errors that name file and field, resolution."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from zksolvency.errors import InputError
from zksolvency.model.description import parse_description, read_description
from zksolvency.model.market import market_to_json, read_market
from zksolvency.model.market_builder import build_market
from zksolvency.oracle.prices import resolve_prices
from zksolvency.oracle.sources import parse_source, read_source

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SOURCES = [EXAMPLES / "sources" / f"feed-{x}.json" for x in "abc"]
T = 1_796_126_400

SOURCE = """\
{
  "format": "zksolvency-price-source/1",
  "source": "feed-x",
  "quote": "USD",
  "spots": {"BTC": {"price": 60000.5, "time": 1796126390}},
  "vols": {"BTC-C": {"vol": "0.55", "time": 1796126390}}
}
"""

ORACLE_DESCRIPTION = """\
[quote]
decimals = 6
[oracle]
underlyings = ["BTC"]
max_age_seconds = 300
max_deviation_bps = 200
quorum = 2
[assets.USDC]
decimals = 6
price = 1.0
weight = 10000
[instruments.BTC-C]
type = "call"
underlying = "BTC"
strike = 60000.0
expiry_days = 30
[scenarios]
price_moves = [-0.1, 0.1]
vol_moves = [0.0]
"""


def _source(name: str, btc: str, vol: str, age: int = 10) -> bytes:
    doc = {
        "format": "zksolvency-price-source/1",
        "source": name,
        "quote": "USD",
        "spots": {"BTC": {"price": btc, "time": T - age}},
        "vols": {"BTC-C": {"vol": vol, "time": T - age}},
    }
    return json.dumps(doc).encode()


def test_a_source_is_read_exactly_as_written() -> None:
    src = parse_source(SOURCE.encode(), "dir/feed-x.json")
    assert (src.name, src.file, src.quote_currency) == ("feed-x", "feed-x.json", "USD")
    assert src.spots["BTC"].value == Fraction("60000.5") and src.spots["BTC"].time == 1796126390
    assert src.vols["BTC-C"].value == Fraction(55, 100)  # a decimal string, exactly


SOURCE_REJECTIONS = [
    ("format", '"zksolvency-price-source/1"', '"prices/2"', "2: field format", "is not"),
    (
        "unknown key",
        '"quote": "USD",',
        '"quote": "USD", "currency": "USD",',
        "4: field currency",
        "unknown field",
    ),
    ("negative", "60000.5", "-60000.5", "5: field spots.BTC.price", "not a non-negative decimal"),
    ("zero", "60000.5", "0.0", "5: field spots.BTC.price", "must be > 0"),
    (
        "milliseconds",
        '"time": 1796126390}},\n  "vols"',
        '"time": 1796126390000}},\n  "vols"',
        "5: field spots.BTC.time",
        "Unix seconds",
    ),
    (
        "no time",
        ', "time": 1796126390}},\n  "vols"',
        '}},\n  "vols"',
        "5: field spots.BTC",
        "missing field 'time'",
    ),
    ("exponent", "60000.5", "6e99", "5: field spots.BTC.price", "exponent above 40"),
    ("bad decimal", '"0.55"', '"0,55"', "6: field vols.BTC-C.vol", "not a non-negative decimal"),
    (
        "duplicate key",
        '"quote": "USD",',
        '"quote": "USD", "quote": "EUR",',
        "4: field quote",
        "appears twice",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "where", "fragment"),
    [c[1:] for c in SOURCE_REJECTIONS],
    ids=[c[0] for c in SOURCE_REJECTIONS],
)
def test_a_bad_source_is_refused_naming_file_line_and_field(
    old: str, new: str, where: str, fragment: str
) -> None:
    assert SOURCE.count(old) == 1, old
    with pytest.raises(InputError) as caught:
        parse_source(SOURCE.replace(old, new).encode(), "feed-x.json")
    message = str(caught.value)
    assert message.startswith(f"feed-x.json:{where}"), message
    assert fragment in message, message


def test_the_example_sources_build_the_committed_snapshot() -> None:
    desc = read_description(EXAMPLES / "market.toml")
    resolved, record = resolve_prices(desc, [read_source(p) for p in SOURCES], T)
    result = build_market(resolved, "market.toml", record)
    assert market_to_json(result.market, result.generated) == (EXAMPLES / "market.json").read_text("utf-8")
    spots = record["spots"]
    assert isinstance(spots, dict)
    assert spots["SOL"]["median"] == "150" and list(spots["SOL"]["dropped"]) == ["feed-c"]
    vols = record["vols"]
    assert isinstance(vols, dict) and vols["ETH-30D-3000-C"]["dropped"]["feed-c"].startswith("stale")
    assert vols["SOL-30D-160-C"]["dropped"] == {"feed-b": "no quote"}


def test_another_snapshot_time_makes_the_example_sources_stale() -> None:
    desc = read_description(EXAMPLES / "market.toml")
    with pytest.raises(InputError, match=r"market.toml: \[oracle\]: spot of BTC: 0 fresh source"):
        resolve_prices(desc, [read_source(p) for p in SOURCES], T + 3600)


def test_resolution_fills_spots_and_vols_from_medians() -> None:
    desc = parse_description(ORACLE_DESCRIPTION.encode(), "d.toml", "toml")
    sources = [
        parse_source(_source(n, p, v), f"{n}.json")
        for n, p, v in (("a", "60000", "0.54"), ("b", "60100", "0.56"))
    ]
    resolved, _ = resolve_prices(desc, sources, T)
    assert resolved.oracle is None
    assert resolved.underlyings["BTC"].exact == 60050 and resolved.underlyings["BTC"].value == 60050.0
    vol = resolved.instruments[0].vol
    assert vol is not None and vol.exact == Fraction("0.55")
    assert build_market(resolved, "d.toml").market.instruments[0].mark > 0


def test_unresolved_oracle_description_is_refused_by_the_builder() -> None:
    desc = parse_description(ORACLE_DESCRIPTION.encode(), "d.toml", "toml")
    with pytest.raises(
        InputError, match=r"^d.toml: the \[oracle\] table takes spots and vols from price sources"
    ):
        build_market(desc, "d.toml")


def test_sources_must_differ_in_name_and_share_the_quote_currency() -> None:
    desc = parse_description(ORACLE_DESCRIPTION.encode(), "d.toml", "toml")
    one = parse_source(_source("a", "100", "0.5"), "a.json")
    with pytest.raises(InputError, match=r"source name .a. is also the name of a\.json"):
        resolve_prices(desc, [one, parse_source(_source("a", "101", "0.5"), "a2.json")], T)
    euro = parse_source(_source("b", "100", "0.5").replace(b'"USD"', b'"EUR"'), "b.json")
    with pytest.raises(InputError, match=r"b\.json: field quote: prices in EUR"):
        resolve_prices(desc, [one, euro], T)
    with pytest.raises(InputError, match="needs price sources"):
        resolve_prices(desc, [], T)


def test_sources_for_a_description_without_oracle_are_refused() -> None:
    plain = ORACLE_DESCRIPTION.replace(
        '[oracle]\nunderlyings = ["BTC"]\nmax_age_seconds = 300\nmax_deviation_bps = 200\nquorum = 2\n',
        "[underlyings]\nBTC = 60000.0\n",
    ).replace("expiry_days = 30\n", "expiry_days = 30\nvol = 0.5\n")
    desc = parse_description(plain.encode(), "d.toml", "toml")
    assert build_market(desc, "d.toml").market.instruments[0].mark > 0  # twin: it builds alone
    with pytest.raises(
        InputError, match=r"^d.toml: price sources given, but the description has no \[oracle\]"
    ):
        resolve_prices(desc, [parse_source(_source("a", "100", "0.5"), "a.json")], T)


def test_a_description_needs_spots_or_an_oracle_table() -> None:
    text = ORACLE_DESCRIPTION.replace(
        '[oracle]\nunderlyings = ["BTC"]\nmax_age_seconds = 300\nmax_deviation_bps = 200\nquorum = 2\n', ""
    )
    with pytest.raises(InputError, match="missing key 'underlyings'"):
        parse_description(text.encode(), "d.toml", "toml")


def test_the_example_snapshot_reads_as_a_market() -> None:
    """The committed snapshot (with its oracle record in _generated) is a valid market."""
    market = read_market(EXAMPLES / "market.json")
    assert len(market.instruments) == 16
