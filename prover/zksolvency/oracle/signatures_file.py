"""The signatures file: one snapshot message and the committee members' signatures over it.

Format (``zksolvency-snapshot-signatures/1``, written atomically by ``zksolvency market sign``,
which adds or replaces one signer's entry)::

    {"format": "zksolvency-snapshot-signatures/1",
     "about": "...",
     "snapshot": "market.json",                  the signed file's name (informational)
     "domain": {"name": "zksolvency", "version": "1", "chainId": 31337},
     "message": {"marketHash": "123...", "assets": 4, "instruments": 16, "scenarios": 16,
                 "snapshotSha256": "0x...", "snapshotTime": 1796126400},
     "digest": "0x...",                          the EIP-712 digest, recomputed on reading
     "signatures": [{"signer": "0x...", "signature": "0x<65 bytes>"}, ...]}

A trade snapshot's file (``market sign --for trades``, for the settlement gate) carries
``"primaryType": "TradeSnapshot"`` after ``domain`` and the message's ``snapshotHash`` first;
a file without ``primaryType`` is about a ``MarketSnapshot`` (docs/oracle.md).

``signer`` is who the entry says signed; checkers recover the signer from the signature
and compare (:mod:`zksolvency.oracle.quorum`). Reading checks the format, the domain and
that ``digest`` is the message's, so a hand-edited message is caught at once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from eth_utils.address import is_address, to_checksum_address

from zksolvency.errors import FormatError, InputError
from zksolvency.oracle.typed_data import (
    DOMAIN_NAME,
    DOMAIN_VERSION,
    SnapshotMessage,
    TradeSnapshotMessage,
    snapshot_digest,
)
from zksolvency.util.atomic import atomic_write_text
from zksolvency.util.json_file import read_json

FORMAT = "zksolvency-snapshot-signatures/1"
ABOUT = (
    "EIP-712 signatures of a market snapshot by oracle committee members "
    "(written by zksolvency market sign; docs/oracle.md)"
)


@dataclass(frozen=True)
class SignatureEntry:
    """One member's entry: the address it claims and the 65-byte signature."""

    signer: str
    signature: bytes


@dataclass(frozen=True)
class SignedSnapshot:
    """A message for ``chain_id`` and the signatures collected over it."""

    chain_id: int
    message: SnapshotMessage
    snapshot_file: str
    signatures: tuple[SignatureEntry, ...] = ()

    def with_signature(self, entry: SignatureEntry) -> SignedSnapshot:
        """This file with ``entry`` added, replacing an earlier entry of the same signer."""
        kept = tuple(e for e in self.signatures if e.signer != entry.signer)
        return replace(self, signatures=(*kept, entry))

    def same_message(self, other: SignedSnapshot) -> bool:
        return self.chain_id == other.chain_id and self.message == other.message

    def to_json(self) -> dict[str, object]:
        typed: dict[str, object] = {}
        if isinstance(self.message, TradeSnapshotMessage):
            typed["primaryType"] = self.message.PRIMARY_TYPE
        return {
            "format": FORMAT,
            "about": ABOUT,
            "snapshot": self.snapshot_file,
            "domain": {"name": DOMAIN_NAME, "version": DOMAIN_VERSION, "chainId": self.chain_id},
            **typed,
            "message": self.message.to_json(),
            "digest": "0x" + snapshot_digest(self.message, self.chain_id).hex(),
            "signatures": [
                {"signer": e.signer, "signature": "0x" + e.signature.hex()} for e in self.signatures
            ],
        }


def _hex_bytes(value: object, field: str, what: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("0x"):
        raise FormatError(f"{what}: field {field}: expected 0x-prefixed hex, got {value!r}")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise FormatError(f"{what}: field {field}: not hex") from None


def _int(value: object, field: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FormatError(f"{what}: field {field}: expected an integer, got {value!r}")
    try:
        return int(value)
    except ValueError:
        raise FormatError(f"{what}: field {field}: {value!r} is not a decimal integer") from None


def _message(obj: Any, primary_type: object, what: str) -> SnapshotMessage:
    if not isinstance(obj, dict):
        raise FormatError(f"{what}: field message: expected an object")
    if primary_type not in (SnapshotMessage.PRIMARY_TYPE, TradeSnapshotMessage.PRIMARY_TYPE):
        raise FormatError(
            f"{what}: field primaryType: {primary_type!r} is not MarketSnapshot or TradeSnapshot"
        )
    market_hash = _int(obj.get("marketHash"), "message.marketHash", what)
    a, i, s = (_int(obj.get(k), f"message.{k}", what) for k in ("assets", "instruments", "scenarios"))
    sha256 = _hex_bytes(obj.get("snapshotSha256"), "message.snapshotSha256", what)
    time = _int(obj.get("snapshotTime"), "message.snapshotTime", what)
    try:
        if primary_type == TradeSnapshotMessage.PRIMARY_TYPE:
            snapshot_hash = _int(obj.get("snapshotHash"), "message.snapshotHash", what)
            return TradeSnapshotMessage(market_hash, a, i, s, sha256, time, snapshot_hash)
        if "snapshotHash" in obj:
            raise FormatError(f"{what}: field message.snapshotHash: only a TradeSnapshot message has one")
        return SnapshotMessage(market_hash, a, i, s, sha256, time)
    except InputError as exc:
        raise FormatError(f"{what}: field message: {exc}") from None


def _entry(obj: Any, index: int, what: str) -> SignatureEntry:
    field = f"signatures[{index}]"
    if not isinstance(obj, dict) or set(obj) != {"signer", "signature"}:
        raise FormatError(f"{what}: field {field}: expected {{signer, signature}}")
    if not isinstance(obj["signer"], str) or not is_address(obj["signer"]):
        raise FormatError(f"{what}: field {field}.signer: {obj['signer']!r} is not an address")
    return SignatureEntry(
        to_checksum_address(obj["signer"]), _hex_bytes(obj["signature"], f"{field}.signature", what)
    )


def signed_snapshot_from_json(obj: Any, what: str = "signatures") -> SignedSnapshot:
    """Parse a signatures file; ``FormatError`` names the file and field."""
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        got = obj.get("format") if isinstance(obj, dict) else None
        raise FormatError(f"{what}: format {got!r}, expected {FORMAT!r}")
    domain = obj.get("domain")
    if not isinstance(domain, dict) or (domain.get("name"), domain.get("version")) != (
        DOMAIN_NAME,
        DOMAIN_VERSION,
    ):
        raise FormatError(
            f"{what}: field domain: expected name {DOMAIN_NAME!r} and version {DOMAIN_VERSION!r}"
        )
    chain_id = _int(domain.get("chainId"), "domain.chainId", what)
    message = _message(obj.get("message"), obj.get("primaryType", SnapshotMessage.PRIMARY_TYPE), what)
    signatures = obj.get("signatures")
    if not isinstance(signatures, list):
        raise FormatError(f"{what}: field signatures: expected a list")
    snapshot = obj.get("snapshot")
    if not isinstance(snapshot, str):
        raise FormatError(f"{what}: field snapshot: expected the snapshot's file name")
    signed = SignedSnapshot(
        chain_id, message, snapshot, tuple(_entry(e, k, what) for k, e in enumerate(signatures))
    )
    if obj.get("digest") != signed.to_json()["digest"]:
        raise FormatError(f"{what}: field digest: not the EIP-712 digest of the domain and message (edited?)")
    return signed


def read_signatures(path: str | os.PathLike[str]) -> SignedSnapshot:
    return signed_snapshot_from_json(read_json(path), os.fspath(path))


def signatures_to_text(signed: SignedSnapshot) -> str:
    return json.dumps(signed.to_json(), indent=1) + "\n"


def write_signatures(path: str | os.PathLike[str], signed: SignedSnapshot) -> None:
    atomic_write_text(path, signatures_to_text(signed))


def default_signatures_path(snapshot: Path, trades: bool = False) -> Path:
    """``market.json`` -> ``market.signatures.json`` (``market.trade-signatures.json`` for the
    trade message) beside it."""
    return snapshot.with_name(f"{snapshot.stem}.{'trade-signatures' if trades else 'signatures'}.json")
