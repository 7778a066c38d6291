"""The exact-integer reference engine of MARGIN.md's rule ("The rule").

With ``W = 10_000`` and sums over every asset ``a``, instrument ``i``, scenario ``s``::

    collateral   = sum_a balance[a] * price[a] * weight[a]
    mark_value   = sum_i (size[i] * mark[i] - cost[i]) * W
    equity       = collateral + mark_value
    pnl[s]       = sum_i size[i] * shocks[i][s] * W
    requirement  = max(0, max_s(-pnl[s]))
    solvent      = equity >= requirement

Python integers are exact, so there is no rounding anywhere. Factoring ``W``
out of a sum (``W * sum(x) == sum(W * x)``) and skipping zero terms change
nothing in exact arithmetic; both are done for speed. ``equity`` and
``requirement`` are in quote minor units times ``PRICE_SCALE * W`` (10**12).

Every function takes an :class:`~zksolvency.model.accounts.Account` built
against the same :class:`~zksolvency.model.market.Market`; a length mismatch
raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from zksolvency.model.accounts import Account
from zksolvency.model.market import WEIGHT_SCALE, Market

W = WEIGHT_SCALE


@dataclass(frozen=True, slots=True)
class MarginResult:
    """Every quantity of the rule for one account (units: quote minor units * 10**12)."""

    id: str
    collateral: int
    mark_value: int
    equity: int
    pnl: tuple[int, ...]
    requirement: int
    solvent: bool


def collateral(account: Account, market: Market) -> int:
    """``sum_a balance[a] * price[a] * weight[a]``; never negative."""
    return sum(
        balance * asset.price * asset.weight
        for balance, asset in zip(account.balances, market.assets, strict=True)
        if balance
    )


def mark_value(account: Account, market: Market) -> int:
    """``sum_i (size[i] * mark[i] - cost[i]) * W``: unrealised profit of every position."""
    total = 0
    for size, cost, inst in zip(account.sizes, account.costs, market.instruments, strict=True):
        if size or cost:
            total += size * inst.mark - cost
    return total * W


def equity(account: Account, market: Market) -> int:
    """``collateral + mark_value``."""
    return collateral(account, market) + mark_value(account, market)


def pnl(account: Account, market: Market, *, initial: bool = False) -> tuple[int, ...]:
    """``pnl[s] = sum_i size[i] * shocks[i][s] * W`` for each of the S scenarios.

    ``initial=True`` uses each instrument's ``initial_shocks`` (falling back to
    ``shocks``), for trade validity; solvency uses ``shocks`` only.
    """
    if len(account.sizes) != len(market.instruments):
        raise ValueError(
            f"account {account.id!r} has {len(account.sizes)} sizes, the market has "
            f"{len(market.instruments)} instruments"
        )
    totals = [0] * market.scenarios
    for size, inst in zip(account.sizes, market.instruments, strict=True):
        if size:
            shocks = inst.effective_initial_shocks if initial else inst.shocks
            totals = [total + size * shock for total, shock in zip(totals, shocks, strict=True)]
    return tuple(total * W for total in totals)


def requirement_from_pnl(scenario_pnl: Iterable[int]) -> int:
    """``max(0, max_s(-pnl[s]))``: the worst loss over the scenarios, or 0 if none loses."""
    return max(0, *(-value for value in scenario_pnl))


def requirement(account: Account, market: Market, *, initial: bool = False) -> int:
    """``max(0, max_s(-pnl[s]))``; never negative."""
    return requirement_from_pnl(pnl(account, market, initial=initial))


def solvent(account: Account, market: Market, *, initial: bool = False) -> bool:
    """``equity >= requirement``; since ``requirement >= 0`` this implies ``equity >= 0``."""
    return equity(account, market) >= requirement(account, market, initial=initial)


def evaluate(account: Account, market: Market) -> MarginResult:
    """Every quantity of the rule at once (maintenance shocks), each computed once."""
    held = collateral(account, market)
    marked = mark_value(account, market)
    scenario_pnl = pnl(account, market)
    required = requirement_from_pnl(scenario_pnl)
    total = held + marked
    return MarginResult(account.id, held, marked, total, scenario_pnl, required, total >= required)


def evaluate_all(accounts: Iterable[Account], market: Market) -> Iterator[MarginResult]:
    """:func:`evaluate` for each account, lazily."""
    for account in accounts:
        yield evaluate(account, market)
