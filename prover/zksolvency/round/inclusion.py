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
memory does not grow with the number of accounts, by several forked processes for a large
round (each writes a contiguous range of batches; the files are the same whoever writes
them); ``index.json`` (id -> file, for the operator) lists them in placement order.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Job:
    """What writing a range of batches' files needs (inherited by forked processes)."""

    folder: Path
    plan: RoundPlan
    shape: TreeShape
    work: WorkDir
    opened: Mapping[tuple[int, int], Opening]
    rd: RoundDigest
    padding: BatchDigest


#: The job of the running ``write_inclusion_files``, set before the writer processes fork.
_CURRENT: _Job | None = None


def _write_batches(batches: range) -> Path:
    """Write the files of the real accounts of ``batches``, and a part of the index: one line
    ``"id": "file"`` per account, in placement order, in a hidden file whose path it returns."""
    job = _CURRENT
    assert job is not None, "no inclusion job"
    plan, assets = job.plan, job.plan.size.assets
    upper = _UpperPaths(job.shape, job.opened, job.padding, job.rd.tree)
    part = job.folder / f".index-{batches.start:012d}"
    written = part.open("w", encoding="utf-8")
    for batch in batches:
        members = [(p, code) for p, code in enumerate(plan.codes(batch)) if code >= 0]
        if not members:
            continue
        data = job.work.read_tree(0, batch)
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
                round_id=job.rd.round_id,
                global_root=job.rd.global_root,
            )
            name = inclusion_file_name(member.account.id)
            (job.folder / name).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
            written.write(json.dumps(member.account.id, ensure_ascii=False) + ": " + json.dumps(name) + "\n")
    written.close()
    return part


def _ranges(batches: int, parts: int) -> list[range]:
    """``range(batches)`` cut into at most ``parts`` contiguous pieces of near-equal size."""
    parts = max(1, min(parts, batches))
    bounds = [batches * k // parts for k in range(parts + 1)]
    return [range(bounds[k], bounds[k + 1]) for k in range(parts)]


def inclusion_processes(accounts: int) -> int:
    """How many processes write a round's inclusion files: one per core, one per 2,000 accounts at most."""
    return max(1, min(os.cpu_count() or 1, accounts // 2000))


def write_inclusion_files(
    out: Path,
    plan: RoundPlan,
    shape: TreeShape,
    work: WorkDir,
    opened: Mapping[tuple[int, int], Opening],
    rd: RoundDigest,
    padding: BatchDigest,
    processes: int | None = None,
) -> None:
    """One file per real account and ``index.json``, atomically as a directory (module docstring).

    ``processes`` (default :func:`inclusion_processes`) forked processes write contiguous ranges
    of batches; the files do not depend on how many wrote them, and ``index.json`` lists the
    accounts in placement order either way.
    """
    count = processes if processes is not None else inclusion_processes(len(plan.order))

    def fill(folder: Path) -> None:
        global _CURRENT
        _CURRENT = _Job(folder, plan, shape, work, opened, rd, padding)
        try:
            ranges = _ranges(plan.batches, count * 4)
            if count > 1 and "fork" in multiprocessing.get_all_start_methods():
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(count, mp_context=context) as pool:
                    parts = list(pool.map(_write_batches, ranges))
            else:
                parts = [_write_batches(r) for r in ranges]
        finally:
            _CURRENT = None
        with (folder / INDEX_FILE).open("w", encoding="utf-8") as index:
            index.write("{")
            first = True
            for part in parts:
                with part.open(encoding="utf-8") as lines:
                    for line in lines:
                        index.write(("\n " if first else ",\n ") + line.rstrip("\n"))
                        first = False
                part.unlink()
            index.write("\n}\n")

    build_directory(out, fill, mode=0o700)
