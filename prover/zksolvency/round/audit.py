"""Audit a bundle with nothing but the bundle: every proof, every hash, the one public value.

Checks, in order (each reported by name with pass/fail and what it found):

1. ``market snapshot``: ``market.json`` passes the model's validation and its SHA-256
   is the manifest's;
2. ``market hash``: MarketHash of the snapshot padded to the batch circuit's size
   (Python Poseidon) equals ``market.hash``;
3. ``verification keys``: each key file's SHA-256 is the manifest's, and each key has
   exactly one public signal; then ``batch key setup`` and ``root key setup``: each key's
   provenance record holds for it and says a verified ceremony (``round.audit_setup``);
4. ``batch N proof`` and ``batch N commitment``: each batch proof verifies under the
   batch key, and its public signal is the commitment listed for batch ``N``;
5. ``padding``: the ``padding_commitment`` is that of a batch of padding accounts under
   this snapshot in this round, recomputed here; then, for a round with levels of
   nodes, ``level L`` and each ``level L node k proof`` / ``commitment``
   (:mod:`zksolvency.round.audit_levels`);
6. ``slots``: the top-level commitments fit the root circuit's slots (a power of four);
   ``distinct batches``: no commitment of any level is listed twice, and none is the
   padding commitment (a proof counts once);
7. ``global root``: the 4-ary Poseidon Merkle root over the top-level commitments,
   padded with the padding commitment, equals ``global_root``;
8. ``totals``: every published total is a canonical decimal integer in the range the
   circuits can produce, and the named totals equal the vector entry by entry
   (:mod:`zksolvency.round.totals`); ``totals hash``: ``totals_hash`` =
   HashVector(totals);
9. ``round value``: ``P = Poseidon(global_root, totals_hash, market_hash, round_id)``
   recomputed equals ``public_value`` and the root proof's public signal;
10. ``root proof``: the root proof verifies under the root key;
11. with ``zero_sum``, ``zero sum``: every net position and the cost total are zero
    (:class:`zksolvency.round.totals.Exposure`);
12. ``snapshot signatures`` and ``committee quorum``: k committee members signed this
    snapshot (:mod:`zksolvency.round.audit_oracle`; ``committee`` is the auditor's choice).

Because the root proof's public value binds the global root (hence the list of
commitments of this round id, hence each batch's sums) and the totals hash, and each
batch proof binds its commitment to accounts that satisfy the margin rule under the
hashed snapshot, these checks together establish: every account in the round is
solvent under the published snapshot, and the totals are the exact sums of their
balances, net positions and costs. The report's facts carry the totals' meaning under
the snapshot (``exposure``: aggregate collateral and mark value).

Backends: ``native`` (arkworks) when built, ``python`` (py_ecc) otherwise. An
``onchain`` callback (the contracts' ``--rpc-url`` check) can add its own checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from zksolvency.circuit.formats.snarkjs_json import VerificationKey
from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.errors import FormatError
from zksolvency.groth16.verify import verify
from zksolvency.ledger.batch import batch_digest
from zksolvency.ledger.commitment import market_hash, sums_hash
from zksolvency.ledger.round_tree import MerkleTree4, round_public_value, slot_count
from zksolvency.model.fields import decode_utf8
from zksolvency.model.market import Market, parse_market
from zksolvency.oracle.committee import Committee
from zksolvency.round.audit_levels import check_levels
from zksolvency.round.audit_oracle import oracle_checks
from zksolvency.round.audit_setup import check_setup
from zksolvency.round.bundle import Bundle, BundleProof
from zksolvency.round.report import Report
from zksolvency.round.totals import Totals, TotalsError, check_totals, exposure

#: A hook for more checks (e.g. the on-chain record): given the bundle and the report so far.
ExtraChecks = Callable[[Bundle, Report], None]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _verify(
    report: Report, name: str, vkey: VerificationKey | None, item: BundleProof, backend: str | None
) -> None:
    def step() -> tuple[bool, str]:
        if vkey is None:
            return False, "no usable verification key"
        answer = verify(vkey, item.public, item.proof, backend)
        return answer.valid, answer.reason

    report.attempt(name, step)


def audit_bundle(
    path: Path,
    backend: str | None = None,
    onchain: ExtraChecks | None = None,
    zero_sum: bool = False,
    committee: Committee | None = None,
    allow_dev_setup: bool = False,
) -> Report:
    """Run every check on the bundle at ``path``; ``FormatError`` only if it is not a bundle at all.

    ``zero_sum``: also require every net position and the cost total to be zero, as in a
    venue whose every contract has two sides and whose own accounts are in the round.
    ``committee``: the oracle committee the auditor trusts (default: the bundle's own).
    ``allow_dev_setup``: whether keys that are not from a verified ceremony pass the
    ``... key setup`` checks (with a warning; ``round.audit_setup``). The ``audit``
    command and this function refuse them unless asked (``--allow-dev-setup``).
    """
    bundle = Bundle(path)
    report = Report()
    setup = bundle.manifest.get("setup")
    if isinstance(setup, dict) and setup.get("unsafe", False):
        report.warnings.append(
            "the keys come from an UNSAFE single-party dev ptau: whoever made it could forge proofs"
        )

    # 1-2. The snapshot and its hash.
    market: Market | None = None
    size: CircuitSize | None = None

    def snapshot() -> tuple[bool, str]:
        nonlocal market
        file = bundle.file(bundle.text("market", "file"))
        raw = file.read_bytes()
        market = parse_market(decode_utf8(raw, str(file)), str(file))
        same = hashlib.sha256(raw).hexdigest() == bundle.text("market", "sha256")
        return same, f"valid snapshot; SHA-256 {'matches' if same else 'does NOT match'} the manifest"

    report.attempt("market snapshot", snapshot)
    digest_m: int | None = None

    def hash_step() -> tuple[bool, str]:
        nonlocal size, digest_m
        if market is None:
            return False, "no valid snapshot to hash"
        size = bundle.batch_size()
        digest_m = market_hash(market, size)
        same = digest_m == bundle.integer("market", "hash")
        return same, f"MarketHash at A={size.assets}, I={size.instruments}, S={size.scenarios} " + (
            "matches" if same else "does NOT match the manifest"
        )

    report.attempt("market hash", hash_step)

    # 3. Keys.
    circuits = ("batch", "node", "root") if bundle.level_count() else ("batch", "root")
    vkeys: dict[str, VerificationKey | None] = dict.fromkeys(circuits)

    def keys_step() -> tuple[bool, str]:
        problems = []
        for which in circuits:
            file = bundle.file(bundle.text("circuits", which, "vkey"))
            if _sha256(file) != bundle.text("circuits", which, "vkey_sha256"):
                problems.append(f"{which} key file's SHA-256 differs from the manifest")
                continue
            key = bundle.vkey(which)
            if key.n_public != 1:
                problems.append(f"{which} key has {key.n_public} public signals, not 1")
                continue
            vkeys[which] = key
        return not problems, "; ".join(problems) or (
            f"{len(circuits)} key files match their hashes; one public signal each"
        )

    report.attempt("verification keys", keys_step)
    check_setup(bundle, report, vkeys, allow_dev_setup, backend)  # 3b. where the keys come from

    # 4. Every batch proof and its commitment.
    commitments: list[int] = []
    try:
        commitments = bundle.commitments()
    except FormatError as exc:
        report.add("batches", False, str(exc))
    for index, listed in enumerate(commitments):
        try:
            item = bundle.batch_proof(index)
        except (FormatError, OSError) as exc:
            report.add(f"batch {index} proof", False, str(exc))
            continue
        _verify(report, f"batch {index} proof", vkeys["batch"], item, backend)
        report.add(
            f"batch {index} commitment",
            item.public == [listed],
            "public signal equals the listed commitment"
            if item.public == [listed]
            else "public signal is NOT the commitment listed for this batch",
        )

    # 5. The padding commitment, then the levels of nodes (rounds larger than one root).
    padding: int | None = None

    def padding_step() -> tuple[bool, str]:
        nonlocal padding
        if market is None or size is None:
            return False, "no valid snapshot to recompute the padding commitment"
        expected = batch_digest(market, [], size, bundle.integer("round_id")).commitment
        if expected != bundle.integer("padding_commitment"):
            return False, "the padding commitment is not that of a batch of padding accounts in this round"
        padding = expected
        return True, "that of a batch of padding accounts under this snapshot and round id, recomputed"

    report.attempt("padding", padding_step)

    def verify_step(report: Report, name: str, key: VerificationKey | None, item: BundleProof) -> None:
        _verify(report, name, key, item, backend)

    levels = check_levels(bundle, report, vkeys.get("node"), padding, commitments, verify_step)
    top = levels[-1]

    # 6-7. Slots, each commitment once, the global root.
    def slots_step() -> tuple[bool, str]:
        slots = bundle.integer("slots")
        if slots != bundle.integer("circuits", "root", "slots") or slot_count(slots) != slots:
            return False, f"slots {slots} is not the root circuit's power of four"
        if len(levels) != bundle.level_count() + 1:
            return False, "a level of nodes could not be checked"
        if not 1 <= len(top) <= slots:
            return False, f"{len(top)} commitments do not fit {slots} slots"
        return True, f"{len(top)} commitments in {slots} slots"

    slots_ok = report.attempt("slots", slots_step)

    def distinct_step() -> tuple[bool, str]:
        seen: dict[int, str] = {}
        for level, listed in enumerate(levels):
            for index, value in enumerate(listed):
                here = f"batch {index}" if level == 0 else f"node {index} of level {level}"
                if value in seen:
                    return False, f"{here} repeats the commitment of {seen[value]}"
                if value == padding:
                    return False, f"{here} is the padding commitment"
                seen[value] = here
        return True, f"{len(seen)} distinct commitments, none of them padding"

    report.attempt("distinct batches", distinct_step)

    def root_step() -> tuple[bool, str]:
        if not slots_ok or padding is None:
            return False, "slots unchecked"
        slots = bundle.integer("slots")
        filled = [*top, *([padding] * (slots - len(top)))]
        same = MerkleTree4(filled).root == bundle.integer("global_root")
        return same, "recomputed from the top-level commitments: " + ("matches" if same else "does NOT match")

    report.attempt("global root", root_step)

    # 8. Totals: exact, in range, entry by entry; then their hash.
    checked: Totals | None = None

    def totals_step() -> tuple[bool, str]:
        nonlocal checked
        if market is None or size is None:
            return False, "no valid snapshot to read the totals with"
        try:
            checked = check_totals(bundle.field("totals"), market, size, len(commitments))
        except TotalsError as exc:
            return False, str(exc)
        return True, (
            f"{len(checked.vector)} totals, each a decimal integer within what {len(commitments)} "
            "batches can sum to; the named totals equal the vector"
        )

    report.attempt("totals", totals_step)

    def totals_hash_step() -> tuple[bool, str]:
        if checked is None:
            return False, "no checked totals to hash"
        same = sums_hash(checked.vector) == bundle.integer("totals_hash")
        return same, "HashVector(totals) " + ("equals totals_hash" if same else "does NOT equal totals_hash")

    report.attempt("totals hash", totals_hash_step)
    # 9-10. The one public value and the root proof.
    root_item: BundleProof | None = None

    def value_step() -> tuple[bool, str]:
        nonlocal root_item
        if digest_m is None:
            return False, "no market hash"
        p = round_public_value(
            bundle.integer("global_root"), bundle.integer("totals_hash"), digest_m, bundle.integer("round_id")
        )
        root_item = bundle.root_proof()
        if p != bundle.integer("public_value"):
            return False, "Poseidon(global root, totals hash, market hash, round id) is NOT public_value"
        if root_item.public != [p]:
            return (
                False,
                "the root proof's public signal is NOT Poseidon(global root, totals hash, "
                "market hash, round id)",
            )
        return (
            True,
            "Poseidon(global root, totals hash, market hash, round id) = the root proof's public signal",
        )

    report.attempt("round value", value_step)
    if root_item is None:
        try:
            root_item = bundle.root_proof()
        except (FormatError, OSError) as exc:
            report.add("root proof", False, str(exc))
    if root_item is not None:
        _verify(report, "root proof", vkeys["root"], root_item, backend)

    # 11. What the totals mean under the snapshot; with zero_sum, a check of it.
    if checked is not None and market is not None:
        figures = exposure(checked, market)
        report.facts["exposure"] = figures.to_json()
        if zero_sum:
            report.add(
                "zero sum",
                figures.zero_sum,
                "every net position and the cost total are zero"
                if figures.zero_sum
                else f"net positions in {', '.join(figures.open_instruments) or 'no instrument'}, "
                f"cost total {checked.cost}: not every contract has two sides in this round",
            )
    elif zero_sum:
        report.add("zero sum", False, "no checked totals")

    oracle_checks(bundle, report, committee)  # 12.
    if onchain is not None:
        onchain(bundle, report)
    return report
