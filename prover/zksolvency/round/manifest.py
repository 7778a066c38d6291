"""The manifest of a round's bundle (``manifest.json``): what was proven, as the audit reads it.

The format is described in :mod:`zksolvency.round.bundle`; this module fills it from a
finished round: circuits with their hashes, the commitments of every level (batches,
nodes), the top root's slots and padding commitment, the global root, the totals by
name and as the hashed vector, the public value, and how the round was proven.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from zksolvency.ceremony.provenance import combined_kind
from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.ledger.batch import BatchDigest
from zksolvency.ledger.round_tree import RoundDigest
from zksolvency.model.market import Market
from zksolvency.round.bundle import (
    BUNDLE_FORMAT,
    MARKET,
    ROOT_PROOF,
    ROOT_PUBLIC,
    generator_info,
    proof_files,
    vkey_file,
)
from zksolvency.round.circuits import CircuitKeys
from zksolvency.round.levels import TreeShape


class OpenedLike(Protocol):
    """Anything with the commitment a proof stands for."""

    @property
    def commitment(self) -> int: ...


def circuit_json(keys: CircuitKeys, vkey: str) -> dict[str, object]:
    """A circuit as the manifest records it: its entry, counts, file hashes and key file."""
    return {
        **keys.entry.describe(),
        "constraints": keys.constraints,
        "domain_power": keys.domain_power,
        "r1cs_sha256": keys.r1cs_sha256,
        "zkey_sha256": keys.zkey_sha256,
        "vkey": vkey,
        "vkey_sha256": keys.vkey_sha256,
    }


def _listed(level: int, count: int, opened: Mapping[tuple[int, int], OpenedLike]) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = []
    for index in range(count):
        proof_file, public_file = proof_files(level, index)
        listed.append(
            {"commitment": str(opened[(level, index)].commitment), "proof": proof_file, "public": public_file}
        )
    return listed


def round_manifest(
    *,
    market_sha256: str,
    market: Market,
    size: CircuitSize,
    shape: TreeShape,
    opened: Mapping[tuple[int, int], OpenedLike],
    padding: BatchDigest,
    rd: RoundDigest,
    keys: Mapping[str, CircuitKeys | None],
    accounts: int,
    padded_to: int | None,
    proving: dict[str, object],
) -> dict[str, object]:
    """The manifest dictionary of a finished round (see the module docstring)."""
    n_assets, n_instruments = len(market.assets), len(market.instruments)
    balances = {a.name: str(t) for a, t in zip(market.assets, rd.totals[:n_assets], strict=True)}
    positions = {
        i.name: str(t)
        for i, t in zip(market.instruments, rd.totals[size.assets : size.assets + n_instruments], strict=True)
    }
    used = {name: k for name, k in keys.items() if k is not None}
    circuits = {name: circuit_json(k, vkey_file(name)) for name, k in used.items()}
    setup: dict[str, object] = {
        "unsafe": any(k.unsafe for k in used.values()),
        "ptau": next(iter(used.values())).ptau,
        "provenance": combined_kind([k.provenance for k in used.values()]),
        **{name: k.provenance.to_json() for name, k in used.items()},
    }
    return {
        "format": BUNDLE_FORMAT,
        "round_id": str(rd.round_id),
        "market": {"file": MARKET, "sha256": market_sha256, "hash": str(rd.market_hash)},
        "circuits": circuits,
        "setup": setup,
        "accounts": {
            "count": padded_to if padded_to is not None else accounts,
            "padded": padded_to is not None,
        },
        "batches": _listed(0, shape.batches, opened),
        "levels": [
            {"fan_in": shape.fan_in, "nodes": _listed(level, shape.count(level), opened)}
            for level in range(1, shape.depth + 1)
        ],
        "slots": len(rd.slots),
        "padding_commitment": str(padding.commitment),
        "global_root": str(rd.global_root),
        "totals": {
            "vector": [str(t) for t in rd.totals],
            "balances": balances,
            "positions": positions,
            "cost": str(rd.totals[-1]),
        },
        "totals_hash": str(rd.totals_hash),
        "public_value": str(rd.public_value),
        "root_proof": {"proof": ROOT_PROOF, "public": ROOT_PUBLIC},
        "proving": proving,
        "generator": generator_info(),
    }
