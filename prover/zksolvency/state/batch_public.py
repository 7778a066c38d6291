"""The two public inputs of a trade batch proof, as ``SettlementGate`` recomputes them.

    public[0] = Poseidon(old_root, new_root, snapshot_hash, trades_commitment)
    public[1] = header = batch_id * 2**80 + batch_time * 2**16 + fee_bps

with ``batch_id < 2**64``, ``batch_time < 2**64`` (unix seconds) and ``fee_bps <= 10_000``, so
``header < 2**144 < r`` and its three parts are recovered by shifts (:func:`split_header`).
"""

from __future__ import annotations

from zksolvency.bn254 import R
from zksolvency.hashing import poseidon

BATCH_ID_BITS = 64
BATCH_TIME_BITS = 64
FEE_BITS = 16
MAX_FEE_BPS = 10_000
_TIME_SHIFT = FEE_BITS
_ID_SHIFT = FEE_BITS + BATCH_TIME_BITS


def batch_header(batch_id: int, batch_time: int, fee_bps: int) -> int:
    """``batch_id * 2**80 + batch_time * 2**16 + fee_bps``; ``ValueError`` for a part out of range."""
    if not 0 <= batch_id < 2**BATCH_ID_BITS:
        raise ValueError(f"batch id {batch_id} outside [0, 2**64)")
    if not 0 <= batch_time < 2**BATCH_TIME_BITS:
        raise ValueError(f"batch time {batch_time} outside [0, 2**64)")
    if not 0 <= fee_bps <= MAX_FEE_BPS:
        raise ValueError(f"fee {fee_bps} bps outside [0, {MAX_FEE_BPS}]")
    return (batch_id << _ID_SHIFT) | (batch_time << _TIME_SHIFT) | fee_bps


def split_header(header: int) -> tuple[int, int, int]:
    """``(batch_id, batch_time, fee_bps)`` of a header; ``ValueError`` when it is not one."""
    if not 0 <= header < 2 ** (_ID_SHIFT + BATCH_ID_BITS):
        raise ValueError("the header is not below 2**144")
    parts = header >> _ID_SHIFT, (header >> _TIME_SHIFT) & (2**BATCH_TIME_BITS - 1), header & 0xFFFF
    batch_header(*parts)  # the fee bound
    return parts


def settlement_public_input(old_root: int, new_root: int, snapshot_hash: int, trades_commitment: int) -> int:
    """``Poseidon(old_root, new_root, snapshot_hash, trades_commitment)`` (each a field element)."""
    for name, value in (
        ("old root", old_root),
        ("new root", new_root),
        ("snapshot hash", snapshot_hash),
        ("trades commitment", trades_commitment),
    ):
        if not 0 <= value < R:
            raise ValueError(f"{name} is not a field element")
    return poseidon([old_root, new_root, snapshot_hash, trades_commitment])
