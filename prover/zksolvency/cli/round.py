"""``zksolvency round prove``: every account of a venue, one snapshot, one bundle."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from zksolvency.ceremony.provenance import CEREMONY, SINGLE_PARTY, SetupProvenance, read_provenance
from zksolvency.chain import ContractRejected, read_deployment, verification_key_hash
from zksolvency.chain.setup_guard import guard_setup
from zksolvency.cli.common import EXIT_NEGATIVE, accounts_format_option, fail, handle_errors, warn
from zksolvency.cli.contracts import allow_unsafe_option, deployment_option, rpc_option, signing_key
from zksolvency.errors import FormatError
from zksolvency.groth16.kernels import BACKENDS
from zksolvency.model.accounts import AccountFormat
from zksolvency.round.bundle import MANIFEST, Bundle
from zksolvency.round.dry_run import batch_size_of, describe_plan, dry_run_plan
from zksolvency.round.executor import EXECUTORS
from zksolvency.round.onchain import ensure_snapshot_registered, publish_bundle
from zksolvency.round.plan import InsolventAccounts
from zksolvency.round.prove import Progress, RoundOptions, prove_round
from zksolvency.round.workdir import ProofRecord

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


class ProgressBar(Progress):
    """A progress bar on stderr: batches done, accounts per second over every worker, time left."""

    def __init__(self, batch_size: int = 1) -> None:
        self.bar: Any = None
        self.started = 0.0
        self.done = 0
        self.batch_size = batch_size

    def _rate(self, _item: object) -> str:
        elapsed = time.perf_counter() - self.started
        if not self.done or elapsed <= 0:
            return ""
        return f"{self.done * self.batch_size / elapsed:.1f} accounts/s"

    def start(self, to_prove: int, reused: int) -> None:
        if reused:
            click.echo(f"{reused} batches already proven and verified: reused", err=True)
        self.started = time.perf_counter()
        self.bar = click.progressbar(
            length=to_prove,
            label="proving batches",
            file=click.get_text_stream("stderr"),
            show_eta=True,
            show_pos=True,
            item_show_func=self._rate,
        )
        self.bar.__enter__()

    def batch_done(self, index: int, record: ProofRecord) -> None:
        self.done += 1
        self.bar.update(1, index)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.group("round")
def round_group() -> None:
    """Rounds: prove every account of a venue at one snapshot into one bundle."""


@round_group.command("prove")
@click.option("--accounts", "accounts_path", required=True, type=_FILE, help="Accounts: JSON Lines or CSV.")
@click.option("--market", "market_path", required=True, type=_FILE, help="Market snapshot (JSON).")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The bundle folder to write.",
)
@accounts_format_option
@click.option(
    "--size",
    "shape",
    default="reference",
    show_default=True,
    help="Circuit size (A, I, S) by its name in circuits/manifest.json: reference or test.",
)
@click.option(
    "--batch-size",
    type=int,
    default=None,
    help="Accounts per batch proof, one of the shape's shipped batch circuits (default: the one the "
    "manifest marks default, reference-b52 for the reference shape: 52 accounts in a 2^18 domain).",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Prover processes (default: all cores)."
)
@click.option(
    "--backend", type=click.Choice(BACKENDS), default=BACKENDS[0], show_default=True, help="Prover kernels."
)
@click.option("--round-id", type=int, default=None, help="Round number, 0..2**64-1 (default: Unix time).")
@click.option(
    "--pad-to",
    type=click.IntRange(min=1),
    default=None,
    help="Pad with empty dummy accounts to this count, so that the bundle hides the account count.",
)
@click.option(
    "--inclusion-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the private per-account inclusion files go (default: OUT.inclusion beside the bundle).",
)
@click.option(
    "--ptau",
    type=_FILE,
    default=None,
    help="A prepared ceremony .ptau for the setup (default: an UNSAFE dev ptau, cached).",
)
@click.option(
    "--signatures",
    "signatures_path",
    type=_FILE,
    default=None,
    help="The oracle committee's signatures over --market (`market sign`); carried into the bundle.",
)
@click.option(
    "--committee",
    "committee_path",
    type=_FILE,
    default=None,
    help="The committee (committee.json) whose quorum the signatures must meet; carried into the bundle.",
)
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default=EXECUTORS[0],
    show_default=True,
    help="Where batches are proven: pool (processes on this machine), local (this process) or ray.",
)
@click.option(
    "--ray-address",
    default=None,
    help="Prove on a Ray cluster at this address (`ray start --head` prints it), or `local` to start a "
    "local Ray instance; implies --executor ray. --workers is then the number of Ray workers.",
)
@click.option(
    "--fan-in",
    type=int,
    default=None,
    help="Children per node of the tree of roots, for rounds larger than one root circuit "
    "(a shipped node size; default: the largest).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="How many more times a failed batch (or a lost worker's batch) is tried before the round stops.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan (accounts, batches, levels, circuits, keys, estimated time) and prove nothing.",
)
@handle_errors
def prove_cmd(
    accounts_path: Path,
    market_path: Path,
    out: Path,
    fmt: AccountFormat,
    shape: str,
    batch_size: int | None,
    workers: int | None,
    backend: str,
    round_id: int | None,
    pad_to: int | None,
    inclusion_dir: Path | None,
    ptau: Path | None,
    signatures_path: Path | None,
    committee_path: Path | None,
    executor: str,
    ray_address: str | None,
    fan_in: int | None,
    retries: int,
    dry_run: bool,
) -> None:
    """Prove that every account is solvent and write the round's bundle.

    Validates both files, refuses the round (listing id, equity, requirement) if
    any account is insolvent, splits the accounts into batches, proves each batch
    on all cores and the top of the tree with the root circuit, then writes OUT
    (public: proofs, keys, snapshot, totals, global root) and the private
    inclusion files (one per account, for its holder).

    With --signatures and --committee, the committee's signatures over the snapshot
    are checked first (over these bytes, at this circuit's A, I, S, meeting the
    threshold) and carried into the bundle, where `audit` checks them and from which
    `round publish` registers the snapshot on chain (docs/oracle.md).

    An interrupted run resumes where it stopped: proven batches are kept in a
    private work folder beside OUT (.OUT.work) until the bundle is written.

    Any number of accounts: when the batches outnumber the largest root circuit,
    levels of node proofs go between them and the top root (docs/scaling.md).
    The accounts file is read streaming; memory grows with the batch size and the
    workers, not the account count. --ray-address spreads the proofs over a Ray
    cluster; a failed or lost batch is retried (--retries) on another worker.
    --dry-run prints the plan and an estimated time, and proves nothing.

    \b
    Exit status: 0 proven, 1 some account insolvent, 2 bad input.

    \b
    Example:
      zksolvency round prove --accounts examples/accounts-solvent.jsonl \\
          --market examples/market.json --out round-1 --round-id 1 \\
          --signatures examples/market.signatures.json --committee examples/committee-demo.json
    """
    options = RoundOptions(
        accounts=accounts_path,
        market=market_path,
        out=out,
        fmt=fmt,
        shape=shape,
        batch_size=batch_size,
        workers=workers,
        backend=backend,
        round_id=round_id,
        pad_to=pad_to,
        inclusion_dir=inclusion_dir,
        ptau=ptau,
        signatures=signatures_path,
        committee=committee_path,
        executor="ray" if ray_address else executor,
        ray_address=ray_address,
        fan_in=fan_in,
        retries=retries,
    )
    if dry_run:
        for line in describe_plan(dry_run_plan(options)):
            click.echo(line)
        return
    try:
        bar = ProgressBar(batch_size_of(options))
        result = prove_round(options, say=lambda m: click.echo(m, err=True), progress=bar)
    except InsolventAccounts as exc:
        rows = [("id", "equity", "requirement")] + [
            (a.id, str(a.equity), str(a.requirement)) for a in exc.accounts
        ]
        widths = [max(len(row[c]) for row in rows) for c in range(3)]
        for row in rows:
            click.echo(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}")
        fail(str(exc), EXIT_NEGATIVE)
    setup_warning = _setup_warning(result.bundle)
    if setup_warning is not None:
        warn(setup_warning)
    click.echo(f"bundle:          {result.bundle}")
    click.echo(
        f"inclusion files: {result.inclusion_dir} (private: hand each file to its account holder only)"
    )
    levels = f", levels of nodes {'/'.join(map(str, result.levels))}" if result.levels else ""
    click.echo(
        f"accounts:        {result.accounts} in {result.batches} batches{levels}, "
        f"{result.slots} slots at the top"
    )
    click.echo(
        f"proven:          {result.proven} batches now, {result.reused} reused from an interrupted run"
    )
    click.echo(f"global root:     {result.global_root}")
    click.echo(f"totals hash:     {result.totals_hash}")
    click.echo(f"public value P:  {result.public_value}")
    rate = result.accounts / result.seconds if result.seconds > 0 else 0.0
    click.echo(f"time:            {result.seconds:.1f} s ({rate:.1f} accounts/s, {result.executor})")


def _setup_warning(bundle: Path) -> str | None:
    """What to say about the bundle's keys when they are not from a verified ceremony."""
    setup = json.loads((bundle / MANIFEST).read_text(encoding="utf-8")).get("setup", {})
    kind = setup.get("provenance")
    if kind == CEREMONY:
        return None
    if kind == SINGLE_PARTY:
        return (
            "the keys come from a single-party phase 2 made on this machine: whoever can read its memory "
            "could forge proofs; run a ceremony and install its keys (docs/setup.md)"
        )
    return (
        "the keys come from an UNSAFE single-party dev ptau; pass --ptau with a ceremony file and "
        "install ceremony keys for a real round (docs/setup.md)"
    )


@round_group.command("publish")
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@deployment_option
@rpc_option
@allow_unsafe_option
@handle_errors
def publish_cmd(bundle: Path, deployment_file: Path, rpc_url: str | None, allow_unsafe_setup: bool) -> None:
    """Publish the round of BUNDLE to the registry of a deployment.

    First registers the bundle's market snapshot with the committee signatures the
    bundle carries (SolvencyRegistry.registerSnapshot), unless the registry holds it
    already. Then sends the bundle's global root, totals hash, market hash and round
    id with its root proof to SolvencyRegistry.publishRound. The registry accepts
    only a registered snapshot, recomputes the public value with Poseidon(4),
    verifies the proof and accepts only its operator and a round id above the last.
    Run `zksolvency audit BUNDLE` first.

    The key comes from $ZKSOLVENCY_PRIVATE_KEY or a hidden prompt, never from an
    argument (on a local chain that `contracts deploy` started: anvil's public dev key).

    On any chain but a local development one (chain id 31337), the bundle's root key
    must come from a verified ceremony (its provenance record in the manifest is
    re-checked); otherwise nothing is sent unless --allow-unsafe-setup.

    \b
    Exit status: 0 published, 1 refused by the registry, 2 bad input, no chain, or an
    unsafe key for a chain that is not local.
    """
    deployment = read_deployment(deployment_file)
    try:
        record: SetupProvenance | None = read_provenance(bundle / MANIFEST)
    except FormatError:
        record = None  # a bundle from before setup provenance: its keys' origin is unknown
    root_key = verification_key_hash(Bundle(bundle).vkey("root"))
    caution = guard_setup(deployment.chain_id, record, root_key, allow_unsafe_setup, "publish the round")
    if caution is not None:
        warn(caution)
    key = signing_key(started_local=deployment.local_node is not None and rpc_url is None)
    try:
        registered = ensure_snapshot_registered(bundle, deployment, rpc_url, key)
    except ContractRejected as exc:
        fail(f"the registry refused the bundle's snapshot: {exc}", EXIT_NEGATIVE)
    if registered is None:
        click.echo("snapshot:        already registered")
    else:
        click.echo(
            f"snapshot:        registered in block {registered.block_number} ({registered.gas_used:,} gas)"
        )
    try:
        published = publish_bundle(bundle, deployment, rpc_url, key)
    except ContractRejected as exc:
        fail(f"the registry refused the round: {exc}", EXIT_NEGATIVE)
    click.echo(f"round {published.round_id} published in block {published.block_number}")
    click.echo(f"transaction:     {published.tx_hash} ({published.gas_used:,} gas)")
    click.echo(f"public value P:  {published.public_input}")
