"""The demo's trades: a state of the demo accounts, one batch proven and settled on a local anvil.

``run_trades_demo(out_dir, accounts, market, reference, say)``:

1. gives every account a DEMO order key (derived from its id: PUBLIC, for the demo only) and
   builds the state folder ``out_dir/trades/state`` (depth 20 at the reference size, 4 for the
   small demo; at most ``2**depth`` accounts, in file order);
2. finds two accounts for which a trade of one contract of the first instrument at its mark,
   with limits 1% either side, leaves both within margin (checked by the trade execution in
   exact integers, not guessed), and signs their two orders;
3. proves the batch (``trades-reference-d20-t2`` or ``trades-test``) into
   ``out_dir/trades/batch-0`` and checks it alone (``trades verify``);
4. starts anvil, deploys the verifier and ``SettlementGate`` at the state's first root with the
   DEMO oracle committee (3 of 5, PUBLIC keys), has three members sign the batch's snapshot
   (``TradeSnapshot``, ``batch-0/market.trade-signatures.json``), settles the batch (which
   registers the snapshot with those signatures first), and reads the gate's root back: it must
   be the state's new root.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zksolvency.chain.anvil import start_anvil
from zksolvency.chain.keys import ANVIL_DEV_KEY
from zksolvency.chain.settlement import SettledBatch, read_gate, write_settlement
from zksolvency.errors import InputError
from zksolvency.model.accounts import Account, accounts_to_jsonl, iter_accounts
from zksolvency.model.margin import evaluate
from zksolvency.model.market import Market, read_market
from zksolvency.oracle.demo_committee import demo_committee, demo_sign
from zksolvency.oracle.signatures_file import default_signatures_path
from zksolvency.orders.eddsa import public_key
from zksolvency.orders.order import Order, format_order_line, sign_order
from zksolvency.state.init import build_state
from zksolvency.state.store import create_state, read_state
from zksolvency.trades.batch_folder import MARKET
from zksolvency.trades.circuits import trade_circuit
from zksolvency.trades.execution import execute
from zksolvency.trades.prove import TradeProveOptions, TradeProveResult, prove_trades
from zksolvency.trades.settle import deploy_gate_for, settle_folder
from zksolvency.trades.tradefile import MatchedTrade
from zksolvency.trades.verify_batch import BatchReport, verify_batch_folder

#: (circuit, state depth) of the two demos.
REFERENCE_CIRCUIT, REFERENCE_DEPTH = "trades-reference-d20-t2", 20
SMALL_CIRCUIT, SMALL_DEPTH = "trades-test", 4
#: How far from the mark the demo orders' limits lie, in basis points.
LIMIT_BPS = 100


@dataclass(frozen=True)
class TradesDemoResult:
    """The proven batch, its check, and its settlement; ``ok`` when the gate holds the new root."""

    proven: TradeProveResult
    verified: BatchReport
    settled: SettledBatch
    gate_root: int
    state_root: int
    buyer: str
    seller: str

    @property
    def ok(self) -> bool:
        return self.verified.ok and self.gate_root == self.state_root == self.proven.batch.new_root


def demo_order_secret(account_id: str) -> bytes:
    """The DEMO order key of ``account_id``: SHA-256 of a fixed PUBLIC label and the id. Never real."""
    return hashlib.sha256(b"zksolvency DEMO order key (PUBLIC, UNSAFE) " + account_id.encode()).digest()


def _write_keys(path: Path, accounts: list[Account]) -> None:
    lines = []
    for a in accounts:
        x, y = public_key(demo_order_secret(a.id))
        lines.append(json.dumps({"account": a.id, "public": {"x": str(x), "y": str(y)}}) + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def _orders(buyer: str, seller: str, market: Market, expiry: int) -> list[Order]:
    instrument = market.instruments[0]
    spread = abs(instrument.mark) * LIMIT_BPS // 10_000
    raw = [
        Order(buyer, instrument.name, "buy", 1, instrument.mark + spread, 0, expiry),
        Order(seller, instrument.name, "sell", 1, instrument.mark - spread, 0, expiry),
    ]
    return [sign_order(o, demo_order_secret(o.account)) for o in raw]


def _choose_pair(
    state_dir: Path, market: Market, accounts: list[Account], batch_time: int
) -> tuple[str, str]:
    """The first two accounts, richest first, whose trade the execution accepts."""
    state, _ = read_state(state_dir)
    ranked = sorted(accounts, key=lambda a: evaluate(a, market).equity, reverse=True)[:6]
    trade = MatchedTrade(buy=0, sell=1, size=1, price=market.instruments[0].mark)
    for buyer in ranked:
        for seller in ranked:
            if buyer.id == seller.id:
                continue
            try:
                execute(
                    state,
                    market,
                    _orders(buyer.id, seller.id, market, batch_time + 3600),
                    [trade],
                    batch_time,
                    0,
                )
            except InputError:
                continue
            return buyer.id, seller.id
    raise InputError("no two demo accounts can trade one contract of the first instrument within margin")


def run_trades_demo(
    out_dir: Path, accounts_path: Path, market_path: Path, reference: bool, say: Callable[[str], None]
) -> TradesDemoResult:
    """The steps of the module docstring, in ``out_dir/trades`` (replaced if present)."""
    circuit, depth = (REFERENCE_CIRCUIT, REFERENCE_DEPTH) if reference else (SMALL_CIRCUIT, SMALL_DEPTH)
    work = out_dir / "trades"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    market = read_market(market_path)
    accounts = list(iter_accounts(accounts_path, market))[: 1 << depth]
    (work / "accounts.jsonl").write_text(accounts_to_jsonl(accounts, market), encoding="utf-8")
    _write_keys(work / "keys.jsonl", accounts)
    say(f"trades: a state of {len(accounts)} accounts (depth {depth}) with DEMO order keys (PUBLIC)")
    state = build_state(work / "accounts.jsonl", work / "keys.jsonl", market, depth=depth)
    create_state(work / "state", state)
    batch_time = int(time.time()) - 60
    buyer, seller = _choose_pair(work / "state", market, accounts, batch_time)
    (work / "orders.jsonl").write_text(
        "".join(format_order_line(o) + "\n" for o in _orders(buyer, seller, market, batch_time + 3600)),
        encoding="utf-8",
    )
    price = market.instruments[0].mark
    (work / "trades.jsonl").write_text(
        json.dumps({"buy": 0, "sell": 1, "size": "1", "price": str(price)}) + "\n"
    )
    say(f"trades: proving {buyer!r} buys one {market.instruments[0].name} from {seller!r} ({circuit})")
    first_root = read_state(work / "state")[1]
    with start_anvil() as node:
        deployment, _warning = deploy_gate_for(
            work / "state", node.url, ANVIL_DEV_KEY, demo_committee(), circuit_name=circuit, say=say
        )
        write_settlement(work / "gate.json", deployment)
        proven = prove_trades(
            TradeProveOptions(
                state=work / "state",
                orders=work / "orders.jsonl",
                trades=work / "trades.jsonl",
                market=market_path,
                out=work / "batch-0",
                batch_time=batch_time,
                circuit=circuit,
            ),
            say,
        )
        verified = verify_batch_folder(work / "batch-0")
        size = trade_circuit(circuit).size
        snapshot = work / "batch-0" / MARKET
        demo_sign(
            snapshot,
            (size.assets, size.instruments, size.scenarios),
            default_signatures_path(snapshot, trades=True),
            time=batch_time,
            trades=True,
        )
        say("trades: the DEMO committee (PUBLIC keys) signed the batch's snapshot, 3 of 5")
        say(
            f"trades: settling batch 0 on the gate ({node.url}), root {first_root} -> {proven.batch.new_root}"
        )
        settled = settle_folder(work / "batch-0", work / "gate.json", node.url, ANVIL_DEV_KEY)
        gate_root = read_gate(deployment, node.url).root
    state_root = read_state(work / "state")[1]
    return TradesDemoResult(proven, verified, settled, gate_root, state_root, buyer, seller)
