"""The private work folder of a round: what lets an interrupted run resume.

``<out's parent>/.<out's name>.work/`` (mode 0700) holds:

* ``state.json``: the input fingerprint, the round id and the round's one secret (the
  seed every salt, dummy and placement key derives from: ``round.plan``);
* ``batches/NNNNNN.json``: one record per batch proven *and verified*: its commitment,
  the hash of the verification key it verified under, the proof and public signals, the
  batch's root and sums; beside it ``NNNNNN.tree.json``, its sum tree (every node, and
  each leaf's commitment and cost total) for the inclusion files, kept apart so that the
  levels above read only the small records;
* ``levels/L/NNNNNN.json``: the same for node ``N`` of level ``L`` of a round's tree of
  roots (its commitment, the Merkle root over its children and its totals);
* ``root.json``: the same for the top root proof.

Records are written by the round's driver, atomically, from what the workers return
(workers need no shared file system), so a run killed at any moment leaves only whole
records. A resumed run reuses the secret and every record whose key hash and commitment
still match, and refuses a folder made for different input (another fingerprint). The
folder is removed once the bundle is in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from zksolvency.circuit.formats.snarkjs_json import (
    Proof,
    proof_from_json,
    proof_to_json,
    public_from_json,
    public_to_json,
)
from zksolvency.errors import FormatError, InputError
from zksolvency.ledger.leaf import LeafValues
from zksolvency.ledger.sumtree import Node, SumTree
from zksolvency.round.plan import RoundSecrets
from zksolvency.util.atomic import atomic_write_text

STATE_FORMAT = "zksolvency-round-work/2"


def work_dir_for(out: Path) -> Path:
    """The private work folder beside the bundle ``out``."""
    out = out.resolve()
    return out.parent / f".{out.name}.work"


def fingerprint(parts: dict[str, object]) -> str:
    """SHA-256 of the canonical JSON of what determines a round's batches."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class TreeData:
    """A batch's sum tree as the inclusion files need it.

    ``leaves[p]`` is ``(id commitment, cost total)`` of the leaf at position ``p`` (the
    balances and sizes are the leaf node's sums); ``levels`` are the tree's nodes, leaves
    first, root last.
    """

    leaves: tuple[tuple[int, int], ...]
    levels: tuple[tuple[Node, ...], ...]

    def tree(self) -> SumTree:
        return SumTree.from_levels(self.levels)

    def leaf(self, position: int, assets: int) -> LeafValues:
        commitment, cost_total = self.leaves[position]
        sums = self.levels[0][position].sums
        return LeafValues(commitment, cost_total, sums[:assets], sums[assets:])

    def to_json(self) -> dict[str, object]:
        return {
            "leaves": [[str(c), str(t)] for c, t in self.leaves],
            "levels": [[[str(n.hash), [str(v) for v in n.sums]] for n in level] for level in self.levels],
        }

    @classmethod
    def from_json(cls, obj: dict[str, list[list[object]]]) -> TreeData:
        leaves = tuple((int(str(pair[0])), int(str(pair[1]))) for pair in obj["leaves"])
        levels: list[tuple[Node, ...]] = []
        for level in obj["levels"]:
            nodes = []
            for item in level:
                if not isinstance(item, list) or len(item) != 2 or not isinstance(item[1], list):
                    raise ValueError("a tree node is [hash, [sums]]")
                nodes.append(Node(int(str(item[0])), tuple(int(str(v)) for v in item[1])))
            levels.append(tuple(nodes))
        return cls(leaves, tuple(levels))


@dataclass(frozen=True)
class ProofRecord:
    """A proof that was verified when it was made, and what it stands for.

    ``commitment``: the value the level above uses (a batch's ``c_b``, a node's commitment,
    the round's ``P``); ``public``: the proof's public signals. ``root`` and ``sums``: what
    the commitment opens to (batch: sum-tree root and sums; node: Merkle root over its
    children and its totals). ``tree``: a batch's sum tree.
    """

    commitment: int
    vkey_sha256: str
    proof: Proof
    public: list[int]
    seconds: float
    root: int = 0
    sums: tuple[int, ...] = ()
    tree: TreeData | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "commitment": str(self.commitment),
                "vkey_sha256": self.vkey_sha256,
                "proof": proof_to_json(self.proof),
                "public": public_to_json(self.public),
                "seconds": self.seconds,
                "root": str(self.root),
                "sums": [str(v) for v in self.sums],
                "tree": self.tree.to_json() if self.tree is not None else None,
            }
        )

    @classmethod
    def from_json(cls, text: str, what: str) -> ProofRecord:
        try:
            obj = json.loads(text)
            return cls(
                commitment=int(obj["commitment"]),
                vkey_sha256=str(obj["vkey_sha256"]),
                proof=proof_from_json(obj["proof"], f"{what}: proof"),
                public=public_from_json(obj["public"], f"{what}: public"),
                seconds=float(obj["seconds"]),
                root=int(obj["root"]),
                sums=tuple(int(v) for v in obj["sums"]),
                tree=TreeData.from_json(obj["tree"]) if obj["tree"] is not None else None,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{what}: malformed proof record: {exc}") from None


def _tree_path(record: Path) -> Path:
    return record.with_name(record.stem + ".tree.json")


class WorkDir:
    """Open (or create) the work folder of one round."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.batches = path / "batches"

    def exists(self) -> bool:
        return (self.path / "state.json").is_file()

    def create(self, fp: str, round_id: int, round_secrets: RoundSecrets) -> None:
        self.batches.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path, 0o700)
        state = {
            "format": STATE_FORMAT,
            "fingerprint": fp,
            "round_id": str(round_id),
            **round_secrets.to_json(),
        }
        atomic_write_text(self.path / "state.json", json.dumps(state))

    def load(self, fp: str) -> tuple[int, RoundSecrets]:
        """The stored round id and secret; ``InputError`` if the folder is for other input."""
        where = self.path / "state.json"
        try:
            state = json.loads(where.read_text(encoding="utf-8"))
            if state.get("format") != STATE_FORMAT:
                raise ValueError(f"unknown format {state.get('format')!r}")
            stored_fp, round_id = str(state["fingerprint"]), int(state["round_id"])
            round_secrets = RoundSecrets.from_json(state)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{where}: unreadable work state ({exc}); remove {self.path} to start over"
            ) from None
        if stored_fp != fp:
            raise InputError(
                f"{self.path} holds an interrupted round for different input (accounts, market, circuit, "
                "--pad-to or --fan-in changed); rerun with the original input, or remove that folder to "
                "start over"
            )
        return round_id, round_secrets

    def record_path(self, level: int, index: int) -> Path:
        """Where proof ``index`` of ``level`` is recorded (level 0: batches; -1: the top root)."""
        if level < 0:
            return self.path / "root.json"
        if level == 0:
            return self.batches / f"{index:06d}.json"
        return self.path / "levels" / str(level) / f"{index:06d}.json"

    def read_record(self, path: Path, tree: bool = True) -> ProofRecord | None:
        """The record at ``path`` (with its batch tree unless ``tree`` is False), or None when
        absent or unreadable (then it is proven again)."""
        try:
            record = ProofRecord.from_json(path.read_text(encoding="utf-8"), str(path))
            if tree and record.tree is None and _tree_path(path).is_file():
                data = json.loads(_tree_path(path).read_text(encoding="utf-8"))
                record = replace(record, tree=TreeData.from_json(data))
            return record
        except (OSError, FormatError, ValueError, KeyError, TypeError):
            return None

    def read_tree(self, level: int, index: int) -> TreeData:
        """The sum tree recorded with batch ``index`` (level 0)."""
        path = _tree_path(self.record_path(level, index))
        try:
            return TreeData.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{path}: unreadable batch tree: {exc}") from None

    def write_record(self, path: Path, record: ProofRecord) -> None:
        """The record (and, beside it, its batch tree): the tree first, so a record never lacks it."""
        if record.tree is not None:
            atomic_write_text(_tree_path(path), json.dumps(record.tree.to_json()))
        atomic_write_text(path, replace(record, tree=None).to_json())

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
