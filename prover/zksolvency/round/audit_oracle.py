"""The audit's oracle checks: the committee signed this bundle's snapshot, with a quorum.

Two checks, appended to the audit report:

1. ``snapshot signatures``: the bundle carries a signatures file (manifest ``oracle``)
   whose SHA-256 is the manifest's, and whose signed message is this bundle's snapshot:
   the SHA-256 of ``market.json``'s bytes, the manifest's ``market.hash`` (the ``market
   hash`` check recomputes that from the snapshot), the batch circuit's ``A, I, S`` and
   the snapshot's recorded time.
2. ``committee quorum``: under the committee the auditor chose (``--committee FILE``,
   or the registry's with ``--rpc-url``), else the bundle's own committee file, the
   signatures meet the threshold with the registry's rule
   (:func:`zksolvency.oracle.quorum.check_quorum`). A committee taken from the bundle
   alone is the operator's word: the audit says so in a warning.

A bundle without signatures fails both: a round whose prices nobody signed proves
solvency only under the operator's own marks.
"""

from __future__ import annotations

import hashlib

from zksolvency.errors import FormatError
from zksolvency.oracle.committee import Committee, committee_from_json
from zksolvency.oracle.quorum import check_quorum
from zksolvency.oracle.signatures_file import SignedSnapshot, signed_snapshot_from_json
from zksolvency.oracle.snapshot_message import message_problems
from zksolvency.oracle.typed_data import SnapshotMessage
from zksolvency.round.bundle import Bundle
from zksolvency.round.report import Report
from zksolvency.util.json_file import parse_json

BUNDLE_COMMITTEE_WARNING = (
    "the committee comes from the bundle (the operator's word): pass --committee FILE from the "
    "committee itself, or --rpc-url to use the registry's"
)


def oracle_json(bundle: Bundle, which: str) -> object:
    """The bundle's oracle file ``which`` (signatures or committee), its SHA-256 checked."""
    if "oracle" not in bundle.manifest:
        raise FormatError(
            "the bundle carries no committee signatures (prove with --signatures and --committee)"
        )
    file = bundle.file(bundle.text("oracle", which))
    raw = file.read_bytes()
    if hashlib.sha256(raw).hexdigest() != bundle.text("oracle", f"{which}_sha256"):
        raise FormatError(f"{file.name}: its SHA-256 is not the manifest's oracle.{which}_sha256")
    return parse_json(raw, str(file))


def oracle_checks(bundle: Bundle, report: Report, committee: Committee | None = None) -> None:
    """Add checks 1 and 2 of the module docstring to ``report``."""
    signed: SignedSnapshot | None = None

    def signatures_step() -> tuple[bool, str]:
        nonlocal signed
        signed = signed_snapshot_from_json(oracle_json(bundle, "signatures"), "oracle/signatures.json")
        message = signed.message
        market_file = bundle.file(bundle.text("market", "file"))
        a, i, s = (bundle.integer("circuits", "batch", k) for k in ("assets", "instruments", "scenarios"))
        problems = message_problems(
            message,
            market_file.read_bytes(),
            str(market_file),
            (a, i, s),
            expect=SnapshotMessage.PRIMARY_TYPE,
        )
        if message.market_hash != bundle.integer("market", "hash"):
            problems.append("the signed marketHash is not the manifest's market.hash")
        if problems:
            return False, "; ".join(problems)
        return True, (
            f"{len(signed.signatures)} signature(s) for chain {signed.chain_id} over this snapshot "
            f"(SHA-256, market hash, A, I, S, time {message.snapshot_time})"
        )

    report.attempt("snapshot signatures", signatures_step)

    def quorum_step() -> tuple[bool, str]:
        if signed is None:
            return False, "no signatures over this snapshot to count"
        chosen, where = committee, "the auditor's committee"
        if chosen is None:
            chosen = committee_from_json(oracle_json(bundle, "committee"), "oracle/committee.json")
            where = "the bundle's committee"
            report.warnings.append(BUNDLE_COMMITTEE_WARNING)
        result = check_quorum(signed, chosen)
        return result.ok, f"{result.reason} ({where})"

    report.attempt("committee quorum", quorum_step)
