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
5. ``slots``: the batches fit the root circuit's slots (a power of four) and the
   ``padding_commitment`` is that of a batch of padding accounts under this snapshot,
   recomputed here;
6. ``global root``: the 4-ary Poseidon Merkle root over the listed commitments, padded
   with the padding commitment, equals ``global_root``;
7. ``totals``: the named totals equal the vector, and ``totals_hash`` =
   HashVector(totals);
8. ``round value``: ``P = Poseidon(global_root, totals_hash, market_hash, round_id)``
   recomputed equals ``public_value`` and the root proof's public signal;
9. ``root proof``: the root proof verifies under the root key.

Because the root proof's public value binds the global root (hence the list of
commitments, hence each batch's sums) and the totals hash, and each batch proof binds
its commitment to accounts that satisfy the margin rule under the hashed snapshot,
these checks together establish: every account in the round is solvent under the
published snapshot, and the totals are the sums of their balances and positions.

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
from zksolvency.round.audit_setup import check_setup
from zksolvency.round.bundle import Bundle, BundleProof
from zksolvency.round.report import Report

#: A hook for more checks (e.g. the on-chain record): given the bundle and the report so far.
ExtraChecks = Callable[[Bundle, Report], None]


def _int_list(value: object) -> list[int]:
    if not isinstance(value, list):
        raise FormatError("totals: not a list")
    return [int(str(v)) for v in value]


def _dict(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise FormatError("totals: not an object")
    return value


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


def _size(bundle: Bundle) -> CircuitSize:
    return CircuitSize(
        bundle.integer("circuits", "batch", "assets"),
        bundle.integer("circuits", "batch", "instruments"),
        bundle.integer("circuits", "batch", "scenarios"),
        bundle.integer("circuits", "batch", "batch"),
    )


def audit_bundle(
    path: Path, backend: str | None = None, onchain: ExtraChecks | None = None, allow_dev_setup: bool = True
) -> Report:
    """Run every check on the bundle at ``path``; ``FormatError`` only if it is not a bundle at all.

    ``allow_dev_setup``: whether keys that are not from a verified ceremony pass the
    ``... key setup`` checks (with a warning; ``round.audit_setup``). The ``audit``
    command refuses them unless ``--allow-dev-setup``; this function accepts them
    by default, for the callers (the demo) that prove with dev keys on purpose.
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
        size = _size(bundle)
        digest_m = market_hash(market, size)
        same = digest_m == bundle.integer("market", "hash")
        return same, f"MarketHash at A={size.assets}, I={size.instruments}, S={size.scenarios} " + (
            "matches" if same else "does NOT match the manifest"
        )

    report.attempt("market hash", hash_step)

    # 3. Keys.
    vkeys: dict[str, VerificationKey | None] = {"batch": None, "root": None}

    def keys_step() -> tuple[bool, str]:
        problems = []
        for which in ("batch", "root"):
            file = bundle.file(bundle.text("circuits", which, "vkey"))
            if _sha256(file) != bundle.text("circuits", which, "vkey_sha256"):
                problems.append(f"{which} key file's SHA-256 differs from the manifest")
                continue
            key = bundle.vkey(which)
            if key.n_public != 1:
                problems.append(f"{which} key has {key.n_public} public signals, not 1")
                continue
            vkeys[which] = key
        return not problems, "; ".join(
            problems
        ) or "both key files match their hashes; one public signal each"

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

    # 5-6. Slots, padding and the global root.
    slots_ok = False

    def slots_step() -> tuple[bool, str]:
        nonlocal slots_ok
        slots = bundle.integer("slots")
        if slots != bundle.integer("circuits", "root", "slots") or slot_count(slots) != slots:
            return False, f"slots {slots} is not the root circuit's power of four"
        if not 1 <= len(commitments) <= slots:
            return False, f"{len(commitments)} batches do not fit {slots} slots"
        if market is None or size is None:
            return False, "no valid snapshot to recompute the padding commitment"
        padding = batch_digest(market, [], size).commitment
        if padding != bundle.integer("padding_commitment"):
            return False, "the padding commitment is not that of a batch of padding accounts"
        slots_ok = True
        return True, f"{len(commitments)} batches in {slots} slots; padding commitment recomputed"

    report.attempt("slots", slots_step)

    def root_step() -> tuple[bool, str]:
        if not slots_ok:
            return False, "slots unchecked"
        slots = bundle.integer("slots")
        filled = [*commitments, *([bundle.integer("padding_commitment")] * (slots - len(commitments)))]
        same = MerkleTree4(filled).root == bundle.integer("global_root")
        return same, "recomputed from the batch commitments: " + ("matches" if same else "does NOT match")

    report.attempt("global root", root_step)

    # 7. Totals.
    def totals_step() -> tuple[bool, str]:
        if size is None:
            return False, "no circuit size to read the totals with"
        vector = _int_list(bundle.field("totals", "vector"))
        balances = _int_list(list(_dict(bundle.field("totals", "balances")).values()))
        positions = _int_list(list(_dict(bundle.field("totals", "positions")).values()))
        expected = [*balances, *[0] * (size.assets - len(balances)), *positions]
        expected += [0] * (size.assets + size.instruments - len(expected))
        if vector != expected:
            return False, "the named totals differ from the totals vector"
        same = sums_hash(vector) == bundle.integer("totals_hash")
        return same, "HashVector(totals) " + ("equals totals_hash" if same else "does NOT equal totals_hash")

    report.attempt("totals hash", totals_step)

    # 8-9. The one public value and the root proof.
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

    if onchain is not None:
        onchain(bundle, report)
    return report
