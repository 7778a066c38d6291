"""The median and its filters on hand-computed cases: a stale source, an outlier, a missing quorum."""

from __future__ import annotations

from fractions import Fraction

import pytest

from zksolvency.errors import InputError
from zksolvency.model.description import OracleSpec
from zksolvency.oracle.median import decimal_text, median, median_price
from zksolvency.oracle.sources import Quote

T = 1_796_126_400
RULES = OracleSpec(underlyings=("BTC",), max_age_seconds=300, max_deviation_bps=200, quorum=2)


def q(value: str, age: int = 10) -> Quote:
    return Quote(Fraction(value), T - age)


def test_median_of_an_odd_and_an_even_count() -> None:
    assert median([Fraction(3), Fraction(1), Fraction(2)]) == 2
    assert median([Fraction(10), Fraction(1), Fraction(3), Fraction(2)]) == Fraction(5, 2)
    assert median([Fraction(7)]) == 7
    with pytest.raises(ValueError):
        median([])


def test_decimal_text_is_exact() -> None:
    assert decimal_text(Fraction("60000.0")) == "60000"
    assert decimal_text(Fraction("0.655")) == "0.655"
    assert decimal_text(Fraction("-0.05")) == "-0.05"
    assert decimal_text((Fraction("149.5") + Fraction("150.5")) / 2) == "150"
    with pytest.raises(ValueError, match="no finite decimal"):
        decimal_text(Fraction(1, 3))


def test_three_fresh_quotes_in_band_give_their_median() -> None:
    price = median_price("spot", "BTC", {"a": q("100"), "b": q("101"), "c": q("99.5")}, RULES, T)
    assert price.median == 100
    assert dict(price.used) == {"a": 100, "b": 101, "c": Fraction("99.5")}
    assert price.dropped == {}


def test_a_stale_source_is_dropped() -> None:
    """c was quoted 400 s before the snapshot (max 300): the median of a and b, 101, not 100."""
    quotes = {"a": q("100"), "b": q("102"), "c": q("90", age=400)}
    price = median_price("spot", "BTC", quotes, RULES, T)
    assert price.median == 101
    assert set(price.used) == {"a", "b"}
    assert price.dropped == {"c": "stale: quoted 400 s before the snapshot time (max 300)"}
    # Twin: with c fresh, it counts and the median is 100.
    fresh = median_price("spot", "BTC", {**quotes, "c": q("100", age=300)}, RULES, T)
    assert fresh.median == Fraction(100) and fresh.dropped == {}


def test_a_quote_from_after_the_snapshot_time_is_dropped() -> None:
    price = median_price("spot", "BTC", {"a": q("100"), "b": q("104"), "c": q("50", age=-5)}, RULES, T)
    assert price.median == 102
    assert price.dropped == {"c": "quoted 5 s after the snapshot time"}


def test_an_outlier_is_dropped() -> None:
    """m0 = median(100, 101, 130) = 101; |130 - 101| = 2871 bps of 101 > 200: dropped;
    |100 - 101| = 99 bps: kept; the price is median(100, 101) = 100.5."""
    price = median_price("spot", "BTC", {"a": q("100"), "b": q("101"), "c": q("130")}, RULES, T)
    assert price.median == Fraction("100.5")
    assert set(price.used) == {"a", "b"}
    assert price.dropped["c"].startswith(
        "outlier: 130 is 2871.3 bps from 101, the median of the fresh quotes"
    )


def test_the_band_edge_is_inclusive() -> None:
    """m0 = 100: 102 is exactly 200 bps away and stays; 102.01 is 201 bps away and goes."""
    edge = median_price("spot", "BTC", {"a": q("98"), "b": q("100"), "c": q("102")}, RULES, T)
    assert set(edge.used) == {"a", "b", "c"} and edge.median == 100
    beyond = median_price("spot", "BTC", {"a": q("98"), "b": q("100"), "c": q("102.01")}, RULES, T)
    assert set(beyond.used) == {"a", "b"} and beyond.median == 99


def test_a_source_without_a_quote_is_recorded() -> None:
    price = median_price("vol", "BTC-C", {"a": q("0.5"), "b": None, "c": q("0.52")}, RULES, T)
    assert price.median == Fraction("0.51")
    assert price.dropped == {"b": "no quote"}


def test_too_few_fresh_sources_is_an_error_naming_the_price() -> None:
    quotes = {"a": q("100"), "b": q("101", age=301), "c": None}
    with pytest.raises(InputError) as caught:
        median_price("spot", "ETH", quotes, RULES, T)
    assert str(caught.value) == (
        "spot of ETH: 1 fresh source(s) (a), below the quorum of 2 "
        "(dropped: b: stale: quoted 301 s before the snapshot time (max 300); c: no quote)"
    )


def test_too_few_sources_left_after_the_outliers_is_an_error() -> None:
    strict = OracleSpec(("BTC",), 300, 200, quorum=3)
    quotes = {"a": q("100"), "b": q("101"), "c": q("130")}
    with pytest.raises(
        InputError, match=r"^spot of BTC: 2 fresh, in-band source\(s\) \(a, b\), below the quorum of 3"
    ):
        median_price("spot", "BTC", quotes, strict, T)
    # Twin: the same three quotes meet a quorum of 2.
    assert median_price("spot", "BTC", quotes, RULES, T).median == Fraction("100.5")
