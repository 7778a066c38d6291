"""Build a market snapshot from a description: marks, full-revaluation shocks, greeks, rounding.

Method. Scenario ``s`` (price-major over the grid, see
:class:`~zksolvency.model.description.Grid`) moves every underlying's spot to
``spot * (1 + price_move)`` at once and every implied volatility to
``vol * (1 + vol_move)``, and lets ``horizon_days`` pass. Each instrument is
revalued in full in every scenario (no delta/gamma approximation):

* perpetual: ``contract_size * spot``;
* European call / put: Black-Scholes (:mod:`~zksolvency.model.black_scholes`)
  with time to expiry ``expiry_days / 365`` (``max(0, (expiry_days - horizon_days) / 365)``
  in the scenarios), times ``contract_size``.

``shock[s] = value in scenario s - mark``, both already integers.

How numbers become the spec's integers. ``Q = 10**quote.decimals * PRICE_SCALE``
integer units make one unit of the quote currency. Every rounding is to the
nearest integer, ties to even (Python's ``round`` of a ``Fraction``), and is
exact: a float is converted with ``Fraction(float)`` (its exact binary value)
and a number from the description with ``Fraction(repr(x))`` (the decimal the
author wrote).

* asset price: ``round(spot * 10**quote.decimals * PRICE_SCALE / 10**asset.decimals)``
  from the written decimals, no floating point;
* perpetual mark and scenario values: ``round(contract_size * spot * (1 + move) * Q)``
  from the written decimals, no floating point;
* option mark and scenario values: the Black-Scholes float ``v`` per unit of
  underlying, ``round(Fraction(v) * contract_size * 10**quote.decimals) * PRICE_SCALE``:
  rounded to a whole quote minor unit, because a float carries ~16 significant
  digits and its last ones differ between maths libraries; at the coarser grid the
  integers are the same on every platform unless a value lies within ~1e-9 of a
  rounding boundary;
* shocks: the difference of the rounded scenario value and the rounded mark, so
  ``mark + shock[s]`` is exactly the rounded value in scenario ``s``.

A value that does not fit the spec's ranges (``price < 2**64``, ``abs(mark)``,
``abs(shock) < 2**64``), or a positive spot whose asset price rounds to zero,
is an error naming the description field to change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import scipy  # type: ignore[import-untyped]

from zksolvency import __version__
from zksolvency.errors import InputError
from zksolvency.model import black_scholes
from zksolvency.model.description import Description, Grid, InstrumentSpec, Number
from zksolvency.model.market import BOUND_64, PRICE_SCALE, Asset, Instrument, Market

DAYS_PER_YEAR = 365
GENERATOR = "zksolvency market build"


@dataclass(frozen=True, slots=True)
class InstrumentReport:
    """Per contract, in quote currency units: ``mark``; ``delta`` (quote per 1 quote move of the
    underlying), ``gamma`` (delta per 1 quote move), ``vega`` (per +1 volatility point, 0.01),
    ``theta`` (per calendar day passing); and the worst scenario loss of one long / one short
    contract (quote units, >= 0)."""

    name: str
    type: str
    underlying: str
    contract_size: float
    mark: float
    delta: float
    gamma: float
    vega: float
    theta: float
    worst_loss_long: float
    worst_loss_short: float


@dataclass(frozen=True, slots=True)
class BuildResult:
    market: Market
    generated: dict[str, object]
    report: tuple[InstrumentReport, ...]


def _percent(move: Number) -> str:
    return f"{move.value * 100:+g}%"


def scenario_labels(grid: Grid) -> list[str]:
    """``"price -20%, vol +25%"`` for each scenario, in scenario order."""
    return [f"price {_percent(p)}, vol {_percent(v)}" for p, v in grid.points()]


def _fits(value: int, field: str, source: str, hint: str) -> int:
    if abs(value) >= BOUND_64:
        raise InputError(f"{source}: field {field}: gives {value}, out of range (abs < 2**64); {hint}")
    return value


def _asset(desc: Description, spec_index: int) -> Asset:
    spec = desc.assets[spec_index]
    field = f"assets.{spec.name}"
    unit = spec.price if spec.price is not None else desc.underlyings[spec.underlying or ""]
    price = round(unit.exact * 10**desc.quote_decimals * PRICE_SCALE / 10**spec.decimals)
    if unit.exact > 0 and price == 0:
        raise InputError(
            f"{desc.source}: field {field}.decimals: the price per minor unit rounds to 0 at PRICE_SCALE; "
            "use fewer decimals"
        )
    _fits(price, field, desc.source, "use more decimals (a smaller minor unit)")
    return Asset(spec.name, price, spec.weight)


def _values(desc: Description, spec: InstrumentSpec, grid: Grid | None) -> list[int]:
    """The rounded value of one long contract at the current market (``grid`` None) or in each scenario."""
    spot = desc.underlyings[spec.underlying]
    points: Sequence[tuple[Number | None, Number | None]] = [(None, None)] if grid is None else grid.points()
    if spec.type == "perpetual":
        scale = spec.contract_size.exact * spot.exact * 10**desc.quote_decimals * PRICE_SCALE
        return [round(scale * (1 + (move.exact if move else 0))) for move, _ in points]
    assert spec.strike is not None and spec.expiry_days is not None and spec.vol is not None
    days = spec.expiry_days.value - (0.0 if grid is None else desc.horizon_days.value)
    spots = np.array([spot.value * (1.0 + (m.value if m else 0.0)) for m, _ in points])
    vols = np.array([spec.vol.value * (1.0 + (v.value if v else 0.0)) for _, v in points])
    unit_values = black_scholes.price(
        spec.type == "call", spots, spec.strike.value, max(days, 0.0) / DAYS_PER_YEAR, vols, desc.rate.value
    )
    per_contract = spec.contract_size.exact * 10**desc.quote_decimals
    return [round(Fraction(float(v)) * per_contract) * PRICE_SCALE for v in unit_values]


def _instrument(desc: Description, spec: InstrumentSpec) -> Instrument:
    field = f"instruments.{spec.name}"
    hint = "use a smaller contract_size"
    mark = _fits(_values(desc, spec, None)[0], f"{field} (mark)", desc.source, hint)

    def shocks(grid: Grid) -> tuple[int, ...]:
        return tuple(
            _fits(v - mark, f"{field} (shock)", desc.source, hint) for v in _values(desc, spec, grid)
        )

    initial = shocks(desc.initial_scenarios) if desc.initial_scenarios is not None else None
    return Instrument(spec.name, mark, shocks(desc.scenarios), initial, spec.band_bps)


def _report(desc: Description, spec: InstrumentSpec, inst: Instrument) -> InstrumentReport:
    size = spec.contract_size.value
    one = 10**desc.quote_decimals * PRICE_SCALE
    if spec.type == "perpetual":
        greeks = black_scholes.Greeks(delta=1.0, gamma=0.0, vega=0.0, theta=0.0)
    else:
        assert spec.strike is not None and spec.expiry_days is not None and spec.vol is not None
        greeks = black_scholes.greeks(
            spec.type == "call",
            desc.underlyings[spec.underlying].value,
            spec.strike.value,
            spec.expiry_days.value / DAYS_PER_YEAR,
            spec.vol.value,
            desc.rate.value,
        )
    return InstrumentReport(
        name=spec.name,
        type=spec.type,
        underlying=spec.underlying,
        contract_size=size,
        mark=inst.mark / one,
        delta=greeks.delta * size,
        gamma=greeks.gamma * size,
        vega=greeks.vega * size / 100.0,
        theta=greeks.theta * size / DAYS_PER_YEAR,
        worst_loss_long=max(0, -min(inst.shocks)) / one,
        worst_loss_short=max(0, max(inst.shocks)) / one,
    )


def build_market(
    desc: Description, description_name: str, oracle_record: Mapping[str, object] | None = None
) -> BuildResult:
    """The snapshot, its ``_generated`` metadata and the greeks report for ``desc``.

    ``description_name`` is how the metadata names the description (a file name, so
    the output does not depend on the directory the command ran in). A description
    with an ``[oracle]`` table must first get its prices from the sources
    (:func:`zksolvency.oracle.prices.resolve_prices`), whose record ``oracle_record``
    becomes ``_generated.oracle``.
    """
    if desc.oracle is not None:
        raise InputError(
            f"{desc.source}: the [oracle] table takes spots and vols from price sources: "
            "give them with --source FILE (docs/oracle.md)"
        )
    assets = [_asset(desc, index) for index in range(len(desc.assets))]
    instruments = [_instrument(desc, spec) for spec in desc.instruments]
    market = Market(
        assets=tuple(sorted(assets, key=lambda a: a.name)),
        instruments=tuple(sorted(instruments, key=lambda i: i.name)),
        scenarios=desc.scenarios.size,
    )
    report = tuple(
        _report(desc, spec, inst)
        for spec, inst in sorted(zip(desc.instruments, instruments, strict=True), key=lambda p: p[0].name)
    )
    generated: dict[str, object] = {
        "generator": GENERATOR,
        "versions": {"zksolvency": __version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "description": description_name,
        "description_sha256": desc.sha256,
        "quote": f"{desc.quote_name}, minor unit 10**-{desc.quote_decimals}",
        "scenarios": scenario_labels(desc.scenarios),
        "note": "ignored by readers; integers are quote minor units times 10**8 (MARGIN.md)",
    }
    if desc.initial_scenarios is not None:
        generated["initial_scenarios"] = scenario_labels(desc.initial_scenarios)
    if oracle_record is not None:
        generated["oracle"] = dict(oracle_record)
    return BuildResult(market, generated, report)


def report_to_obj(desc: Description, result: BuildResult) -> dict[str, object]:
    """The greeks report as a JSON-ready object (floats; for people, not for proofs)."""
    return {
        "quote": {"name": desc.quote_name, "decimals": desc.quote_decimals},
        "units": {
            "mark": "quote currency per contract",
            "delta": "quote per 1 quote move of the underlying, per contract",
            "gamma": "delta per 1 quote move of the underlying, per contract",
            "vega": "quote per +1 volatility point (0.01), per contract",
            "theta": "quote per calendar day passing, per contract",
            "worst_loss_long": "largest scenario loss of one long contract, quote",
            "worst_loss_short": "largest scenario loss of one short contract, quote",
        },
        "scenarios": scenario_labels(desc.scenarios),
        "instruments": {
            item.name: {key: value for key, value in dataclasses.asdict(item).items() if key != "name"}
            for item in result.report
        },
    }
