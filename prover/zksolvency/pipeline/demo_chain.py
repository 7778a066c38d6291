"""The demo's chain: a local anvil, the contracts for the bundle's root key, the snapshot, the round.

``publish_demo_round(bundle, say)`` starts anvil on 127.0.0.1 and a free port (stopped
when done), renders and compiles the verifier and registry for the bundle's root
verification key, deploys them with the DEMO committee (from anvil's PUBLIC development
key), registers the bundle's snapshot with the signatures it carries, publishes the
round, and runs the audit's on-chain checks against the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from zksolvency.chain import PublishedRound, RegisteredSnapshot, build_artifact, start_anvil
from zksolvency.chain.deploy import CircuitParameters, deploy_contracts
from zksolvency.chain.keys import ANVIL_DEV_KEY, load_account
from zksolvency.chain.tx import connect
from zksolvency.oracle.demo_committee import demo_committee
from zksolvency.round.bundle import Bundle
from zksolvency.round.onchain import ensure_snapshot_registered, onchain_checks, publish_bundle
from zksolvency.round.report import Report


@dataclass(frozen=True)
class ChainDemoResult:
    """Where the round went on the local chain, and the on-chain checks of it."""

    chain_id: int
    registry: str
    registered: RegisteredSnapshot | None
    published: PublishedRound
    audit: Report


def _parameters(bundle: Bundle) -> CircuitParameters:
    values = (bundle.integer("circuits", "batch", k) for k in ("assets", "instruments", "scenarios", "batch"))
    return CircuitParameters(*values)


def publish_demo_round(bundle_path: Path, say: Callable[[str], None] = lambda _m: None) -> ChainDemoResult:
    """The steps of the module docstring."""
    bundle = Bundle(bundle_path)
    say("compiling the verifier and registry for the bundle's root key")
    artifact = build_artifact(bundle.vkey("root"))
    with start_anvil() as node:
        say(f"deploying on a local anvil ({node.url}) with the DEMO committee (3 of 5, PUBLIC keys)")
        w3 = connect(node.url)
        deployment = deploy_contracts(
            w3,
            load_account(ANVIL_DEV_KEY),
            artifact,
            _parameters(bundle),
            demo_committee(int(w3.eth.chain_id)),
        )
        deployment = replace(deployment, rpc_url=node.url)
        registered = ensure_snapshot_registered(bundle_path, deployment, None, ANVIL_DEV_KEY)
        published = publish_bundle(bundle_path, deployment, None, ANVIL_DEV_KEY)
        say("checking the chain's record of the round")
        report = Report()
        onchain_checks(deployment, None)(bundle, report)
    return ChainDemoResult(deployment.chain_id, deployment.registry.address, registered, published, report)
