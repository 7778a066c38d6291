"""``zksolvency market sign | verify | register``: committee signatures over a snapshot, on chain.

A member's signing key comes from ``--key FILE`` (mode 0600), ``$ZKSOLVENCY_SIGNER_KEY``
or a hidden prompt; never from an argument's value, and it is never printed. The
transaction key of ``register`` is the deployer's kind (``$ZKSOLVENCY_PRIVATE_KEY``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zksolvency.chain import ContractRejected, register_snapshot
from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors
from zksolvency.cli.contracts import deployment_and_key, deployment_option, rpc_option
from zksolvency.oracle.committee import read_committee
from zksolvency.oracle.quorum import check_quorum
from zksolvency.oracle.signature import sign_snapshot
from zksolvency.oracle.signatures_file import (
    SignatureEntry,
    SignedSnapshot,
    default_signatures_path,
    read_signatures,
    write_signatures,
)
from zksolvency.oracle.signer_key import SIGNER_KEY_ENV, key_from_env, read_key_file
from zksolvency.oracle.snapshot_message import message_problems, snapshot_message, trade_snapshot_message
from zksolvency.oracle.typed_data import TradeSnapshotMessage
from zksolvency.round.circuits import load_manifest

_EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)
_signatures_option = click.option(
    "--signatures",
    "signatures_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=(
        "The signatures file (default: SNAPSHOT's name with .signatures.json beside it, "
        ".trade-signatures.json for --for trades)."
    ),
)
_for_option = click.option(
    "--for",
    "target",
    type=click.Choice(["rounds", "trades"]),
    default="rounds",
    show_default=True,
    help="rounds: the registry's MarketSnapshot message; trades: the settlement gate's TradeSnapshot.",
)


def _member_key(key_file: Path | None) -> str:
    if key_file is not None:
        return read_key_file(key_file)
    key = key_from_env()
    if key is not None:
        return key
    if not sys.stdin.isatty():
        fail(f"no signing key: give --key FILE or set {SIGNER_KEY_ENV} (keys are never taken as arguments)")
    value: str = click.prompt("Private key of the committee member (input hidden)", hide_input=True)
    return value


def _signed(snapshot: Path, signatures_path: Path | None, target: str = "rounds") -> SignedSnapshot:
    """The signatures file of ``snapshot``, refused unless its message is this snapshot's."""
    path = signatures_path or default_signatures_path(snapshot, trades=target == "trades")
    signed = read_signatures(path)
    expect = "TradeSnapshot" if target == "trades" else "MarketSnapshot"
    problems = message_problems(signed.message, snapshot.read_bytes(), str(snapshot), expect=expect)
    if problems:
        fail(f"{path} is not about {snapshot}: {'; '.join(problems)}")
    return signed


@click.command("sign")
@click.argument("snapshot", type=_EXISTING)
@click.option("--chain-id", type=click.IntRange(1), required=True, help="Chain id the committee signs for.")
@click.option(
    "--key",
    "key_file",
    type=_EXISTING,
    default=None,
    help="File with the member's hex private key (mode 0600).",
)
@click.option(
    "--size",
    "shape",
    default="reference",
    show_default=True,
    help="Circuit size (circuits/manifest.json: reference or test) whose A, I, S the hash is padded to.",
)
@click.option(
    "--time",
    "snapshot_time",
    type=click.IntRange(0),
    default=None,
    help="Snapshot time, Unix seconds (only for a snapshot not built from sources).",
)
@_for_option
@_signatures_option
@handle_errors
def sign_cmd(
    snapshot: Path,
    chain_id: int,
    key_file: Path | None,
    shape: str,
    snapshot_time: int | None,
    target: str,
    signatures_path: Path | None,
) -> None:
    """Sign SNAPSHOT as one committee member and add the signature to its signatures file.

    Signs (secp256k1, EIP-712; docs/oracle.md) the message MarketSnapshot(marketHash,
    assets, instruments, scenarios, snapshotSha256, snapshotTime) in the domain
    (name "zksolvency", version "1", --chain-id): the Poseidon market hash every proof
    binds, padded to the circuit's A, I, S; the SHA-256 of the snapshot file's bytes;
    and the snapshot's time (from its _generated.oracle record). Check the snapshot
    first: rebuild it from the same sources with `market build` and compare the bytes.

    With --for trades the message is the settlement gate's TradeSnapshot(snapshotHash,
    marketHash, assets, instruments, scenarios, snapshotSha256, snapshotTime): the same
    members after the trade snapshot hash, which also binds the price bands, initial
    shocks and instrument names the trade circuits read (docs/oracle.md).

    Each member runs this in turn on the same file: the signatures file keeps one entry
    per signer (a new signature replaces the signer's old one) and refuses a signature
    over another message. The key comes from --key FILE (mode 0600),
    $ZKSOLVENCY_SIGNER_KEY or a hidden prompt; it is never printed.

    \b
    Example:
      zksolvency market sign examples/market.json --chain-id 31337 --key ~/.oracle/key.hex
    """
    size = load_manifest().batch_circuit(shape, None).size
    make = trade_snapshot_message if target == "trades" else snapshot_message
    message = make(
        snapshot.read_bytes(), str(snapshot), (size.assets, size.instruments, size.scenarios), snapshot_time
    )
    fresh = SignedSnapshot(chain_id, message, snapshot.name)
    out = signatures_path or default_signatures_path(snapshot, trades=target == "trades")
    current = read_signatures(out) if out.exists() else fresh
    if not current.same_message(fresh):
        fail(f"{out} holds signatures over another message or chain; sign into another --signatures file")
    signer, signature = sign_snapshot(_member_key(key_file), message, chain_id)
    updated = current.with_signature(SignatureEntry(signer, signature))
    write_signatures(out, updated)
    click.echo(f"signed {snapshot.name} for chain {chain_id} as {signer}")
    click.echo(
        f"  marketHash {message.market_hash} (A={size.assets}, I={size.instruments}, S={size.scenarios})"
    )
    if isinstance(message, TradeSnapshotMessage):
        click.echo(f"  snapshotHash {message.snapshot_hash} (trade snapshot)")
    click.echo(f"  sha256 0x{message.snapshot_sha256.hex()}, time {message.snapshot_time}")
    click.echo(f"{out}: {len(updated.signatures)} signature(s)")


@click.command("verify")
@click.argument("snapshot", type=_EXISTING)
@click.option("--committee", "committee_file", type=_EXISTING, required=True, help="committee.json: k of n.")
@_for_option
@_signatures_option
@handle_errors
def verify_cmd(snapshot: Path, committee_file: Path, target: str, signatures_path: Path | None) -> None:
    """Check that k committee members signed exactly SNAPSHOT.

    The signatures file's message must be SNAPSHOT's (its SHA-256, its market hash at
    the signed A, I, S, its time); then the rule the registry applies: signed for the
    committee's chain, at least `threshold` signatures, each well formed (65 bytes,
    v 27/28, low s) and from a distinct member.

    \b
    Exit status: 0 the quorum is met, 1 it is not, 2 bad input (or not this snapshot).
    """
    committee = read_committee(committee_file)
    signed = _signed(snapshot, signatures_path, target)
    result = check_quorum(signed, committee)
    for check in result.checks:
        click.echo(f"{'PASS' if check.ok else 'FAIL'}  signature {check.index}: {check.detail}")
    click.echo(f"{'PASS' if result.ok else 'FAIL'}  quorum: {result.reason}")
    if not result.ok:
        fail(f"no quorum: {result.reason}", EXIT_NEGATIVE)


@click.command("register")
@click.argument("snapshot", type=_EXISTING)
@deployment_option
@rpc_option
@_signatures_option
@handle_errors
def register_cmd(
    snapshot: Path, deployment_file: Path, rpc_url: str | None, signatures_path: Path | None
) -> None:
    """Register SNAPSHOT with the registry of a deployment, with its committee signatures.

    The registry checks the signatures itself (k distinct members, ecrecover) and
    refuses the call otherwise; a round can name the snapshot's market hash only
    once it is registered. Anyone may send it: the transaction key (from
    $ZKSOLVENCY_PRIVATE_KEY or a hidden prompt) only pays the gas.

    \b
    Exit status: 0 registered, 1 refused by the registry, 2 bad input or no chain.
    """
    signed = _signed(snapshot, signatures_path)
    deployment, key = deployment_and_key(deployment_file, rpc_url)
    try:
        registered = register_snapshot(deployment, rpc_url, key, signed)
    except ContractRejected as exc:
        fail(f"the registry refused the snapshot: {exc}", EXIT_NEGATIVE)
    click.echo(f"snapshot {registered.market_hash} registered in block {registered.block_number}")
    click.echo(f"transaction: {registered.tx_hash} ({registered.gas_used:,} gas)")
    click.echo(f"signers:     {', '.join(registered.signers)}")
