"""A proven trade batch on disk: what ``trades prove`` writes and ``trades verify`` / ``settle`` read.

A folder, written atomically (filled as a private temporary sibling, then renamed into place):

    batch.json               format "zksolvency-trade-batch", version 1: the circuit (name, size,
                             key hashes, setup provenance), old and new state root, snapshot hash,
                             trades commitment, batch id, batch time, fee rate, the header, and
                             the two public signals
    proof.json, public.json  the Groth16 proof and its public signals (snarkjs formats)
    verification_key.json    the circuit's verification key (snarkjs format)
    market.json              the market snapshot the batch used (public)

Nothing in it names an account or a position: the trades themselves are private to the
operator; ``trades_commitment`` binds them (``zksolvency.trades.snapshot``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zksolvency import __version__
from zksolvency.bn254 import R
from zksolvency.circuit.formats.snarkjs_json import (
    Proof,
    VerificationKey,
    read_proof,
    read_public,
    read_vkey,
    write_proof,
    write_public,
)
from zksolvency.errors import FormatError
from zksolvency.round.bundle import build_directory

FORMAT = "zksolvency-trade-batch"
VERSION = 1
BATCH = "batch.json"
PROOF = "proof.json"
PUBLIC = "public.json"
VKEY = "verification_key.json"
MARKET = "market.json"


@dataclass(frozen=True)
class TradeBatch:
    """Everything ``batch.json`` records (integers are field elements or the header's parts)."""

    circuit: dict[str, object]
    old_root: int
    new_root: int
    snapshot_hash: int
    trades_commitment: int
    batch_id: int
    batch_time: int
    fee_bps: int
    header: int
    public: tuple[int, int]
    trades: int

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "about": f"Written by zksolvency {__version__} (zksolvency trades prove).",
            "circuit": self.circuit,
            "trades": self.trades,
            "old_root": str(self.old_root),
            "new_root": str(self.new_root),
            "snapshot_hash": str(self.snapshot_hash),
            "trades_commitment": str(self.trades_commitment),
            "batch_id": self.batch_id,
            "batch_time": self.batch_time,
            "fee_bps": self.fee_bps,
            "header": str(self.header),
            "public": [str(x) for x in self.public],
        }


def _field(obj: dict[str, Any], key: str, where: str, bound: int = R) -> int:
    if key not in obj:
        raise FormatError(f"{where}: missing field {key!r}")
    try:
        value = int(str(obj[key]), 10)
    except ValueError:
        raise FormatError(f"{where}: field {key!r} is not a decimal integer: {obj[key]!r}") from None
    if not 0 <= value < bound:
        raise FormatError(f"{where}: field {key!r} = {value} outside [0, {bound})")
    return value


def read_batch(folder: str | Path) -> TradeBatch:
    """Parse ``batch.json`` of ``folder``; ``FormatError`` names the bad field."""
    where = str(Path(folder) / BATCH)
    try:
        obj = json.loads((Path(folder) / BATCH).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(f"{where}: cannot read it: {exc}") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT or obj.get("version") != VERSION:
        raise FormatError(f"{where}: not a {FORMAT} version {VERSION} file")
    circuit = obj.get("circuit")
    public = obj.get("public")
    if not isinstance(circuit, dict):
        raise FormatError(f"{where}: field 'circuit' is not an object")
    if not isinstance(public, list) or len(public) != 2:
        raise FormatError(f"{where}: field 'public' is not a list of two signals")
    return TradeBatch(
        circuit=circuit,
        old_root=_field(obj, "old_root", where),
        new_root=_field(obj, "new_root", where),
        snapshot_hash=_field(obj, "snapshot_hash", where),
        trades_commitment=_field(obj, "trades_commitment", where),
        batch_id=_field(obj, "batch_id", where, 2**64),
        batch_time=_field(obj, "batch_time", where, 2**64),
        fee_bps=_field(obj, "fee_bps", where, 10_001),
        header=_field(obj, "header", where),
        public=(
            _field({"public[0]": public[0]}, "public[0]", where),
            _field({"public[1]": public[1]}, "public[1]", where),
        ),
        trades=_field(obj, "trades", where, 2**32),
    )


def write_batch_folder(
    out: Path, batch: TradeBatch, proof: Proof, vkey_bytes: bytes, market_bytes: bytes
) -> None:
    """Write the folder ``out`` atomically (``out`` must not exist yet: a batch is never replaced).

    ``vkey_bytes`` is the key store's ``verification_key.json`` as it is, so that its recorded
    SHA-256 holds for the copy."""
    if out.exists():
        raise FormatError(f"{out} already exists; a proven batch is never overwritten")

    def fill(folder: Path) -> None:
        write_proof(folder / PROOF, proof)
        write_public(folder / PUBLIC, list(batch.public))
        (folder / VKEY).write_bytes(vkey_bytes)
        (folder / MARKET).write_bytes(market_bytes)
        (folder / BATCH).write_text(json.dumps(batch.to_json(), indent=2) + "\n", encoding="utf-8")

    build_directory(out, fill)


def read_batch_files(folder: str | Path) -> tuple[TradeBatch, Proof, list[int], VerificationKey]:
    """``batch.json``, the proof, its public signals and the verification key of ``folder``."""
    path = Path(folder)
    return read_batch(path), read_proof(path / PROOF), read_public(path / PUBLIC), read_vkey(path / VKEY)


def vkey_sha256(folder: str | Path) -> str:
    """SHA-256 of the folder's ``verification_key.json`` as written."""
    return hashlib.sha256((Path(folder) / VKEY).read_bytes()).hexdigest()
