"""The DEMO oracle committee: five PUBLIC keys, for ``zksolvency demo`` and the tests. UNSAFE.

Member ``i`` (1..5) has the private key ``keccak256("zksolvency DEMO oracle committee member
i -- PUBLIC KEY, UNSAFE")``: anyone who reads this file can sign as any member, so a
snapshot "signed" by this committee proves nothing. Threshold 3 of 5. A real committee's
members make their own keys and publish only their addresses (docs/oracle.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from eth_utils.crypto import keccak

from zksolvency.chain.keys import load_account
from zksolvency.oracle.committee import Committee
from zksolvency.oracle.signature import SECP256K1_N, sign_snapshot
from zksolvency.oracle.signatures_file import SignatureEntry, SignedSnapshot, write_signatures
from zksolvency.oracle.snapshot_message import recorded_time, snapshot_message, trade_snapshot_message
from zksolvency.oracle.typed_data import SnapshotMessage

#: Members and threshold of the demo committee.
DEMO_MEMBERS = 5
DEMO_THRESHOLD = 3
#: anvil's chain id: the demo publishes on a local anvil.
DEMO_CHAIN_ID = 31337

DEMO_KEYS: tuple[str, ...] = tuple(
    "0x" + keccak(text=f"zksolvency DEMO oracle committee member {i} -- PUBLIC KEY, UNSAFE").hex()
    for i in range(1, DEMO_MEMBERS + 1)
)
for _key in DEMO_KEYS:  # checked at import: each is a valid secp256k1 private key
    assert 1 <= int(_key, 16) < SECP256K1_N
DEMO_ADDRESSES: tuple[str, ...] = tuple(load_account(key).address for key in DEMO_KEYS)


def demo_committee(chain_id: int = DEMO_CHAIN_ID, threshold: int = DEMO_THRESHOLD) -> Committee:
    """The five demo members with ``threshold`` (default 3) for ``chain_id`` (default anvil's)."""
    return Committee(chain_id, threshold, DEMO_ADDRESSES)


def sign_with(message: SnapshotMessage, keys: Sequence[str], chain_id: int = DEMO_CHAIN_ID) -> SignedSnapshot:
    """``message`` signed with each of ``keys`` in order, one entry each (a key twice: two entries)."""
    entries = tuple(SignatureEntry(*sign_snapshot(key, message, chain_id)) for key in keys)
    return SignedSnapshot(chain_id, message, "market.json", entries)


def demo_sign(
    snapshot: Path,
    shape: tuple[int, int, int],
    out: Path,
    members: int = DEMO_THRESHOLD,
    chain_id: int = DEMO_CHAIN_ID,
    time: int | None = None,
    trades: bool = False,
) -> SignedSnapshot:
    """Sign ``snapshot`` at the circuit ``shape`` with the first ``members`` demo keys; write ``out``.

    ``time``: the snapshot time, for a snapshot without ``_generated.oracle.time`` (ignored for
    one that records it). ``trades``: sign the settlement gate's ``TradeSnapshot`` message
    instead of the registry's ``MarketSnapshot``.
    """
    raw = snapshot.read_bytes()
    if recorded_time(raw.decode("utf-8")) is not None:
        time = None
    make = trade_snapshot_message if trades else snapshot_message
    message = make(raw, str(snapshot), shape, time)
    signed = dataclasses.replace(
        sign_with(message, DEMO_KEYS[:members], chain_id), snapshot_file=snapshot.name
    )
    write_signatures(out, signed)
    return signed
