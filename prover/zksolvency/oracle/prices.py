"""A description's spots and option vols from price sources, and the record the snapshot keeps of them.

``resolve_prices(desc, sources, time)`` takes a description with an ``[oracle]`` table,
computes every listed underlying's spot and every option's implied volatility with
:func:`~zksolvency.oracle.median.median_price`, and returns the description with those
prices filled in (ready for :func:`~zksolvency.model.market_builder.build_market`) and
the record that becomes ``_generated.oracle`` in the snapshot::

    {"time": 1796126400, "time_utc": "2026-12-01T12:00:00Z",
     "rules": {"max_age_seconds": 300, "max_deviation_bps": 100, "quorum": 2},
     "sources": {"feed-a": {"file": "feed-a.json", "sha256": "..."}, ...},
     "spots": {"BTC": {"median": "60000", "used": {"feed-a": "59990", ...},
                       "dropped": {"feed-c": "stale: quoted 900 s before the snapshot time (max 300)"}}},
     "vols": {"BTC-30D-60000-C": {...}}}

A price becomes a description :class:`~zksolvency.model.description.Number` whose
``exact`` is the median itself (a decimal) and ``value`` its nearest float.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from zksolvency.errors import InputError
from zksolvency.model.description import Description, Number
from zksolvency.oracle.median import MedianPrice, median_price
from zksolvency.oracle.sources import PriceSource


def _number(price: MedianPrice) -> Number:
    return Number(float(price.median), price.median)


def _check_sources(desc: Description, sources: Sequence[PriceSource]) -> None:
    if not sources:
        raise InputError(f"{desc.source}: the [oracle] table needs price sources: give --source FILE")
    seen: dict[str, str] = {}
    for src in sources:
        if src.name in seen:
            raise InputError(f"{src.file}: source name {src.name!r} is also the name of {seen[src.name]}")
        seen[src.name] = src.file
        if src.quote_currency != desc.quote_name:
            raise InputError(
                f"{src.file}: field quote: prices in {src.quote_currency}, "
                f"the description's quote currency is {desc.quote_name}"
            )


def utc_text(time: int) -> str:
    """``2026-12-01T12:00:00Z`` for Unix seconds ``time``."""
    return datetime.datetime.fromtimestamp(time, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve_prices(
    desc: Description, sources: Sequence[PriceSource], time: int
) -> tuple[Description, dict[str, object]]:
    """``desc`` with its prices from ``sources`` at snapshot time ``time``, and the record (module docstring).

    ``InputError`` when the description has no ``[oracle]`` table, the sources clash
    (same name, another quote currency), or a price lacks a quorum (naming the price).
    """
    spec = desc.oracle
    if spec is None:
        raise InputError(
            f"{desc.source}: price sources given, but the description has no [oracle] table "
            "(it gives its own [underlyings] and vols)"
        )
    _check_sources(desc, sources)
    try:
        spots = {
            name: median_price("spot", name, {s.name: s.spots.get(name) for s in sources}, spec, time)
            for name in spec.underlyings
        }
        vols = {
            inst.name: median_price(
                "vol", inst.name, {s.name: s.vols.get(inst.name) for s in sources}, spec, time
            )
            for inst in desc.instruments
            if inst.type != "perpetual"
        }
    except InputError as exc:
        raise InputError(f"{desc.source}: [oracle]: {exc}") from None
    instruments = tuple(
        dataclasses.replace(inst, vol=_number(vols[inst.name])) if inst.name in vols else inst
        for inst in desc.instruments
    )
    resolved = dataclasses.replace(
        desc,
        underlyings={name: _number(price) for name, price in spots.items()},
        instruments=instruments,
        oracle=None,
    )
    record: dict[str, object] = {
        "time": time,
        "time_utc": utc_text(time),
        "rules": {
            "max_age_seconds": spec.max_age_seconds,
            "max_deviation_bps": spec.max_deviation_bps,
            "quorum": spec.quorum,
        },
        "sources": {
            s.name: {"file": s.file, "sha256": s.sha256} for s in sorted(sources, key=lambda s: s.name)
        },
        "spots": {name: price.to_json() for name, price in spots.items()},
        "vols": {name: price.to_json() for name, price in vols.items()},
    }
    return resolved, record
