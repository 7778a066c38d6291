"""The demo job: a whole round of the bundled example, from price sources to the chain.

``run_round_demo`` (what ``zksolvency demo`` runs): build the market snapshot from the
three bundled price sources and sign it with the DEMO oracle committee (PUBLIC keys,
UNSAFE; :mod:`~zksolvency.pipeline.demo_market`), prove a round of
``examples/accounts-solvent.jsonl`` against it at the reference size (A = 4, I = 16,
S = 16, batches of 16: 88,002 constraints each, domain 2^17) with the signatures in the
bundle, audit the bundle, verify one account's inclusion proof against that holder's own record
(their line of the accounts file, written beside the bundle as the statement they kept),
then deploy the contracts
on a local anvil, register the snapshot, publish the round and check the chain's record
(:mod:`~zksolvency.pipeline.demo_chain`); last, the trades half: a state of the accounts with
DEMO order keys, one batch of trades proven and settled through ``SettlementGate`` on a local
anvil (:mod:`~zksolvency.pipeline.demo_trades`). The reference size needs the native prover;
without it the demo says so and proves a smaller generated venue at the test size
(A = 2, I = 2, S = 4, B = 4), its snapshot built from the same sources. Compiled
circuits, the UNSAFE dev ptau and the keys stay in the cache (``$ZKSOLVENCY_CACHE`` or
``~/.cache/zksolvency``), so a second run only proves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zksolvency.groth16.kernels import native_available
from zksolvency.model.accounts import account_to_obj, iter_accounts
from zksolvency.model.market import read_market
from zksolvency.oracle.committee import read_committee
from zksolvency.pipeline.demo_chain import ChainDemoResult, publish_demo_round
from zksolvency.pipeline.demo_market import SMALL_ACCOUNTS, DemoMarket, build_demo_market
from zksolvency.pipeline.demo_trades import TradesDemoResult, run_trades_demo
from zksolvency.round.audit import audit_bundle
from zksolvency.round.inclusion import INDEX_FILE
from zksolvency.round.inclusion_verify import verify_inclusion
from zksolvency.round.prove import Progress, RoundOptions, RoundResult, prove_round
from zksolvency.round.report import Report
from zksolvency.util.atomic import atomic_write_text

#: Batch size of the reference demo (88,002 constraints, domain 2^17).
REFERENCE_BATCH = 16
#: The demo's round number.
DEMO_ROUND_ID = 1


@dataclass
class RoundDemoResult:
    """The signed market, the proven round, its audit, one account's inclusion check, and the chain."""

    market: DemoMarket
    round: RoundResult
    audit: Report
    account_id: str
    inclusion: Report
    reference_size: bool
    chain: ChainDemoResult
    trades: TradesDemoResult

    @property
    def ok(self) -> bool:
        return self.audit.ok and self.inclusion.ok and self.chain.audit.ok and self.trades.ok


def run_round_demo(
    out_dir: Path,
    ptau_path: Path | None = None,
    backend: str | None = None,
    say: Callable[[str], None] = lambda _m: None,
    progress: Progress | None = None,
    reference: bool | None = None,
) -> RoundDemoResult:
    """Build, sign, prove, audit, check one inclusion and publish a round into ``out_dir`` (module docstring).

    ``reference`` ``None``: the reference size when the native prover is built, else the
    smaller demo; ``backend`` ``None``: native when built.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if reference is None:
        reference = native_available()
        if not reference:
            say(
                "the native prover is not built: the pure-Python prover needs minutes per reference batch, "
                f"so this demo proves a smaller generated venue ({SMALL_ACCOUNTS} accounts, test circuit "
                "size A=2, I=2, S=4, B=4); build it with `make install` for the reference demo"
            )
    say("building the snapshot from the bundled price sources; signing it with the DEMO committee")
    market = build_demo_market(out_dir, reference)
    shape, batch = ("reference", REFERENCE_BATCH) if reference else ("test", 4)
    options = RoundOptions(
        accounts=market.accounts,
        market=market.market,
        out=out_dir / "bundle",
        shape=shape,
        batch_size=batch,
        backend=backend,
        round_id=DEMO_ROUND_ID,
        inclusion_dir=out_dir / "inclusion",
        ptau=ptau_path,
        signatures=market.signatures,
        committee=market.committee,
    )
    result = prove_round(options, say, progress)
    say("auditing the bundle")
    report = audit_bundle(
        result.bundle, backend, committee=read_committee(market.committee), allow_dev_setup=True
    )
    index = json.loads((result.inclusion_dir / INDEX_FILE).read_text(encoding="utf-8"))
    account_id = sorted(index)[0]
    statement = write_statement(
        market.accounts, market.market, account_id, out_dir / f"statement-{account_id}.json"
    )
    say(f"verifying the inclusion proof of {account_id!r} against its holder's record ({statement.name})")
    inclusion = verify_inclusion(
        result.bundle, result.inclusion_dir / index[account_id], account_id, holder_record=statement
    )
    chain = publish_demo_round(result.bundle, say)
    trades = run_trades_demo(out_dir, market.accounts, market.market, reference, say)
    return RoundDemoResult(market, result, report, account_id, inclusion, reference, chain, trades)


def write_statement(accounts: Path, market: Path, account_id: str, out: Path) -> Path:
    """The holder's own record of ``account_id`` (the venue's statement, as they would keep it)."""
    snapshot = read_market(market)
    for account in iter_accounts(accounts, snapshot):
        if account.id == account_id:
            atomic_write_text(out, json.dumps(account_to_obj(account, snapshot)) + "\n")
            return out
    raise KeyError(f"{account_id!r} is not in {accounts}")
