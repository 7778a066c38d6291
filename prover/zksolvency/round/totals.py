"""The published totals of a round: read exactly, range-checked, and what they add up to.

A bundle publishes ``totals.vector``, the ``V = A + I + 1`` sums the root proof binds
through ``totals_hash = HashVector(V)(vector)``: the balance of every asset, the net
position in every instrument, and the cost total, over every account of the round. The
hash takes each total modulo r, so the hash alone accepts ``t - r`` for ``t`` (the second
finding of the outside audit: a total replaced by a huge negative number still hashed
right). :func:`check_totals` closes that:

* every total is a canonical decimal integer (no sign but ``-``, no leading zeros, no
  ``-0``, no spaces or underscores), and lies in the range the circuits can produce for ``n``
  listed batches of ``B`` accounts (padding batches add zero)::

      balances    0 <= t <= n B (2**64 - 1)
      positions   abs(t) <= n B (2**64 - 1)
      cost        abs(t) <= n B (2**CB - 1),   CB = bitLength(I (2**128 - 1))

  Every value in these ranges is below ``r/2``, so the map from totals to field elements
  is injective on them and ``totals_hash`` pins each total as an integer;
* the named totals (``totals.balances``, ``totals.positions``, ``totals.cost``) equal the
  vector entry by entry, with the snapshot's names in canonical order, no name missing
  or extra, and the circuit's padding slots zero.

:func:`exposure` turns checked totals into what they mean under the snapshot: the
haircut value of all collateral and the net mark value (unrealised profit and loss) that
the accounts hold against the venue, both in the rule's units (quote minor units times
``10**12``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zksolvency.circuit.solvency_inputs import CircuitSize, cost_total_bits
from zksolvency.model.margin import W
from zksolvency.model.market import Market

_DECIMAL = re.compile(r"0|-?[1-9][0-9]*")


class TotalsError(ValueError):
    """A published total is malformed, out of range or disagrees with the vector."""


@dataclass(frozen=True)
class Totals:
    """Checked totals: per asset (market order), per instrument, and the cost total."""

    balances: tuple[int, ...]
    positions: tuple[int, ...]
    cost: int
    vector: tuple[int, ...]


def decimal(value: object, where: str) -> int:
    """A canonical decimal integer (JSON string or number); ``TotalsError`` naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TotalsError(f"{where} is not a decimal integer: {value!r}")
    text = str(value)
    if not _DECIMAL.fullmatch(text):
        raise TotalsError(f"{where} is not a canonical decimal integer: {text!r}")
    return int(text)


def total_bounds(size: CircuitSize, batches: int) -> list[tuple[int, int]]:
    """``(low, high)``, inclusive, of each vector entry for ``batches`` proven batches."""
    accounts = batches * size.live
    top64 = accounts * (2**64 - 1)
    top_cost = accounts * (2 ** cost_total_bits(size.instruments) - 1)
    return [(0, top64)] * size.assets + [(-top64, top64)] * size.instruments + [(-top_cost, top_cost)]


def _named(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TotalsError(f"{where} is not an object")
    return value


def check_totals(document: object, market: Market, size: CircuitSize, batches: int) -> Totals:
    """Parse and check the manifest's ``totals`` object (see the module docstring)."""
    totals = _named(document, "totals")
    raw_vector = totals.get("vector")
    width = size.assets + size.instruments + 1
    if not isinstance(raw_vector, list) or len(raw_vector) != width:
        raise TotalsError(f"totals.vector must list A + I + 1 = {width} totals")
    vector = tuple(decimal(v, f"totals.vector[{k}]") for k, v in enumerate(raw_vector))
    for k, (value, (low, high)) in enumerate(zip(vector, total_bounds(size, batches), strict=True)):
        if not low <= value <= high:
            raise TotalsError(
                f"totals.vector[{k}] = {value} is outside what {batches} batches of {size.live} "
                f"accounts can sum to ({low}..{high})"
            )

    def entries(field: str, names: list[str], offset: int) -> tuple[int, ...]:
        named = _named(totals.get(field), f"totals.{field}")
        if list(named) != names:
            raise TotalsError(f"totals.{field} must name exactly {', '.join(names)} in that order")
        values = []
        for k, name in enumerate(names):
            value = decimal(named[name], f"totals.{field}.{name}")
            if value != vector[offset + k]:
                raise TotalsError(
                    f"totals.{field}.{name} = {value} but totals.vector[{offset + k}] = {vector[offset + k]}"
                )
            values.append(value)
        return tuple(values)

    assets = [a.name for a in market.assets]
    instruments = [i.name for i in market.instruments]
    balances = entries("balances", assets, 0)
    positions = entries("positions", instruments, size.assets)
    padding = [
        k
        for k in (*range(len(assets), size.assets), *range(size.assets + len(instruments), width - 1))
        if vector[k]
    ]
    if padding:
        raise TotalsError(f"totals.vector[{padding[0]}] is a padding slot the snapshot does not list, not 0")
    cost = decimal(totals.get("cost"), "totals.cost")
    if cost != vector[-1]:
        raise TotalsError(f"totals.cost = {cost} but totals.vector[{width - 1}] = {vector[-1]}")
    return Totals(balances, positions, cost, vector)


@dataclass(frozen=True)
class Exposure:
    """What checked totals mean under the snapshot (units: quote minor units times 10**12).

    ``collateral = sum_a T_balance[a] price[a] weight[a]`` (every account's collateral
    after haircuts) and ``mark_value = W (sum_i T_position[i] mark[i] - T_cost)`` (the
    accounts' unrealised profit on their positions, which the venue owes them).
    ``equity = collateral + mark_value`` is the sum of every account's equity, each of
    which the batch proofs showed to be at least its requirement (hence >= 0).
    """

    collateral: int
    mark_value: int
    open_instruments: tuple[str, ...]

    @property
    def equity(self) -> int:
        return self.collateral + self.mark_value

    @property
    def zero_sum(self) -> bool:
        """Every contract has two sides: no net position and a zero cost total."""
        return not self.open_instruments and self.mark_value == 0

    def to_json(self) -> dict[str, object]:
        return {
            "collateral": str(self.collateral),
            "mark_value": str(self.mark_value),
            "equity": str(self.equity),
            "open_instruments": list(self.open_instruments),
        }


def exposure(totals: Totals, market: Market) -> Exposure:
    """The aggregate collateral and mark value of checked ``totals`` under ``market``."""
    collateral = sum(
        t * asset.price * asset.weight for t, asset in zip(totals.balances, market.assets, strict=True)
    )
    marked = sum(t * inst.mark for t, inst in zip(totals.positions, market.instruments, strict=True))
    open_instruments = tuple(
        inst.name for t, inst in zip(totals.positions, market.instruments, strict=True) if t
    )
    return Exposure(collateral, W * (marked - totals.cost), open_instruments)
