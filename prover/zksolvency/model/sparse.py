"""Sparse accounts: at most ``K`` position slots and ``C`` balance slots, and the rule on them.

A venue lists thousands of instruments and tens of assets, but an account holds a few of
each. The sparse form of an :class:`~zksolvency.model.accounts.Account` keeps only what is
non-zero, in the market's canonical order:

* ``positions``: ``(i, size[i])`` for every instrument ``i`` with ``size[i] != 0``, ``i``
  strictly increasing;
* ``balances``: ``(a, balance[a])`` for every asset ``a`` with ``balance[a] != 0``, ``a``
  strictly increasing;
* ``cost_total = sum_i cost[i]`` over every position the account mentions (a position
  with size 0 and a cost still moves ``mark_value``; it needs no slot because the rule
  uses the costs only through their sum).

The rule of MARGIN.md on the sparse form, with ``W = 10_000``::

    collateral  = sum_{(a, b) in balances} b * price[a] * weight[a]
    mark_value  = W * (sum_{(i, z) in positions} z * mark[i] - cost_total)
    pnl[s]      = W * sum_{(i, z) in positions} z * shocks[i][s]
    requirement = max(0, max_s(-pnl[s])),   equity = collateral + mark_value

Every term left out of the sums is a product with a zero balance or a zero size, so each
quantity equals the dense engine's (:mod:`zksolvency.model.margin`) exactly; the
differential tests check that to the integer.

A circuit with ``K`` position slots and ``C`` balance slots holds an account only if it
has at most ``K`` non-zero sizes and at most ``C`` non-zero balances; :func:`to_sparse`
refuses any other account with an :class:`~zksolvency.errors.InputError` that names the
account and the limit. Unused slots are padding: index 0, value 0 (see
:meth:`SparseAccount.padded`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from zksolvency.errors import InputError
from zksolvency.model.accounts import Account
from zksolvency.model.margin import MarginResult, W, requirement_from_pnl
from zksolvency.model.market import Market

#: One slot: (index into the market's canonical order, value).
Slot = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SparseBounds:
    """The slots a circuit gives one account: ``positions`` (K) and ``balances`` (C)."""

    positions: int
    balances: int

    def __post_init__(self) -> None:
        if self.positions < 1 or self.balances < 1:
            raise ValueError(f"sparse bounds {self}: K and C must be at least 1")


@dataclass(frozen=True, slots=True)
class SparseAccount:
    """An account as slot lists (see the module docstring); indexes strictly increasing,
    every value non-zero."""

    id: str
    positions: tuple[Slot, ...]
    balances: tuple[Slot, ...]
    cost_total: int

    def padded(self, bounds: SparseBounds) -> tuple[list[Slot], list[Slot]]:
        """``(positions, balances)`` padded with ``(0, 0)`` slots to exactly ``K`` and ``C``."""
        check_bounds(self.id, len(self.positions), len(self.balances), bounds)
        positions = [*self.positions, *([(0, 0)] * (bounds.positions - len(self.positions)))]
        balances = [*self.balances, *([(0, 0)] * (bounds.balances - len(self.balances)))]
        return positions, balances


def check_bounds(account_id: str, positions: int, balances: int, bounds: SparseBounds) -> None:
    """Raise :class:`InputError` naming the account and the limit if it needs more slots."""
    if positions > bounds.positions:
        raise InputError(
            f"account {account_id!r}: {positions} open positions, the circuit holds at most "
            f"K = {bounds.positions} per account"
        )
    if balances > bounds.balances:
        raise InputError(
            f"account {account_id!r}: {balances} non-zero balances, the circuit holds at most "
            f"C = {bounds.balances} per account"
        )


def _slots(values: Sequence[int]) -> tuple[Slot, ...]:
    return tuple((index, value) for index, value in enumerate(values) if value)


def to_sparse(account: Account, bounds: SparseBounds | None = None) -> SparseAccount:
    """The sparse form of a (validated, dense) account; with ``bounds``, refuse one that does
    not fit (``InputError`` naming the account and the limit)."""
    sparse = SparseAccount(account.id, _slots(account.sizes), _slots(account.balances), sum(account.costs))
    if bounds is not None:
        check_bounds(account.id, len(sparse.positions), len(sparse.balances), bounds)
    return sparse


def to_sparse_all(accounts: Iterable[Account], bounds: SparseBounds) -> Iterator[SparseAccount]:
    """:func:`to_sparse` for each account, lazily; the first account that does not fit stops it."""
    for account in accounts:
        yield to_sparse(account, bounds)


def _check_market(account: SparseAccount, market: Market) -> None:
    for kind, slots, limit in (
        ("position", account.positions, len(market.instruments)),
        ("balance", account.balances, len(market.assets)),
    ):
        previous = -1
        for index, value in slots:
            if not previous < index < limit or value == 0:
                raise ValueError(
                    f"account {account.id!r}: {kind} slot ({index}, {value}) is not a non-zero value "
                    f"at a strictly increasing index below {limit}"
                )
            previous = index


def evaluate_sparse(account: SparseAccount, market: Market) -> MarginResult:
    """Every quantity of the rule from the slot lists (formulas in the module docstring)."""
    _check_market(account, market)
    held = sum(b * market.assets[a].price * market.assets[a].weight for a, b in account.balances)
    marked = W * (sum(z * market.instruments[i].mark for i, z in account.positions) - account.cost_total)
    totals = [0] * market.scenarios
    for i, z in account.positions:
        totals = [t + z * shock for t, shock in zip(totals, market.instruments[i].shocks, strict=True)]
    scenario_pnl = tuple(W * t for t in totals)
    required = requirement_from_pnl(scenario_pnl)
    total = held + marked
    return MarginResult(account.id, held, marked, total, scenario_pnl, required, total >= required)
