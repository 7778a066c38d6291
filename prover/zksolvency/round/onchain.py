"""A round's bundle and the on-chain registry: publish it, and check that the chain holds it.

``ensure_snapshot_registered`` registers the bundle's market snapshot with the registry's
committee, using the signatures the bundle carries, unless it is registered already.
``publish_bundle`` sends the bundle's public values (global root, totals hash, market
hash, round id) and its root proof to ``SolvencyRegistry.publishRound``; the registry
accepts only a round whose snapshot is registered, recomputes ``P = Poseidon(globalRoot,
totalsHash, marketHash, roundId)`` and accepts only a proof its verifier accepts.
``onchain_checks`` is the ``audit --rpc-url`` step: the registry's verifier was rendered
from the bundle's root verification key, it holds the bundle's snapshot (same SHA-256
and time) and its record of the round equals the bundle's values.

The values sent are the manifest's; ``audit`` checks them against the proofs and the
snapshot, so publish an audited bundle (the registry would refuse a mismatched one
anyway: its proof would not verify).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zksolvency.chain import (
    ChainError,
    Deployment,
    PublishedRound,
    RegisteredSnapshot,
    publish_round,
    read_round,
    read_snapshot,
    register_snapshot,
)
from zksolvency.chain.registry import deployment_of
from zksolvency.chain.verifier_render import verification_key_hash
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.oracle.signatures_file import signed_snapshot_from_json
from zksolvency.round.audit_oracle import oracle_json
from zksolvency.round.bundle import Bundle
from zksolvency.round.report import Report


@dataclass(frozen=True)
class BundleRound:
    """What a bundle asks the registry to record, with the root proof and its key."""

    global_root: int
    totals_hash: int
    market_hash: int
    round_id: int
    proof: Proof
    root_vkey: VerificationKey


def bundle_round(bundle: Bundle) -> BundleRound:
    """The public values, root proof and root key of ``bundle`` (``FormatError`` if missing)."""
    return BundleRound(
        global_root=bundle.integer("global_root"),
        totals_hash=bundle.integer("totals_hash"),
        market_hash=bundle.integer("market", "hash"),
        round_id=bundle.integer("round_id"),
        proof=bundle.root_proof().proof,
        root_vkey=bundle.vkey("root"),
    )


def check_key_matches(deployment: Deployment, root_vkey: VerificationKey) -> None:
    """``ChainError`` unless the deployed verifier was rendered from ``root_vkey``."""
    ours = verification_key_hash(root_vkey)
    if ours != deployment.verification_key_hash:
        raise ChainError(
            f"the registry's verifier is for key {deployment.verification_key_hash}, "
            f"the bundle's root key is {ours}: deploy contracts for this bundle's keys"
        )


def publish_bundle(
    bundle_path: Path, deployment: Deployment | str | os.PathLike[str], rpc_url: str | None, key: str
) -> PublishedRound:
    """Publish the round of the bundle at ``bundle_path`` from the account of ``key``."""
    d = deployment_of(deployment)
    values = bundle_round(Bundle(bundle_path))
    check_key_matches(d, values.root_vkey)
    return publish_round(
        d,
        rpc_url,
        key,
        values.global_root,
        values.totals_hash,
        values.market_hash,
        values.round_id,
        values.proof,
    )


def ensure_snapshot_registered(
    bundle_path: Path, deployment: Deployment | str | os.PathLike[str], rpc_url: str | None, key: str
) -> RegisteredSnapshot | None:
    """Register the bundle's snapshot with the signatures it carries; ``None`` if it was registered.

    ``ChainError`` when it is not registered and the bundle carries no signatures;
    :class:`~zksolvency.chain.errors.ContractRejected` when the registry refuses them.
    """
    d = deployment_of(deployment)
    bundle = Bundle(bundle_path)
    market_hash = bundle.integer("market", "hash")
    if read_snapshot(d, rpc_url, market_hash) is not None:
        return None
    if "oracle" not in bundle.manifest:
        raise ChainError(
            f"the registry holds no snapshot with market hash {market_hash} and the bundle carries no "
            "signatures: register it with `zksolvency market register`"
        )
    signed = signed_snapshot_from_json(oracle_json(bundle, "signatures"), "oracle/signatures.json")
    return register_snapshot(d, rpc_url, key, signed)


def onchain_checks(
    deployment: Deployment | str | os.PathLike[str], rpc_url: str | None
) -> Callable[[Bundle, Report], None]:
    """The ``audit`` step that compares the bundle with the registry's record of its round."""
    d = deployment_of(deployment)

    def check(bundle: Bundle, report: Report) -> None:
        values: BundleRound | None = None

        def key_step() -> tuple[bool, str]:
            nonlocal values
            values = bundle_round(bundle)
            check_key_matches(d, values.root_vkey)
            return True, f"the registry's verifier is for the bundle's root key {d.verification_key_hash}"

        report.attempt("on-chain verifier key", key_step)

        def snapshot_step() -> tuple[bool, str]:
            current = values or bundle_round(bundle)
            record = read_snapshot(d, rpc_url, current.market_hash)
            if record is None:
                return False, f"the registry holds no snapshot with market hash {current.market_hash}"
            market = bundle.file(bundle.text("market", "file"))
            if record.snapshot_sha256 != hashlib.sha256(market.read_bytes()).digest():
                return False, "the registered snapshot's SHA-256 is not that of the bundle's market.json"
            return True, (
                f"registered in block {record.block_number} with the committee's signatures: the bundle's "
                f"market.json (SHA-256), time {record.snapshot_time}"
            )

        report.attempt("on-chain snapshot", snapshot_step)

        def round_step() -> tuple[bool, str]:
            current = values or bundle_round(bundle)
            record = read_round(d, rpc_url, current.round_id)
            if record is None:
                return False, f"the registry at {d.registry.address} holds no round {current.round_id}"
            mine = (current.global_root, current.totals_hash, current.market_hash)
            theirs = (record.global_root, record.totals_hash, record.market_hash)
            names = ("global root", "totals hash", "market hash")
            differ = [n for n, a, b in zip(names, mine, theirs, strict=True) if a != b]
            if differ:
                return False, f"round {current.round_id} on chain differs in: {', '.join(differ)}"
            return True, (
                f"round {current.round_id} on chain {d.chain_id} (block {record.block_number}) holds the "
                "bundle's global root, totals hash and market hash"
            )

        report.attempt("on-chain round", round_step)

    return check
