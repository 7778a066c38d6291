"""One price from several sources: drop stale quotes and outliers, then take the median.

For one price (the spot of an underlying, or the implied volatility of an option) quoted
``q_j`` at time ``t_j`` by source ``j``, at snapshot time ``T``, with the description's
``max_age_seconds``, ``max_deviation_bps`` and ``quorum``:

1. Fresh quotes: ``0 <= T - t_j <= max_age_seconds``. A quote timed after ``T`` is dropped
   as well (its clock is ahead of the snapshot's). A source without a quote is recorded.
2. Fewer than ``quorum`` fresh quotes: an error naming the price.
3. ``m0 = median(fresh quotes)``.
4. In band: ``|q_j - m0| * 10_000 <= max_deviation_bps * m0``; the others are outliers.
5. Fewer than ``quorum`` quotes in band: an error naming the price.
6. The price is ``median(quotes in band)``.

``median`` of ``n`` sorted values ``v``: ``v[(n - 1) / 2]`` for odd ``n``, and
``(v[n/2 - 1] + v[n/2]) / 2`` for even ``n``. Values are exact rationals (the decimals
the sources wrote), so the median of decimals is a decimal and no rounding happens.

Why centre the band on a median: with ``n`` fresh quotes, fewer than ``n / 2`` wrong
ones (however wrong) cannot move ``m0`` outside the range of the others, so an outlier
cannot widen the band to let itself in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from zksolvency.errors import InputError
from zksolvency.model.description import OracleSpec
from zksolvency.oracle.sources import Quote

#: Basis points in one: deviations are compared as ``|q - m0| * BPS <= max_deviation_bps * m0``.
BPS = 10_000
#: Decimal places beyond which :func:`decimal_text` refuses (the median of decimals never needs them).
_MAX_PLACES = 200


def decimal_text(value: Fraction) -> str:
    """The exact decimal text of ``value`` (``"60000"``, ``"0.655"``); ``ValueError`` if it has none."""
    sign, magnitude = ("-" if value < 0 else ""), abs(value)
    places = 0
    while (magnitude * 10**places).denominator != 1:
        places += 1
        if places > _MAX_PLACES:
            raise ValueError(f"{value} has no finite decimal expansion")
    digits = str(int(magnitude * 10**places)).rjust(places + 1, "0")
    if places == 0:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def median(values: Sequence[Fraction]) -> Fraction:
    """The middle of the sorted values; the mean of the two middle ones for an even count."""
    if not values:
        raise ValueError("the median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class MedianPrice:
    """One price: its median, the quotes used (by source) and those dropped (by source, with why)."""

    kind: str
    name: str
    median: Fraction
    used: Mapping[str, Fraction]
    dropped: Mapping[str, str]

    def to_json(self) -> dict[str, object]:
        return {
            "median": decimal_text(self.median),
            "used": {source: decimal_text(value) for source, value in self.used.items()},
            "dropped": dict(self.dropped),
        }


def _short(
    kind: str, name: str, have: Sequence[str], what: str, spec: OracleSpec, dropped: Mapping[str, str]
) -> InputError:
    listed = ", ".join(have) or "none"
    why = "; ".join(f"{source}: {reason}" for source, reason in dropped.items())
    return InputError(
        f"{kind} of {name}: {len(have)} {what} source(s) ({listed}), below the quorum of {spec.quorum}"
        + (f" (dropped: {why})" if why else "")
    )


def median_price(
    kind: str, name: str, quotes: Mapping[str, Quote | None], spec: OracleSpec, time: int
) -> MedianPrice:
    """Steps 1-6 of the module docstring for the price ``kind`` (``spot``, ``vol``) of ``name``.

    ``quotes`` maps every source's name to its quote of this price (``None``: no quote).
    ``InputError`` names the price when fewer than ``spec.quorum`` sources remain.
    """
    dropped: dict[str, str] = {}
    fresh: dict[str, Fraction] = {}
    for source in sorted(quotes):
        quote = quotes[source]
        if quote is None:
            dropped[source] = "no quote"
            continue
        age = time - quote.time
        if age < 0:
            dropped[source] = f"quoted {-age} s after the snapshot time"
        elif age > spec.max_age_seconds:
            dropped[source] = f"stale: quoted {age} s before the snapshot time (max {spec.max_age_seconds})"
        else:
            fresh[source] = quote.value
    if len(fresh) < spec.quorum:
        raise _short(kind, name, list(fresh), "fresh", spec, dropped)
    centre = median(list(fresh.values()))
    used: dict[str, Fraction] = {}
    for source, value in fresh.items():
        if abs(value - centre) * BPS <= spec.max_deviation_bps * centre:
            used[source] = value
            continue
        bps = float(abs(value - centre) * BPS / centre)
        dropped[source] = (
            f"outlier: {decimal_text(value)} is {bps:.1f} bps from {decimal_text(centre)}, the median of "
            f"the fresh quotes (max {spec.max_deviation_bps})"
        )
    if len(used) < spec.quorum:
        raise _short(kind, name, list(used), "fresh, in-band", spec, dropped)
    return MedianPrice(kind, name, median(list(used.values())), used, dict(sorted(dropped.items())))
