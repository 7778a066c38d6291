"""``zksolvency demo``: a whole round of the bundled example, from price sources to a local chain."""

from __future__ import annotations

from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.cli.round import ProgressBar
from zksolvency.oracle.demo_committee import DEMO_MEMBERS, DEMO_THRESHOLD
from zksolvency.pipeline.demo import run_round_demo


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for the bundle, the inclusion files and (small demo) the generated inputs.",
)
@click.option(
    "--ptau",
    "ptau_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A prepared ceremony .ptau to use instead of generating an UNSAFE dev one.",
)
@handle_errors
def demo(out_dir: Path, ptau_path: Path | None) -> None:
    """Build, sign, prove, audit and publish a round of the bundled example.

    Builds the market snapshot from the three price sources in examples/sources
    (median of fresh, in-band quotes), signs it with 3 of the 5 DEMO oracle
    committee members, whose keys are PUBLIC (UNSAFE: anyone can sign as them),
    proves examples/accounts-solvent.jsonl (293 accounts) against it at the
    reference size (A=4, I=16, S=16, batches of 16) with the native prover (without
    it, a smaller generated venue at the test size, said on stderr), audits the
    bundle, checks one inclusion proof, then starts a local anvil, deploys the
    contracts, registers the snapshot, publishes the round and checks the chain's
    record; anvil is stopped at the end. Then the trades half: a state of the accounts
    with DEMO order keys (PUBLIC), one batch of two signed orders proven, checked, and
    settled through SettlementGate on a local anvil. Circuits, the UNSAFE dev ptau
    and the keys are cached, so a second run only proves.
    """
    result = run_round_demo(
        out_dir, ptau_path=ptau_path, say=lambda m: click.echo(m, err=True), progress=ProgressBar()
    )
    rnd, chain = result.round, result.chain
    if rnd.unsafe_setup:
        warn("the setup used an UNSAFE single-party dev ptau; pass --ptau for a ceremony file")
    warn("the snapshot is signed by the DEMO committee, whose keys are PUBLIC (UNSAFE): it attests nothing")
    market = result.market
    click.echo(
        f"snapshot:        {market.market} from {market.sources} price sources, "
        f"signed by {market.signers} of 5 DEMO committee members"
    )
    click.echo(f"bundle:          {rnd.bundle}")
    click.echo(f"accounts:        {rnd.accounts} in {rnd.batches} batches ({rnd.slots} slots)")
    click.echo(f"global root:     {rnd.global_root}")
    click.echo(f"public value P:  {rnd.public_value}")
    failed = result.audit.failed()
    click.echo(f"audit:           {len(result.audit.checks)} checks, {len(failed)} failed")
    for check in failed + result.inclusion.failed():
        click.echo(check.line())
    click.echo(f"inclusion:       {result.account_id!r} {'VERIFIED' if result.inclusion.ok else 'FAILED'}")
    registered = "already registered"
    if chain.registered is not None:
        registered = f"registered ({chain.registered.gas_used:,} gas)"
    published = f"round {chain.published.round_id} published ({chain.published.gas_used:,} gas)"
    click.echo(f"chain:           anvil (chain {chain.chain_id}), registry {chain.registry}")
    click.echo(f"                 snapshot {registered}, {published}; anvil stopped")
    failed_onchain = chain.audit.failed()
    click.echo(f"on-chain audit:  {len(chain.audit.checks)} checks, {len(failed_onchain)} failed")
    for check in failed_onchain:
        click.echo(check.line())
    trades = result.trades
    batch = trades.proven.batch
    click.echo(
        f"trades:          {trades.buyer!r} bought 1 from {trades.seller!r}; batch {batch.batch_id} "
        f"proven with {trades.proven.circuit.name} ({trades.proven.constraints:,} constraints), "
        f"{'verified' if trades.verified.ok else 'NOT VERIFIED'}"
    )
    click.echo(
        f"                 snapshot signed by {DEMO_THRESHOLD} of {DEMO_MEMBERS} DEMO committee members "
        "(TradeSnapshot), registered;\n"
        f"                 settled on SettlementGate ({trades.settled.gas_used:,} gas): gate root "
        f"{'= the state root' if trades.ok else 'DIFFERS from the state root'}; anvil stopped"
    )
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in rnd.timings.items())
    click.echo(f"timings:         {timing}")
    trade_timing = ", ".join(f"{k} {v:.1f} s" for k, v in trades.proven.timings.items())
    click.echo(f"trade timings:   {trade_timing}")
    if not result.ok:
        fail("the demo round did not verify", EXIT_NEGATIVE)
