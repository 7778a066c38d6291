"""Deploy the verifier and the registry with web3.py, and the ``deployment.json`` that records it.

``deployment.json`` (written atomically) holds everything a later command or an
auditor needs: chain id, addresses, blocks and transaction hashes, deployer and
operator, the oracle committee (members and threshold), the compiler and settings,
the verification key hash, the Poseidon parameters hash, the circuit parameters, and
the ABIs of both contracts. For a
chain started by ``deploy --chain local`` it also records the RPC URL and the
anvil process (pid, log); a remote RPC URL is *not* recorded (such URLs often
embed an access token), so later commands take ``--rpc-url`` again.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from zksolvency.chain.artifact import REGISTRY, VERIFIER, ContractsArtifact
from zksolvency.chain.errors import ChainError
from zksolvency.chain.sources import GENERATOR, GENERATOR_VERSION
from zksolvency.chain.tx import Mined, transact
from zksolvency.errors import FormatError
from zksolvency.oracle.committee import Committee
from zksolvency.util.atomic import atomic_write_text

#: Version 2: the registry holds an oracle committee (its constructor and ABI changed).
FORMAT = "zksolvency-deployment/2"
#: Contract creation runs no pairing, so its estimate is sound; this margin covers state drift.
DEPLOY_GAS_MARGIN = 1.25
#: The registry stores each size as uint32.
MAX_SIZE = 2**32 - 1


@dataclass(frozen=True)
class CircuitParameters:
    """Sizes of the circuit the verifier was made for: assets A, instruments I, scenarios S, batch B."""

    assets: int
    instruments: int
    scenarios: int
    batch_size: int

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
                raise ChainError(
                    f"circuit parameter {name} must be an integer in [1, 2^32 - 1], got {value!r}"
                )


@dataclass(frozen=True)
class DeployedContract:
    """Where one contract lives and how it got there."""

    address: str
    transaction: str
    block: int
    gas_used: int
    abi: list[dict[str, Any]]


@dataclass(frozen=True)
class LocalNode:
    """An anvil process started for this deployment (stop it with ``zksolvency contracts stop``)."""

    pid: int
    log: str | None


@dataclass(frozen=True)
class Deployment:
    """The content of ``deployment.json`` (see the module docstring)."""

    chain_id: int
    deployer: str
    operator: str
    verifier: DeployedContract
    registry: DeployedContract
    compiler_version: str
    settings: dict[str, Any]
    verification_key_hash: str
    n_public: int
    poseidon_parameters_hash: str
    circuit: CircuitParameters
    committee: Committee
    rpc_url: str | None = None
    local_node: LocalNode | None = None
    generator_version: str = GENERATOR_VERSION


def _deploy_one(
    w3: Web3, account: LocalAccount, artifact: ContractsArtifact, name: str, args: list[Any]
) -> tuple[Mined, DeployedContract]:
    compiled = artifact.contract(name)
    factory = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode)
    constructor = factory.constructor(*args)
    try:
        estimate = constructor.estimate_gas({"from": account.address})
    except Exception as exc:  # any node error: say which contract
        raise ChainError(f"{name}: the node refuses the deployment ({exc})") from None
    gas = int(estimate * DEPLOY_GAS_MARGIN) + 50_000
    tx = constructor.build_transaction({"from": account.address, "gas": gas})
    mined = transact(w3, account, tx, name, [compiled.abi])
    if mined.contract_address is None:
        raise ChainError(f"{name}: the receipt of {mined.tx_hash} names no contract address")
    return mined, DeployedContract(
        mined.contract_address, mined.tx_hash, mined.block_number, mined.gas_used, compiled.abi
    )


def deploy_contracts(
    w3: Web3,
    account: LocalAccount,
    artifact: ContractsArtifact,
    circuit: CircuitParameters,
    committee: Committee,
    operator: str | None = None,
) -> Deployment:
    """Deploy ``Groth16Verifier`` then ``SolvencyRegistry`` (operator: ``operator`` or the deployer)
    holding the oracle ``committee``, which must be for this chain."""
    if artifact.n_public != 1:
        raise ChainError(f"the registry needs a key with one public input; this one has {artifact.n_public}")
    chain_id = int(w3.eth.chain_id)
    if committee.chain_id != chain_id:
        raise ChainError(
            f"the committee signs for chain {committee.chain_id}; the node is on chain {chain_id}"
        )
    operator_address = Web3.to_checksum_address(operator) if operator else account.address
    _, verifier = _deploy_one(w3, account, artifact, VERIFIER, [])
    _, registry = _deploy_one(
        w3,
        account,
        artifact,
        REGISTRY,
        [
            verifier.address,
            operator_address,
            circuit.assets,
            circuit.instruments,
            circuit.scenarios,
            circuit.batch_size,
            bytes.fromhex(artifact.verification_key_hash[2:]),
            list(committee.members),
            committee.threshold,
        ],
    )
    return Deployment(
        chain_id=chain_id,
        deployer=account.address,
        operator=operator_address,
        verifier=verifier,
        registry=registry,
        compiler_version=artifact.compiler_version,
        settings=artifact.settings,
        verification_key_hash=artifact.verification_key_hash,
        n_public=artifact.n_public,
        poseidon_parameters_hash=artifact.poseidon_parameters_hash,
        circuit=circuit,
        committee=committee,
    )


def _contract_json(c: DeployedContract) -> dict[str, Any]:
    return {
        "address": c.address,
        "transaction": c.transaction,
        "block": c.block,
        "gas_used": c.gas_used,
        "abi": c.abi,
    }


def deployment_to_json(d: Deployment) -> dict[str, Any]:
    return {
        "about": (
            f"Written by {GENERATOR} {d.generator_version} (zksolvency contracts deploy): the verifier "
            f"for key {d.verification_key_hash} and the SolvencyRegistry using it, on chain {d.chain_id}, "
            f"with a {d.committee.threshold}-of-{len(d.committee.members)} oracle committee."
        ),
        "format": FORMAT,
        "generator": {"name": GENERATOR, "version": d.generator_version},
        "chain": {
            "chain_id": d.chain_id,
            "rpc_url": d.rpc_url,
            "local_node": asdict(d.local_node) if d.local_node is not None else None,
        },
        "deployer": d.deployer,
        "operator": d.operator,
        "committee": {"members": list(d.committee.members), "threshold": d.committee.threshold},
        "block": d.registry.block,
        "contracts": {VERIFIER: _contract_json(d.verifier), REGISTRY: _contract_json(d.registry)},
        "compiler": {"name": "solc-js", "version": d.compiler_version, "settings": d.settings},
        "verification_key": {"sha256": d.verification_key_hash, "nPublic": d.n_public},
        "poseidon": {"t": 5, "parameters_sha256": d.poseidon_parameters_hash},
        "circuit": asdict(d.circuit),
    }


def write_deployment(path: str | os.PathLike[str], d: Deployment) -> None:
    atomic_write_text(path, json.dumps(deployment_to_json(d), indent=1) + "\n")


def _contract_from_json(obj: Any) -> DeployedContract:
    return DeployedContract(
        address=Web3.to_checksum_address(obj["address"]),
        transaction=str(obj["transaction"]),
        block=int(obj["block"]),
        gas_used=int(obj["gas_used"]),
        abi=list(obj["abi"]),
    )


def deployment_from_json(obj: Any, what: str = "deployment.json") -> Deployment:
    """Parse ``deployment.json``; ``ChainError`` names what is wrong."""
    try:
        if obj["format"] != FORMAT:
            raise ChainError(f"{what}: format {obj['format']!r}, expected {FORMAT!r}")
        chain = obj["chain"]
        node = chain.get("local_node")
        return Deployment(
            chain_id=int(chain["chain_id"]),
            deployer=str(obj["deployer"]),
            operator=str(obj["operator"]),
            verifier=_contract_from_json(obj["contracts"][VERIFIER]),
            registry=_contract_from_json(obj["contracts"][REGISTRY]),
            compiler_version=str(obj["compiler"]["version"]),
            settings=dict(obj["compiler"]["settings"]),
            verification_key_hash=str(obj["verification_key"]["sha256"]),
            n_public=int(obj["verification_key"]["nPublic"]),
            poseidon_parameters_hash=str(obj["poseidon"]["parameters_sha256"]),
            circuit=CircuitParameters(**obj["circuit"]),
            committee=Committee(
                int(chain["chain_id"]), int(obj["committee"]["threshold"]), tuple(obj["committee"]["members"])
            ),
            rpc_url=chain.get("rpc_url"),
            local_node=LocalNode(int(node["pid"]), node.get("log")) if node else None,
            generator_version=str(obj["generator"]["version"]),
        )
    except (KeyError, TypeError, ValueError, FormatError) as exc:
        raise ChainError(f"{what}: not a zksolvency deployment ({type(exc).__name__}: {exc})") from None


def read_deployment(path: str | os.PathLike[str]) -> Deployment:
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ChainError(f"{path}: not valid JSON ({exc})") from None
    return deployment_from_json(obj, str(path))
