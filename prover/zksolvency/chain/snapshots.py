"""Register a signed market snapshot with the registry's committee, and read snapshots and the committee back.

    register_snapshot(deployment, rpc_url, key, signed)
        -> RegisteredSnapshot(market_hash, signers, tx_hash, block_number, gas_used)
    read_snapshot(deployment, rpc_url, market_hash)
        -> SnapshotRecord(market_hash, snapshot_sha256, snapshot_time, block_number) | None
    read_committee(deployment, rpc_url) -> Committee (with the deployment's chain id)

``signed`` is a :class:`~zksolvency.oracle.signatures_file.SignedSnapshot` (a signatures
file). Anyone may register: the signatures are the authorisation, so ``key`` is only the
account that pays. A refusal raises :class:`~zksolvency.chain.errors.ContractRejected`
naming the contract's custom error (``QuorumNotReached``, ``MalformedSignature``,
``NotACommitteeMember``, ``DuplicateSigner``, ``SnapshotForAnotherCircuit``,
``SnapshotAlreadyRegistered``), before any gas is spent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from web3.exceptions import ContractLogicError

from zksolvency.chain.artifact import REGISTRY as REGISTRY_NAME
from zksolvency.chain.deploy import Deployment
from zksolvency.chain.errors import ChainError, ContractRejected
from zksolvency.chain.keys import load_account
from zksolvency.chain.registry import deployment_of, registry_contract
from zksolvency.chain.tx import decode_revert, transact
from zksolvency.oracle.committee import Committee
from zksolvency.oracle.signatures_file import SignedSnapshot
from zksolvency.oracle.typed_data import SnapshotMessage

#: Gas limit of ``registerSnapshot``: measured 98,349 with 3 signatures and 115,516 with 5
#: (benchmarks/results/gas.md: ecrecover calls, two new storage slots, the event).
REGISTER_GAS_BASE = 150_000
REGISTER_GAS_PER_SIGNATURE = 15_000


@dataclass(frozen=True)
class RegisteredSnapshot:
    """A snapshot the registry accepted, and the transaction that registered it."""

    market_hash: int
    signers: tuple[str, ...]
    tx_hash: str
    block_number: int
    gas_used: int


@dataclass(frozen=True)
class SnapshotRecord:
    """A registered snapshot as the registry stores it."""

    market_hash: int
    snapshot_sha256: bytes
    snapshot_time: int
    block_number: int


def register_snapshot(
    deployment: Deployment | str | os.PathLike[str], rpc_url: str | None, key: str, signed: SignedSnapshot
) -> RegisteredSnapshot:
    """Send ``registerSnapshot`` with the file's message and signatures, from the account of ``key``."""
    d = deployment_of(deployment)
    if signed.message.PRIMARY_TYPE != SnapshotMessage.PRIMARY_TYPE:
        raise ChainError(
            f"the signatures are over a {signed.message.PRIMARY_TYPE} message; the registry registers "
            "MarketSnapshot messages (zksolvency market sign without --for trades)"
        )
    if signed.chain_id != d.chain_id:
        raise ChainError(
            f"the signatures are for chain {signed.chain_id}; the registry is on chain {d.chain_id}"
        )
    w3, registry = registry_contract(d, rpc_url)
    account = load_account(key)
    signatures = [entry.signature for entry in signed.signatures]
    gas = REGISTER_GAS_BASE + REGISTER_GAS_PER_SIGNATURE * len(signatures)
    tx = registry.functions.registerSnapshot(signed.message.as_tuple(), signatures).build_transaction(
        {"from": account.address, "gas": gas}
    )
    mined = transact(w3, account, tx, REGISTRY_NAME, [d.registry.abi])
    signers = tuple(entry.signer for entry in signed.signatures)
    return RegisteredSnapshot(
        signed.message.market_hash, signers, mined.tx_hash, mined.block_number, mined.gas_used
    )


def read_snapshot(
    deployment: Deployment | str | os.PathLike[str], rpc_url: str | None, market_hash: int
) -> SnapshotRecord | None:
    """The registered snapshot with ``market_hash``, or ``None`` when there is none."""
    d = deployment_of(deployment)
    _, registry = registry_contract(d, rpc_url)
    try:
        sha256, time, block = registry.functions.getSnapshot(market_hash).call()
    except ContractLogicError as exc:
        err = decode_revert(exc, REGISTRY_NAME, [d.registry.abi])
        if isinstance(err, ContractRejected) and err.error == "UnregisteredSnapshot":
            return None
        raise err from None
    return SnapshotRecord(market_hash, bytes(sha256), int(time), int(block))


def read_committee(deployment: Deployment | str | os.PathLike[str], rpc_url: str | None) -> Committee:
    """The committee the registry holds (members in deployment order, threshold)."""
    d = deployment_of(deployment)
    _, registry = registry_contract(d, rpc_url)
    members, threshold = registry.functions.committee().call()
    return Committee(d.chain_id, int(threshold), tuple(members))
