"""The chain stage: render and compile the verifier and registry, deploy them, publish and read rounds."""

from zksolvency.chain.anvil import AnvilNode, start_anvil, stop_anvil
from zksolvency.chain.artifact import ContractsArtifact, build_artifact, read_artifact, render_sources
from zksolvency.chain.deploy import CircuitParameters, Deployment, deploy_contracts, read_deployment
from zksolvency.chain.errors import ChainError, ContractRejected
from zksolvency.chain.registry import PublishedRound, RoundRecord, publish_round, read_round
from zksolvency.chain.snapshots import (
    RegisteredSnapshot,
    SnapshotRecord,
    read_committee,
    read_snapshot,
    register_snapshot,
)
from zksolvency.chain.verifier_render import render_verifier, verification_key_hash

__all__ = [
    "AnvilNode",
    "ChainError",
    "CircuitParameters",
    "ContractRejected",
    "ContractsArtifact",
    "Deployment",
    "PublishedRound",
    "RegisteredSnapshot",
    "RoundRecord",
    "SnapshotRecord",
    "build_artifact",
    "deploy_contracts",
    "publish_round",
    "read_artifact",
    "read_committee",
    "read_deployment",
    "read_round",
    "read_snapshot",
    "register_snapshot",
    "render_sources",
    "render_verifier",
    "start_anvil",
    "stop_anvil",
    "verification_key_hash",
]
