"""``zksolvency inclusion verify``: an account holder checks their account is in a round."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors
from zksolvency.round.inclusion import verify_inclusion


@click.group("inclusion")
def inclusion() -> None:
    """Inclusion proofs: is my account, with my balances, in the round?"""


@inclusion.command("verify")
@click.option(
    "--bundle",
    "bundle",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The round's published bundle folder.",
)
@click.option(
    "--proof",
    "proof",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your inclusion file (from the operator; private).",
)
@click.option("--id", "account_id", required=True, help="Your account id.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: ok, checks.")
@handle_errors
def verify_cmd(bundle: Path, proof: Path, account_id: str, as_json: bool) -> None:
    """Check that account ID, with the balances and positions shown, is in the round.

    Recomputes the id commitment from ID and the salt, the leaf from the balances,
    positions and costs, the batch root along the path, the batch commitment with
    the bundle's market hash, and the global root along the global path; each must
    match the bundle. Prints each step with PASS or FAIL. Run `zksolvency audit` on
    the bundle to check its proofs.

    \b
    Exit status: 0 included, 1 some step failed, 2 unreadable input.
    """
    report = verify_inclusion(bundle, proof, account_id)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    else:
        for check in report.checks:
            click.echo(check.line())
    if not report.ok:
        fail(f"inclusion check failed: {', '.join(c.name for c in report.failed())}", EXIT_NEGATIVE)
    if not as_json:
        click.echo(f"account {account_id!r} is included in this round, with the values shown")
