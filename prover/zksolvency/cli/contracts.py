"""``zksolvency contracts``: render, compile, deploy the verifier and registry; local chain; rounds.

Private keys never appear on the command line: they come from
``$ZKSOLVENCY_PRIVATE_KEY`` or a hidden prompt. On a chain that ``deploy``
starts itself (``--chain local`` without ``--rpc-url``) the public anvil
development key is the default, and says so.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

import click

from zksolvency.ceremony.provenance import read_provenance
from zksolvency.chain import anvil
from zksolvency.chain.artifact import (
    REGISTRY,
    VERIFIER,
    ContractsArtifact,
    build_artifact,
    read_artifact,
    render_sources,
    write_rendered,
)
from zksolvency.chain.deploy import (
    CircuitParameters,
    Deployment,
    LocalNode,
    deploy_contracts,
    read_deployment,
    write_deployment,
)
from zksolvency.chain.keys import ANVIL_DEV_KEY, PRIVATE_KEY_ENV, key_from_env, load_account
from zksolvency.chain.registry import read_round
from zksolvency.chain.setup_guard import guard_setup
from zksolvency.chain.tx import connect
from zksolvency.circuit.formats.snarkjs_json import read_vkey
from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.oracle.committee import read_committee

_existing = click.Path(exists=True, dir_okay=False, path_type=Path)
_size = click.IntRange(1, 2**32 - 1)
deployment_option = click.option(
    "--deployment",
    "deployment_file",
    type=_existing,
    default="deployment.json",
    show_default=True,
    help="The deployment.json written by `contracts deploy`.",
)
rpc_option = click.option(
    "--rpc-url", help="JSON-RPC URL of the node (default: the local node recorded in the deployment)."
)
allow_unsafe_option = click.option(
    "--allow-unsafe-setup",
    is_flag=True,
    help="Accept a key that is not from a verified ceremony on a chain that is not local (it can be forged).",
)


@click.group()
def contracts() -> None:
    """Verifier and registry contracts: render, deploy, run a local chain, read rounds."""


def _artifact(vkey: Path | None, artifact: Path | None) -> ContractsArtifact:
    if (vkey is None) == (artifact is None):
        fail("give exactly one of --vkey and --artifact")
    if artifact is not None:
        return read_artifact(artifact)
    assert vkey is not None
    return build_artifact(read_vkey(vkey))


@contracts.command("render")
@click.argument("vkey", metavar="VKEY.json", type=_existing)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@handle_errors
def render_cmd(vkey: Path, out_dir: Path) -> None:
    """Render the Solidity sources for VKEY.json, compile them, write both into --out.

    Writes Groth16Verifier.sol (from the key), PoseidonT5.sol (from the Poseidon
    parameters), the fixed sources (SolvencyRegistry.sol, interfaces), and
    contracts.json: ABIs and bytecode with the compiler version and settings.
    """
    vk = read_vkey(vkey)
    sources = render_sources(vk)
    artifact = build_artifact(vk, sources)
    write_rendered(out_dir, sources, artifact)
    sizes = ", ".join(f"{c.name} {c.deployed_size} B" for c in artifact.contracts.values())
    click.echo(
        f"wrote {len(sources)} sources and {out_dir / 'contracts.json'} (solc {artifact.compiler_version})"
    )
    click.echo(f"verification key {artifact.verification_key_hash}; runtime code: {sizes}")


@contracts.command("anvil")
@click.option("--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one).")
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep the chain in this file (loaded on start, written on exit).",
)
@handle_errors
def anvil_cmd(port: int | None, state: Path | None) -> None:
    """Run a local chain (anvil) in the foreground until Ctrl-C.

    anvil prints its URL and its public development accounts and keys. Deploy
    to it from another terminal with `contracts deploy --rpc-url URL`, with
    one of those keys in $ZKSOLVENCY_PRIVATE_KEY.
    """
    status = anvil.run_anvil_foreground(port, state)
    if status not in (0, -2, 130):
        fail(f"anvil exited with status {status}")


def signing_key(started_local: bool) -> str:
    """The signing key: $ZKSOLVENCY_PRIVATE_KEY, anvil's dev key on a chain we started, or a hidden prompt."""
    key = key_from_env()
    if key is not None:
        return key
    if started_local:
        warn(
            "signing with anvil's PUBLIC development key (account 0) on the local chain; "
            f"set {PRIVATE_KEY_ENV} to use another"
        )
        return ANVIL_DEV_KEY
    if not sys.stdin.isatty():
        fail(f"no private key: set {PRIVATE_KEY_ENV} (keys are never taken as arguments)")
    value: str = click.prompt("Private key of the deployer (input hidden)", hide_input=True)
    return value


def deployment_and_key(deployment_file: Path, rpc_url: str | None) -> tuple[Deployment, str]:
    """The deployment and the key that sends its transactions (:func:`signing_key`)."""
    deployment = read_deployment(deployment_file)
    return deployment, signing_key(started_local=deployment.local_node is not None and rpc_url is None)


@contracts.command("deploy")
@click.option("--vkey", type=_existing, help="Verification key (snarkjs JSON): render and compile first.")
@click.option("--artifact", type=_existing, help="A contracts.json from `contracts render`.")
@click.option("--assets", type=_size, required=True, help="Circuit parameter A.")
@click.option("--instruments", type=_size, required=True, help="Circuit parameter I.")
@click.option("--scenarios", type=_size, required=True, help="Circuit parameter S.")
@click.option("--batch-size", type=_size, required=True, help="Circuit parameter B.")
@click.option(
    "--chain",
    type=click.Choice(["local"]),
    default="local",
    show_default=True,
    help="Without --rpc-url: start anvil in the background and deploy there.",
)
@rpc_option
@click.option("--operator", help="Address allowed to publish rounds (default: the deployer).")
@click.option(
    "--committee",
    "committee_file",
    type=_existing,
    required=True,
    help="The oracle committee (committee.json: chain_id, threshold k, member addresses): a snapshot "
    "is registered, and a round naming it accepted, only with k of their signatures.",
)
@click.option(
    "--provenance",
    "provenance_file",
    type=_existing,
    help="The key's provenance record (from `ceremony verify --provenance`, or a bundle's manifest.json).",
)
@allow_unsafe_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default="deployment.json",
    show_default=True,
    help="Where to write the deployment record.",
)
@handle_errors
def deploy_cmd(
    vkey: Path | None,
    artifact: Path | None,
    assets: int,
    instruments: int,
    scenarios: int,
    batch_size: int,
    chain: str,
    rpc_url: str | None,
    operator: str | None,
    committee_file: Path,
    provenance_file: Path | None,
    allow_unsafe_setup: bool,
    out: Path,
) -> None:
    """Deploy Groth16Verifier and SolvencyRegistry; write --out (deployment.json).

    The registry holds the oracle committee of --committee for good: rounds name a
    market snapshot that k of its members signed (`zksolvency market sign`,
    docs/oracle.md); the committee's chain_id must be the node's.

    With --rpc-url, deploys to that node. Without it (--chain local), starts
    anvil on 127.0.0.1 and a free port in the background; the node keeps
    running after this command (its pid, URL and log are in deployment.json)
    until `zksolvency contracts stop`. The key comes from $ZKSOLVENCY_PRIVATE_KEY
    or a hidden prompt; on the local chain started here, anvil's public
    development key is the default.

    On any chain but a local development one (chain id 31337, asked of the
    node, whatever its URL), the key must come from a verified ceremony:
    --provenance gives its record, which is re-checked against the key. A dev
    or single-party key is refused (exit 2, nothing sent) unless
    --allow-unsafe-setup. docs/setup.md tells how to run a ceremony.
    """
    compiled = _artifact(vkey, artifact)
    record = read_provenance(provenance_file) if provenance_file is not None else None
    circuit = CircuitParameters(assets, instruments, scenarios, batch_size)
    committee = read_committee(committee_file)
    node: anvil.AnvilNode | None = None
    if rpc_url is None:
        out.parent.mkdir(parents=True, exist_ok=True)
        node = anvil.start_anvil(detach=True, log=out.with_name(out.stem + ".anvil.log"))
        rpc_url = node.url
        click.echo(f"started anvil (pid {node.pid}) on {node.url} for chain '{chain}'; log: {node.log}")
    try:
        w3 = connect(rpc_url)
        chain_id = int(w3.eth.chain_id)
        caution = guard_setup(chain_id, record, compiled.verification_key_hash, allow_unsafe_setup, "deploy")
        if caution is not None:
            warn(caution)
        account = load_account(signing_key(started_local=node is not None))
        deployment = deploy_contracts(w3, account, compiled, circuit, committee, operator)
        if node is not None:
            log = str(node.log) if node.log is not None else None
            deployment = replace(deployment, rpc_url=node.url, local_node=LocalNode(node.pid, log))
        write_deployment(out, deployment)
    except BaseException:
        if node is not None:
            node.stop()
        raise
    click.echo(f"{VERIFIER}: {deployment.verifier.address} (gas {deployment.verifier.gas_used})")
    click.echo(f"{REGISTRY}: {deployment.registry.address} (gas {deployment.registry.gas_used})")
    k, n = committee.threshold, len(committee.members)
    click.echo(
        f"chain {deployment.chain_id}, operator {deployment.operator}, {k}-of-{n} committee; wrote {out}"
    )
    if node is not None:
        click.echo(f"anvil keeps running; stop it with `zksolvency contracts stop --deployment {out}`")


@contracts.command("stop")
@deployment_option
@handle_errors
def stop_cmd(deployment_file: Path) -> None:
    """Stop the local anvil that `contracts deploy --chain local` started."""
    d = read_deployment(deployment_file)
    if d.local_node is None:
        fail(f"{deployment_file}: not a deployment on a local node started by zksolvency")
    if anvil.stop_anvil(d.local_node.pid):
        click.echo(f"stopped anvil (pid {d.local_node.pid})")
    else:
        fail(f"no anvil process with pid {d.local_node.pid} (already stopped?)", EXIT_NEGATIVE)


@contracts.command("rounds")
@deployment_option
@rpc_option
@click.option("--round", "round_id", type=click.IntRange(0), help="Round id (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@handle_errors
def rounds_cmd(deployment_file: Path, rpc_url: str | None, round_id: int | None, as_json: bool) -> None:
    """Read a published round from the registry (the latest by default).

    Exit status 1 when there is no such round.
    """
    record = read_round(read_deployment(deployment_file), rpc_url, round_id)
    if record is None:
        which = "no round published yet" if round_id is None else f"no round {round_id}"
        fail(which, EXIT_NEGATIVE)
    if as_json:
        click.echo(
            json.dumps({k: str(v) if k.endswith(("root", "hash")) else v for k, v in asdict(record).items()})
        )
        return
    click.echo(f"round {record.round_id} (block {record.block_number}, timestamp {record.timestamp})")
    click.echo(f"  globalRoot  {record.global_root}")
    click.echo(f"  totalsHash  {record.totals_hash}")
    click.echo(f"  marketHash  {record.market_hash}")
