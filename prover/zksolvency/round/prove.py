"""Prove a round: accounts + snapshot -> bundle + private inclusion files.

1. Read and validate both files (nothing written on bad input).
2. Refuse the round if any account is insolvent (:class:`InsolventAccounts`, nothing written).
3. Pick the batch circuit (shape and batch size from ``circuits/manifest.json``) and the
   smallest root circuit with enough slots; compile and set up both (cached).
4. Open or create the private work folder (input fingerprint, round id, secrets).
5. Place the accounts in batches (``round.plan``) and compute each batch's leaves, tree
   and commitment in Python (``zksolvency.ledger``).
6. Prove every batch not already recorded, on a process pool (witness + prove + verify
   per batch; each worker records its batch atomically).
7. Prove the root: slots = commitments padded with the padding commitment, totals,
   ``P = Poseidon(global_root, totals_hash, market_hash, round_id)``.
8. Write the inclusion files, then the bundle (each a directory put in place atomically),
   then remove the work folder.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zksolvency.ceremony.provenance import combined_kind
from zksolvency.circuit.formats.snarkjs_json import read_vkey
from zksolvency.circuit.solvency_inputs import batch_inputs
from zksolvency.errors import InputError
from zksolvency.groth16.kernels import DEFAULT_BACKEND, get_kernels
from zksolvency.ledger.batch import BatchDigest, batch_digest
from zksolvency.ledger.round_tree import ROUND_ID_BOUND, RoundDigest, round_digest
from zksolvency.model.accounts import AccountFormat
from zksolvency.round.bundle import (
    BATCH_VKEY,
    BUNDLE_FORMAT,
    MARKET,
    ROOT_PROOF,
    ROOT_PUBLIC,
    ROOT_VKEY,
    BundleContents,
    BundleProof,
    batch_files,
    generator_info,
    write_bundle,
)
from zksolvency.round.circuits import CircuitKeys, load_manifest, prepare_keys
from zksolvency.round.inclusion import inclusion_document, write_inclusion_dir
from zksolvency.round.plan import (
    RoundPlan,
    RoundSecrets,
    check_fits,
    check_solvency,
    plan_round,
    read_round_inputs,
)
from zksolvency.round.workdir import ProofRecord, WorkDir, fingerprint, work_dir_for
from zksolvency.round.worker import Job, Prover, ProverSpec, init_worker, run_job

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class RoundOptions:
    """Everything ``round prove`` takes."""

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


class Progress:
    """Callbacks of a running round (the CLI draws a progress bar with them)."""

    def start(self, to_prove: int, reused: int) -> None:
        """``to_prove`` batches will be proven; ``reused`` were already recorded."""

    def batch_done(self, index: int, record: ProofRecord) -> None:
        """Batch ``index`` is proven, verified and recorded."""

    def finish(self) -> None:
        """Every batch is done (the root proof comes next)."""


@dataclass
class RoundResult:
    bundle: Path
    inclusion_dir: Path
    accounts: int
    batches: int
    slots: int
    proven: int
    reused: int
    global_root: int
    public_value: int
    totals_hash: int
    unsafe_setup: bool
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def default_inclusion_dir(out: Path) -> Path:
    """``<out>.inclusion`` beside the bundle: the private per-account files."""
    out = out.resolve()
    return out.parent / f"{out.name}.inclusion"


def _spec(keys: CircuitKeys, backend: str, threads: int) -> ProverSpec:
    return ProverSpec(str(keys.wasm), str(keys.zkey), str(keys.vkey), keys.vkey_sha256, backend, threads)


def _usable(record: ProofRecord | None, expected: int, keys: CircuitKeys) -> bool:
    return record is not None and record.commitment == expected and record.vkey_sha256 == keys.vkey_sha256


def run_jobs(
    jobs: Sequence[Job], spec: ProverSpec, workers: int, on_done: Callable[[int, ProofRecord], None]
) -> None:
    """Prove ``jobs`` with ``workers`` processes (in this process when 1); ``on_done`` per job.

    An exception (from a job or from ``on_done``) cancels what has not started and is
    raised; finished jobs are already recorded by their workers.
    """
    if not jobs:
        return
    if workers <= 1:
        prover = Prover(spec)
        for job in jobs:
            on_done(job.index, prover.run(job))
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process holding native threads
    pool = concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=init_worker, initargs=(spec,)
    )
    try:
        futures = [pool.submit(run_job, job) for job in jobs]
        for future in concurrent.futures.as_completed(futures):
            index, record = future.result()
            on_done(index, record)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _root_inputs(
    digests: Sequence[BatchDigest], padding: BatchDigest, slots: int, market_digest: int, round_id: int
) -> dict[str, object]:
    """The input of ``SolvencyRoot(A, I, NB)``: every slot's root and sums, padding after the batches."""
    filled = [*digests, *([padding] * (slots - len(digests)))]
    return {
        "batchRoot": [d.root for d in filled],
        "batchSums": [list(d.sums) for d in filled],
        "marketHash": market_digest,
        "roundId": round_id,
    }


def prove_round(options: RoundOptions, say: Say = _quiet, progress: Progress | None = None) -> RoundResult:
    """Run a whole round (see the module docstring); returns where everything went."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    progress = progress or Progress()
    backend = options.backend or DEFAULT_BACKEND
    get_kernels(backend)  # an unknown backend fails here, before anything is written
    if options.round_id is not None and not 0 <= options.round_id < ROUND_ID_BOUND:
        raise InputError(f"--round-id {options.round_id} is outside 0..2**64 - 1")

    # 1-2. Inputs and the solvency gate.
    inputs = read_round_inputs(options.accounts, options.market, options.fmt)
    check_solvency(inputs.market, inputs.accounts)
    manifest = load_manifest()
    batch_entry = manifest.batch_circuit(options.shape, options.batch_size)
    size = batch_entry.size
    check_fits(inputs.market, inputs.accounts, size, options.pad_to)
    count = max(len(inputs.accounts), options.pad_to or 0)
    n_batches = max(1, -(-count // size.batch))
    root_entry = manifest.root_circuit(size.assets, size.instruments, n_batches)
    say(
        f"{len(inputs.accounts)} accounts, all solvent; {n_batches} batches of {size.batch} "
        f"({batch_entry.name}), root circuit {root_entry.name}"
    )

    # 3. Circuits and keys.
    mark = time.perf_counter()
    batch_keys = prepare_keys(batch_entry, options.ptau, backend, say)
    root_keys = prepare_keys(root_entry, options.ptau, backend, say)
    timings["compile and setup"] = time.perf_counter() - mark

    # 4. The work folder.
    fp = fingerprint(
        {
            "accounts": inputs.accounts_sha256,
            "market": inputs.market_sha256,
            "batch_circuit": batch_entry.name,
            "root_circuit": root_entry.name,
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
        round_secrets = RoundSecrets.fresh(inputs.accounts, options.pad_to)
        work.create(fp, round_id, round_secrets)

    # 5. Placement and the ledger.
    mark = time.perf_counter()
    plan = plan_round(inputs.market, inputs.accounts, size, round_secrets, options.pad_to)
    digests = [batch_digest(inputs.market, batch, size) for batch in plan.batches]
    padding = batch_digest(inputs.market, [], size)
    timings["ledger"] = time.perf_counter() - mark

    # 6. Batch proofs.
    mark = time.perf_counter()
    records: dict[int, ProofRecord] = {}
    jobs: list[Job] = []
    for index, (batch, digest) in enumerate(zip(plan.batches, digests, strict=True)):
        path = work.batch_record_path(index)
        record = work.read_record(path)
        if _usable(record, digest.commitment, batch_keys):
            records[index] = record  # type: ignore[assignment]
        else:
            jobs.append(Job(index, batch_inputs(inputs.market, batch, size), digest.commitment, str(path)))
    cores = os.cpu_count() or 1
    workers = max(1, min(options.workers or cores, len(jobs) or 1))
    threads = max(1, cores // workers) if workers > 1 else 0
    progress.start(len(jobs), len(records))

    def done(index: int, record: ProofRecord) -> None:
        records[index] = record
        progress.batch_done(index, record)

    run_jobs(jobs, _spec(batch_keys, backend, threads), workers, done)
    progress.finish()
    timings["batch proofs"] = time.perf_counter() - mark

    # 7. The root proof.
    mark = time.perf_counter()
    rd = round_digest(
        [d.commitment for d in digests],
        [d.sums for d in digests],
        padding.commitment,
        root_entry.slots,
        padding.market_hash,
        round_id,
    )
    root_path = work.root_record_path()
    root_record = work.read_record(root_path)
    if not _usable(root_record, rd.public_value, root_keys):
        say("proving the root")
        job = Job(
            -1,
            _root_inputs(digests, padding, root_entry.slots, padding.market_hash, round_id),
            rd.public_value,
            str(root_path),
        )
        root_record = Prover(_spec(root_keys, backend, 0)).run(job)
    assert root_record is not None
    timings["root proof"] = time.perf_counter() - mark

    # 8. Inclusion files, bundle, clean-up.
    mark = time.perf_counter()
    inclusion_dir = (options.inclusion_dir or default_inclusion_dir(options.out)).resolve()
    write_inclusion_dir(inclusion_dir, _inclusion_documents(plan, digests, rd, round_id))
    contents = BundleContents(
        manifest=_manifest(
            inputs.market_sha256, plan, digests, padding, rd, batch_keys, root_keys, len(inputs.accounts)
        ),
        market_bytes=inputs.market_bytes,
        batch_vkey=read_vkey(batch_keys.vkey),
        root_vkey=read_vkey(root_keys.vkey),
        batches=[BundleProof(records[k].proof, records[k].public) for k in range(len(digests))],
        root=BundleProof(root_record.proof, root_record.public),
    )
    write_bundle(options.out.resolve(), contents)
    work.remove()
    timings["bundle"] = time.perf_counter() - mark
    return RoundResult(
        bundle=options.out.resolve(),
        inclusion_dir=inclusion_dir,
        accounts=len(inputs.accounts),
        batches=len(digests),
        slots=root_entry.slots,
        proven=len(jobs),
        reused=len(digests) - len(jobs),
        global_root=rd.global_root,
        public_value=rd.public_value,
        totals_hash=rd.totals_hash,
        unsafe_setup=batch_keys.unsafe or root_keys.unsafe,
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def _inclusion_documents(
    plan: RoundPlan, digests: Sequence[BatchDigest], rd: RoundDigest, round_id: int
) -> dict[str, dict[str, object]]:
    return {
        account_id: inclusion_document(
            plan.accounts[account_id],
            place.salt,
            plan.market,
            place.batch,
            place.position,
            digests[place.batch],
            rd,
            round_id,
        )
        for account_id, place in plan.placements.items()
    }


def _circuit_json(keys: CircuitKeys, vkey_file: str) -> dict[str, object]:
    return {
        **keys.entry.describe(),
        "constraints": keys.constraints,
        "domain_power": keys.domain_power,
        "r1cs_sha256": keys.r1cs_sha256,
        "zkey_sha256": keys.zkey_sha256,
        "vkey": vkey_file,
        "vkey_sha256": keys.vkey_sha256,
    }


def _manifest(
    market_sha256: str,
    plan: RoundPlan,
    digests: Sequence[BatchDigest],
    padding: BatchDigest,
    rd: RoundDigest,
    batch_keys: CircuitKeys,
    root_keys: CircuitKeys,
    n_accounts: int,
) -> dict[str, object]:
    n_assets, n_instruments = len(plan.market.assets), len(plan.market.instruments)
    balances = {a.name: str(t) for a, t in zip(plan.market.assets, rd.totals[:n_assets], strict=True)}
    positions = {
        i.name: str(t)
        for i, t in zip(
            plan.market.instruments,
            rd.totals[plan.size.assets : plan.size.assets + n_instruments],
            strict=True,
        )
    }
    batches = []
    for index, digest in enumerate(digests):
        proof_file, public_file = batch_files(index)
        batches.append({"commitment": str(digest.commitment), "proof": proof_file, "public": public_file})
    padded = plan.padded_to is not None
    return {
        "format": BUNDLE_FORMAT,
        "round_id": str(rd.round_id),
        "market": {"file": MARKET, "sha256": market_sha256, "hash": str(rd.market_hash)},
        "circuits": {
            "batch": _circuit_json(batch_keys, BATCH_VKEY),
            "root": _circuit_json(root_keys, ROOT_VKEY),
        },
        "setup": {
            "unsafe": batch_keys.unsafe or root_keys.unsafe,
            "ptau": batch_keys.ptau,
            "provenance": combined_kind([batch_keys.provenance, root_keys.provenance]),
            "batch": batch_keys.provenance.to_json(),
            "root": root_keys.provenance.to_json(),
        },
        "accounts": {"count": plan.padded_to if padded else n_accounts, "padded": padded},
        "batches": batches,
        "slots": len(rd.slots),
        "padding_commitment": str(padding.commitment),
        "global_root": str(rd.global_root),
        "totals": {
            "vector": [str(t) for t in rd.totals],
            "balances": balances,
            "positions": positions,
        },
        "totals_hash": str(rd.totals_hash),
        "public_value": str(rd.public_value),
        "root_proof": {"proof": ROOT_PROOF, "public": ROOT_PUBLIC},
        "generator": generator_info(),
    }
