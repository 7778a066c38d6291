"""``zksolvency demo``: a whole round of the bundled example, audited, with one inclusion check."""

from __future__ import annotations

from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.cli.round import ProgressBar
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
    """Prove a round of the bundled example, audit it, and check one inclusion proof.

    Proves examples/accounts-solvent.jsonl (293 accounts) against
    examples/market.json at the reference size (A=4, I=16, S=16, batches of 16)
    with the native prover; without it, a smaller generated venue at the test
    size (said on stderr). Circuits, the UNSAFE dev ptau and the keys are cached,
    so a second run only proves.
    """
    result = run_round_demo(
        out_dir, ptau_path=ptau_path, say=lambda m: click.echo(m, err=True), progress=ProgressBar()
    )
    rnd = result.round
    if rnd.unsafe_setup:
        warn("the setup used an UNSAFE single-party dev ptau; pass --ptau for a ceremony file")
    click.echo(f"bundle:          {rnd.bundle}")
    click.echo(f"accounts:        {rnd.accounts} in {rnd.batches} batches ({rnd.slots} slots)")
    click.echo(f"global root:     {rnd.global_root}")
    click.echo(f"public value P:  {rnd.public_value}")
    failed = result.audit.failed()
    click.echo(f"audit:           {len(result.audit.checks)} checks, {len(failed)} failed")
    for check in failed + result.inclusion.failed():
        click.echo(check.line())
    click.echo(f"inclusion:       {result.account_id!r} {'VERIFIED' if result.inclusion.ok else 'FAILED'}")
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in rnd.timings.items())
    click.echo(f"timings:         {timing}")
    if not result.ok:
        fail("the demo round did not verify", EXIT_NEGATIVE)
