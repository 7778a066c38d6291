"""``zksolvency trades``: prove a batch of trades on a state, verify it alone, deploy a gate, settle."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors, warn

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group("trades")
def trades() -> None:
    """Trade batches: prove them valid and within margin, verify, deploy a gate, settle.

    A batch proof shows that every trade was signed, priced and sized within its
    orders and the band, and that every account stayed within margin; the
    SettlementGate contract moves the state root only with such a proof, under a
    snapshot k members of the oracle committee signed (docs/trades.md, docs/oracle.md).

    \b
    zksolvency state init --accounts A.jsonl --keys KEYS.jsonl --market M.json --out state
    zksolvency trades deploy --state state --circuit trades-test --committee C.json --rpc-url URL --out G
    zksolvency trades prove --state state --orders O.jsonl --trades T.jsonl --market M.json --out batch-0
    zksolvency trades verify batch-0
    zksolvency market sign batch-0/market.json --for trades --size test --chain-id ID --key member.key
    zksolvency trades settle batch-0 --deployment G
    """


@trades.command("prove")
@click.option(
    "--state", "state_dir", required=True, type=_DIR, help="State folder (`state init`); moved on success."
)
@click.option("--orders", required=True, type=_FILE, help="Signed orders, JSON Lines (docs/orders.md).")
@click.option(
    "--trades", "trades_file", required=True, type=_FILE, help="Trades, JSON Lines (docs/trades.md)."
)
@click.option("--market", required=True, type=_FILE, help="Market snapshot (JSON) with the trade fields.")
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="New batch folder (must not exist)."
)
@click.option(
    "--fee-bps", default=0, show_default=True, type=click.IntRange(0, 10_000), help="Fee, bps of notional."
)
@click.option(
    "--batch-time",
    type=click.IntRange(0, 2**64 - 1),
    help="Unix seconds (default: now); orders must expire after it.",
)
@click.option(
    "--circuit", help="Trade circuit name from circuits/manifest.json (default: the smallest that fits)."
)
@click.option("--ptau", type=_FILE, help="Phase-1 file for the setup (default: an UNSAFE dev ptau).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@handle_errors
def prove_cmd(
    state_dir: Path,
    orders: Path,
    trades_file: Path,
    market: Path,
    out: Path,
    fee_bps: int,
    batch_time: int | None,
    circuit: str | None,
    ptau: Path | None,
    as_json: bool,
) -> None:
    """Check every trade, prove the batch, write OUT, then move the state.

    Bad input (unknown account or instrument, bad signature, price outside a limit
    or the band, size over the order, reused nonce, expired order, a trade that
    leaves an account under initial margin and raises its requirement, a
    liquidation of an account above maintenance) is refused before proving, naming
    the trade and the field; exit 2, nothing written, the state unchanged.
    """
    from zksolvency.trades.prove import TradeProveOptions, prove_trades

    options = TradeProveOptions(
        state=state_dir,
        orders=orders,
        trades=trades_file,
        market=market,
        out=out,
        fee_bps=fee_bps,
        batch_time=batch_time,
        circuit=circuit,
        ptau=ptau,
    )
    result = prove_trades(options, say=lambda m: click.echo(m, err=True))
    if result.unsafe_setup:
        warn(
            "the trade circuit's key is not from a verified ceremony (UNSAFE dev ptau or a single-party "
            "setup): whoever ran the setup can forge batches; see docs/setup.md before a public chain"
        )
    b = result.batch
    if as_json:
        click.echo(json.dumps({"out": str(result.out), **b.to_json(), "timings": result.timings}, indent=2))
        return
    click.echo(
        f"batch {b.batch_id}: {b.trades} trades proven with {result.circuit.name} "
        f"({result.constraints:,} constraints)"
    )
    click.echo(f"  old root {b.old_root}")
    click.echo(f"  new root {b.new_root}")
    click.echo(f"  written to {result.out}; state {state_dir} moved to the new root")
    click.echo("  " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))


@trades.command("verify")
@click.argument("folder", type=_DIR)
@click.option(
    "--committee",
    "committee_file",
    type=_FILE,
    default=None,
    help="committee.json: also check that k of its members signed the batch's snapshot (TradeSnapshot).",
)
@click.option(
    "--signatures",
    type=_FILE,
    default=None,
    help="With --committee: the trade signatures file (default: FOLDER/market.trade-signatures.json).",
)
@click.option("--json", "as_json", is_flag=True, help="Print every check as JSON.")
@handle_errors
def verify_cmd(folder: Path, committee_file: Path | None, signatures: Path | None, as_json: bool) -> None:
    """Check a proven batch FOLDER alone: public signals, snapshot hash, header, commitment, key, proof.

    With --committee, also what the gate checks before it accepts the batch's snapshot:
    the signatures are a TradeSnapshot of exactly FOLDER/market.json and the batch's
    snapshot hash, and k distinct committee members made them (docs/oracle.md).

    Exit 0 when every check passes, 1 when one fails (named), 2 when the folder is malformed.
    """
    from zksolvency.oracle.committee import read_committee
    from zksolvency.trades.verify_batch import verify_batch_folder

    if signatures is not None and committee_file is None:
        fail("--signatures needs --committee (the signatures are counted against a committee)")
    committee = read_committee(committee_file) if committee_file is not None else None
    report = verify_batch_folder(folder, committee=committee, signatures=signatures)
    if as_json:
        checks = [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in report.checks]
        click.echo(json.dumps({"ok": report.ok, "checks": checks}, indent=2))
    else:
        for c in report.checks:
            click.echo(f"{'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")
        click.echo("batch valid" if report.ok else "batch INVALID")
    if not report.ok:
        raise SystemExit(EXIT_NEGATIVE)


@trades.command("deploy")
@click.option(
    "--state", "state_dir", required=True, type=_DIR, help="State folder: the gate starts at its root."
)
@click.option(
    "--circuit", required=True, help="Trade circuit name (circuits/manifest.json); every batch must use it."
)
@click.option("--rpc-url", required=True, help="JSON-RPC URL of the node.")
@click.option(
    "--committee",
    "committee_file",
    required=True,
    type=_FILE,
    help="committee.json: the oracle committee (k of n) that must sign every trade snapshot.",
)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Deployment file to write."
)
@click.option(
    "--allow-unsafe-setup",
    is_flag=True,
    help="Accept a key that is not from a verified ceremony on a chain that is not local (it can be forged).",
)
@handle_errors
def deploy_cmd(
    state_dir: Path, circuit: str, rpc_url: str, committee_file: Path, out: Path, allow_unsafe_setup: bool
) -> None:
    """Deploy the trade circuit's verifier and a SettlementGate holding the state's root.

    The gate accepts a trade snapshot only with k signatures of distinct members of the
    --committee (docs/oracle.md); the committee is fixed at deployment. The key comes
    from $ZKSOLVENCY_PRIVATE_KEY or a hidden prompt, never from an argument.
    """
    from zksolvency.chain.settlement import write_settlement
    from zksolvency.cli.contracts import signing_key
    from zksolvency.oracle.committee import read_committee
    from zksolvency.trades.settle import deploy_gate_for

    if out.exists():
        fail(f"--out {out} already exists")
    committee = read_committee(committee_file)
    deployment, warning = deploy_gate_for(
        state_dir,
        rpc_url,
        signing_key(started_local=False),
        committee,
        circuit_name=circuit,
        allow_unsafe_setup=allow_unsafe_setup,
        say=lambda m: click.echo(m, err=True),
    )
    if warning:
        warn(warning)
    write_settlement(out, deployment)
    click.echo(
        f"SettlementGate at {deployment.gate.address} (verifier {deployment.verifier.address}), "
        f"root {deployment.initial_root}, committee {committee.threshold} of {len(committee.members)}"
    )
    click.echo(f"written to {out}")


@trades.command("settle")
@click.argument("folder", type=_DIR)
@click.option("--deployment", required=True, type=_FILE, help="Deployment file written by `trades deploy`.")
@click.option("--rpc-url", help="JSON-RPC URL (default: the one in the deployment file).")
@click.option(
    "--signatures",
    type=_FILE,
    default=None,
    help=(
        "The committee's TradeSnapshot signatures of FOLDER/market.json (market sign --for trades); "
        "default: FOLDER/market.trade-signatures.json. Needed once per snapshot."
    ),
)
@handle_errors
def settle_cmd(folder: Path, deployment: Path, rpc_url: str | None, signatures: Path | None) -> None:
    """Settle the proven batch FOLDER: the gate moves its root if the proof holds.

    Checks the folder first (as `trades verify`), then that the gate's root and next
    batch id are the batch's. If the gate does not know the batch's snapshot yet, it
    is registered first with the committee's signatures (checked here against the
    folder's market.json, then by the gate). The transaction key comes from
    $ZKSOLVENCY_PRIVATE_KEY or a prompt; it only pays.
    """
    from zksolvency.cli.contracts import signing_key
    from zksolvency.trades.settle import settle_folder

    settled = settle_folder(folder, deployment, rpc_url, signing_key(started_local=False), signatures)
    click.echo(
        f"settled batch {settled.batch_id}: root {settled.old_root} -> {settled.new_root} "
        f"(tx {settled.tx_hash}, block {settled.block_number}, {settled.gas_used:,} gas)"
    )
