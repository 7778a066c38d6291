"""Circuit families: the statements the toolkit proves, and what the shared stages need of each.

A family is a folder of circom sources (``circuits/<folder>/``), the lists of shipped mains it
owns in ``circuits/manifest.json``, the Solidity sources of the contract that acts on its proofs
(with the contracts an artifact keeps), and the number of public signals of the proof that goes on
chain. The shared stages take a family as a parameter instead of naming solvency:

* compile and setup (:func:`zksolvency.round.circuits.prepare_keys`) take any shipped main, named
  by :class:`CircuitSource` (a name and a ``.circom`` file);
* the manifest is read per family (:func:`manifest_entries`), each list owned by one family;
* contracts are rendered and compiled per family (:func:`zksolvency.chain.artifact.build_artifact`
  with ``family=``): the rendered verifier for the key, the rendered Poseidon, and the family's
  own sources.

Two families ship: ``solvency`` (rounds: batch, node and root circuits, ``SolvencyRegistry``) and
``trades`` (trade batches, ``SettlementGate``). A third adds a circuits folder, a package beside
``zksolvency.trades`` with its input builder, its manifest list, its contract, and one entry in
:data:`FAMILIES`; the shared stages do not change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from zksolvency.errors import SetupError

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "circuits" / "manifest.json"


class CircuitSource(Protocol):
    """A shipped main: what compile and setup need (its name keys the caches)."""

    @property
    def name(self) -> str: ...

    @property
    def main(self) -> Path: ...


@dataclass(frozen=True)
class CircuitFamily:
    """One statement: its circuits, manifest lists and contract (see the module docstring)."""

    name: str
    #: The folder of its circom sources, under ``circuits/``.
    folder: str
    #: The lists of ``circuits/manifest.json`` this family owns.
    manifest_lists: tuple[str, ...]
    #: The contract that acts on the family's on-chain proof.
    contract: str
    #: Solidity files (in ``verifier-contracts/src``) compiled with the rendered verifier and Poseidon.
    sources: tuple[str, ...]
    #: Contracts an artifact keeps, besides ``Groth16Verifier``.
    deployable: tuple[str, ...]
    #: Public signals of the proof that goes on chain (``None``: any).
    public_signals: int | None


SOLVENCY = CircuitFamily(
    name="solvency",
    folder="solvency",
    manifest_lists=("solvency", "root", "node"),
    contract="SolvencyRegistry",
    sources=(
        "SolvencyRegistry.sol",
        "SnapshotCommittee.sol",
        "CommitteeQuorum.sol",
        "IGroth16Verifier.sol",
        "PoseidonT5Hasher.sol",
    ),
    deployable=("SolvencyRegistry", "PoseidonT5Hasher"),
    public_signals=None,
)
TRADES = CircuitFamily(
    name="trades",
    folder="trades",
    manifest_lists=("trades",),
    contract="SettlementGate",
    sources=("SettlementGate.sol", "CommitteeQuorum.sol", "IGroth16Verifier.sol"),
    deployable=("SettlementGate",),
    public_signals=2,
)
FAMILIES: dict[str, CircuitFamily] = {f.name: f for f in (SOLVENCY, TRADES)}


def family(name: str) -> CircuitFamily:
    """The family called ``name``."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise SetupError(f"no circuit family {name!r} (known: {', '.join(FAMILIES)})") from None


def manifest_entries(owner: CircuitFamily, list_name: str, path: Path = MANIFEST) -> list[dict[str, object]]:
    """The raw entries of ``list_name`` in the manifest, which must be a list ``owner`` owns."""
    if list_name not in owner.manifest_lists:
        raise SetupError(f"manifest list {list_name!r} does not belong to family {owner.name!r}")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SetupError(f"{path}: cannot read the circuit manifest: {exc}") from None
    entries = document.get(list_name, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SetupError(f"{path}: {list_name!r} is not a list of objects")
    return entries


def check_manifest_lists(path: Path = MANIFEST) -> None:
    """Every list in the manifest belongs to exactly one family (``_about`` aside)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    owners: dict[str, str] = {}
    for f in FAMILIES.values():
        for list_name in f.manifest_lists:
            if list_name in owners:
                raise SetupError(f"manifest list {list_name!r} claimed by {owners[list_name]} and {f.name}")
            owners[list_name] = f.name
    stray = [k for k in document if not k.startswith("_") and k not in owners]
    if stray:
        raise SetupError(f"{path}: manifest lists {stray} belong to no circuit family")
