"""Black-Scholes, the description reader, and the market builder on the bundled example."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zksolvency.errors import InputError
from zksolvency.model import black_scholes
from zksolvency.model.description import Description, parse_description, read_description
from zksolvency.model.market import PRICE_SCALE, market_to_json, parse_market
from zksolvency.model.market_builder import BuildResult, build_market, report_to_obj, scenario_labels
from zksolvency.oracle.prices import resolve_prices
from zksolvency.oracle.sources import read_source

Write = Callable[[str, str | bytes], Path]
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
#: The time the example's price sources were quoted at (examples/market.toml).
EXAMPLE_TIME = 1_796_126_400


def _resolved(desc: Description) -> tuple[Description, dict[str, object]]:
    """``desc`` (the example's [oracle] description) with prices from the example sources."""
    sources = [read_source(EXAMPLES / "sources" / f"feed-{x}.json") for x in "abc"]
    return resolve_prices(desc, sources, EXAMPLE_TIME)


def _build_example(desc: Description, name: str = "market.toml") -> BuildResult:
    resolved, record = _resolved(desc)
    return build_market(resolved, name, record)


# --- Black-Scholes --------------------------------------------------------------


def test_textbook_values() -> None:
    """Hull, Options, Futures and Other Derivatives: S=42, K=40, r=10%, sigma=20%, T=0.5 -> c=4.76, p=0.81."""
    call = float(black_scholes.price(True, 42.0, 40.0, 0.5, 0.2, 0.1))
    put = float(black_scholes.price(False, 42.0, 40.0, 0.5, 0.2, 0.1))
    assert round(call, 2) == 4.76
    assert round(put, 2) == 0.81
    # Failure twin: the same option at the wrong rate is not the textbook value.
    assert round(float(black_scholes.price(True, 42.0, 40.0, 0.5, 0.2, 0.0)), 2) != 4.76


def test_textbook_greeks() -> None:
    """Hull: S=49, K=50, r=5%, sigma=20%, T=20 weeks -> delta 0.522, gamma 0.066, vega 12.1,
    theta -4.31 per year."""
    g = black_scholes.greeks(True, 49.0, 50.0, 0.3846, 0.2, 0.05)
    assert (round(g.delta, 3), round(g.gamma, 3), round(g.vega, 1), round(g.theta, 2)) == (
        0.522,
        0.066,
        12.1,
        -4.31,
    )
    put = black_scholes.greeks(False, 49.0, 50.0, 0.3846, 0.2, 0.05)
    assert round(put.delta, 3) == round(0.522 - 1, 3)
    assert put.theta != g.theta


@given(
    spot=st.floats(1.0, 1e6),
    moneyness=st.floats(0.5, 2.0),
    years=st.floats(1 / 365, 3.0),
    vol=st.floats(0.05, 2.0),
    rate=st.floats(-0.02, 0.15),
)
def test_put_call_parity(spot: float, moneyness: float, years: float, vol: float, rate: float) -> None:
    strike = spot * moneyness
    call = float(black_scholes.price(True, spot, strike, years, vol, rate))
    put = float(black_scholes.price(False, spot, strike, years, vol, rate))
    assert math.isclose(
        call - put, spot - strike * math.exp(-rate * years), rel_tol=1e-9, abs_tol=1e-9 * spot
    )
    assert call >= max(0.0, spot - strike * math.exp(-rate * years)) - 1e-9 * spot
    assert put >= -1e-12


@pytest.mark.parametrize("is_call", [True, False])
def test_greeks_match_finite_differences(is_call: bool) -> None:
    spot, strike, years, vol, rate = 60_000.0, 65_000.0, 30 / 365, 0.55, 0.04

    def value(s: float = spot, t: float = years, v: float = vol) -> float:
        return float(black_scholes.price(is_call, s, strike, t, v, rate))

    g = black_scholes.greeks(is_call, spot, strike, years, vol, rate)
    h = 1.0
    assert math.isclose(g.delta, (value(s=spot + h) - value(s=spot - h)) / (2 * h), rel_tol=1e-6)
    assert math.isclose(g.gamma, (value(s=spot + 10) - 2 * value() + value(s=spot - 10)) / 100, rel_tol=1e-4)
    assert math.isclose(g.vega, (value(v=vol + 1e-5) - value(v=vol - 1e-5)) / 2e-5, rel_tol=1e-6)
    assert math.isclose(g.theta, -(value(t=years + 1e-6) - value(t=years - 1e-6)) / 2e-6, rel_tol=1e-5)


def test_at_expiry_the_value_is_the_payoff() -> None:
    values = black_scholes.price(True, [90.0, 110.0], 100.0, 0.0, [0.5, 0.5])
    assert values.tolist() == [0.0, 10.0]
    assert black_scholes.price(False, [90.0, 110.0], 100.0, 0.0, [0.5, 0.5]).tolist() == [10.0, 0.0]
    assert black_scholes.greeks(True, 110.0, 100.0, 0.0, 0.5).delta == 1.0
    assert black_scholes.greeks(True, 90.0, 100.0, 0.0, 0.5).delta == 0.0


# --- the builder on the example ---------------------------------------------------


@pytest.fixture(scope="module")
def example() -> tuple[str, str]:
    """(snapshot text built now, committed snapshot text)."""
    result = _build_example(read_description(EXAMPLES / "market.toml"))
    return market_to_json(result.market, result.generated), (EXAMPLES / "market.json").read_text("utf-8")


def test_example_build_equals_the_committed_snapshot(example: tuple[str, str]) -> None:
    built, committed = example
    assert built == committed


def test_a_changed_description_gives_a_different_snapshot(write: Write) -> None:
    text = (EXAMPLES / "market.toml").read_text("utf-8").replace("weight = 9000", "weight = 9001")
    result = _build_example(read_description(write("market.toml", text)))
    committed = parse_market((EXAMPLES / "market.json").read_text("utf-8"))
    assert result.market != committed
    assert (
        result.generated["description_sha256"]
        != json.loads((EXAMPLES / "market.json").read_text())["_generated"]["description_sha256"]
    )


def test_example_has_the_reference_circuit_size(example: tuple[str, str]) -> None:
    market = parse_market(example[1])
    assert (len(market.assets), len(market.instruments), market.scenarios) == (4, 16, 16)
    assert all(inst.initial_shocks is not None for inst in market.instruments)


def test_example_integers_follow_the_rounding_rules(example: tuple[str, str]) -> None:
    market = parse_market(example[1])
    prices = {a.name: a.price for a in market.assets}
    # spot * 10**6 quote minor units * 10**8 / 10**decimals, exactly
    assert prices == {"USDC": 10**8, "BTC": 60_000 * 10**6, "ETH": 3_000 * 10**5, "SOL": 150 * 10**5}
    perp = market.instruments[market.instrument_index["BTC-PERP"]]
    assert perp.mark == 600 * 10**14  # 0.01 BTC at 60,000 USD
    assert perp.shocks[0] == -150 * 10**14  # -25%, exactly
    assert perp.shocks[-1] == 150 * 10**14
    for inst in market.instruments:
        if not inst.name.endswith("PERP"):
            assert inst.mark % PRICE_SCALE == 0  # options: whole quote minor units
            assert all(shock % PRICE_SCALE == 0 for shock in inst.shocks)


def test_option_scenario_value_is_the_rounded_revaluation(example: tuple[str, str]) -> None:
    market = parse_market(example[1])
    call = market.instruments[market.instrument_index["BTC-30D-60000-C"]]
    # Scenario 15: price +25%, vol +25%, one day later; contract 0.01 BTC; rate 4%.
    value = float(black_scholes.price(True, 75_000.0, 60_000.0, 29 / 365, 0.55 * 1.25, 0.04))
    expected = round(Fraction(value) * Fraction(1, 100) * 10**6) * PRICE_SCALE
    assert call.mark + call.shocks[15] == expected
    mark = float(black_scholes.price(True, 60_000.0, 60_000.0, 30 / 365, 0.55, 0.04))
    assert call.mark == round(Fraction(mark) * Fraction(1, 100) * 10**6) * PRICE_SCALE
    assert call.shocks[0] < 0 < call.shocks[15]


def test_report_has_greeks_for_every_instrument() -> None:
    desc, record = _resolved(read_description(EXAMPLES / "market.toml"))
    result = build_market(desc, "market.toml", record)
    report = report_to_obj(desc, result)
    instruments = report["instruments"]
    assert isinstance(instruments, dict)
    assert len(instruments) == 16
    assert set(instruments["BTC-30D-60000-C"]) >= {"mark", "delta", "gamma", "vega", "theta"}
    assert instruments["BTC-PERP"]["delta"] == 0.01
    assert 0 < instruments["BTC-30D-60000-C"]["delta"] < 0.01
    assert instruments["BTC-30D-60000-P"]["delta"] < 0
    assert instruments["BTC-30D-60000-C"]["theta"] < 0
    assert report["scenarios"] == scenario_labels(desc.scenarios)
    assert report["scenarios"][0] == "price -25%, vol -25%"


def test_json_description_builds_the_same_market(write: Write) -> None:
    document = tomllib.loads((EXAMPLES / "market.toml").read_text("utf-8"))
    from_json = read_description(write("market.json", json.dumps(document, indent=2)))
    from_toml = read_description(EXAMPLES / "market.toml")
    assert _build_example(from_json, "x").market == _build_example(from_toml, "x").market
    document["assets"]["SOL"]["weight"] = 7000
    changed = read_description(write("changed.json", json.dumps(document)))
    assert _build_example(changed, "x").market != _build_example(from_toml, "x").market


# --- description rejections ---------------------------------------------------------

MINIMAL = """\
[quote]
decimals = 6
[underlyings]
BTC = 60000.0
[assets.USDC]
decimals = 6
price = 1.0
weight = 10000
[instruments.BTC-C]
type = "call"
underlying = "BTC"
strike = 60000.0
expiry_days = 30
vol = 0.5
[scenarios]
price_moves = [-0.1, 0.1]
vol_moves = [0.0]
"""


def test_minimal_description_builds() -> None:
    desc = parse_description(MINIMAL.encode(), "d.toml", "toml")
    market = build_market(desc, "d.toml").market
    assert market.scenarios == 2
    assert market.instruments[0].shocks[0] < 0 < market.instruments[0].shocks[1]


SPOTS = "[underlyings]\nBTC = 60000.0\n"
ORACLE = '[oracle]\nunderlyings = ["BTC"]\nmax_age_seconds = 300\nmax_deviation_bps = 200\nquorum = 2\n'

DESCRIPTION_REJECTIONS = [
    # (case, old, new, field, fragment)
    (
        "unknown key",
        "vol = 0.5\n",
        "vol = 0.5\nvolatility = 0.5\n",
        "instruments.BTC-C.volatility",
        "unknown key",
    ),
    ("missing key", "strike = 60000.0\n", "", "instruments.BTC-C", "missing key 'strike'"),
    (
        "bad type",
        'type = "call"',
        'type = "future"',
        "instruments.BTC-C.type",
        "is not one of perpetual, call, put",
    ),
    ("vol zero", "vol = 0.5", "vol = 0.0", "instruments.BTC-C.vol", "must be > 0"),
    ("vol text", "vol = 0.5", 'vol = "0.5"', "instruments.BTC-C.vol", "expected a finite number"),
    ("vol nan", "vol = 0.5", "vol = nan", "instruments.BTC-C.vol", "expected a finite number"),
    (
        "price move -100%",
        "price_moves = [-0.1, 0.1]",
        "price_moves = [-1.0, 0.1]",
        "scenarios.price_moves[0]",
        "must be > -1",
    ),
    (
        "no price moves",
        "price_moves = [-0.1, 0.1]",
        "price_moves = []",
        "scenarios.price_moves",
        "non-empty list",
    ),
    (
        "weight > 10000",
        "weight = 10000",
        "weight = 10001",
        "assets.USDC.weight",
        "out of range (must be 0..10000)",
    ),
    ("weight float", "weight = 10000", "weight = 10000.0", "assets.USDC.weight", "expected an integer"),
    (
        "both price and underlying",
        "price = 1.0",
        'price = 1.0\nunderlying = "BTC"',
        "assets.USDC",
        "exactly one of",
    ),
    (
        "unknown underlying",
        'underlying = "BTC"',
        'underlying = "ETH"',
        "instruments.BTC-C.underlying",
        "unknown underlying 'ETH'",
    ),
    (
        "option key on perp",
        'type = "call"',
        'type = "perpetual"',
        "instruments.BTC-C.strike",
        "only options have this key",
    ),
    (
        "bad name",
        "[instruments.BTC-C]",
        '[instruments."BTC C "]',
        "instruments.BTC C ",
        "leading or trailing whitespace",
    ),
    ("quote decimals", "[quote]\ndecimals = 6", "[quote]\ndecimals = 19", "quote.decimals", "out of range"),
    (
        "initial grid size",
        "[scenarios]",
        "[initial_scenarios]\nprice_moves = [0.1]\nvol_moves = [0.0]\n[scenarios]",
        "initial_scenarios",
        "has 1 scenarios, but scenarios has 2",
    ),
    (
        "price rounds to zero",
        "decimals = 6\nprice = 1.0",
        "decimals = 15\nprice = 1.0",
        "assets.USDC.decimals",
        "rounds to 0",
    ),
    ("price too large", "price = 1.0", "price = 1e12", "assets.USDC", "out of range (abs < 2**64)"),
    (
        "mark too large",
        "vol = 0.5\n",
        "vol = 0.5\ncontract_size = 1000.0\n",
        "instruments.BTC-C (mark)",
        "use a smaller contract_size",
    ),
    # The [oracle] table (prices from sources, docs/oracle.md) instead of [underlyings].
    ("oracle and spots", "[underlyings]", ORACLE + "[underlyings]", "underlyings", "not both"),
    ("oracle and a vol", SPOTS, ORACLE, "instruments.BTC-C.vol", "the vol is the sources' median"),
    ("quorum 0", SPOTS, ORACLE.replace("quorum = 2", "quorum = 0"), "oracle.quorum", "out of range"),
    ("no max age", SPOTS, ORACLE.replace("max_age_seconds = 300\n", ""), "oracle", "'max_age_seconds'"),
    ("name twice", SPOTS, ORACLE.replace('["BTC"]', '["BTC", "BTC"]'), "oracle.underlyings", "twice"),
    ("not listed", SPOTS, ORACLE.replace('["BTC"]', '["ETH"]'), "instruments.BTC-C.underlying", "unknown"),
    (
        "deviation above 100%",
        SPOTS,
        ORACLE.replace("max_deviation_bps = 200", "max_deviation_bps = 10001"),
        "oracle.max_deviation_bps",
        "out of range",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [c[1:] for c in DESCRIPTION_REJECTIONS],
    ids=[c[0] for c in DESCRIPTION_REJECTIONS],
)
def test_description_rejection_names_file_and_field(old: str, new: str, field: str, fragment: str) -> None:
    assert MINIMAL.count(old) == 1, old
    desc_text = MINIMAL.replace(old, new)
    with pytest.raises(InputError) as caught:
        build_market(parse_description(desc_text.encode(), "d.toml", "toml"), "d.toml")
    message = str(caught.value)
    assert message.startswith(f"d.toml: field {field}: "), message
    assert fragment in message, message


def test_json_description_errors_have_lines() -> None:
    text = json.dumps(tomllib.loads(MINIMAL), indent=1).replace('"vol": 0.5', '"vol": -0.5')
    line = 1 + text[: text.index('"vol": -0.5')].count("\n")
    with pytest.raises(InputError, match=rf"^d.json:{line}: field instruments.BTC-C.vol: -0.5 must be > 0"):
        parse_description(text.encode(), "d.json", "json")


def test_malformed_toml_is_rejected() -> None:
    with pytest.raises(InputError, match=r"^d.toml: not valid TOML"):
        parse_description(b"[quote\n", "d.toml", "toml")
