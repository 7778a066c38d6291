"""Generate the example accounts for examples/market.json, deterministically (seeded).

    .venv/bin/python examples/generate_accounts.py            # rewrites the two files below
    .venv/bin/python examples/generate_accounts.py --out-dir /tmp/x --count 1000 --seed 7

Writes ``accounts.jsonl`` (every account) and ``accounts-solvent.jsonl`` (the solvent
ones, in the same order, for proving). The books are varied: spot-only holders,
long and short perpetuals, call and put spreads, covered calls, protective puts,
short straddles and strangles, mixed books, and an empty account. Each book's
collateral is sized against its own requirement, computed by the reference
engine: most get a comfortable multiple of it, about one in nine gets less than
it needs and is insolvent. Entry prices (``cost``) lie within 10% of the mark, so
mark values vary in sign. Integers up to 2**53 are written as JSON numbers,
larger ones as decimal strings (both conventions of MARGIN.md appear).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path

from zksolvency.model.accounts import Account, accounts_to_jsonl
from zksolvency.model.margin import evaluate
from zksolvency.model.market import WEIGHT_SCALE, Market, read_market
from zksolvency.util.atomic import atomic_write_text

HERE = Path(__file__).resolve().parent
DEFAULT_SEED = 20240601
DEFAULT_COUNT = 320
#: Share of books funded below their requirement.
INSOLVENT_SHARE = 0.11
NAMED_IDS = ("alice", "bob", "carol", "dave", "zoë-capital", "маркет-мейкер", "desk/7", "ACME Trading LLC")

Book = dict[str, int]  # instrument name -> size (contracts, negative for short)


def _size(rng: random.Random, low: int = 1, high: int = 200) -> int:
    return rng.randint(low, high)


def _book_perp(rng: random.Random, long: bool) -> Book:
    name = rng.choice(["BTC-PERP", "ETH-PERP", "SOL-PERP"])
    return {name: _size(rng, 1, 500) * (1 if long else -1)}


def _book_call_spread(rng: random.Random) -> Book:
    n = _size(rng)
    legs = rng.choice([("BTC-30D-60000-C", "BTC-30D-65000-C"), ("ETH-30D-3000-C", "ETH-30D-3200-C")])
    sign = rng.choice([1, -1])
    return {legs[0]: sign * n, legs[1]: -sign * n}


def _book_put_spread(rng: random.Random) -> Book:
    n = _size(rng)
    legs = rng.choice([("BTC-30D-60000-P", "BTC-30D-55000-P"), ("ETH-30D-3000-P", "ETH-30D-2800-P")])
    return {legs[0]: n, legs[1]: -n}


def _book_short_straddle(rng: random.Random) -> Book:
    n = _size(rng, 1, 100)
    legs = rng.choice([("BTC-30D-60000-C", "BTC-30D-60000-P"), ("ETH-30D-3000-C", "ETH-30D-3000-P")])
    return {legs[0]: -n, legs[1]: -n}


def _book_short_strangle(rng: random.Random) -> Book:
    n = _size(rng, 1, 100)
    legs = rng.choice([("BTC-30D-65000-C", "BTC-30D-55000-P"), ("SOL-30D-160-C", "SOL-30D-140-P")])
    return {legs[0]: -n, legs[1]: -n}


def _book_covered_call(rng: random.Random) -> Book:
    n = _size(rng)
    return (
        {"BTC-PERP": n, "BTC-30D-65000-C": -n} if rng.random() < 0.5 else {"SOL-PERP": n, "SOL-30D-160-C": -n}
    )


def _book_protective_put(rng: random.Random) -> Book:
    n = _size(rng)
    return (
        {"BTC-PERP": n, "BTC-30D-55000-P": n} if rng.random() < 0.5 else {"ETH-PERP": n, "ETH-30D-2800-P": n}
    )


def _book_mixed(rng: random.Random) -> Book:
    names = rng.sample(
        [
            "BTC-PERP",
            "ETH-PERP",
            "SOL-PERP",
            "BTC-90D-70000-C",
            "BTC-30D-50000-P",
            "SOL-30D-150-C",
            "ETH-30D-3000-C",
        ],
        k=rng.randint(2, 5),
    )
    return {name: rng.choice([1, -1]) * _size(rng, 1, 150) for name in names}


def _book_spot(rng: random.Random) -> Book:
    return {}


BOOKS: tuple[tuple[str, Callable[[random.Random], Book]], ...] = (
    ("spot", _book_spot),
    ("perp-long", lambda rng: _book_perp(rng, True)),
    ("perp-short", lambda rng: _book_perp(rng, False)),
    ("call-spread", _book_call_spread),
    ("put-spread", _book_put_spread),
    ("short-straddle", _book_short_straddle),
    ("short-strangle", _book_short_strangle),
    ("covered-call", _book_covered_call),
    ("protective-put", _book_protective_put),
    ("mixed", _book_mixed),
)


def _positions(rng: random.Random, market: Market, book: Book) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Dense sizes and costs; each entry price is within 10% of the mark."""
    sizes = [0] * len(market.instruments)
    costs = [0] * len(market.instruments)
    for name, size in book.items():
        index = market.instrument_index[name]
        notional = size * market.instruments[index].mark
        sizes[index] = size
        costs[index] = notional + notional * rng.randint(-1000, 1000) // WEIGHT_SCALE
    return tuple(sizes), tuple(costs)


def _balances(rng: random.Random, market: Market, needed: int) -> tuple[int, ...]:
    """Balances of one to three assets whose weighted value is about ``needed`` (in the rule's units)."""
    chosen = rng.sample([a for a in market.assets if a.weight > 0], k=rng.randint(1, 3))
    shares = [rng.randint(1, 10) for _ in chosen]
    balances = [0] * len(market.assets)
    for asset, share in zip(chosen, shares, strict=True):
        value = max(needed, 0) * share // sum(shares)
        unit = asset.price * asset.weight
        balances[market.asset_index[asset.name]] = -(-value // unit)  # round up
    return tuple(balances)


def _account_id(index: int) -> str:
    return NAMED_IDS[index] if index < len(NAMED_IDS) else f"acct-{index:05d}"


def generate(market: Market, count: int, seed: int) -> list[Account]:
    """``count`` varied accounts (the same for the same market, count and seed)."""
    rng = random.Random(seed)
    accounts = [
        Account(
            "empty", (0,) * len(market.assets), (0,) * len(market.instruments), (0,) * len(market.instruments)
        )
    ]
    for index in range(count - 1):
        _, make = BOOKS[index % len(BOOKS)]
        sizes, costs = _positions(rng, market, make(rng))
        bare = Account(_account_id(index), (0,) * len(market.assets), sizes, costs)
        result = evaluate(bare, market)
        if not any(sizes):
            spot_value = rng.randint(1, 10**6) * 10**6 * 10**12  # 1 to 10**6 USD of collateral
            balances = _balances(rng, market, spot_value)
        else:
            factor = rng.uniform(0.2, 0.95) if rng.random() < INSOLVENT_SHARE else rng.uniform(1.05, 4.0)
            target = int(result.requirement * factor) + rng.randint(0, 10**6) * 10**12  # plus up to 1 USD
            balances = _balances(rng, market, target - result.mark_value)
        accounts.append(Account(bare.id, balances, sizes, costs))
    return accounts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--market", type=Path, default=HERE / "market.json")
    parser.add_argument("--out-dir", type=Path, default=HERE)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    market = read_market(args.market)
    accounts = generate(market, args.count, args.seed)
    solvent = [a for a in accounts if evaluate(a, market).solvent]
    atomic_write_text(args.out_dir / "accounts.jsonl", accounts_to_jsonl(accounts, market))
    atomic_write_text(args.out_dir / "accounts-solvent.jsonl", accounts_to_jsonl(solvent, market))
    print(f"{len(accounts)} accounts, {len(accounts) - len(solvent)} insolvent; wrote {args.out_dir}")


if __name__ == "__main__":
    main()
