"""Prove a round: accounts + snapshot -> bundle + private inclusion files, at any scale.

1. Read the snapshot; read the accounts file once, streaming: validate every line, refuse
   the round if any account is insolvent (:class:`InsolventAccounts`), index the rest
   (``round.plan``: 32 bytes per account; nothing written yet).
2. Pick the batch circuit (shape and batch size from ``circuits/manifest.json``), the tree
   of roots (``round.levels``: levels of node circuits while the batches outnumber the
   fan-in) and the smallest top root with enough slots; compile and set each up (cached).
3. Open or create the private work folder (input fingerprint, round id, the seed).
4. Place the accounts in batches (a secret random order).
5. Prove every batch not already recorded, on the executor (``round.executor``: this
   process, a process pool, or Ray): jobs are made as workers free up, each re-reading
   its accounts from the file, so memory grows with the batch size and the workers, not
   with the account count. Workers return records; the driver writes them.
6. Prove each level of nodes, then the top root:
   ``P = Poseidon(global_root, totals_hash, market_hash, round_id)``.
7. Write the inclusion files batch by batch, then the bundle (each a directory put in
   place atomically), then remove the work folder.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zksolvency.circuit.formats.snarkjs_json import read_vkey
from zksolvency.errors import InputError, SetupError
from zksolvency.groth16.kernels import DEFAULT_BACKEND, get_kernels
from zksolvency.ledger.batch import BatchDigest, batch_digest
from zksolvency.ledger.commitment import ROUND_ID_BOUND
from zksolvency.ledger.round_tree import RoundDigest, node_public, round_digest
from zksolvency.model.accounts import AccountFormat
from zksolvency.model.market import read_market
from zksolvency.round.bundle import BundleContents, BundleProof, write_bundle
from zksolvency.round.bundle_oracle import oracle_files
from zksolvency.round.circuits import CircuitEntry, CircuitKeys, load_manifest, prepare_keys, sha256_file
from zksolvency.round.executor import Executor, make_executor
from zksolvency.round.inclusion import write_inclusion_files
from zksolvency.round.levels import TreeShape, tree_shape
from zksolvency.round.manifest import round_manifest
from zksolvency.round.plan import RoundPlan, RoundSecrets, check_fits, plan_round, scan_accounts
from zksolvency.round.timing import Timing, write_timing
from zksolvency.round.workdir import ProofRecord, WorkDir, fingerprint, work_dir_for
from zksolvency.round.worker import BatchJob, Job, ProverSpec, RootJob, RoundContext

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class RoundOptions:
    """Everything ``round prove`` takes.

    ``executor``: ``pool`` (default), ``local`` or ``ray`` (with ``ray_address``: a cluster
    address or ``local``). ``fan_in``: children per node of the tree of roots (default: the
    largest shipped node circuit). ``seed``: the round's secret, for reproducible tests
    only (a real round draws a fresh one).
    """

    accounts: Path
    market: Path
    out: Path
    fmt: AccountFormat = "auto"
    shape: str = "reference"
    batch_size: int | None = None
    workers: int | None = None
    backend: str | None = None
    round_id: int | None = None
    pad_to: int | None = None
    inclusion_dir: Path | None = None
    ptau: Path | None = None
    signatures: Path | None = None
    committee: Path | None = None
    executor: str = "pool"
    ray_address: str | None = None
    fan_in: int | None = None
    retries: int = 2
    seed: bytes | None = None


class Progress:
    """Callbacks of a running round (the CLI draws a progress bar with them)."""

    def start(self, to_prove: int, reused: int) -> None:
        """``to_prove`` batches will be proven; ``reused`` were already recorded."""

    def batch_done(self, index: int, record: ProofRecord) -> None:
        """Batch ``index`` is proven, verified and recorded."""

    def finish(self) -> None:
        """Every batch is done (the levels and the root proof come next)."""


@dataclass
class RoundResult:
    bundle: Path
    inclusion_dir: Path
    accounts: int
    batches: int
    slots: int
    levels: tuple[int, ...]
    proven: int
    reused: int
    global_root: int
    public_value: int
    totals_hash: int
    unsafe_setup: bool
    seconds: float
    executor: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def default_inclusion_dir(out: Path) -> Path:
    """``<out>.inclusion`` beside the bundle: the private per-account files."""
    out = out.resolve()
    return out.parent / f"{out.name}.inclusion"


@dataclass(frozen=True)
class RoundCircuits:
    """The circuits of a round and its tree shape."""

    batch: CircuitEntry
    node: CircuitEntry | None
    root: CircuitEntry
    shape: TreeShape


def choose_circuits(options: RoundOptions, count: int) -> RoundCircuits:
    """The batch, node and top root circuits for ``count`` accounts (and dummies)."""
    manifest = load_manifest()
    batch = manifest.batch_circuit(options.shape, options.batch_size)
    size = batch.size
    n_batches = max(1, -(-count // size.live))
    roots = manifest.root_slots(size.assets, size.instruments)
    if options.fan_in is not None:
        fan_in = manifest.node_circuit(size.assets, size.instruments, options.fan_in).slots
    else:
        nodes = [
            e.slots for e in manifest.nodes if (e.assets, e.instruments) == (size.assets, size.instruments)
        ]
        fan_in = max(nodes, default=max(roots, default=4))
    try:
        shape = tree_shape(n_batches, fan_in, roots)
    except ValueError as exc:
        raise SetupError(str(exc)) from None
    node = manifest.node_circuit(size.assets, size.instruments, fan_in) if shape.depth else None
    root = manifest.root_circuit(size.assets, size.instruments, shape.top_children)
    return RoundCircuits(batch, node, root, shape)


def _spec(keys: CircuitKeys, backend: str) -> ProverSpec:
    return ProverSpec(str(keys.wasm), str(keys.zkey), str(keys.vkey), keys.vkey_sha256, backend)


def _threads(kind: str, workers: int, ray_address: str | None) -> int:
    cores = os.cpu_count() or 1
    if kind == "local":
        return 0
    if kind == "ray" and ray_address not in (None, "local"):
        return 1  # one CPU per actor on a cluster
    return max(1, cores // workers)


@dataclass(frozen=True)
class Opened:
    """What the level above needs of a proof: its commitment and what it opens to."""

    commitment: int
    root: int
    sums: tuple[int, ...]

    @classmethod
    def of(cls, record: ProofRecord) -> Opened:
        return cls(record.commitment, record.root, record.sums)


def _usable(record: ProofRecord | None, keys: CircuitKeys, commitment: int | None = None) -> bool:
    return (
        record is not None
        and record.vkey_sha256 == keys.vkey_sha256
        and (commitment is None or record.commitment == commitment)
    )


def _root_job(
    circuit: str, level: int, index: int, children: Sequence[Opened], padding: BatchDigest, slots: int
) -> tuple[RootJob, RoundDigest]:
    """The job of a node (``circuit`` ``node``) or of the top root over ``children``, padded to ``slots``."""
    pad = slots - len(children)
    digest = round_digest(
        [c.commitment for c in children],
        [c.sums for c in children],
        padding.commitment,
        slots,
        padding.market_hash,
        padding.round_id,
    )
    inputs: dict[str, object] = {
        "batchRoot": [c.root for c in children] + [padding.root] * pad,
        "batchSums": [list(c.sums) for c in children] + [list(padding.sums)] * pad,
        "marketHash": padding.market_hash,
        "roundId": padding.round_id,
    }
    expected = (
        node_public(digest.global_root, digest.public_value) if circuit == "node" else digest.public_value
    )
    job = RootJob(
        circuit, level, index, inputs, expected, digest.public_value, digest.global_root, digest.totals
    )
    return job, digest


class _Recorder:
    """Writes what the executor hands back, and keeps what the next level needs."""

    def __init__(self, work: WorkDir, progress: Progress) -> None:
        self.work = work
        self.progress = progress
        self.opened: dict[tuple[int, int], Opened] = {}
        self.batch_seconds: list[float] = []

    def __call__(self, job: Job, record: ProofRecord) -> None:
        level = 0 if isinstance(job, BatchJob) else job.level
        self.work.write_record(self.work.record_path(level, job.index), record)
        self.opened[(level, job.index)] = Opened.of(record)
        if isinstance(job, BatchJob):
            self.batch_seconds.append(record.seconds)
            self.progress.batch_done(job.index, record)


def _prove_batches(
    plan: RoundPlan, work: WorkDir, keys: CircuitKeys, executor: Executor, recorder: _Recorder
) -> int:
    """Every batch not yet recorded; returns how many were proven."""
    missing: list[int] = []
    for index in range(plan.batches):
        record = work.read_record(work.record_path(0, index), tree=False)
        if _usable(record, keys):
            assert record is not None
            recorder.opened[(0, index)] = Opened.of(record)
        else:
            missing.append(index)
    recorder.progress.start(len(missing), plan.batches - len(missing))

    def jobs() -> Iterator[Job]:
        for index in missing:
            yield BatchJob(index, tuple(plan.members(index)))

    executor.run(jobs(), recorder)
    recorder.progress.finish()
    return len(missing)


def _prove_level(
    circuit: str,
    level: int,
    nodes: int,
    children: Callable[[int], list[Opened]],
    slots: int,
    padding: BatchDigest,
    work: WorkDir,
    keys: CircuitKeys,
    executor: Executor,
    recorder: _Recorder,
) -> dict[int, RoundDigest]:
    """Every node of ``level`` (or the top root, level -1) not yet recorded; their digests."""
    digests: dict[int, RoundDigest] = {}
    jobs: list[Job] = []
    for index in range(nodes):
        job, digest = _root_job(circuit, level, index, children(index), padding, slots)
        digests[index] = digest
        record = work.read_record(work.record_path(level, index), tree=False)
        if _usable(record, keys, job.commitment):
            assert record is not None
            recorder.opened[(level, index)] = Opened.of(record)
        else:
            jobs.append(job)
    executor.run(jobs, recorder)
    return digests


def prove_round(options: RoundOptions, say: Say = _quiet, progress: Progress | None = None) -> RoundResult:
    """Run a whole round (see the module docstring); returns where everything went."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    progress = progress or Progress()
    backend = options.backend or DEFAULT_BACKEND
    get_kernels(backend)  # an unknown backend fails here, before anything is written
    if options.round_id is not None and not 0 <= options.round_id < ROUND_ID_BOUND:
        raise InputError(f"--round-id {options.round_id} is outside 0..2**64 - 1")

    # 1. The snapshot, the accounts in one streaming pass, and the solvency gate.
    mark = time.perf_counter()
    market = read_market(options.market)
    market_bytes = options.market.read_bytes()
    batch_size = load_manifest().batch_circuit(options.shape, options.batch_size).size
    check_fits(market, 0, batch_size, None)
    oracle = oracle_files(
        options.signatures, options.committee, market_bytes, str(options.market), batch_size
    )
    index = scan_accounts(options.accounts, market, options.fmt)
    if index.count == 0 and not options.pad_to:
        raise InputError(
            f"{options.accounts}: no accounts; a round needs at least one "
            "(or --pad-to N for a round of dummies)"
        )
    check_fits(market, index.count, batch_size, options.pad_to)
    count = max(index.count, options.pad_to or 0)
    timings["read accounts"] = time.perf_counter() - mark

    # 2. Circuits, tree shape and keys.
    circuits = choose_circuits(options, count)
    shape, size = circuits.shape, circuits.batch.size
    levels = (
        f", {len(shape.levels)} level(s) of nodes ({', '.join(map(str, shape.levels))})"
        if shape.depth
        else ""
    )
    say(
        f"{index.count} accounts, all solvent; {shape.batches} batches of {size.live} "
        f"({circuits.batch.name}){levels}, root circuit {circuits.root.name}"
    )
    mark = time.perf_counter()
    batch_keys = prepare_keys(circuits.batch, options.ptau, backend, say)
    node_keys = prepare_keys(circuits.node, options.ptau, backend, say) if circuits.node else None
    root_keys = prepare_keys(circuits.root, options.ptau, backend, say)
    timings["compile and setup"] = time.perf_counter() - mark

    # 3. The work folder.
    fp = fingerprint(
        {
            "accounts": sha256_file(options.accounts),
            "market": _sha256(market_bytes),
            "batch_circuit": circuits.batch.name,
            "node_circuit": circuits.node.name if circuits.node else None,
            "root_circuit": circuits.root.name,
            "pad_to": options.pad_to,
        }
    )
    work = WorkDir(work_dir_for(options.out))
    if work.exists():
        round_id, round_secrets = work.load(fp)
        if options.round_id is not None and options.round_id != round_id:
            raise InputError(
                f"{work.path} holds an interrupted round {round_id}, not {options.round_id}; "
                "rerun with that round id, or remove the folder to start over"
            )
        say(f"resuming round {round_id} from {work.path}")
    else:
        round_id = options.round_id if options.round_id is not None else int(time.time())
        round_secrets = RoundSecrets(options.seed) if options.seed is not None else RoundSecrets.fresh()
        work.create(fp, round_id, round_secrets)

    # 4. Placement.
    plan = plan_round(market, index, size, round_secrets, options.pad_to)
    padding = batch_digest(market, [], size, round_id)
    specs = {"batch": _spec(batch_keys, backend), "root": _spec(root_keys, backend)}
    if node_keys is not None:
        specs["node"] = _spec(node_keys, backend)
    workers = max(1, options.workers or os.cpu_count() or 1)
    if options.executor == "pool":
        workers = min(workers, plan.batches)
    context = RoundContext(
        market, size, round_id, specs, _threads(options.executor, workers, options.ray_address)
    )

    # 5-6. Batches, levels, the top root.
    recorder = _Recorder(work, progress)
    with make_executor(context, options.executor, workers, options.ray_address, options.retries) as executor:
        say(f"proving on {executor.describe()}")
        mark = time.perf_counter()
        proven = _prove_batches(plan, work, batch_keys, executor, recorder)
        timings["batch proofs"] = time.perf_counter() - mark
        if recorder.batch_seconds:
            median = sorted(recorder.batch_seconds)[len(recorder.batch_seconds) // 2]
            write_timing(batch_keys.zkey.parent, Timing(median, executor.workers, os.cpu_count() or 1))
        mark = time.perf_counter()
        for level in range(1, shape.depth + 1):
            assert node_keys is not None
            say(f"proving level {level}: {shape.count(level)} node(s)")

            def children(node: int, level: int = level) -> list[Opened]:
                return [recorder.opened[(level - 1, k)] for k in shape.children(level, node)]

            _prove_level(
                "node",
                level,
                shape.count(level),
                children,
                shape.fan_in,
                padding,
                work,
                node_keys,
                executor,
                recorder,
            )
        timings["levels"] = time.perf_counter() - mark
        mark = time.perf_counter()
        say("proving the root")
        top = [recorder.opened[(shape.depth, k)] for k in range(shape.top_children)]
        rd = _prove_level(
            "root", -1, 1, lambda _i: top, shape.top_slots, padding, work, root_keys, executor, recorder
        )[0]
        timings["root proof"] = time.perf_counter() - mark
        description = executor.describe()

    # 7. Inclusion files, bundle, clean-up.
    mark = time.perf_counter()
    inclusion_dir = (options.inclusion_dir or default_inclusion_dir(options.out)).resolve()
    write_inclusion_files(inclusion_dir, plan, shape, work, recorder.opened, rd, padding)
    seconds = time.perf_counter() - started
    manifest = round_manifest(
        market_sha256=_sha256(market_bytes),
        market=market,
        size=size,
        shape=shape,
        opened=recorder.opened,
        padding=padding,
        rd=rd,
        keys={"batch": batch_keys, "node": node_keys, "root": root_keys},
        accounts=index.count,
        padded_to=options.pad_to,
        proving={"executor": description, "workers": workers, "seconds": round(seconds, 3)},
    )
    contents = BundleContents(
        manifest=manifest,
        market_bytes=market_bytes,
        vkeys={
            name: read_vkey(k.vkey)
            for name, k in (("batch", batch_keys), ("node", node_keys), ("root", root_keys))
            if k
        },
        proofs=_bundle_proofs(work, shape),
        root=_bundle_proof(work, -1, 0),
        extra_files=oracle.files if oracle is not None else {},
    )
    if oracle is not None:
        contents.manifest["oracle"] = oracle.manifest
    write_bundle(options.out.resolve(), contents)
    work.remove()
    timings["inclusion files and bundle"] = time.perf_counter() - mark
    return RoundResult(
        bundle=options.out.resolve(),
        inclusion_dir=inclusion_dir,
        accounts=index.count,
        batches=shape.batches,
        slots=shape.top_slots,
        levels=shape.levels,
        proven=proven,
        reused=shape.batches - proven,
        global_root=rd.global_root,
        public_value=rd.public_value,
        totals_hash=rd.totals_hash,
        unsafe_setup=batch_keys.unsafe or root_keys.unsafe or bool(node_keys and node_keys.unsafe),
        seconds=time.perf_counter() - started,
        executor=description,
        timings=timings,
    )


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _bundle_proof(work: WorkDir, level: int, index: int) -> BundleProof:
    record = work.read_record(work.record_path(level, index), tree=False)
    if record is None:
        raise SetupError(f"the record of proof {index} of level {level} disappeared from {work.path}")
    return BundleProof(record.proof, record.public)


def _bundle_proofs(work: WorkDir, shape: TreeShape) -> Iterator[tuple[int, int, BundleProof]]:
    """``(level, index, proof)`` of every batch and node, read from the records one at a time."""
    for level in range(shape.depth + 1):
        for index in range(shape.count(level)):
            yield level, index, _bundle_proof(work, level, index)
