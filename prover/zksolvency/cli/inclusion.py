"""``zksolvency inclusion verify``: an account holder checks their account is in a round."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.round.inclusion_verify import verify_inclusion


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
@click.option(
    "--account",
    "account",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your own record of the account: one JSON object in the accounts format (the statement "
    "you kept). Every balance, size and cost is compared with it. Without it nothing is checked "
    "against your own data.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object: ok, checks, warnings, checked_against_holder_record.",
)
@handle_errors
def verify_cmd(bundle: Path, proof: Path, account_id: str, account: Path | None, as_json: bool) -> None:
    """Check that account ID is in the round, with exactly the values of your own record.

    Recomputes the id commitment from ID and the salt, the leaf's hash, the batch
    root along the path, the batch commitment with the bundle's market hash and round
    id, and the global root along the global path; each must match the bundle. The
    leaf's values are then the proven ones, and each is compared with your record
    (--account): every balance and position size with the leaf, the sum of your costs
    with the leaf's cost total, and each cost with the operator's statement in the
    file. A difference names the field, your value and the proven one. Prints each
    step with PASS or FAIL. Run `zksolvency audit` on the bundle to check its proofs.

    The inclusion file is written by the operator: without --account the check only
    shows that the operator's statement is what was proven, and says so on stderr.

    \b
    Example:
      zksolvency inclusion verify --bundle round-42 --proof acct-1a2b.json \\
          --id alice --account my-statement.json

    \b
    Exit status: 0 included with your values, 1 some step failed, 2 unreadable input.
    """
    report = verify_inclusion(bundle, proof, account_id, account)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    else:
        for check in report.checks:
            click.echo(check.line())
    for message in report.warnings:
        warn(message)
    if not report.ok:
        fail(f"inclusion check failed: {', '.join(c.name for c in report.failed())}", EXIT_NEGATIVE)
    if not as_json:
        checked = "your record" if account is not None else "the operator's statement (not your record)"
        click.echo(f"account {account_id!r} is included in this round, with the values of {checked}")
