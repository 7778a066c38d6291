"""``SettlementGate``: compile and deploy it with its verifier, register snapshots, settle batches.

    build_settlement_artifact(vk)   -> ContractsArtifact (Groth16Verifier, SettlementGate)
    deploy_settlement(w3, account, artifact, initial_root, committee, shape) -> SettlementDeployment
    register_trade_snapshot(d, rpc_url, key, signed)  -> RegisteredTradeSnapshot
    settle_batch(d, rpc_url, key, new_root, trades_commitment, snapshot_hash,
                 batch_id, batch_time, fee_bps, proof)     -> SettledBatch
    read_gate(d, rpc_url)                                  -> GateState(root, next_batch_id)

The verifier is rendered from a key with two public inputs (``public[0]`` the Poseidon
commitment, ``public[1]`` the batch header: :mod:`zksolvency.state.batch_public`); the gate
inlines the rendered ``PoseidonT5`` as ``SolvencyRegistry`` does. The gate holds an oracle
committee (k of n, fixed at deployment, like the registry's): a trade snapshot is registered
only with k committee signatures over its ``TradeSnapshot`` message (docs/oracle.md), by
anyone (the signatures are the authorisation). ``key`` is a hex private key
from the environment or a prompt, never a command-line argument. A refusal raises
:class:`GateRejected` (a :class:`ContractRejected`) whose message says in words what the
custom error means; the transaction is dry-run first, so a refused call spends nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from zksolvency.chain.artifact import VERIFIER, ContractsArtifact, build_artifact, render_sources
from zksolvency.chain.calldata import proof_words
from zksolvency.chain.deploy import DeployedContract, _contract_from_json, _contract_json, _deploy_one
from zksolvency.chain.errors import ChainError, ContractRejected
from zksolvency.chain.keys import load_account
from zksolvency.chain.solc import OPTIMIZER_RUNS
from zksolvency.chain.sources import GENERATOR, GENERATOR_VERSION
from zksolvency.chain.tx import connect, decode_revert, transact
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.families import TRADES
from zksolvency.oracle.committee import Committee
from zksolvency.oracle.signatures_file import SignedSnapshot
from zksolvency.oracle.typed_data import TradeSnapshotMessage
from zksolvency.util.atomic import atomic_write_text

GATE = TRADES.contract
FORMAT = "zksolvency-settlement/2"
#: Gas limit of one ``settle``: measured below 300,000 (benchmarks/results/gas.md).
SETTLE_GAS_LIMIT = 500_000
#: Gas limit of ``registerSnapshot``: a base and one ecrecover with its checks per signature
#: (benchmarks/results/gas.md).
REGISTER_GAS_BASE = 170_000
REGISTER_GAS_PER_SIGNATURE = 15_000

#: What each custom error of the gate means, for messages (arguments by position).
_EXPLAIN: dict[str, str] = {
    "NotAFieldElement": "{0} = {1} is not below the scalar field modulus r",
    "UnknownSnapshot": "snapshot {0} was not registered with the committee's signatures",
    "SnapshotAlreadyRegistered": "snapshot {0} is registered already",
    "SnapshotForAnotherCircuit": "the snapshot was signed at A, I, S = {0}, {1}, {2}, not the gate's",
    "QuorumNotReached": "{0} signatures, the committee needs {1}",
    "MalformedSignature": "signature {0} is malformed: {1}",
    "NotACommitteeMember": "signature {0} recovers {1}, not a committee member (or it signed other data)",
    "DuplicateSigner": "signature {0} is a second one by {1}",
    "InvalidThreshold": "threshold {0} does not fit a committee of {1}",
    "InvalidCommitteeMember": "committee member {0} ({1}) is zero or repeated",
    "BatchIdReused": "batch {0} was settled already (the next batch id is {1})",
    "UnexpectedBatchId": "batch id {0} skips ahead (the next batch id is {1})",
    "BatchTimeInFuture": "batch time {0} is after the block time {1}",
    "FeeTooHigh": "fee {0} bps is above 10000",
    "InvalidProof": (
        "the proof does not verify for public inputs ({0}, {1}): a wrong proof, or one made for "
        "another old root, new root, snapshot, trades commitment or header"
    ),
    "ZeroAddress": "the {0} address is zero",
    "WrongVerifier": "the verifier takes {0} public inputs, not 2",
    "BatchIdsExhausted": "every 64-bit batch id was used",
}


def _show(value: object) -> str:
    return "0x" + value.hex() if isinstance(value, bytes) else str(value)


class GateRejected(ContractRejected):
    """The gate reverted with a custom error; the message explains it in words."""

    def __init__(self, error: str, args: Sequence[object]) -> None:
        super().__init__(GATE, error, args)
        template = _EXPLAIN.get(error)
        if template is not None:
            shown = [_show(a) for a in args]
            if len(shown) >= template.count("{"):
                self.args = (f"{GATE} refused: {template.format(*shown)} ({error})",)


def _gate_error(exc: ChainError) -> ChainError:
    if isinstance(exc, ContractRejected) and exc.contract == GATE:
        return GateRejected(exc.error, exc.args_decoded)
    return exc


@dataclass(frozen=True)
class SettlementDeployment:
    """A deployed gate and its verifier, and where they came from."""

    chain_id: int
    deployer: str
    initial_root: int
    #: ``(A, I, S)``: the trade circuit shape the gate's snapshots are hashed at.
    shape: tuple[int, int, int]
    committee: Committee
    verifier: DeployedContract
    gate: DeployedContract
    verification_key_hash: str
    compiler_version: str
    rpc_url: str | None = None


@dataclass(frozen=True)
class SettledBatch:
    """A batch the gate accepted."""

    batch_id: int
    old_root: int
    new_root: int
    tx_hash: str
    block_number: int
    gas_used: int


@dataclass(frozen=True)
class RegisteredTradeSnapshot:
    """A trade snapshot the gate accepted, and the transaction that registered it."""

    snapshot_hash: int
    signers: tuple[str, ...]
    tx_hash: str
    block_number: int
    gas_used: int


@dataclass(frozen=True)
class GateState:
    root: int
    next_batch_id: int


def settlement_sources(vk: VerificationKey) -> dict[str, str]:
    """``{file name: Solidity}``: the gate, the verifier interfaces, the rendered verifier and Poseidon."""
    return render_sources(vk, TRADES)


def build_settlement_artifact(vk: VerificationKey, optimizer_runs: int = OPTIMIZER_RUNS) -> ContractsArtifact:
    """Compile the gate and the two-input verifier for ``vk`` (the trades family's artifact)."""
    return build_artifact(vk, optimizer_runs=optimizer_runs, family=TRADES)


def _deploy_gate(
    w3: Web3, account: LocalAccount, artifact: ContractsArtifact, args: list[Any]
) -> DeployedContract:
    """Deploy the gate; a constructor revert is decoded (``WrongVerifier``, ``ZeroAddress``, ...)."""
    compiled = artifact.contract(GATE)
    constructor = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode).constructor(*args)
    try:
        constructor.estimate_gas({"from": account.address})
    except ContractLogicError as exc:
        raise _gate_error(decode_revert(exc, GATE, [compiled.abi])) from None
    return _deploy_one(w3, account, artifact, GATE, args)[1]


def deploy_settlement(
    w3: Web3,
    account: LocalAccount,
    artifact: ContractsArtifact,
    initial_root: int,
    committee: Committee,
    shape: tuple[int, int, int],
    verifier_address: str | None = None,
) -> SettlementDeployment:
    """Deploy the verifier (unless ``verifier_address`` names one), then ``SettlementGate(verifier,
    initial_root, A, I, S, committee members, threshold)``."""
    if artifact.n_public != 2:
        raise ChainError(f"the gate needs a key with two public inputs; this one has {artifact.n_public}")
    chain_id = int(w3.eth.chain_id)
    if committee.chain_id != chain_id:
        raise ChainError(
            f"the committee signs for chain {committee.chain_id}; the node is on chain {chain_id}"
        )
    if verifier_address is None:
        _, verifier = _deploy_one(w3, account, artifact, VERIFIER, [])
    else:
        address = Web3.to_checksum_address(verifier_address)
        verifier = DeployedContract(address, "", 0, 0, artifact.contract(VERIFIER).abi)
    args = [verifier.address, initial_root, *shape, list(committee.members), committee.threshold]
    gate = _deploy_gate(w3, account, artifact, args)
    return SettlementDeployment(
        chain_id=chain_id,
        deployer=account.address,
        initial_root=initial_root,
        shape=shape,
        committee=committee,
        verifier=verifier,
        gate=gate,
        verification_key_hash=artifact.verification_key_hash,
        compiler_version=artifact.compiler_version,
    )


def settlement_to_json(d: SettlementDeployment) -> dict[str, Any]:
    return {
        "about": (
            f"Written by {GENERATOR} {GENERATOR_VERSION} (zksolvency.chain.settlement): a SettlementGate "
            f"and the verifier for key {d.verification_key_hash}, on chain {d.chain_id}."
        ),
        "format": FORMAT,
        "chain": {"chain_id": d.chain_id, "rpc_url": d.rpc_url},
        "deployer": d.deployer,
        "initial_root": str(d.initial_root),
        "shape": {"assets": d.shape[0], "instruments": d.shape[1], "scenarios": d.shape[2]},
        "committee": {"members": list(d.committee.members), "threshold": d.committee.threshold},
        "contracts": {VERIFIER: _contract_json(d.verifier), GATE: _contract_json(d.gate)},
        "verification_key": {"sha256": d.verification_key_hash, "nPublic": 2},
        "compiler": {"name": "solc-js", "version": d.compiler_version},
    }


def write_settlement(path: str | os.PathLike[str], d: SettlementDeployment) -> None:
    atomic_write_text(path, json.dumps(settlement_to_json(d), indent=1) + "\n")


def read_settlement(path: str | os.PathLike[str]) -> SettlementDeployment:
    """Parse a settlement deployment file; ``ChainError`` names what is wrong."""
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
        if obj["format"] != FORMAT:
            raise ChainError(f"{path}: format {obj['format']!r}, expected {FORMAT!r}")
        chain_id = int(obj["chain"]["chain_id"])
        shape = obj["shape"]
        committee = obj["committee"]
        return SettlementDeployment(
            chain_id=chain_id,
            deployer=str(obj["deployer"]),
            initial_root=int(obj["initial_root"]),
            shape=(int(shape["assets"]), int(shape["instruments"]), int(shape["scenarios"])),
            committee=Committee(
                chain_id, int(committee["threshold"]), tuple(str(m) for m in committee["members"])
            ),
            verifier=_contract_from_json(obj["contracts"][VERIFIER]),
            gate=_contract_from_json(obj["contracts"][GATE]),
            verification_key_hash=str(obj["verification_key"]["sha256"]),
            compiler_version=str(obj["compiler"]["version"]),
            rpc_url=obj["chain"].get("rpc_url"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ChainError(f"{path}: not a settlement deployment ({type(exc).__name__}: {exc})") from None


def gate_contract(d: SettlementDeployment, rpc_url: str | None) -> tuple[Web3, Contract]:
    """Connect, and check the chain id and that the gate's code is there."""
    url = rpc_url or d.rpc_url
    if not url:
        raise ChainError("no RPC URL: pass one (a remote chain's URL is not recorded)")
    w3 = connect(url)
    chain_id = int(w3.eth.chain_id)
    if chain_id != d.chain_id:
        raise ChainError(f"the node at {url} is on chain {chain_id}, the gate on chain {d.chain_id}")
    address = Web3.to_checksum_address(d.gate.address)
    if not w3.eth.get_code(address):
        raise ChainError(f"no contract at {address} on chain {chain_id} (node restarted?)")
    return w3, w3.eth.contract(address=address, abi=d.gate.abi)


def _send(w3: Web3, key: str, tx_call: Any, gas: int, d: SettlementDeployment) -> Any:
    account = load_account(key)
    tx = tx_call.build_transaction({"from": account.address, "gas": gas})
    try:
        return transact(w3, account, tx, GATE, [d.gate.abi, d.verifier.abi])
    except ContractRejected as exc:
        raise _gate_error(exc) from None


def register_trade_snapshot(
    d: SettlementDeployment, rpc_url: str | None, key: str, signed: SignedSnapshot
) -> RegisteredTradeSnapshot:
    """``registerSnapshot(message, signatures)`` of a trade signatures file, from the account of
    ``key`` (who only pays: the signatures are the authorisation)."""
    message = signed.message
    if not isinstance(message, TradeSnapshotMessage):
        raise ChainError(
            f"{signed.snapshot_file}: the signatures are over a {message.PRIMARY_TYPE} message; the gate "
            "registers TradeSnapshot messages (zksolvency market sign --for trades)"
        )
    if signed.chain_id != d.chain_id:
        raise ChainError(f"the signatures are for chain {signed.chain_id}; the gate is on chain {d.chain_id}")
    w3, gate = gate_contract(d, rpc_url)
    signatures = [entry.signature for entry in signed.signatures]
    gas = REGISTER_GAS_BASE + REGISTER_GAS_PER_SIGNATURE * len(signatures)
    mined = _send(w3, key, gate.functions.registerSnapshot(message.as_tuple(), signatures), gas, d)
    signers = tuple(entry.signer for entry in signed.signatures)
    return RegisteredTradeSnapshot(
        message.snapshot_hash, signers, str(mined.tx_hash), mined.block_number, mined.gas_used
    )


def _uint(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value >= 2**256:
        raise ChainError(f"{name} must be an unsigned 256-bit integer, got {value!r}")
    return value


def settle_batch(
    d: SettlementDeployment,
    rpc_url: str | None,
    key: str,
    new_root: int,
    trades_commitment: int,
    snapshot_hash: int,
    batch_id: int,
    batch_time: int,
    fee_bps: int,
    proof: Proof,
    gas: int = SETTLE_GAS_LIMIT,
) -> SettledBatch:
    """Send ``settle``; the gate checks everything (a refusal raises :class:`GateRejected`)."""
    parts = (("batch id", batch_id, 64), ("batch time", batch_time, 64), ("fee", fee_bps, 16))
    for name, value, bits in parts:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**bits:
            raise ChainError(f"{name} must be an integer in [0, 2**{bits}), got {value!r}")
    w3, gate = gate_contract(d, rpc_url)
    old_root = int(gate.functions.root().call())
    call = gate.functions.settle(
        _uint("newRoot", new_root),
        _uint("tradesCommitment", trades_commitment),
        _uint("snapshotHash", snapshot_hash),
        batch_id,
        batch_time,
        fee_bps,
        proof_words(proof),
    )
    mined = _send(w3, key, call, gas, d)
    return SettledBatch(batch_id, old_root, new_root, mined.tx_hash, mined.block_number, mined.gas_used)


def read_gate(d: SettlementDeployment, rpc_url: str | None) -> GateState:
    """The gate's current root and next batch id."""
    _, gate = gate_contract(d, rpc_url)
    return GateState(int(gate.functions.root().call()), int(gate.functions.nextBatchId().call()))
