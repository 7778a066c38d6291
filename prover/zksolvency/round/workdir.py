"""The private work folder of a round: what lets an interrupted run resume.

``<out's parent>/.<out's name>.work/`` (mode 0700) holds:

* ``state.json``: the input fingerprint, the round id and the round's secrets (placement
  seed, salts, dummy commitments);
* ``batches/NNNNNN.json``: one record per batch proven *and verified*: its commitment,
  the hash of the verification key it verified under, the proof and public signals;
* ``root.json``: the same for the root proof.

Each record is written atomically by whoever proved it, so a run killed at any moment
leaves only whole records. A resumed run reuses the secrets and every record whose
key hash and commitment still match, and refuses a folder made for different input
(another fingerprint). The folder is removed once the bundle is in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from zksolvency.circuit.formats.snarkjs_json import (
    Proof,
    proof_from_json,
    proof_to_json,
    public_from_json,
    public_to_json,
)
from zksolvency.errors import FormatError, InputError
from zksolvency.round.plan import RoundSecrets
from zksolvency.util.atomic import atomic_write_text

STATE_FORMAT = "zksolvency-round-work/1"


def work_dir_for(out: Path) -> Path:
    """The private work folder beside the bundle ``out``."""
    out = out.resolve()
    return out.parent / f".{out.name}.work"


def fingerprint(parts: dict[str, object]) -> str:
    """SHA-256 of the canonical JSON of what determines a round's batches."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ProofRecord:
    """A proof that was verified when it was made."""

    commitment: int
    vkey_sha256: str
    proof: Proof
    public: list[int]
    seconds: float

    def to_json(self) -> str:
        return json.dumps(
            {
                "commitment": str(self.commitment),
                "vkey_sha256": self.vkey_sha256,
                "proof": proof_to_json(self.proof),
                "public": public_to_json(self.public),
                "seconds": self.seconds,
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
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{what}: malformed proof record: {exc}") from None


def write_record(path: Path, record: ProofRecord) -> None:
    atomic_write_text(path, record.to_json())


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
        """The stored round id and secrets; ``InputError`` if the folder is for other input."""
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
                f"{self.path} holds an interrupted round for different input (accounts, market, circuit "
                f"or --pad-to changed); rerun with the original input, or remove that folder to start over"
            )
        return round_id, round_secrets

    def batch_record_path(self, index: int) -> Path:
        return self.batches / f"{index:06d}.json"

    def root_record_path(self) -> Path:
        return self.path / "root.json"

    def read_record(self, path: Path) -> ProofRecord | None:
        """The record at ``path``, or None when absent or unreadable (then it is proven again)."""
        try:
            return ProofRecord.from_json(path.read_text(encoding="utf-8"), str(path))
        except (OSError, FormatError):
            return None

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
