"""``zksolvency audit``: check a round's bundle with nothing but the bundle."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zksolvency.chain.errors import ChainError
from zksolvency.chain.snapshots import read_committee as chain_committee
from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.groth16.kernels import BACKENDS
from zksolvency.oracle.committee import read_committee
from zksolvency.round.audit import audit_bundle
from zksolvency.round.onchain import onchain_checks


@click.command("audit")
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object: ok, checks, warnings.")
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default=BACKENDS[0],
    show_default=True,
    help="Proof verifier: native (arkworks) or python (py_ecc).",
)
@click.option(
    "--rpc-url",
    help="Also check the chain: the registry of --deployment holds this round with the same values.",
)
@click.option(
    "--deployment",
    "deployment_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="deployment.json of the registry (with --rpc-url; alone: its recorded local node).",
)
@click.option(
    "--zero-sum",
    is_flag=True,
    help="Also require every net position and the cost total to be zero (every contract has two "
    "sides: for a venue whose own accounts are in the round).",
)
@click.option(
    "--committee",
    "committee_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The oracle committee (committee.json) to count signatures against "
    "(default: the registry's with --rpc-url/--deployment, else the bundle's own, with a warning).",
)
@click.option(
    "--allow-dev-setup",
    is_flag=True,
    help="Accept keys that are not from a verified ceremony (dev or single-party setup) with a warning.",
)
@handle_errors
def audit(
    bundle: Path,
    as_json: bool,
    backend: str,
    rpc_url: str | None,
    deployment_file: Path | None,
    zero_sum: bool,
    committee_file: Path | None,
    allow_dev_setup: bool,
) -> None:
    """Verify every proof of a round's BUNDLE and recompute every public value.

    Needs nothing but the bundle: the verification keys are in it and every hash
    is recomputed in Python. Checks the snapshot (validated, its SHA-256 and its
    Poseidon hash), the key files' hashes, each batch proof and that its public
    signal is the listed commitment, that no commitment is listed twice, the padding
    of unused slots, the global root from the commitments, the totals (each a decimal
    integer in the range the circuits can produce, the named totals equal to the
    vector) and their hash, the public value
    P = Poseidon(global root, totals hash, market hash, round id) against the root
    proof's public signal, and the root proof. Then prints what the totals mean under
    the snapshot: all collateral after haircuts, and the accounts' net mark value
    (unrealised profit the venue owes them), which invented accounts cannot hide
    (docs/auditor.md, "Threat model").

    Where each key comes from: its provenance record must hold for it and name a
    verified multi-party ceremony (its contributors are listed); a dev or
    single-party key fails that check unless --allow-dev-setup.

    Then the oracle: the committee's signatures the bundle carries are over this
    snapshot (its SHA-256, market hash, A, I, S and time), and k distinct members
    signed (the registry's rule). The committee is --committee's, else the registry's
    (with --rpc-url/--deployment), else the bundle's own, which is only the
    operator's word (a warning says so). A bundle without signatures fails.

    With --rpc-url and/or --deployment, three more checks: the registry's verifier was
    rendered from the bundle's root key, the registry holds the bundle's snapshot
    (registered with the committee's signatures), and it holds this round id with the
    bundle's global root, totals hash and market hash.

    \b
    Exit status: 0 every check passed, 1 some check failed, 2 not a bundle.
    """
    onchain = None
    committee = read_committee(committee_file) if committee_file is not None else None
    if rpc_url is not None or deployment_file is not None:
        if deployment_file is None:
            fail("--rpc-url needs --deployment (the deployment.json naming the registry)")
        onchain = onchain_checks(deployment_file, rpc_url)
        if committee is None:
            try:
                committee = chain_committee(deployment_file, rpc_url)
            except ChainError as exc:  # the on-chain checks will fail and say why
                warn(f"cannot read the registry's committee ({exc}); counting against the bundle's")
    report = audit_bundle(
        bundle,
        backend,
        onchain=onchain,
        zero_sum=zero_sum,
        committee=committee,
        allow_dev_setup=allow_dev_setup,
    )
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=1))
    else:
        for check in report.checks:
            click.echo(check.line())
        figures = report.facts.get("exposure")
        if isinstance(figures, dict):
            opened = ", ".join(figures["open_instruments"]) or "none"
            click.echo(
                f"totals under the snapshot (quote minor units x 10^12): collateral {figures['collateral']}, "
                f"net mark value {figures['mark_value']}, equity {figures['equity']}; "
                f"net positions open in: {opened}"
            )
        for message in report.warnings:
            warn(message)
        failed = len(report.failed())
        click.echo(
            f"{len(report.checks)} checks, {failed} failed: bundle {'VALID' if report.ok else 'INVALID'}"
        )
    if not report.ok:
        fail(f"audit failed: {', '.join(c.name for c in report.failed())}", EXIT_NEGATIVE)
