"""The account holder's check: is my account in the round, exactly as *I* hold it?

The inclusion file (:mod:`zksolvency.round.inclusion`) is written by the operator, so
nothing in it protects the holder by itself: an operator who lowered one holder's cost
(raising that holder's equity) can prove an insolvent account solvent, and the leaf, the
file and the proofs all agree (the first finding of the outside audit, issue 11). The
check therefore has two halves.

**What was proven.** It climbs from the leaf the file lists to the bundle::

    commitment = Poseidon(id_field_element(id), salt)                 == leaf.commitment
    leaf_hash  = HashVector(commitment, cost_total, pack(balances ++ sizes))
    (root_b, sums_b) = root_from_path((leaf_hash, balances ++ sizes), batch path)
    c_b        = Poseidon(root_b, HashVector(sums_b ++ [cost_sum_b]), market_hash, round_id)
                                                                      == bundle's batches[b]
    global     = root_from_global_path(c_b, global path)             == bundle's global_root

where ``cost_sum_b`` is the batch's cost sum from the file (the circuit sums its leaves'
cost totals; the leaf hash binds the holder's). Once every step matches, the leaf's
balances, sizes and cost total are the *proven values*: the batch proof showed that an
account with exactly these values meets the margin rule under the bundle's snapshot, in
this round.

**Against the holder's record.** The holder passes their own account (``--account``: one
JSON object in the accounts format, e.g. the venue's statement they kept). Every balance
and every size is compared with the proven leaf, and the sum of their costs with the
proven cost total; each single cost is compared with the operator's statement in the
file (the leaf binds costs only through their total, the only way the rule uses them,
so a cost moved between two instruments with the same total changes no equity). A
difference fails naming the field, the holder's value and the proven one.

Without a record the check still runs, compares the operator's statement with the
leaf, prints every value (costs included), and says on ``Report.warnings`` and in
``Report.facts["checked_against_holder_record"]`` that the values were not checked
against the holder's own data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.errors import FormatError, InputError
from zksolvency.ledger.commitment import batch_commitment, market_hash
from zksolvency.ledger.leaf import LeafValues, id_commitment
from zksolvency.ledger.packing import ARITY
from zksolvency.ledger.round_tree import GlobalStep, root_from_global_path, round_public_value
from zksolvency.ledger.sumtree import Node, PathStep, root_from_path
from zksolvency.model.accounts import Account, account_from_obj
from zksolvency.model.fields import decode_utf8
from zksolvency.model.margin import evaluate
from zksolvency.model.market import Market, parse_market
from zksolvency.round.bundle import Bundle
from zksolvency.round.inclusion import INCLUSION_FORMAT
from zksolvency.round.report import Report

NOT_CHECKED = (
    "these values were NOT checked against your own record: they are the operator's word. "
    "Pass --account FILE with your own statement of the account (kept by you) to compare them"
)


@dataclass(frozen=True)
class LevelStep:
    """One level of nodes above the batch: the node, the hash of its totals, the child's path in it."""

    node: int
    totals_hash: int
    path: list[GlobalStep]


@dataclass(frozen=True)
class InclusionProof:
    """An inclusion file, parsed: the operator's statement, the listed leaf and every path."""

    round_id: int
    account_obj: object
    salt: int
    leaf: LeafValues
    batch_index: int
    position: int
    sums_hash: int
    cost_sum: int
    batch_path: list[PathStep]
    levels: list[LevelStep]
    global_path: list[GlobalStep]


def _global_steps(path: object) -> list[GlobalStep]:
    if not isinstance(path, list):
        raise TypeError("a path is a list of steps")
    return [GlobalStep(int(step["position"]), _ints(step["siblings"], "siblings")) for step in path]


def _ints(values: object, what: str) -> tuple[int, ...]:
    if not isinstance(values, list):
        raise FormatError(f"{what}: not a list")
    return tuple(int(str(v)) for v in values)


def parse_inclusion(document: object) -> InclusionProof:
    """The typed content of an inclusion file; ``FormatError`` naming what is missing or malformed."""
    if not isinstance(document, dict) or document.get("format") != INCLUSION_FORMAT:
        raise FormatError(f"not an inclusion proof (format must be {INCLUSION_FORMAT!r})")
    try:
        batch, glob, leaf = document["batch"], document["global"], document["leaf"]
        batch_path = [
            PathStep(
                int(step["position"]),
                tuple(Node(int(s["hash"]), _ints(s["sums"], "sums")) for s in step["siblings"]),
            )
            for step in batch["path"]
        ]
        global_path = _global_steps(glob["path"])
        levels = [
            LevelStep(int(item["node"]), int(str(item["totals_hash"])), _global_steps(item["path"]))
            for item in document["levels"]
        ]
        return InclusionProof(
            round_id=int(str(document["round_id"])),
            account_obj=document["account"],
            salt=int(str(document["salt"])),
            leaf=LeafValues(
                int(str(leaf["commitment"])),
                int(str(leaf["cost_total"])),
                _ints(leaf["balances"], "leaf.balances"),
                _ints(leaf["sizes"], "leaf.sizes"),
            ),
            batch_index=int(batch["index"]),
            position=int(batch["position"]),
            sums_hash=int(str(batch["sums_hash"])),
            cost_sum=int(str(batch["cost_sum"])),
            batch_path=batch_path,
            levels=levels,
            global_path=global_path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"malformed inclusion proof: {type(exc).__name__}: {exc}") from None


def read_inclusion(path: Path) -> InclusionProof:
    """Read and parse an inclusion file; ``FormatError`` when it cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(f"{path}: unreadable inclusion proof: {exc}") from None
    return parse_inclusion(document)


def read_holder_record(path: Path) -> object:
    """The holder's own account: one JSON object (a line of an accounts file, or pretty-printed).

    ``FormatError`` when the file is not exactly one JSON object; the fields are
    validated later against the round's snapshot.
    """
    try:
        text = decode_utf8(path.read_bytes(), str(path))
        document = json.loads(text)
    except (OSError, ValueError) as exc:
        raise FormatError(f"{path}: not one JSON account record: {exc}") from None
    if not isinstance(document, dict):
        raise FormatError(f"{path}: expected one JSON object (an account in the accounts format)")
    return document


def _index_of(positions: Sequence[int]) -> int:
    """The leaf index a path's positions spell, least significant level first."""
    return sum(position * ARITY**level for level, position in enumerate(positions))


@dataclass(frozen=True)
class _Values:
    """One account's values in the leaf's terms: dense balances, sizes, costs (market order)."""

    balances: tuple[int, ...]
    sizes: tuple[int, ...]
    costs: tuple[int, ...]

    @classmethod
    def of(cls, account: Account) -> _Values:
        return cls(account.balances, account.sizes, account.costs)


def _compare(
    report: Report,
    name: str,
    labels: Sequence[str],
    mine: Sequence[int],
    theirs: Sequence[int],
    whose: str,
    against: str,
) -> None:
    """One check over a vector: every value listed; each difference names field, both values."""
    differences = [
        f"{label}: {whose} {a}, {against} {b}"
        for label, a, b in zip(labels, mine, theirs, strict=True)
        if a != b
    ]
    if differences:
        report.add(name, False, "; ".join(differences))
        return
    shown = ", ".join(f"{label} {a}" for label, a in zip(labels, mine, strict=True)) or "none"
    report.add(name, True, f"{shown} ({whose} = {against})")


def _padding_is_empty(report: Report, market: Market, leaf: LeafValues) -> bool:
    """The leaf's slots beyond the snapshot's assets and instruments hold zeros."""
    extra = [*leaf.balances[len(market.assets) :], *leaf.sizes[len(market.instruments) :]]
    ok = not any(extra)
    return report.add(
        "leaf padding",
        ok,
        "the leaf holds nothing beyond the snapshot's assets and instruments"
        if ok
        else "the leaf holds a balance or size in a padding slot the snapshot does not list",
    )


def _compare_values(
    report: Report, market: Market, holder: _Values, statement: _Values, leaf: LeafValues, own: bool
) -> None:
    """Balances, sizes and the cost total against the proven leaf; each cost against the statement."""
    whose = "yours" if own else "the operator's statement"
    assets = [f"balances.{a.name}" for a in market.assets]
    instruments = [i.name for i in market.instruments]
    _compare(report, "balances", assets, holder.balances, leaf.balances[: len(assets)], whose, "proven")
    _compare(
        report,
        "positions",
        [f"positions.{name}.size" for name in instruments],
        holder.sizes,
        leaf.sizes[: len(instruments)],
        whose,
        "proven",
    )
    costs = [f"positions.{name}.cost" for name in instruments]
    if own:
        _compare(
            report,
            "costs",
            costs,
            holder.costs,
            statement.costs,
            whose,
            "the operator's statement (each cost is bound only through the total)",
        )
    else:
        shown = ", ".join(f"{label} {c}" for label, c in zip(costs, statement.costs, strict=True))
        report.add("costs", True, f"{shown or 'none'} (the operator's statement; the leaf binds their total)")
    _compare(report, "cost total", ["sum of costs"], [sum(holder.costs)], [leaf.cost_total], whose, "proven")


def _node_root(child: int, step: LevelStep) -> int:
    return root_from_global_path(child, step.path)


def _climb_level(
    report: Report,
    bundle: Bundle,
    parsed: InclusionProof,
    level: int,
    child: int,
    index: int,
    market_digest: int,
    round_id: int,
) -> bool:
    """One level of nodes: the child's path gives the node's root, and with the node's totals
    hash its commitment, which must be the one the bundle lists for that node."""
    name = f"level {level} node"
    if len(parsed.levels) < level:
        return report.add(name, False, f"the file has no path through level {level} of the bundle's nodes")
    step = parsed.levels[level - 1]
    fan_in = bundle.fan_in(level)
    try:
        node_root = _node_root(child, step)
    except ValueError as exc:
        return report.add(name, False, f"the path in the node is malformed: {exc}")
    listed = bundle.level_commitments(level)
    commitment = round_public_value(node_root, step.totals_hash, market_digest, round_id)
    where = step.node == index // fan_in and _index_of([s.position for s in step.path]) == index % fan_in
    ok = where and 0 <= step.node < len(listed) and listed[step.node] == commitment
    return report.add(
        name,
        ok,
        "Poseidon(node root, totals hash, market hash, round id) "
        + (
            f"equals the commitment of node {step.node}"
            if ok
            else f"is not the commitment of node {step.node}"
        )
        + ("" if where else "; the path does not lead from this child to that node"),
    )


def verify_inclusion(
    bundle_path: Path, proof_path: Path, account_id: str, holder_record: Path | None = None
) -> Report:
    """Check an inclusion proof against a bundle and, when given, the holder's own record.

    ``holder_record``: the holder's account as one JSON object (accounts format). Raises
    ``FormatError`` when the bundle, the proof or the record cannot be read at all.
    """
    report = Report()
    report.facts["checked_against_holder_record"] = holder_record is not None
    bundle = Bundle(bundle_path)
    parsed = read_inclusion(proof_path)
    record = read_holder_record(holder_record) if holder_record is not None else None

    # 1. The bundle's snapshot, validated as the auditor does.
    market_file = bundle.file(bundle.text("market", "file"))
    market = parse_market(decode_utf8(market_file.read_bytes(), str(market_file)), str(market_file))
    size = bundle.batch_size()
    digest_m = market_hash(market, size)
    same_market = digest_m == bundle.integer("market", "hash")
    if not report.add(
        "market snapshot",
        same_market,
        f"{market_file.name}: {len(market.assets)} assets, {len(market.instruments)} instruments; "
        + ("its hash matches the manifest" if same_market else "its hash does NOT match market.hash"),
    ):
        return report

    # 2. Whose account: the operator's statement, and the holder's own record.
    def same_id(name: str, account: Account, what: str) -> bool:
        ok = account.id == account_id
        return report.add(name, ok, f"{what} {account.id!r}" + ("" if ok else f", not {account_id!r}"))

    statement = account_from_obj(parsed.account_obj, market, f"{proof_path}: account")
    if not same_id("account id", statement, "the proof is for"):
        return report
    holder = statement
    if record is not None:
        try:
            holder = account_from_obj(record, market, str(holder_record))
        except InputError as exc:
            report.add("your record", False, f"{exc} (the round's snapshot cannot price your record)")
            return report
        if not same_id("your record", holder, f"{holder_record}: account"):
            return report
    else:
        report.warnings.append(NOT_CHECKED)

    # 3. The listed leaf has the circuit's shape and the holder's id commitment.
    leaf = parsed.leaf
    if (len(leaf.balances), len(leaf.sizes)) != (size.assets, size.instruments):
        report.add(
            "leaf", False, f"the leaf does not have A={size.assets} balances and I={size.instruments} sizes"
        )
        return report
    if not 0 <= parsed.salt < R:
        report.add("id commitment", False, "the salt is not a field element")
        return report
    committed = id_commitment(account_id, parsed.salt) == leaf.commitment
    report.add(
        "id commitment",
        committed,
        "Poseidon(id, salt) " + ("equals" if committed else "differs from") + " the leaf's commitment",
    )

    # 4. Up the batch's sum tree, then to the batch commitment of this round.
    try:
        batch_root = root_from_path(leaf.node, parsed.batch_path)
    except ValueError as exc:  # a sibling's sums out of bound, a malformed step
        report.add("batch sums", False, f"the batch path is not a path of a sum tree: {exc}")
        return report
    round_id = bundle.integer("round_id")
    try:
        c_b = batch_commitment(batch_root.hash, (*batch_root.sums, parsed.cost_sum), digest_m, round_id)
    except ValueError as exc:  # the bundle's round id is not a 64-bit number
        report.add("batch commitment", False, str(exc))
        return report
    where_ok = _index_of([s.position for s in parsed.batch_path]) == parsed.position
    report.add(
        "batch sums",
        where_ok,
        f"path of {len(parsed.batch_path)} levels gives the batch root and sums"
        + ("" if where_ok else "; its positions do NOT spell the listed leaf position"),
    )
    commitments = bundle.commitments()
    b = parsed.batch_index
    listed = 0 <= b < len(commitments) and commitments[b] == c_b
    if not report.add(
        "batch commitment",
        listed,
        f"Poseidon(batch root, sums hash, market hash, round {round_id}) "
        + (
            f"equals the bundle's batch {b} commitment"
            if listed
            else f"is not the bundle's batch {b} commitment"
        ),
    ):
        return report

    # 5. Up the levels of nodes (a round with a tree of roots), then the top tree.
    c, index = c_b, b
    for level in range(1, bundle.level_count() + 1):
        if not _climb_level(report, bundle, parsed, level, c, index, digest_m, round_id):
            return report
        step = parsed.levels[level - 1]
        c, index = round_public_value(_node_root(c, step), step.totals_hash, digest_m, round_id), step.node
    if len(parsed.levels) != bundle.level_count():
        report.add(
            "levels",
            False,
            f"the file has {len(parsed.levels)} levels of nodes, the bundle {bundle.level_count()}",
        )
        return report
    try:
        global_root = root_from_global_path(c, parsed.global_path)
    except ValueError as exc:
        report.add("global root", False, f"the global path is malformed: {exc}")
        return report
    reached = (
        global_root == bundle.integer("global_root")
        and _index_of([s.position for s in parsed.global_path]) == index
    )
    report.add(
        "global root",
        reached,
        f"the global path of {len(parsed.global_path)} levels "
        + ("reaches the bundle's global root" if reached else "does NOT reach the bundle's global root"),
    )
    report.add(
        "round",
        parsed.round_id == round_id,
        f"round {round_id}" + ("" if parsed.round_id == round_id else f"; the file says {parsed.round_id}"),
    )

    # 6. The proven values against the holder's record (or the operator's statement).
    _padding_is_empty(report, market, leaf)
    _compare_values(report, market, _Values.of(holder), _Values.of(statement), leaf, record is not None)

    # 7. The account's own margin under the published snapshot.
    result = evaluate(holder, market)
    report.add(
        "margin",
        result.solvent,
        f"equity {result.equity} {'>=' if result.solvent else '<'} requirement {result.requirement}",
    )
    return report
