"""A small generated venue for the test circuit size (A = 2, I = 2, S = 4): snapshot and accounts.

Used by the tests, by ``zksolvency demo`` when the native prover is not built, and as
an example of the input files. Deterministic for a seed. Every account is solvent:
positions are opened at the mark (``cost = size * mark``, so ``mark_value = 0``) and
the USDC balance covers the worst scenario loss at least once over.
"""

from __future__ import annotations

import random
from pathlib import Path

from zksolvency.model.accounts import Account, accounts_to_jsonl
from zksolvency.model.margin import evaluate
from zksolvency.model.market import PRICE_SCALE, WEIGHT_SCALE, Asset, Instrument, Market, market_to_json
from zksolvency.util.atomic import atomic_write_text


def sample_market() -> Market:
    """USDC and BTC collateral; a BTC call and a BTC perpetual; four scenarios (MARGIN.md's example)."""
    return Market(
        assets=(Asset("BTC", 600 * PRICE_SCALE, 9_000), Asset("USDC", PRICE_SCALE, 10_000)),
        instruments=(
            Instrument("BTC-C", 5 * 10**16, (-2 * 10**16, 0, 3 * 10**16, 9 * 10**16)),
            Instrument("BTC-PERP", 6 * 10**18, (-6 * 10**17, -3 * 10**17, 3 * 10**17, 6 * 10**17)),
        ),
        scenarios=4,
    )


def sample_accounts(market: Market, count: int, seed: int = 7) -> list[Account]:
    """``count`` solvent accounts ``acct-0000``, ... with varied books."""
    rng = random.Random(seed)
    usdc_unit = market.assets[1].price * WEIGHT_SCALE
    accounts: list[Account] = []
    for k in range(count):
        sizes = tuple(rng.choice((0, 0, rng.randint(-20, 20))) for _ in market.instruments)
        costs = tuple(size * inst.mark for size, inst in zip(sizes, market.instruments, strict=True))
        btc = rng.choice((0, rng.randint(1, 10**8)))
        draft = Account(f"acct-{k:04d}", (btc, 0), sizes, costs)
        need = evaluate(draft, market).requirement
        usdc = need // usdc_unit + 1 + rng.randint(0, 10**10)
        account = Account(draft.id, (btc, usdc), sizes, costs)
        assert evaluate(account, market).solvent
        accounts.append(account)
    return accounts


def write_sample(folder: Path, count: int, seed: int = 7) -> tuple[Path, Path]:
    """Write ``market.json`` and ``accounts.jsonl`` into ``folder``; returns their paths."""
    market = sample_market()
    market_path, accounts_path = folder / "market.json", folder / "accounts.jsonl"
    atomic_write_text(market_path, market_to_json(market, {"generator": "zksolvency.round.sample"}))
    atomic_write_text(accounts_path, accounts_to_jsonl(sample_accounts(market, count, seed), market))
    return market_path, accounts_path
