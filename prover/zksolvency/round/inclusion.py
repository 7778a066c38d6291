"""Inclusion proofs: one private file per account, and the check its holder runs.

The file (``zksolvency-inclusion/1``, JSON, handed to the account holder only) holds:

* ``account``: the account as the operator proved it (id, balances, positions, JSON
  Lines shape), and ``salt``, the secret of its id commitment;
* ``leaf``: the leaf's values, padded to the circuit (commitment, cost total,
  balances, sizes);
* ``batch``: the batch index, the leaf's position, the inclusion path in the batch's
  Merkle sum tree (per level the position and the three siblings' hashes and sums),
  and the batch's sums hash;
* ``global``: the path of the batch commitment in the round's 4-ary Merkle tree.

The check recomputes everything from what the holder knows, then compares with the
bundle::

    commitment = Poseidon(id_field_element(id), salt)
    leaf       = HashVector(commitment, sum(costs), pack(balances ++ sizes))
    (root_b, sums_b) = root_from_path((leaf, balances ++ sizes), batch path)
    c_b        = Poseidon(root_b, HashVector(sums_b), market_hash)   == bundle's batches[b]
    global     = root_from_global_path(c_b, global path)             == bundle's global_root

A changed balance, position, salt or sibling changes a hash on the way and the check
fails at the first step that no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import CircuitSize, account_values
from zksolvency.errors import FormatError
from zksolvency.hashing import poseidon
from zksolvency.ledger.batch import BatchDigest
from zksolvency.ledger.commitment import market_hash, sums_hash
from zksolvency.ledger.leaf import LeafValues, id_commitment
from zksolvency.ledger.packing import ARITY
from zksolvency.ledger.round_tree import GlobalStep, RoundDigest, root_from_global_path
from zksolvency.ledger.sumtree import Node, PathStep, root_from_path
from zksolvency.model.accounts import Account, account_from_obj, account_to_obj
from zksolvency.model.fields import decode_utf8
from zksolvency.model.margin import evaluate
from zksolvency.model.market import Market, parse_market
from zksolvency.round.bundle import Bundle, build_directory
from zksolvency.round.report import Report

INCLUSION_FORMAT = "zksolvency-inclusion/1"
INDEX_FILE = "index.json"


def inclusion_file_name(account_id: str) -> str:
    """``acct-<first 20 hex digits of SHA-256(id)>.json``: safe for any id, private by itself."""
    return f"acct-{hashlib.sha256(account_id.encode('utf-8')).hexdigest()[:20]}.json"


def _node_json(node: Node) -> dict[str, object]:
    return {"hash": str(node.hash), "sums": [str(v) for v in node.sums]}


def inclusion_document(
    account: Account,
    salt: int,
    market: Market,
    batch_index: int,
    position: int,
    digest: BatchDigest,
    round_digest: RoundDigest,
    round_id: int,
) -> dict[str, object]:
    """The inclusion file of ``account`` at ``position`` of batch ``batch_index``."""
    leaf = digest.leaves[position]
    return {
        "format": INCLUSION_FORMAT,
        "round_id": str(round_id),
        "global_root": str(round_digest.global_root),
        "account": account_to_obj(account, market),
        "salt": str(salt),
        "leaf": {
            "commitment": str(leaf.commitment),
            "cost_total": str(leaf.cost_total),
            "balances": [str(v) for v in leaf.balances],
            "sizes": [str(v) for v in leaf.sizes],
        },
        "batch": {
            "index": batch_index,
            "position": position,
            "sums_hash": str(digest.sums_hash),
            "path": [
                {"position": step.position, "siblings": [_node_json(s) for s in step.siblings]}
                for step in digest.tree.path(position)
            ],
        },
        "global": {
            "path": [
                {"position": step.position, "siblings": [str(s) for s in step.siblings]}
                for step in round_digest.tree.path(batch_index)
            ]
        },
    }


def write_inclusion_dir(out: Path, documents: dict[str, dict[str, object]]) -> None:
    """Write one file per account id and ``index.json`` (id -> file), atomically as a directory."""

    def fill(folder: Path) -> None:
        index: dict[str, str] = {}
        for account_id, document in documents.items():
            name = inclusion_file_name(account_id)
            (folder / name).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
            index[account_id] = name
        (folder / INDEX_FILE).write_text(
            json.dumps(index, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        )

    build_directory(out, fill, mode=0o700)


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    account_obj: object
    salt: int
    leaf: dict[str, object]
    batch_index: int
    position: int
    sums_hash: int
    batch_path: list[PathStep]
    global_path: list[GlobalStep]


def _ints(values: object, what: str) -> list[int]:
    if not isinstance(values, list):
        raise FormatError(f"{what}: not a list")
    return [int(str(v)) for v in values]


def _parse(document: object) -> _Parsed:
    if not isinstance(document, dict) or document.get("format") != INCLUSION_FORMAT:
        raise FormatError(f"not an inclusion proof (format must be {INCLUSION_FORMAT!r})")
    try:
        batch, glob = document["batch"], document["global"]
        batch_path = [
            PathStep(
                int(step["position"]),
                tuple(Node(int(s["hash"]), tuple(_ints(s["sums"], "sums"))) for s in step["siblings"]),
            )
            for step in batch["path"]
        ]
        global_path = [
            GlobalStep(int(step["position"]), tuple(_ints(step["siblings"], "siblings")))
            for step in glob["path"]
        ]
        return _Parsed(
            account_obj=document["account"],
            salt=int(document["salt"]),
            leaf=dict(document["leaf"]),
            batch_index=int(batch["index"]),
            position=int(batch["position"]),
            sums_hash=int(batch["sums_hash"]),
            batch_path=batch_path,
            global_path=global_path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"malformed inclusion proof: {type(exc).__name__}: {exc}") from None


def _index_of(positions: Sequence[int]) -> int:
    """The leaf index a path's positions spell, least significant level first."""
    return sum(position * ARITY**level for level, position in enumerate(positions))


def verify_inclusion(bundle_path: Path, proof_path: Path, account_id: str) -> Report:
    """Check an inclusion proof against a bundle, step by step (see the module docstring).

    Raises ``FormatError`` when the bundle or the proof cannot be read at all.
    """
    report = Report()
    bundle = Bundle(bundle_path)
    try:
        document = json.loads(proof_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(f"{proof_path}: unreadable inclusion proof: {exc}") from None
    parsed = _parse(document)

    # 1. The bundle's snapshot, validated as the auditor does.
    market_file = bundle.file(bundle.text("market", "file"))
    raw = market_file.read_bytes()
    market = parse_market(decode_utf8(raw, str(market_file)), str(market_file))
    batch_circuit = bundle.field("circuits", "batch")
    if not isinstance(batch_circuit, dict):
        raise FormatError(f"{bundle_path}: circuits.batch is not an object")
    size = CircuitSize(
        int(batch_circuit["assets"]),
        int(batch_circuit["instruments"]),
        int(batch_circuit["scenarios"]),
        int(batch_circuit["batch"]),
    )
    digest_m = market_hash(market, size)
    if not report.add(
        "market snapshot",
        digest_m == bundle.integer("market", "hash"),
        f"{market_file.name}: {len(market.assets)} assets, {len(market.instruments)} instruments; "
        "its hash matches the manifest"
        if digest_m == bundle.integer("market", "hash")
        else "its hash does not match the manifest's market.hash",
    ):
        return report

    # 2. The account, as the holder knows it.
    account = account_from_obj(parsed.account_obj, market, str(proof_path))
    if not report.add(
        "account id",
        account.id == account_id,
        f"the proof is for {account.id!r}" + ("" if account.id == account_id else f", not {account_id!r}"),
    ):
        return report
    balances, sizes, cost_total = account_values(account, size)
    shown = ", ".join(f"{a.name} {b}" for a, b in zip(market.assets, account.balances, strict=True) if b)
    held = ", ".join(f"{i.name} {s}" for i, s in zip(market.instruments, account.sizes, strict=True) if s)
    report.add("account values", True, f"balances: {shown or 'none'}; positions: {held or 'none'}")

    # 3. The leaf, recomputed from id + salt and the values.
    if not 0 <= parsed.salt < R:
        report.add("id commitment", False, "the salt is not a field element")
        return report
    commitment = id_commitment(account.id, parsed.salt)
    listed = (
        int(str(parsed.leaf.get("commitment"))),
        int(str(parsed.leaf.get("cost_total"))),
        _ints(parsed.leaf.get("balances"), "leaf.balances"),
        _ints(parsed.leaf.get("sizes"), "leaf.sizes"),
    )
    report.add(
        "id commitment",
        commitment == listed[0],
        "Poseidon(id, salt) "
        + (
            "equals the leaf's commitment"
            if commitment == listed[0]
            else "differs from the leaf's commitment"
        ),
    )
    same_values = (cost_total % R, balances, sizes) == (listed[1] % R, listed[2], listed[3])
    report.add(
        "leaf values",
        same_values,
        "balances, sizes and cost total equal the leaf's"
        if same_values
        else "the account's balances, sizes or costs differ from the leaf the operator committed",
    )
    leaf = LeafValues(commitment, cost_total, tuple(balances), tuple(sizes))
    leaf_node = Node(leaf.hash(), leaf.sums)

    # 4. Up the batch's sum tree, then to the batch commitment.
    try:
        batch_root = root_from_path(leaf_node, parsed.batch_path)
    except ValueError as exc:  # a sibling's sums out of bound, a malformed step
        report.add("batch sums", False, f"the batch path is not a path of a sum tree: {exc}")
        return report
    own_hash = sums_hash(batch_root.sums)
    report.add(
        "batch sums",
        own_hash == parsed.sums_hash
        and _index_of([s.position for s in parsed.batch_path]) == parsed.position,
        f"path of {len(parsed.batch_path)} levels gives the batch root and sums; "
        + (
            "the sums hash matches"
            if own_hash == parsed.sums_hash
            else "the sums hash does NOT match the file's"
        ),
    )
    c_b = poseidon([batch_root.hash, own_hash, digest_m])
    commitments = bundle.commitments()
    b = parsed.batch_index
    in_range = 0 <= b < len(commitments)
    if not report.add(
        "batch commitment",
        in_range and commitments[b] == c_b,
        "Poseidon(batch root, sums hash, market hash) "
        + (
            f"equals the bundle's batch {b} commitment"
            if in_range and commitments[b] == c_b
            else f"is not the bundle's batch {b} commitment"
        ),
    ):
        return report

    # 5. Up the global tree to the round's root.
    try:
        global_root = root_from_global_path(c_b, parsed.global_path)
    except ValueError as exc:
        report.add("global root", False, f"the global path is malformed: {exc}")
        return report
    ok = (
        global_root == bundle.integer("global_root")
        and _index_of([s.position for s in parsed.global_path]) == b
    )
    report.add(
        "global root",
        ok,
        f"the global path of {len(parsed.global_path)} levels "
        + ("reaches the bundle's global root" if ok else "does NOT reach the bundle's global root"),
    )
    round_ok = str(document.get("round_id")) == str(bundle.integer("round_id"))
    report.add("round", round_ok, f"round {bundle.integer('round_id')}")

    # 6. The account's own margin under the published snapshot.
    result = evaluate(account, market)
    report.add(
        "margin",
        result.solvent,
        f"equity {result.equity} >= requirement {result.requirement}"
        if result.solvent
        else f"equity {result.equity} < requirement {result.requirement}",
    )
    return report
