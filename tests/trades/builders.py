"""Shared builders for the trade tests: a small market, accounts with keys, signed orders, batches.

Sizes: the test circuit ``circuits/trades/main_test.circom`` (A = 2, I = 2, S = 4, D = 4, T = 2).
Units as MARGIN.md's worked example: quote minor unit 10^-6 USD, prices times 10^8.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Sequence

from zksolvency.model.market import Asset, Instrument, Market
from zksolvency.orders import Order, public_key, sign_order
from zksolvency.state.leaf import StateAccount
from zksolvency.state.store import State
from zksolvency.trades import TEST_SIZE, Execution, TradeLine, execute

#: Batch time and fee used by every test batch.
BATCH_TIME = 1_790_000_000
EXPIRY = BATCH_TIME + 3600
FEE_BPS = 10
BATCH_ID = 7

CALL = "BTC-C"
PUT = "BTC-P"
MARK_CALL = 5 * 10**16
MARK_PUT = 3 * 10**16


def market() -> Market:
    """Two assets, a call and a put, four scenarios, initial shocks wider than maintenance."""
    return Market(
        assets=(Asset("BTC", 600 * 10**8, 9_000), Asset("USDC", 10**8, 10_000)),
        instruments=(
            Instrument(
                CALL,
                MARK_CALL,
                (-2 * 10**16, 0, 3 * 10**16, 9 * 10**16),
                (-3 * 10**16, 0, 4 * 10**16, 12 * 10**16),
                500,
            ),
            Instrument(
                PUT,
                MARK_PUT,
                (2 * 10**16, 0, -1 * 10**16, -3 * 10**16),
                (3 * 10**16, 0, -2 * 10**16, -4 * 10**16),
                500,
            ),
        ),
        scenarios=4,
    )


def secret(account_id: str) -> bytes:
    """A deterministic test key per account."""
    return hashlib.sha256(f"zksolvency test key {account_id}".encode()).digest()


@functools.cache
def _public(account_id: str) -> tuple[int, int]:
    return public_key(secret(account_id))


def account(
    account_id: str, btc: int, usdc: int, sizes: tuple[int, int] = (0, 0), cost_total: int = 0, nonce: int = 0
) -> StateAccount:
    salt = int.from_bytes(hashlib.sha256(f"salt {account_id}".encode()).digest(), "big") >> 8
    return StateAccount(account_id, salt, nonce, _public(account_id), (btc, usdc), sizes, cost_total)


def accounts() -> tuple[StateAccount, ...]:
    """alice and bob (healthy), carol (short ten calls, below maintenance), insurer, dave (poor)."""
    return (
        account("alice", 0, 10**9),
        account("bob", 10**8, 10**9),
        account("carol", 0, 10**9, (-10, 0), -5 * 10**17),
        account("insurer", 10**9, 10**12),
        account("dave", 0, 10**8),
    )


def state(depth: int = TEST_SIZE.depth) -> State:
    m = market()
    return State(
        depth,
        TEST_SIZE.assets,
        TEST_SIZE.instruments,
        tuple(a.name for a in m.assets),
        tuple(i.name for i in m.instruments),
        accounts(),
    )


def order(
    account_id: str,
    side: str,
    size: int,
    limit: int,
    nonce: int = 0,
    instrument: str = CALL,
    expiry: int = EXPIRY,
    signer: str | None = None,
) -> Order:
    """A signed order (by ``signer``'s key, the account's own by default)."""
    raw = Order(account_id, instrument, side, size, limit, nonce, expiry)
    return sign_order(raw, secret(signer or account_id))


def forged(o: Order) -> Order:
    """``o`` with S of its signature changed (still below the subgroup order)."""
    assert o.signature is not None
    return dataclasses.replace(o, signature=dataclasses.replace(o.signature, s=o.signature.s ^ 1))


def run(orders: Sequence[Order], trades: Sequence[TradeLine], fee_bps: int = FEE_BPS) -> Execution:
    return execute(state(), market(), orders, trades, BATCH_TIME, fee_bps)
