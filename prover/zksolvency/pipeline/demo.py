"""The demo job: a whole round of the bundled example.

``run_round_demo`` (what ``zksolvency demo`` runs): prove a round of
``examples/accounts-solvent.jsonl`` against ``examples/market.json`` at the reference
size (A = 4, I = 16, S = 16, batches of 16: 88,002 constraints each, domain 2^17), audit
the bundle, and verify one account's inclusion proof against that holder's own record
(their line of the accounts file, written beside the bundle as the statement they
kept). That needs the native prover; without it the demo says so and proves a smaller
generated venue at the test size (A = 2, I = 2, S = 4, B = 4). Compiled circuits, the
UNSAFE dev ptau and the keys stay in the cache (``$ZKSOLVENCY_CACHE`` or
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
from zksolvency.round.audit import audit_bundle
from zksolvency.round.inclusion import INDEX_FILE
from zksolvency.round.inclusion_verify import verify_inclusion
from zksolvency.round.prove import Progress, RoundOptions, RoundResult, prove_round
from zksolvency.round.report import Report
from zksolvency.round.sample import write_sample
from zksolvency.util.atomic import atomic_write_text

REPO = Path(__file__).resolve().parents[3]
#: The bundled venue of ``run_round_demo`` (sized for the reference circuit).
EXAMPLE_ACCOUNTS = REPO / "examples" / "accounts-solvent.jsonl"
EXAMPLE_MARKET = REPO / "examples" / "market.json"
#: Batch size of the reference demo (88,002 constraints, domain 2^17).
REFERENCE_BATCH = 16
#: Accounts of the generated venue of the smaller demo.
SMALL_ACCOUNTS = 12
#: The demo's round number.
DEMO_ROUND_ID = 1


@dataclass
class RoundDemoResult:
    """The proven round, its audit, and one account's inclusion check."""

    round: RoundResult
    audit: Report
    account_id: str
    inclusion: Report
    reference_size: bool

    @property
    def ok(self) -> bool:
        return self.audit.ok and self.inclusion.ok


def run_round_demo(
    out_dir: Path,
    ptau_path: Path | None = None,
    backend: str | None = None,
    say: Callable[[str], None] = lambda _m: None,
    progress: Progress | None = None,
    reference: bool | None = None,
) -> RoundDemoResult:
    """Prove, audit and check one inclusion of a round into ``out_dir`` (see the module docstring).

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
    if reference:
        accounts, market, shape, batch = EXAMPLE_ACCOUNTS, EXAMPLE_MARKET, "reference", REFERENCE_BATCH
    else:
        market, accounts = write_sample(out_dir, SMALL_ACCOUNTS)
        shape, batch = "test", 4
    options = RoundOptions(
        accounts=accounts,
        market=market,
        out=out_dir / "bundle",
        shape=shape,
        batch_size=batch,
        backend=backend,
        round_id=DEMO_ROUND_ID,
        inclusion_dir=out_dir / "inclusion",
        ptau=ptau_path,
    )
    result = prove_round(options, say, progress)
    say("auditing the bundle")
    report = audit_bundle(result.bundle, backend)
    index = json.loads((result.inclusion_dir / INDEX_FILE).read_text(encoding="utf-8"))
    account_id = sorted(index)[0]
    statement = write_statement(accounts, market, account_id, out_dir / f"statement-{account_id}.json")
    say(f"verifying the inclusion proof of {account_id!r} against its holder's record ({statement.name})")
    inclusion = verify_inclusion(
        result.bundle, result.inclusion_dir / index[account_id], account_id, holder_record=statement
    )
    return RoundDemoResult(result, report, account_id, inclusion, reference)


def write_statement(accounts: Path, market: Path, account_id: str, out: Path) -> Path:
    """The holder's own record of ``account_id`` (the venue's statement, as they would keep it)."""
    snapshot = read_market(market)
    for account in iter_accounts(accounts, snapshot):
        if account.id == account_id:
            atomic_write_text(out, json.dumps(account_to_obj(account, snapshot)) + "\n")
            return out
    raise KeyError(f"{account_id!r} is not in {accounts}")
