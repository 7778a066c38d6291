"""The oracle files a bundle carries: the committee's signatures over its snapshot, and the committee.

``round prove --signatures F --committee F`` checks them before any proving (the
signed message must be this snapshot's at the batch circuit's ``A, I, S``, and the
signatures must meet the committee's quorum) and copies both files byte for byte into
the bundle::

    oracle/signatures.json    the signatures file (zksolvency-snapshot-signatures/1)
    oracle/committee.json     the committee file (zksolvency-committee/1)

with the manifest entry ``"oracle": {"signatures": ..., "signatures_sha256": ...,
"committee": ..., "committee_sha256": ...}``. ``audit`` checks them again
(:mod:`zksolvency.round.audit_oracle`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.errors import InputError
from zksolvency.oracle.committee import committee_from_json
from zksolvency.oracle.quorum import check_quorum
from zksolvency.oracle.signatures_file import signed_snapshot_from_json
from zksolvency.oracle.snapshot_message import message_problems
from zksolvency.oracle.typed_data import SnapshotMessage
from zksolvency.util.json_file import parse_json

SIGNATURES_FILE = "oracle/signatures.json"
COMMITTEE_FILE = "oracle/committee.json"


@dataclass(frozen=True)
class OracleFiles:
    """What goes into the bundle: ``files`` (relative path -> bytes) and the manifest entry."""

    files: dict[str, bytes]
    manifest: dict[str, object]


def oracle_files(
    signatures: Path | None,
    committee: Path | None,
    market_bytes: bytes,
    market_source: str,
    size: CircuitSize,
) -> OracleFiles | None:
    """Check ``signatures`` and ``committee`` against the snapshot; ``InputError`` names the problem.

    ``None`` when neither is given (a round without signatures); one without the other is an error.
    """
    if (signatures is None) != (committee is None):
        raise InputError("give the committee's --signatures and the --committee together")
    if signatures is None or committee is None:
        return None
    signatures_raw, committee_raw = signatures.read_bytes(), committee.read_bytes()
    signed = signed_snapshot_from_json(parse_json(signatures_raw, str(signatures)), str(signatures))
    members = committee_from_json(parse_json(committee_raw, str(committee)), str(committee))
    shape = (size.assets, size.instruments, size.scenarios)
    problems = message_problems(
        signed.message, market_bytes, market_source, shape, expect=SnapshotMessage.PRIMARY_TYPE
    )
    if problems:
        raise InputError(
            f"{signatures}: not signatures over {market_source} for this circuit: {'; '.join(problems)}"
        )
    quorum = check_quorum(signed, members)
    if not quorum.ok:
        raise InputError(f"{signatures}: no quorum of the committee in {committee}: {quorum.reason}")
    return OracleFiles(
        files={SIGNATURES_FILE: signatures_raw, COMMITTEE_FILE: committee_raw},
        manifest={
            "signatures": SIGNATURES_FILE,
            "signatures_sha256": hashlib.sha256(signatures_raw).hexdigest(),
            "committee": COMMITTEE_FILE,
            "committee_sha256": hashlib.sha256(committee_raw).hexdigest(),
        },
    )
