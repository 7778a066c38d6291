"""``trades verify DIR``: check a proven trade batch alone, from its folder.

Checks, each reported by name with its reason:

* ``public signals``: ``public.json`` equals ``batch.json``'s ``public``;
* ``snapshot hash``: recomputed from the folder's ``market.json`` for the recorded circuit size;
* ``header``: ``batch_id * 2**80 + batch_time * 2**16 + fee_bps``, each part in range;
* ``commitment``: ``public[0] = Poseidon(old_root, new_root, snapshot_hash, trades_commitment)``;
* ``verification key``: its SHA-256 is the one recorded for the circuit;
* ``proof``: the Groth16 proof verifies for ``(public[0], header)``.

Given the oracle committee (``--committee``), two more, as the gate applies them on chain:

* ``snapshot signatures``: the signatures file (``market.trade-signatures.json`` in the folder,
  or ``--signatures``) holds a ``TradeSnapshot`` message about exactly the folder's
  ``market.json`` at the circuit's ``A, I, S`` and the batch's snapshot hash;
* ``committee quorum``: ``k`` valid signatures of distinct members, for the committee's chain
  (:func:`zksolvency.oracle.quorum.check_quorum`, the gate's rule).

What this cannot check alone: that ``old_root`` is the gate's root (``trades settle`` and the
chain do), and which trades the commitment binds (the operator keeps them private).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zksolvency.errors import FormatError
from zksolvency.groth16.verify import verify
from zksolvency.model.market import read_market
from zksolvency.oracle.committee import Committee
from zksolvency.oracle.quorum import check_quorum
from zksolvency.oracle.signatures_file import SignedSnapshot, default_signatures_path, read_signatures
from zksolvency.oracle.snapshot_message import message_problems
from zksolvency.oracle.typed_data import TradeSnapshotMessage
from zksolvency.state.batch_public import batch_header, settlement_public_input
from zksolvency.trades.batch_folder import MARKET, read_batch_files, vkey_sha256
from zksolvency.trades.size import TradeCircuitSize
from zksolvency.trades.snapshot import snapshot_hash


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class BatchReport:
    """Every check of a batch folder; ``ok`` when all passed."""

    folder: Path
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def trade_signatures_path(folder: Path, signatures: Path | None = None) -> Path:
    """``signatures``, else the batch folder's ``market.trade-signatures.json``."""
    return signatures or default_signatures_path(folder / MARKET, trades=True)


def trade_signature_problems(
    folder: Path, signed: SignedSnapshot, shape: tuple[int, int, int], snapshot: int
) -> list[str]:
    """How ``signed`` differs from a ``TradeSnapshot`` of exactly ``folder``'s ``market.json`` at
    ``shape`` with the batch's ``snapshot`` hash (empty: it is that); the rule ``trades settle``
    applies before it registers a snapshot, and ``snapshot signatures`` below."""
    market = folder / MARKET
    problems = message_problems(
        signed.message, market.read_bytes(), str(market), shape, expect=TradeSnapshotMessage.PRIMARY_TYPE
    )
    if isinstance(signed.message, TradeSnapshotMessage) and signed.message.snapshot_hash != snapshot:
        problems.append(f"the signed snapshotHash is not the batch's ({snapshot})")
    return problems


def _signature_checks(
    path: Path, size: TradeCircuitSize, snapshot: int, committee: Committee, signatures: Path | None
) -> list[Check]:
    """``snapshot signatures`` and ``committee quorum`` (see the module docstring)."""
    file = trade_signatures_path(path, signatures)
    if not file.is_file():
        return [
            Check("snapshot signatures", False, f"no {file}: the committee's signatures are not here"),
            Check("committee quorum", False, "no signatures to count"),
        ]
    try:
        signed: SignedSnapshot = read_signatures(file)
    except FormatError as exc:
        return [Check("snapshot signatures", False, str(exc)), Check("committee quorum", False, "not read")]
    problems = trade_signature_problems(
        path, signed, (size.assets, size.instruments, size.scenarios), snapshot
    )
    about = Check(
        "snapshot signatures",
        not problems,
        "; ".join(problems) or f"{file.name}: a TradeSnapshot of market.json and this batch's snapshot hash",
    )
    quorum = check_quorum(signed, committee)
    return [about, Check("committee quorum", quorum.ok, quorum.reason)]


def verify_batch_folder(
    folder: str | Path,
    backend: str | None = None,
    committee: Committee | None = None,
    signatures: Path | None = None,
) -> BatchReport:
    """Check the batch folder (``FormatError`` when it is malformed, a failing check when it is wrong);
    with ``committee``, also the snapshot's signatures (``signatures``: their file, default in the folder)."""
    path = Path(folder)
    batch, proof, public, vkey = read_batch_files(path)
    checks: list[Check] = []

    def check(name: str, ok: bool, detail: str) -> None:
        checks.append(Check(name, ok, detail))

    check(
        "public signals",
        tuple(public) == batch.public,
        "public.json equals batch.json's public"
        if tuple(public) == batch.public
        else f"public.json holds {public}",
    )
    c = batch.circuit
    size = TradeCircuitSize(
        *(int(str(c[k])) for k in ("assets", "instruments", "scenarios", "depth", "trades"))
    )
    snapshot = snapshot_hash(read_market(path / MARKET), size)
    check(
        "snapshot hash",
        snapshot == batch.snapshot_hash,
        f"{snapshot} from market.json"
        + ("" if snapshot == batch.snapshot_hash else f", recorded {batch.snapshot_hash}"),
    )
    header = batch_header(batch.batch_id, batch.batch_time, batch.fee_bps)
    check(
        "header",
        header == batch.header == batch.public[1],
        f"batch {batch.batch_id}, time {batch.batch_time}, fee {batch.fee_bps} bps",
    )
    commitment = settlement_public_input(batch.old_root, batch.new_root, snapshot, batch.trades_commitment)
    check(
        "commitment",
        commitment == batch.public[0],
        "Poseidon(old root, new root, snapshot hash, trades commitment) is public[0]"
        if commitment == batch.public[0]
        else f"recomputed {commitment}, public[0] is {batch.public[0]}",
    )
    recorded = str(c.get("vkey_sha256", ""))
    actual = vkey_sha256(path)
    check(
        "verification key",
        actual == recorded,
        f"sha256 {actual}" + ("" if actual == recorded else f", recorded {recorded}"),
    )
    answer = verify(vkey, [commitment, header], proof, backend)
    check("proof", bool(answer), answer.reason)
    if committee is not None:
        checks += _signature_checks(path, size, snapshot, committee, signatures)
    return BatchReport(path, tuple(checks))
