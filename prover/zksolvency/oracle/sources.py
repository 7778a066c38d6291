"""A price source: one JSON file of spot prices and implied volatilities, each with its time.

Format (``format`` ``zksolvency-price-source/1``; docs/oracle.md)::

    {"format": "zksolvency-price-source/1",
     "source": "feed-a",                      a name (1..31 UTF-8 bytes), unique among the sources
     "quote": "USD",                          the currency of every price: the description's quote
     "spots": {"BTC": {"price": 60010.5, "time": 1796126388}},
     "vols": {"BTC-30D-60000-C": {"vol": 0.551, "time": 1796126388}}}

``price`` is quote currency per whole unit of the underlying, ``vol`` an annualised implied
volatility of one option instrument (by its name in the description); both are positive
decimals, written as JSON numbers or decimal strings (``"60010.5"``) and read exactly as
written (no binary rounding). ``time`` is when the value was quoted, in Unix seconds (UTC).
``spots`` and ``vols`` are optional, but a source quotes at least one value. Unknown keys
and duplicate keys are rejected; every error names the file, line and field.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from zksolvency.model.fields import NonInteger, decode_utf8, input_error, parse_name, show
from zksolvency.model.jsonpos import JsonPath, loads_located, render_path

FORMAT = "zksolvency-price-source/1"
_TOP = frozenset({"format", "source", "quote", "spots", "vols"})
#: A positive decimal as text: digits, an optional fraction and an optional exponent.
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?([0-9]+))?")
#: Exponents beyond this are no price or volatility (and would make huge integers).
_MAX_EXPONENT = 40
#: The latest time accepted, Unix seconds (year 2200): later is a unit mistake (milliseconds).
MAX_TIME = 7_258_118_400


@dataclass(frozen=True, slots=True)
class Quote:
    """One quoted value, exactly as written, and when it was quoted (Unix seconds)."""

    value: Fraction
    time: int


@dataclass(frozen=True)
class PriceSource:
    """A parsed source file: ``spots`` by underlying, ``vols`` by option instrument."""

    name: str
    file: str
    sha256: str
    quote_currency: str
    spots: Mapping[str, Quote]
    vols: Mapping[str, Quote]


class _Reader:
    def __init__(self, source: str, lines: Mapping[JsonPath, int]) -> None:
        self.source = source
        self.lines = lines

    def error(self, path: JsonPath, what: str) -> Exception:
        at = path
        while at and at not in self.lines:
            at = at[:-1]
        return input_error(self.source, self.lines.get(at), render_path(path) if path else None, what)

    def obj(self, value: object, path: JsonPath, allowed: frozenset[str] | None) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.error(path, f"expected an object, got {show(value)}")
        for key in value:
            if allowed is not None and key not in allowed:
                raise self.error((*path, key), f"unknown field (allowed: {', '.join(sorted(allowed))})")
        return value

    def positive(self, value: object, path: JsonPath) -> Fraction:
        text = value.text if isinstance(value, NonInteger) else value
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise self.error(path, f"expected a number or a decimal string, got {show(value)}")
        match = _DECIMAL.fullmatch(text)
        if match is None:
            raise self.error(path, f"{show(value)} is not a non-negative decimal")
        if match.group(1) is not None and int(match.group(1)) > _MAX_EXPONENT:
            raise self.error(path, f"{text} is out of range (exponent above {_MAX_EXPONENT})")
        number = Fraction(text)
        if number <= 0:
            raise self.error(path, f"{text} must be > 0")
        return number

    def quotes(self, value: object, key: str, field: str) -> dict[str, Quote]:
        table = self.obj(value, (key,), None)
        out: dict[str, Quote] = {}
        for name, item in table.items():
            path: JsonPath = (key, name)
            parse_name(name, self.source, self.lines.get(path), render_path(path))
            entry = self.obj(item, path, frozenset({field, "time"}))
            for required in (field, "time"):
                if required not in entry:
                    raise self.error(path, f"missing field {required!r}")
            time = entry["time"]
            if isinstance(time, bool) or not isinstance(time, int) or not 0 <= time <= MAX_TIME:
                raise self.error(
                    (*path, "time"), f"expected Unix seconds (an integer 0..{MAX_TIME}), got {show(time)}"
                )
            out[name] = Quote(self.positive(entry[field], (*path, field)), time)
        return out

    def price_source(self, document: object, file: str, sha256: str) -> PriceSource:
        top = self.obj(document, (), _TOP)
        for required in ("format", "source", "quote"):
            if required not in top:
                raise self.error((), f"missing field {required!r}")
        if top["format"] != FORMAT:
            raise self.error(("format",), f"{show(top['format'])} is not {FORMAT!r}")
        name = parse_name(top["source"], self.source, self.lines.get(("source",)), "source")
        quote = parse_name(top["quote"], self.source, self.lines.get(("quote",)), "quote")
        spots = self.quotes(top.get("spots", {}), "spots", "price")
        vols = self.quotes(top.get("vols", {}), "vols", "vol")
        if not spots and not vols:
            raise self.error((), "quotes nothing (give spots, vols or both)")
        return PriceSource(name, file, sha256, quote, spots, vols)


def parse_source(raw: bytes, source: str) -> PriceSource:
    """Parse and check a source file given as bytes; ``source`` names it in errors."""
    document, lines = loads_located(decode_utf8(raw, source), source)
    file = Path(source).name
    return _Reader(source, lines).price_source(document, file, hashlib.sha256(raw).hexdigest())


def read_source(path: str | os.PathLike[str]) -> PriceSource:
    """Read a source file (see the module docstring)."""
    return parse_source(Path(path).read_bytes(), os.fspath(path))
