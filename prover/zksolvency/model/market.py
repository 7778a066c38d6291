"""The market snapshot: dataclasses, the validating reader, and the canonical writer.

A snapshot (MARGIN.md, "Inputs" and "File formats") is one JSON object::

    {"_generated": {...},                       optional, ignored (what made the file)
     "scenarios": 4,                            optional cross-check of S
     "assets": {"USDC": {"price": "100000000", "weight": 10000}, ...},
     "instruments": {"BTC-C": {"mark": "50000000000000000",
                               "shocks": ["-20000000000000000", "0", ...],
                               "initial_shocks": [...],     optional, S entries
                               "band_bps": 500}}}           optional, 0..10000

Integers are JSON numbers or decimal strings. Every name, field and range is
checked before a :class:`Market` exists; errors say ``FILE:LINE: field PATH: ...``.
Assets and instruments are held in the canonical order of MARGIN.md: sorted by
name (Python ``str`` order, which is Unicode code point order and equals the
order of the names' UTF-8 bytes).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from zksolvency.model.fields import (
    decode_utf8,
    input_error,
    name_problem,
    parse_integer,
    parse_name,
    parse_ranged,
    show,
)
from zksolvency.model.jsonpos import JsonPath, loads_located, render_path

#: Prices and contract values are quote minor units times PRICE_SCALE.
PRICE_SCALE = 10**8
#: Collateral weights are basis points of this.
WEIGHT_SCALE = 10_000
#: ``band_bps`` when an instrument does not give one (5%).
DEFAULT_BAND_BPS = 500
#: Exclusive bound of prices, marks, shocks, balances and sizes.
BOUND_64 = 2**64
#: Exclusive bound of position costs.
BOUND_128 = 2**128
#: The top-level key a generator may use to describe itself; readers ignore its content.
GENERATED_KEY = "_generated"

_TOP_KEYS = frozenset({GENERATED_KEY, "scenarios", "assets", "instruments"})
_ASSET_KEYS = frozenset({"price", "weight"})
_INSTRUMENT_KEYS = frozenset({"mark", "shocks", "initial_shocks", "band_bps"})


@dataclass(frozen=True, slots=True)
class Asset:
    """A collateral asset. ``price``: quote minor units per asset minor unit times PRICE_SCALE,
    ``0 <= price < 2**64``; ``weight``: basis points, ``0 <= weight <= 10_000``."""

    name: str
    price: int
    weight: int


@dataclass(frozen=True, slots=True)
class Instrument:
    """A derivative. ``mark`` and every shock: value of one long contract (change of it, for
    shocks) in quote minor units times PRICE_SCALE, absolute value below ``2**64``.

    ``initial_shocks`` and ``band_bps`` are ``None`` when the snapshot leaves them out; the
    ``effective_*`` properties apply MARGIN.md's defaults.
    """

    name: str
    mark: int
    shocks: tuple[int, ...]
    initial_shocks: tuple[int, ...] | None = None
    band_bps: int | None = None

    @property
    def effective_initial_shocks(self) -> tuple[int, ...]:
        """``initial_shocks``, or ``shocks`` when the snapshot gives none."""
        return self.shocks if self.initial_shocks is None else self.initial_shocks

    @property
    def effective_band_bps(self) -> int:
        """``band_bps``, or 500 (5%) when the snapshot gives none."""
        return DEFAULT_BAND_BPS if self.band_bps is None else self.band_bps


@dataclass(frozen=True)
class Market:
    """A validated snapshot; ``assets`` and ``instruments`` in canonical (sorted-name) order.

    ``scenarios`` is S, the length of every shock list (``S >= 1``). The constructor
    re-checks every invariant (raising ``ValueError``) so that a hand-built Market
    cannot be malformed either; files go through :func:`read_market`, whose errors
    name the file, line and field.
    """

    assets: tuple[Asset, ...]
    instruments: tuple[Instrument, ...]
    scenarios: int

    def __post_init__(self) -> None:
        problem = _invariant_problem(self)
        if problem is not None:
            raise ValueError(f"malformed Market: {problem}")

    @cached_property
    def asset_index(self) -> dict[str, int]:
        """Asset name -> position in :attr:`assets`."""
        return {asset.name: index for index, asset in enumerate(self.assets)}

    @cached_property
    def instrument_index(self) -> dict[str, int]:
        """Instrument name -> position in :attr:`instruments`."""
        return {inst.name: index for index, inst in enumerate(self.instruments)}


def _invariant_problem(market: Market) -> str | None:
    """What is wrong with a constructed Market, or None."""
    for kind, names in (
        ("assets", [a.name for a in market.assets]),
        ("instruments", [i.name for i in market.instruments]),
    ):
        if not names:
            return f"no {kind}"
        if names != sorted(set(names)):
            return f"{kind} are not unique and sorted by name"
        for name in names:
            if name_problem(name) is not None:
                return f"{kind}: bad name {name!r}"
    if market.scenarios < 1:
        return "S must be at least 1"
    for asset in market.assets:
        if not (0 <= asset.price < BOUND_64 and 0 <= asset.weight <= WEIGHT_SCALE):
            return f"asset {asset.name}: price or weight out of range"
    for inst in market.instruments:
        lists = [inst.shocks] + ([] if inst.initial_shocks is None else [inst.initial_shocks])
        if any(len(values) != market.scenarios for values in lists):
            return f"instrument {inst.name}: shock list length differs from S = {market.scenarios}"
        if any(abs(value) >= BOUND_64 for values in lists for value in (inst.mark, *values)):
            return f"instrument {inst.name}: mark or shock out of range"
        if inst.band_bps is not None and not 0 <= inst.band_bps <= WEIGHT_SCALE:
            return f"instrument {inst.name}: band_bps out of range"
    return None


# --- reading ----------------------------------------------------------------


class _Checker:
    """Validates one parsed snapshot document; knows the file name and each value's line."""

    def __init__(self, source: str, lines: Mapping[JsonPath, int]) -> None:
        self.source = source
        self.lines = lines

    def line(self, path: JsonPath) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: JsonPath, what: str) -> Exception:
        return input_error(self.source, self.line(path), render_path(path), what)

    def obj(
        self, value: object, path: JsonPath, allowed: frozenset[str], required: Sequence[str]
    ) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.error(path, f"expected an object, got {show(value)}")
        for key in value:
            if key not in allowed:
                raise self.error((*path, key), f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                raise self.error(path, f"missing field {key!r}")
        return value

    def ranged(self, value: object, path: JsonPath, low: int, high: int, rule: str) -> int:
        return parse_ranged(value, low, high, rule, self.source, self.line(path), render_path(path))

    def shock_list(self, value: object, path: JsonPath) -> tuple[int, ...]:
        if not isinstance(value, list):
            raise self.error(path, f"expected a list of shocks, got {show(value)}")
        if not value:
            raise self.error(path, "is empty (S, the number of scenarios, must be at least 1)")
        top = BOUND_64 - 1
        return tuple(
            self.ranged(item, (*path, index), -top, top, "abs(shock) < 2**64")
            for index, item in enumerate(value)
        )

    def asset(self, name: str, value: object) -> Asset:
        path: JsonPath = ("assets", name)
        fields = self.obj(value, path, _ASSET_KEYS, ("price", "weight"))
        price = self.ranged(fields["price"], (*path, "price"), 0, BOUND_64 - 1, "0 <= price < 2**64")
        weight = self.ranged(fields["weight"], (*path, "weight"), 0, WEIGHT_SCALE, "0 <= weight <= 10000")
        return Asset(name, price, weight)

    def instrument(self, name: str, value: object) -> Instrument:
        path: JsonPath = ("instruments", name)
        fields = self.obj(value, path, _INSTRUMENT_KEYS, ("mark", "shocks"))
        top = BOUND_64 - 1
        mark = self.ranged(fields["mark"], (*path, "mark"), -top, top, "abs(mark) < 2**64")
        shocks = self.shock_list(fields["shocks"], (*path, "shocks"))
        initial = None
        if "initial_shocks" in fields:
            initial = self.shock_list(fields["initial_shocks"], (*path, "initial_shocks"))
        band = None
        if "band_bps" in fields:
            band = self.ranged(
                fields["band_bps"], (*path, "band_bps"), 0, WEIGHT_SCALE, "0 <= band_bps <= 10000"
            )
        return Instrument(name, mark, shocks, initial, band)

    def names(self, value: object, key: str, kind: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise self.error((key,), f"expected an object of {kind}s by name, got {show(value)}")
        if not value:
            raise self.error((key,), f"lists no {kind}s (at least one is needed)")
        for name in value:
            parse_name(name, self.source, self.line((key, name)), render_path((key, name)))
        return value

    def market(self, document: object) -> Market:
        top = self.obj(document, (), _TOP_KEYS, ("assets", "instruments"))
        if GENERATED_KEY in top and not isinstance(top[GENERATED_KEY], dict):
            raise self.error((GENERATED_KEY,), f"expected an object, got {show(top[GENERATED_KEY])}")
        assets = [self.asset(n, v) for n, v in self.names(top["assets"], "assets", "asset").items()]
        raw_instruments = self.names(top["instruments"], "instruments", "instrument")
        instruments = [self.instrument(n, v) for n, v in raw_instruments.items()]
        first = instruments[0]
        first_path = render_path(("instruments", first.name, "shocks"))
        scenarios = len(first.shocks)
        if "scenarios" in top:
            stated = parse_integer(top["scenarios"], self.source, self.line(("scenarios",)), "scenarios")
            if stated != scenarios:
                raise self.error(("scenarios",), f"says {stated}, but {first_path} has {scenarios} shocks")
        for inst in instruments:
            for key, values in (("shocks", inst.shocks), ("initial_shocks", inst.initial_shocks)):
                if values is not None and len(values) != scenarios:
                    raise self.error(
                        ("instruments", inst.name, key),
                        f"has {len(values)} shocks, but {first_path} has {scenarios} "
                        "(every shock list must have the same length S)",
                    )
        return Market(
            assets=tuple(sorted(assets, key=lambda a: a.name)),
            instruments=tuple(sorted(instruments, key=lambda i: i.name)),
            scenarios=scenarios,
        )


def market_from_obj(
    document: object, source: str = "<market>", lines: Mapping[JsonPath, int] | None = None
) -> Market:
    """Validate an already-parsed snapshot (``dict`` as ``json.loads`` gives it).

    ``lines`` maps JSON paths to line numbers for the error messages; without it the
    messages name the file and field only. Note that ``json.loads`` silently keeps the
    last of duplicate keys; :func:`parse_market` rejects them.
    """
    return _Checker(source, lines or {}).market(document)


def parse_market(text: str, source: str = "<market>") -> Market:
    """Parse and validate snapshot text."""
    document, lines = loads_located(text, source)
    return market_from_obj(document, source, lines)


def read_market(path: str | os.PathLike[str]) -> Market:
    """Read, parse and validate a snapshot file (UTF-8, no byte-order mark)."""
    source = os.fspath(path)
    raw = Path(path).read_bytes()
    return parse_market(decode_utf8(raw, source), source)


# --- writing ----------------------------------------------------------------


def _shock_text(values: Sequence[int]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def market_to_json(market: Market, generated: Mapping[str, object] | None = None) -> str:
    """The snapshot as canonical text: sorted names, every price, mark and shock a decimal
    string, weights and bands JSON numbers, one asset or shock list per line.

    ``generated`` becomes the top-level ``"_generated"`` object (readers ignore it).
    """
    out = ["{"]
    if generated is not None:
        text = json.dumps(generated, ensure_ascii=False, sort_keys=True, indent=2)
        out.append(f'  "{GENERATED_KEY}": ' + text.replace("\n", "\n  ") + ",")
    out.append('  "assets": {')
    for index, asset in enumerate(market.assets):
        comma = "," if index + 1 < len(market.assets) else ""
        name = json.dumps(asset.name, ensure_ascii=False)
        out.append(f'    {name}: {{"price": "{asset.price}", "weight": {asset.weight}}}{comma}')
    out.append("  },")
    out.append('  "instruments": {')
    for index, inst in enumerate(market.instruments):
        name = json.dumps(inst.name, ensure_ascii=False)
        out.append(f"    {name}: {{")
        fields = [f'      "mark": "{inst.mark}"', f'      "shocks": {_shock_text(inst.shocks)}']
        if inst.initial_shocks is not None:
            fields.append(f'      "initial_shocks": {_shock_text(inst.initial_shocks)}')
        if inst.band_bps is not None:
            fields.append(f'      "band_bps": {inst.band_bps}')
        out.append(",\n".join(fields))
        out.append("    }" + ("," if index + 1 < len(market.instruments) else ""))
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"
