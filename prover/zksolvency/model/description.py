"""The market description that ``zksolvency market build`` turns into a snapshot: reader and checks.

A description is TOML (read with ``tomllib``) or JSON with the same shape::

    [quote]                     # the currency every value is measured in
    name = "USD"
    decimals = 6                # one quote minor unit = 10**-6 USD

    [model]                     # optional
    rate = 0.0                  # risk-free rate, continuously compounded, per year
    horizon_days = 0.0          # time that passes in every scenario (ACT/365)

    [underlyings]               # spot prices, quote currency per whole unit
    BTC = 60000.0

    # ... or, instead of [underlyings] and every option's vol, prices from several sources
    # (``zksolvency market build DESC --source FILE ...``, docs/oracle.md):
    # [oracle]
    # underlyings = ["BTC"]     # spots: the median of the sources' fresh, in-band quotes
    # max_age_seconds = 300     # older quotes (than the snapshot time) are dropped
    # max_deviation_bps = 100   # quotes further than this from the median are dropped
    # quorum = 2                # fewer sources left for a price is an error naming it

    [assets.BTC]                # collateral
    decimals = 8                # one asset minor unit = 10**-8 BTC (a satoshi)
    underlying = "BTC"          # priced at the underlying's spot; or `price = 1.0` (fixed)
    weight = 9000               # collateral weight, basis points

    [instruments.BTC-PERP]
    type = "perpetual"          # or "call" / "put" (European)
    underlying = "BTC"
    contract_size = 0.01        # units of the underlying per contract (default 1)
    # for options: strike = 65000.0, expiry_days = 30, vol = 0.55 (annualised implied volatility;
    # with [oracle], vol is left out: the sources' median)
    # band_bps = 500            # optional, copied to the snapshot

    [scenarios]                 # S = len(price_moves) * len(vol_moves)
    price_moves = [-0.2, -0.1, 0.1, 0.2]   # relative moves, applied to every underlying at once
    vol_moves = [-0.25, 0.25]              # relative moves of every implied volatility

    [initial_scenarios]         # optional, same S: becomes each instrument's initial_shocks

Unknown keys are rejected so that a typo is not silently ignored. TOML gives no
line numbers for values, so errors name the file and field; JSON descriptions
also give the line.
"""

from __future__ import annotations

import hashlib
import math
import os
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

from zksolvency.errors import InputError
from zksolvency.model.fields import NonInteger, decode_utf8, input_error, parse_name, show
from zksolvency.model.jsonpos import JsonPath, loads_located, render_path
from zksolvency.model.market import WEIGHT_SCALE

InstrumentType = Literal["perpetual", "call", "put"]
_TYPES: tuple[InstrumentType, ...] = ("perpetual", "call", "put")


@dataclass(frozen=True, slots=True)
class Number:
    """A number from the description: the float as read and the exact decimal it was written as.

    ``exact`` is ``Fraction(repr(value))``: the shortest decimal that reads back as
    the float, i.e. what the author wrote (``0.1`` is exactly 1/10, not the binary
    float nearest to it). Values computed without floating point use it.
    """

    value: float
    exact: Fraction


@dataclass(frozen=True, slots=True)
class AssetSpec:
    name: str
    decimals: int
    weight: int
    underlying: str | None
    price: Number | None


@dataclass(frozen=True, slots=True)
class InstrumentSpec:
    name: str
    type: InstrumentType
    underlying: str
    contract_size: Number
    strike: Number | None
    expiry_days: Number | None
    vol: Number | None
    band_bps: int | None


@dataclass(frozen=True, slots=True)
class Grid:
    """A scenario grid: scenario ``s = p * len(vol_moves) + v`` moves every spot by
    ``price_moves[p]`` and every implied volatility by ``vol_moves[v]`` (both relative)."""

    price_moves: tuple[Number, ...]
    vol_moves: tuple[Number, ...]

    @property
    def size(self) -> int:
        return len(self.price_moves) * len(self.vol_moves)

    def points(self) -> list[tuple[Number, Number]]:
        """(price move, vol move) of every scenario, in scenario order (price-major)."""
        return [(p, v) for p in self.price_moves for v in self.vol_moves]


@dataclass(frozen=True, slots=True)
class OracleSpec:
    """The ``[oracle]`` table: spots and option vols come from price sources (docs/oracle.md).

    ``underlyings`` are the names whose spot is the sources' median; quotes older than
    ``max_age_seconds`` before the snapshot time, or further than ``max_deviation_bps``
    from the median of the fresh quotes, are dropped; fewer than ``quorum`` sources left
    for a price is an error.
    """

    underlyings: tuple[str, ...]
    max_age_seconds: int
    max_deviation_bps: int
    quorum: int


@dataclass(frozen=True, slots=True)
class Description:
    """A parsed description. With ``oracle`` set, ``underlyings`` is empty and every option's
    ``vol`` is ``None`` until :func:`zksolvency.oracle.prices.resolve_prices` fills them
    from the sources (and clears ``oracle``)."""

    source: str
    sha256: str
    quote_name: str
    quote_decimals: int
    rate: Number
    horizon_days: Number
    underlyings: Mapping[str, Number]
    assets: tuple[AssetSpec, ...]
    instruments: tuple[InstrumentSpec, ...]
    scenarios: Grid
    initial_scenarios: Grid | None
    oracle: OracleSpec | None = None


_TOP = frozenset(
    {"quote", "model", "underlyings", "oracle", "assets", "instruments", "scenarios", "initial_scenarios"}
)
_QUOTE = frozenset({"name", "decimals"})
_MODEL = frozenset({"rate", "horizon_days"})
_ASSET = frozenset({"decimals", "weight", "underlying", "price"})
_INSTRUMENT = frozenset({"type", "underlying", "contract_size", "strike", "expiry_days", "vol", "band_bps"})
_OPTION_ONLY = ("strike", "expiry_days", "vol")
_GRID = frozenset({"price_moves", "vol_moves"})
_ORACLE = ("underlyings", "max_age_seconds", "max_deviation_bps", "quorum")
#: Upper bounds of the [oracle] integers: a week of age, 100% deviation, 1000 sources.
_MAX_AGE_SECONDS = 7 * 24 * 3600
_MAX_QUORUM = 1000


class _Checker:
    def __init__(self, source: str, lines: Mapping[JsonPath, int]) -> None:
        self.source = source
        self.lines = lines

    def line(self, path: JsonPath) -> int | None:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: JsonPath, what: str) -> InputError:
        return input_error(self.source, self.line(path), render_path(path), what)

    def table(
        self, value: object, path: JsonPath, allowed: frozenset[str] | None, required: Sequence[str] = ()
    ) -> Mapping[str, object]:
        if not isinstance(value, dict):
            raise self.error(path, f"expected a table, got {show(value)}")
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    raise self.error((*path, key), f"unknown key (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                raise self.error(path, f"missing key {key!r}")
        return value

    def number(self, value: object, path: JsonPath, low: float | None = None, strict: bool = True) -> Number:
        """A finite int or float, above ``low`` (or at least ``low`` when not ``strict``)."""
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.error(path, f"expected a finite number, got {show(value)}")
        if low is not None and (value <= low if strict else value < low):
            raise self.error(path, f"{value} must be {'>' if strict else '>='} {low:g}")
        return Number(float(value), Fraction(repr(value)))

    def integer(self, value: object, path: JsonPath, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"expected an integer, got {show(value)}")
        if not low <= value <= high:
            raise self.error(path, f"{value} is out of range (must be {low}..{high})")
        return value

    def name(self, value: object, path: JsonPath) -> str:
        return parse_name(value, self.source, self.line(path), render_path(path))

    def grid(self, value: object, path: JsonPath) -> Grid:
        grid = self.table(value, path, _GRID, ("price_moves", "vol_moves"))
        lists: list[tuple[Number, ...]] = []
        for key in ("price_moves", "vol_moves"):
            items = grid[key]
            if not isinstance(items, list) or not items:
                raise self.error((*path, key), f"expected a non-empty list of numbers, got {show(items)}")
            lists.append(tuple(self.number(item, (*path, key, n), low=-1.0) for n, item in enumerate(items)))
        return Grid(lists[0], lists[1])

    def oracle(self, value: object) -> OracleSpec:
        path: JsonPath = ("oracle",)
        table = self.table(value, path, frozenset(_ORACLE), _ORACLE)
        names = table["underlyings"]
        if not isinstance(names, list) or not names:
            raise self.error((*path, "underlyings"), f"expected a non-empty list of names, got {show(names)}")
        underlyings = tuple(self.name(n, (*path, "underlyings", k)) for k, n in enumerate(names))
        if len(set(underlyings)) != len(underlyings):
            raise self.error((*path, "underlyings"), "lists a name twice")
        return OracleSpec(
            underlyings=underlyings,
            max_age_seconds=self.integer(
                table["max_age_seconds"], (*path, "max_age_seconds"), 1, _MAX_AGE_SECONDS
            ),
            max_deviation_bps=self.integer(
                table["max_deviation_bps"], (*path, "max_deviation_bps"), 1, WEIGHT_SCALE
            ),
            quorum=self.integer(table["quorum"], (*path, "quorum"), 1, _MAX_QUORUM),
        )

    def asset(self, name: str, value: object, underlyings: Collection[str]) -> AssetSpec:
        path: JsonPath = ("assets", name)
        spec = self.table(value, path, _ASSET, ("decimals", "weight"))
        decimals = self.integer(spec["decimals"], (*path, "decimals"), 0, 30)
        weight = self.integer(spec["weight"], (*path, "weight"), 0, WEIGHT_SCALE)
        if ("underlying" in spec) == ("price" in spec):
            raise self.error(path, "give exactly one of 'underlying' (priced at its spot) or 'price' (fixed)")
        if "underlying" in spec:
            underlying = self.name(spec["underlying"], (*path, "underlying"))
            if underlying not in underlyings:
                raise self.error((*path, "underlying"), f"unknown underlying {underlying!r}")
            return AssetSpec(name, decimals, weight, underlying, None)
        return AssetSpec(
            name, decimals, weight, None, self.number(spec["price"], (*path, "price"), 0.0, False)
        )

    def instrument(
        self, name: str, value: object, underlyings: Collection[str], oracle: bool
    ) -> InstrumentSpec:
        path: JsonPath = ("instruments", name)
        spec = self.table(value, path, _INSTRUMENT, ("type", "underlying"))
        kind = spec["type"]
        if kind not in _TYPES:
            raise self.error((*path, "type"), f"{show(kind)} is not one of {', '.join(_TYPES)}")
        underlying = self.name(spec["underlying"], (*path, "underlying"))
        if underlying not in underlyings:
            raise self.error((*path, "underlying"), f"unknown underlying {underlying!r}")
        size = self.number(spec.get("contract_size", 1), (*path, "contract_size"), 0.0)
        band = None
        if "band_bps" in spec:
            band = self.integer(spec["band_bps"], (*path, "band_bps"), 0, WEIGHT_SCALE)
        option: list[Number | None] = [None, None, None]
        for index, key in enumerate(_OPTION_ONLY):
            if kind == "perpetual":
                if key in spec:
                    raise self.error((*path, key), "only options have this key")
            elif key == "vol" and oracle:
                if key in spec:
                    raise self.error((*path, key), "with an [oracle] table the vol is the sources' median")
            elif key not in spec:
                raise self.error(path, f"missing key {key!r} (an option needs strike, expiry_days and vol)")
            else:
                option[index] = self.number(spec[key], (*path, key), 0.0)
        strike, expiry, vol = option
        return InstrumentSpec(name, kind, underlying, size, strike, expiry, vol, band)

    def description(self, document: object, sha256: str) -> Description:
        top = self.table(document, (), _TOP, ("quote", "assets", "instruments", "scenarios"))
        quote = self.table(top["quote"], ("quote",), _QUOTE, ("decimals",))
        quote_name = quote.get("name", "USD")
        if not isinstance(quote_name, str):
            raise self.error(("quote", "name"), f"expected a string, got {show(quote_name)}")
        quote_decimals = self.integer(quote["decimals"], ("quote", "decimals"), 0, 18)
        model = self.table(top.get("model", {}), ("model",), _MODEL)
        rate = self.number(model.get("rate", 0), ("model", "rate"))
        horizon = self.number(model.get("horizon_days", 0), ("model", "horizon_days"), 0.0, False)
        oracle = self.oracle(top["oracle"]) if "oracle" in top else None
        if oracle is not None and "underlyings" in top:
            raise self.error(("underlyings",), "give spots here or through [oracle] sources, not both")
        if oracle is None and "underlyings" not in top:
            raise self.error((), "missing key 'underlyings' (or an [oracle] table: prices from sources)")
        underlyings: dict[str, Number] = {}
        if oracle is None:
            for n, v in self.table(top["underlyings"], ("underlyings",), None).items():
                underlyings[self.name(n, ("underlyings", n))] = self.number(v, ("underlyings", n), 0.0)
        names = oracle.underlyings if oracle is not None else tuple(underlyings)
        assets = []
        for name, value in self.table(top["assets"], ("assets",), None).items():
            assets.append(self.asset(self.name(name, ("assets", name)), value, names))
        instruments = []
        for name, value in self.table(top["instruments"], ("instruments",), None).items():
            spec = self.instrument(self.name(name, ("instruments", name)), value, names, oracle is not None)
            instruments.append(spec)
        for key, items in (("assets", assets), ("instruments", instruments)):
            if not items:
                raise self.error((key,), f"lists no {key} (at least one is needed)")
        scenarios = self.grid(top["scenarios"], ("scenarios",))
        initial = None
        if "initial_scenarios" in top:
            initial = self.grid(top["initial_scenarios"], ("initial_scenarios",))
            if initial.size != scenarios.size:
                raise self.error(
                    ("initial_scenarios",),
                    f"has {initial.size} scenarios, but scenarios has {scenarios.size} (they must match)",
                )
        return Description(
            source=self.source,
            sha256=sha256,
            quote_name=quote_name,
            quote_decimals=quote_decimals,
            rate=rate,
            horizon_days=horizon,
            underlyings=underlyings,
            assets=tuple(assets),
            instruments=tuple(instruments),
            scenarios=scenarios,
            initial_scenarios=initial,
            oracle=oracle,
        )


def parse_description(raw: bytes, source: str, fmt: Literal["toml", "json"]) -> Description:
    """Parse and check a description given as the bytes of a TOML or JSON file."""
    text = decode_utf8(raw, source)
    sha256 = hashlib.sha256(raw).hexdigest()
    if fmt == "json":
        document, lines = loads_located(text, source)
        return _Checker(source, lines).description(_floats_from_json(document), sha256)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML: {exc}") from None
    return _Checker(source, {}).description(document, sha256)


def _floats_from_json(value: object) -> object:
    """JSON numbers with a fraction or exponent (kept as text by the located reader) as floats."""
    if isinstance(value, NonInteger):
        return float(value.text)
    if isinstance(value, dict):
        return {key: _floats_from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_floats_from_json(item) for item in value]
    return value


def read_description(path: str | os.PathLike[str]) -> Description:
    """Read a description file: ``*.json`` as JSON, anything else as TOML."""
    source = os.fspath(path)
    fmt: Literal["toml", "json"] = "json" if Path(path).suffix.lower() == ".json" else "toml"
    return parse_description(Path(path).read_bytes(), source, fmt)
