"""An old leaf opened with aliased values (a digit carry in AccountLeaf's packing) is refused.

At A = 1, I = 2 a leaf packs (balance, size[0], size[1]) into one element, 65 bits each. The
seller claims old sizes (s0 + 2^65, s1 - 1): the same packed element, so the same leaf hash
and a valid Merkle path, and after selling q the claimed new size s0 + 2^65 - q is back in
range -- a short of -2^64 + 10 would turn into a long of 2^64 - 10 and size[1] would lose one
contract. Only the range check of the traded instrument's old size stops it. Circuit:
``TradeBatchMain(1, 2, 4, 4, 1)``.
"""

from __future__ import annotations

import dataclasses

import pytest

from zksolvency.model.market import Asset, Market
from zksolvency.state.store import State
from zksolvency.trades import MatchedTrade, TradeCircuitSize, batch_inputs
from zksolvency.trades import execution as execution_module

from .builders import BATCH_ID, BATCH_TIME, FEE_BPS, account, order
from .builders import market as two_asset_market
from .circuit import assert_fails_in, failing, forged_witness, unchecked

#: Compiles its own size (the real and the permissive circuit): over 30 s.
pytestmark = pytest.mark.slow

SIZE = TradeCircuitSize(assets=1, instruments=2, scenarios=4, depth=4, trades=1)
SHORT = -(2**64) + 10
Q = 20


def _market() -> Market:
    return Market((Asset("USDC", 10**8, 10_000),), two_asset_market().instruments, 4)


def _inputs(
    monkeypatch: pytest.MonkeyPatch,
    bob_sizes: tuple[int, int],
    q: int,
    claimed: tuple[int, int] | None = None,
) -> dict[str, object]:
    """alice buys ``q`` calls from bob (sizes ``bob_sizes``); bob's old sizes as ``claimed``."""
    alice = dataclasses.replace(account("alice", 0, 0), balances=(10**13,))
    bob = dataclasses.replace(account("bob", 0, 0, bob_sizes), balances=(10**13,))
    state = State(4, 1, 2, ("USDC",), ("BTC-C", "BTC-P"), (alice, bob))
    orders = (order("alice", "buy", q, 52 * 10**15), order("bob", "sell", q, 50 * 10**15))
    trades = (MatchedTrade(0, 1, q, 51 * 10**15),)
    with unchecked(monkeypatch, pack=True):
        ex = execution_module.execute(state, _market(), orders, trades, BATCH_TIME, FEE_BPS)
    inputs = batch_inputs(ex, _market(), SIZE, BATCH_ID, BATCH_TIME, FEE_BPS)
    if claimed is not None:
        sizes = inputs["size"]
        assert isinstance(sizes, list)
        sizes[0][1] = list(claimed)
    return inputs


def test_old_leaf_opened_with_a_digit_carry_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    witness = forged_witness(_inputs(monkeypatch, (SHORT, 5), Q, (SHORT + 2**65, 5 - 1)), size=SIZE)
    found = assert_fails_in(witness, "main.batch.trade[0].side[1].oldRange", at_most=2, size=SIZE)
    # Nothing else fails: the leaf hash, the path and the margin all accept the aliased values.
    assert all(any(".side[1].oldRange" in n for n in names) for names in found), found


def test_a_valid_trade_at_this_size_satisfies_every_constraint(monkeypatch: pytest.MonkeyPatch) -> None:
    """The twin: bob short 5 sells 2 more, opened honestly; no constraint fails."""
    assert failing(forged_witness(_inputs(monkeypatch, (-5, 5), 2), size=SIZE), SIZE) == []
