"""Inclusion proofs: one private file per account, and the check its holder runs.

The file (``zksolvency-inclusion/2``, JSON, handed to the account holder only) holds:

* ``account``: the account as the operator states it (id, balances, positions with each
  cost, JSON Lines shape), and ``salt``, the secret of its id commitment;
* ``leaf``: the leaf's values, padded to the circuit (commitment, cost total,
  balances, sizes);
* ``batch``: the batch index, the leaf's position, the inclusion path in the batch's
  Merkle sum tree (per level the position and the three siblings' hashes and sums),
  the batch's cost sum (the sum of its leaves' cost totals: not in the tree, so that
  no sibling's cost total is shown) and its sums hash;
* ``global``: the path of the batch commitment in the round's 4-ary Merkle tree.

The holder's check is :mod:`zksolvency.round.inclusion_verify`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from zksolvency.ledger.batch import BatchDigest
from zksolvency.ledger.round_tree import RoundDigest
from zksolvency.ledger.sumtree import Node
from zksolvency.model.accounts import Account, account_to_obj
from zksolvency.model.market import Market
from zksolvency.round.bundle import build_directory

INCLUSION_FORMAT = "zksolvency-inclusion/2"
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
            "cost_sum": str(digest.cost_sum),
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
