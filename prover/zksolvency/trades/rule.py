"""The margin rule on a state account (balances, sizes, cost total), in exact integers.

The same integers as ``AccountRule`` (``circuits/lib/margin.circom``) and
:mod:`zksolvency.model.margin`, with the costs entering only through their total
(``W = 10_000``):

    equity   = sum_a balance[a] price[a] weight[a] + W (sum_i size[i] mark[i] - cost_total)
    loss[s]  = -sum_i size[i] shock[i][s]            (pnl[s] = -W loss[s])
    requirement = W max(0, max_s loss[s])

``shocks`` are the maintenance ``shocks`` or each instrument's ``initial_shocks``
(falling back to ``shocks``), as the caller asks.
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.model.market import Market

W = 10_000


def equity(balances: Sequence[int], sizes: Sequence[int], cost_total: int, market: Market) -> int:
    """``collateral + W (sum_i size[i] mark[i] - cost_total)``."""
    collateral = sum(b * a.price * a.weight for b, a in zip(balances, market.assets, strict=True))
    marked = sum(s * i.mark for s, i in zip(sizes, market.instruments, strict=True))
    return collateral + W * (marked - cost_total)


def losses(sizes: Sequence[int], market: Market, *, initial: bool) -> tuple[int, ...]:
    """``loss[s] = -sum_i size[i] shock[i][s]`` (unscaled), initial or maintenance shocks."""
    totals = [0] * market.scenarios
    for size, inst in zip(sizes, market.instruments, strict=True):
        shocks = inst.effective_initial_shocks if initial else inst.shocks
        for s, shock in enumerate(shocks):
            totals[s] -= size * shock
    return tuple(totals)


def requirement(sizes: Sequence[int], market: Market, *, initial: bool) -> int:
    """``W max(0, max_s loss[s])``."""
    return W * max(0, *losses(sizes, market, initial=initial))
