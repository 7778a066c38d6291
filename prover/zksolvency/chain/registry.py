"""Publish a round to ``SolvencyRegistry`` and read rounds back: the API ``round publish`` and ``audit`` use.

    publish_round(deployment, rpc_url, key, global_root, totals_hash, market_hash, round_id, proof)
        -> PublishedRound(round_id, public_input, tx_hash, block_number, gas_used)
    read_round(deployment, rpc_url, round_id)   # round_id None: the latest
        -> RoundRecord(round_id, global_root, totals_hash, market_hash, block_number, timestamp) | None

``deployment`` is a :class:`Deployment` or the path of a ``deployment.json``;
``rpc_url`` may be ``None`` when the deployment recorded one (a local chain).
``key`` is a hex private key (from ``$ZKSOLVENCY_PRIVATE_KEY`` or a prompt:
never a command-line argument). ``proof`` is the root circuit's proof, a
:class:`~zksolvency.circuit.formats.snarkjs_json.Proof` as read from
``proof.json``. A round the registry refuses raises
:class:`~zksolvency.chain.errors.ContractRejected` whose ``error`` names the
registry's custom error (``NotOperator``, ``NotAFieldElement``,
``RoundIdNotIncreasing``, ``UnregisteredSnapshot``, ``InvalidProof``), before any gas is
spent. The round's snapshot must be registered first (:mod:`zksolvency.chain.snapshots`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from zksolvency.chain.artifact import REGISTRY as REGISTRY_NAME
from zksolvency.chain.calldata import proof_words
from zksolvency.chain.deploy import Deployment, read_deployment
from zksolvency.chain.errors import ChainError, ContractRejected
from zksolvency.chain.keys import load_account
from zksolvency.chain.tx import connect, decode_revert, transact
from zksolvency.circuit.formats.snarkjs_json import Proof
from zksolvency.hashing import poseidon

#: Gas limit of one ``publishRound``: measured about 380,000 for a first round
#: (pairing 181,000, Poseidon about 50,000, four new storage slots); see docs/contracts.md.
PUBLISH_GAS_LIMIT = 600_000


@dataclass(frozen=True)
class PublishedRound:
    """A round the registry accepted, and the transaction that recorded it."""

    round_id: int
    public_input: int
    tx_hash: str
    block_number: int
    gas_used: int


@dataclass(frozen=True)
class RoundRecord:
    """A round as the registry stores it."""

    round_id: int
    global_root: int
    totals_hash: int
    market_hash: int
    block_number: int
    timestamp: int


def round_public_input(global_root: int, totals_hash: int, market_hash: int, round_id: int) -> int:
    """``P = Poseidon(globalRoot, totalsHash, marketHash, roundId)``: the root proof's public input."""
    return poseidon([global_root, totals_hash, market_hash, round_id])


def deployment_of(deployment: Deployment | str | os.PathLike[str]) -> Deployment:
    """``deployment`` itself, or the deployment read from that ``deployment.json``."""
    return deployment if isinstance(deployment, Deployment) else read_deployment(deployment)


def registry_contract(deployment: Deployment, rpc_url: str | None) -> tuple[Web3, Contract]:
    """Connect and check that the node is on the deployment's chain and has the registry's code."""
    url = rpc_url or deployment.rpc_url
    if not url:
        raise ChainError(
            "no RPC URL: pass one (the deployment is on a remote chain, whose URL is not recorded)"
        )
    w3 = connect(url)
    chain_id = int(w3.eth.chain_id)
    if chain_id != deployment.chain_id:
        raise ChainError(
            f"the node at {url} is on chain {chain_id}, the deployment on chain {deployment.chain_id}"
        )
    if not w3.eth.get_code(Web3.to_checksum_address(deployment.registry.address)):
        raise ChainError(
            f"no contract at {deployment.registry.address} on chain {chain_id} (node restarted?)"
        )
    address = Web3.to_checksum_address(deployment.registry.address)
    return w3, w3.eth.contract(address=address, abi=deployment.registry.abi)


def _field(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ChainError(f"{name} must be a non-negative integer, got {value!r}")
    return value


def publish_round(
    deployment: Deployment | str | os.PathLike[str],
    rpc_url: str | None,
    key: str,
    global_root: int,
    totals_hash: int,
    market_hash: int,
    round_id: int,
    proof: Proof,
    gas: int = PUBLISH_GAS_LIMIT,
) -> PublishedRound:
    """Send ``publishRound`` from the account of ``key``; the registry checks everything again."""
    d = deployment_of(deployment)
    values = [
        _field(n, v)
        for n, v in (
            ("globalRoot", global_root),
            ("totalsHash", totals_hash),
            ("marketHash", market_hash),
            ("roundId", round_id),
        )
    ]
    w3, registry = registry_contract(d, rpc_url)
    account = load_account(key)
    tx = registry.functions.publishRound(*values, proof_words(proof)).build_transaction(
        {"from": account.address, "gas": gas}
    )
    mined = transact(w3, account, tx, REGISTRY_NAME, [d.registry.abi, d.verifier.abi])
    public_input = round_public_input(*values)  # the dry run passed, so every value is below r
    return PublishedRound(round_id, public_input, mined.tx_hash, mined.block_number, mined.gas_used)


def _record(raw: Any) -> RoundRecord:
    round_id, global_root, totals_hash, market_hash, block_number, timestamp = raw
    return RoundRecord(
        int(round_id), int(global_root), int(totals_hash), int(market_hash), int(block_number), int(timestamp)
    )


def read_round(
    deployment: Deployment | str | os.PathLike[str], rpc_url: str | None, round_id: int | None = None
) -> RoundRecord | None:
    """The round ``round_id`` (the latest when ``None``), or ``None`` when there is no such round."""
    d = deployment_of(deployment)
    _, registry = registry_contract(d, rpc_url)
    call = registry.functions.latestRound() if round_id is None else registry.functions.getRound(round_id)
    try:
        return _record(call.call())
    except ContractLogicError as exc:
        err = decode_revert(exc, REGISTRY_NAME, [d.registry.abi])
        if isinstance(err, ContractRejected) and err.error in ("NoRounds", "UnknownRound"):
            return None
        raise err from None
