"""Inclusion files: one private file per account, written batch by batch at the end of a round.

The file (``zksolvency-inclusion/2``, JSON, handed to the account holder only) holds:

* ``account``: the account as the operator states it (id, balances, positions with each
  cost, JSON Lines shape), and ``salt``, the secret of its id commitment;
* ``leaf``: the leaf's values, padded to the circuit (commitment, cost total,
  balances, sizes);
* ``batch``: the batch index, the leaf's position, the inclusion path in the batch's
  Merkle sum tree (per level the position and the three siblings' hashes and sums),
  the batch's cost sum (the sum of its leaves' cost totals: not in the tree, so that
  no sibling's cost total is shown) and its sums hash;
* ``levels``: for a round with a tree of roots (``round.levels``), per level of nodes
  from the bottom: the node over the account's batch (or node), the hash of that
  node's totals, and the path of the child's commitment in the node's 4-ary tree;
* ``global``: the path of the top-level commitment in the top root's 4-ary tree.

The holder's check is :mod:`zksolvency.round.inclusion_verify`. The files are written
in placement order, one batch at a time (its sum tree read from the work folder), so
memory does not grow with the number of accounts; ``index.json`` (id -> file, for the
operator) is written as they go.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from zksolvency.ledger.batch import BatchDigest
from zksolvency.ledger.commitment import sums_hash
from zksolvency.ledger.leaf import LeafValues
from zksolvency.ledger.round_tree import GlobalStep, MerkleTree4, RoundDigest
from zksolvency.ledger.sumtree import Node, SumTree
from zksolvency.model.accounts import Account, account_to_obj
from zksolvency.model.market import Market
from zksolvency.round.bundle import build_directory
from zksolvency.round.levels import TreeShape
from zksolvency.round.plan import RoundPlan
from zksolvency.round.workdir import WorkDir

INCLUSION_FORMAT = "zksolvency-inclusion/2"
INDEX_FILE = "index.json"


class Opening(Protocol):
    """What a proof of the tree stands for: its commitment and the sums under it."""

    @property
    def commitment(self) -> int: ...

    @property
    def sums(self) -> tuple[int, ...]: ...


def inclusion_file_name(account_id: str) -> str:
    """``acct-<first 20 hex digits of SHA-256(id)>.json``: safe for any id, private by itself."""
    return f"acct-{hashlib.sha256(account_id.encode('utf-8')).hexdigest()[:20]}.json"


def _node_json(node: Node) -> dict[str, object]:
    return {"hash": str(node.hash), "sums": [str(v) for v in node.sums]}


def _global_path(path: Sequence[GlobalStep]) -> list[dict[str, object]]:
    return [{"position": step.position, "siblings": [str(s) for s in step.siblings]} for step in path]


def inclusion_document(
    *,
    account: Account,
    salt: int,
    market: Market,
    batch_index: int,
    position: int,
    leaf: LeafValues,
    tree: SumTree,
    cost_sum: int,
    batch_sums_hash: int,
    levels: list[dict[str, object]],
    global_path: Sequence[GlobalStep],
    round_id: int,
    global_root: int,
) -> dict[str, object]:
    """The inclusion file of ``account`` at ``position`` of batch ``batch_index``.

    ``batch_sums_hash`` is ``sums_hash((*tree.root.sums, cost_sum))``, the same for every account
    of the batch (computed once per batch by the caller: a Python Poseidon costs about 1 ms).
    """
    return {
        "format": INCLUSION_FORMAT,
        "round_id": str(round_id),
        "global_root": str(global_root),
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
            "sums_hash": str(batch_sums_hash),
            "cost_sum": str(cost_sum),
            "path": [
                {"position": step.position, "siblings": [_node_json(s) for s in step.siblings]}
                for step in tree.path(position)
            ],
        },
        "levels": levels,
        "global": {"path": _global_path(global_path)},
    }


class _UpperPaths:
    """The paths above a batch: each level's node trees, built once per node as batches go by."""

    def __init__(
        self,
        shape: TreeShape,
        opened: Mapping[tuple[int, int], Opening],
        padding: BatchDigest,
        top: MerkleTree4,
    ) -> None:
        self.shape = shape
        self.opened = opened
        self.padding = padding
        self.top = top
        self._trees: dict[tuple[int, int], MerkleTree4] = {}

    def _tree(self, level: int, node: int) -> MerkleTree4:
        if (level, node) not in self._trees:
            self._trees = {k: v for k, v in self._trees.items() if k[0] != level}  # one node per level kept
            children = [self.opened[(level - 1, k)].commitment for k in self.shape.children(level, node)]
            children += [self.padding.commitment] * (self.shape.fan_in - len(children))
            self._trees[(level, node)] = MerkleTree4(children)
        return self._trees[(level, node)]

    def of(self, batch: int) -> tuple[list[dict[str, object]], list[GlobalStep]]:
        """The ``levels`` entries and the top path of ``batch``."""
        levels: list[dict[str, object]] = []
        index = batch
        for level in range(1, self.shape.depth + 1):
            node = index // self.shape.fan_in
            totals = self.opened[(level, node)].sums
            levels.append(
                {
                    "node": node,
                    "totals_hash": str(sums_hash(totals)),
                    "path": _global_path(self._tree(level, node).path(index % self.shape.fan_in)),
                }
            )
            index = node
        return levels, self.top.path(index)


def write_inclusion_files(
    out: Path,
    plan: RoundPlan,
    shape: TreeShape,
    work: WorkDir,
    opened: Mapping[tuple[int, int], Opening],
    rd: RoundDigest,
    padding: BatchDigest,
) -> None:
    """One file per real account and ``index.json``, atomically as a directory (module docstring)."""
    upper = _UpperPaths(shape, opened, padding, rd.tree)
    assets = plan.size.assets

    def fill(folder: Path) -> None:
        with (folder / INDEX_FILE).open("w", encoding="utf-8") as index:
            index.write("{")
            first = True
            for batch in range(plan.batches):
                members = [(p, code) for p, code in enumerate(plan.codes(batch)) if code >= 0]
                if not members:
                    continue
                data = work.read_tree(0, batch)
                tree = data.tree()
                cost_sum = sum(cost for _commitment, cost in data.leaves)
                batch_sums_hash = sums_hash((*tree.root.sums, cost_sum))
                levels, global_path = upper.of(batch)
                for position, code in members:
                    member = plan.member(code)
                    document = inclusion_document(
                        account=member.account,
                        salt=member.secret,
                        market=plan.market,
                        batch_index=batch,
                        position=position,
                        leaf=data.leaf(position, assets),
                        tree=tree,
                        cost_sum=cost_sum,
                        batch_sums_hash=batch_sums_hash,
                        levels=levels,
                        global_path=global_path,
                        round_id=rd.round_id,
                        global_root=rd.global_root,
                    )
                    name = inclusion_file_name(member.account.id)
                    (folder / name).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
                    index.write(
                        ("\n " if first else ",\n ") + json.dumps(member.account.id, ensure_ascii=False)
                    )
                    index.write(": " + json.dumps(name))
                    first = False
            index.write("\n}\n")

    build_directory(out, fill, mode=0o700)
