"""The audit of a round's levels of nodes (rounds larger than one root circuit holds).

For level ``L`` (1 = just above the batches) with fan-in ``F``, the bundle lists
``ceil(n_{L-1} / F)`` nodes, each with a commitment ``P_k`` and a proof under the node
key. For node ``k`` the audit:

1. takes the children the level below lists, ``kF .. kF + F - 1``, padded with the
   padding commitment, and computes their 4-ary Merkle root ``M_k``;
2. verifies the node proof, and checks that its one public signal is
   ``Poseidon(M_k, P_k)``.

The node circuit proved that ``P_k = Poseidon(M_k, HashVector(totals_k), market_hash,
round_id)`` for children it opened as ``(root, sums)`` pairs whose commitments it
recomputed with this round id; so ``P_k`` stands for exactly the listed children and the
sum of their sums, which is what the level above (or the top root) opens it as. The
level shape is the canonical one of :mod:`zksolvency.round.levels` (a level exists only
while the level below has more than ``F`` commitments), so a bundle has one shape for
its batch count.
"""

from __future__ import annotations

from collections.abc import Callable

from zksolvency.circuit.formats.snarkjs_json import VerificationKey
from zksolvency.errors import FormatError
from zksolvency.ledger.round_tree import MerkleTree4, node_public
from zksolvency.round.bundle import Bundle, BundleProof
from zksolvency.round.report import Report

#: Verify ``proof`` under ``key`` and report it as check ``name``.
VerifyStep = Callable[[Report, str, VerificationKey | None, BundleProof], None]


def check_levels(
    bundle: Bundle,
    report: Report,
    node_key: VerificationKey | None,
    padding: int | None,
    batches: list[int],
    verify: VerifyStep,
) -> list[list[int]]:
    """Check every level of nodes (module docstring); the listed commitments of every level,
    the batches first. A level that cannot be read is a failed check and ends the climb."""
    levels = [batches]
    for level in range(1, bundle.level_count() + 1):
        name = f"level {level}"
        try:
            fan_in = bundle.fan_in(level)
            listed = bundle.level_commitments(level)
        except FormatError as exc:
            report.add(name, False, str(exc))
            return levels
        below = levels[-1]
        expected = -(-len(below) // fan_in)
        node_slots = bundle.integer("circuits", "node", "slots") if "node" in _circuits(bundle) else None
        problems = []
        if node_slots != fan_in:
            problems.append(f"fan-in {fan_in} is not the node circuit's {node_slots} slots")
        if len(below) <= fan_in:
            problems.append(f"{len(below)} commitments below fit one node: this level should not exist")
        if len(listed) != expected:
            problems.append(f"{len(listed)} nodes listed for {len(below)} children, not {expected}")
        if padding is None:
            problems.append("no checked padding commitment")
        if not report.add(
            name, not problems, "; ".join(problems) or f"{len(listed)} nodes of {fan_in} children"
        ):
            return levels
        assert padding is not None
        for k, commitment in enumerate(listed):
            children = below[k * fan_in : (k + 1) * fan_in]
            children += [padding] * (fan_in - len(children))
            node_root = MerkleTree4(children).root
            try:
                item = bundle.node_proof(level, k)
            except (FormatError, OSError) as exc:
                report.add(f"{name} node {k} proof", False, str(exc))
                continue
            verify(report, f"{name} node {k} proof", node_key, item)
            bound = item.public == [node_public(node_root, commitment)]
            report.add(
                f"{name} node {k} commitment",
                bound,
                "public signal is Poseidon(root over its listed children, its listed commitment)"
                if bound
                else "public signal does NOT bind the listed children to the listed commitment",
            )
        levels.append(listed)
    return levels


def _circuits(bundle: Bundle) -> dict[str, object]:
    circuits = bundle.field("circuits")
    if not isinstance(circuits, dict):
        raise FormatError(f"{bundle.path}: circuits is not an object")
    return circuits
