"""Proofs, start to finish, on whatever runs them: witness (wasmtime), Groth16 prove, verify.

A :class:`Worker` holds a round's :class:`RoundContext` (snapshot, circuit size, round id,
and where each circuit's files are) and loads each circuit (witness calculator, proving
key, verification key) once, the first time a job needs it. It runs two kinds of job:

* :class:`BatchJob`: a batch's members (accounts with their salts, dummies with their
  commitments). The worker computes the id commitments, the batch's leaves, sum tree and
  commitment in Python (``zksolvency.ledger``), the witness, the proof, and checks that
  the proof's public signal is the commitment the ledger computed and that the proof
  verifies. It returns the :class:`ProofRecord`, with the batch's tree for the inclusion
  files: workers write nothing (a Ray worker need not share a file system with the driver).
* :class:`RootJob`: a node of the tree of roots, or the top root: the circuit inputs and the
  public signal the driver computed in Python; same checks.

:meth:`Worker.run_many` overlaps the jobs it is given: while job ``k`` is proven (native
code, which releases the GIL), a second thread prepares job ``k + 1`` (ledger and
witness). Each job's outcome is returned on its own, so a failure costs only that job.

Backends: ``native`` proves with one call on the key's raw sections
(``groth16.native_prove``) and verifies with arkworks; ``python`` decodes the key and
uses the reference kernels and py_ecc. ``RoundContext.threads`` caps the native prover's
threads in this process (``RAYON_NUM_THREADS``, set before its first use).
"""

from __future__ import annotations

import concurrent.futures
import os
import secrets
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from zksolvency.bn254 import R
from zksolvency.circuit.formats.snarkjs_json import Proof, read_vkey
from zksolvency.circuit.solvency_inputs import BatchEntry, CircuitSize, batch_inputs
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.errors import ZkSolvencyError
from zksolvency.ledger.batch import batch_digest
from zksolvency.ledger.leaf import id_commitment
from zksolvency.model.market import Market
from zksolvency.round.plan import Member
from zksolvency.round.workdir import ProofRecord, TreeData

#: A witness as the native prover takes it (``.wtns`` data bytes) or as integers (python backend).
WitnessData = bytes | list[int]
ProveFn = Callable[[WitnessData], tuple[Proof, list[int]]]


class ProofFailed(ZkSolvencyError):
    """A proof that was just made did not verify or did not commit to the expected value."""


@dataclass(frozen=True)
class ProverSpec:
    """A circuit's files: witness calculator, proving key, verification key (and its hash)."""

    wasm: str
    zkey: str
    vkey: str
    vkey_sha256: str
    backend: str

    def files(self) -> tuple[str, str, str]:
        return self.wasm, self.zkey, self.vkey


@dataclass(frozen=True)
class RoundContext:
    """What every job of a round shares; sent to each worker once."""

    market: Market
    size: CircuitSize
    round_id: int
    specs: dict[str, ProverSpec]
    threads: int = 0


@dataclass(frozen=True)
class BatchJob:
    """Batch ``index``: its members in leaf order (padding after them is implicit)."""

    index: int
    members: tuple[Member, ...]

    @property
    def label(self) -> str:
        return f"batch {self.index}"


@dataclass(frozen=True)
class RootJob:
    """A root proof: node ``index`` of ``level`` (circuit ``node``) or the top (``root``, level -1).

    ``expected`` is the public signal the driver computed; ``commitment``, ``root`` and
    ``sums`` are what the record stands for (see :class:`ProofRecord`).
    """

    circuit: str
    level: int
    index: int
    inputs: dict[str, object] = field(repr=False)
    expected: int
    commitment: int
    root: int
    sums: tuple[int, ...]

    @property
    def label(self) -> str:
        return "the root" if self.level < 0 else f"node {self.index} of level {self.level}"


Job = BatchJob | RootJob


@dataclass(frozen=True)
class JobOutcome:
    """A job's record, or the error that stopped it (with its traceback, for the log)."""

    record: ProofRecord | None
    error: str = ""


def load_prove_fn(zkey_path: str, backend: str) -> ProveFn:
    """A function witness -> (proof, public signals) with fresh blinding scalars per call."""
    if backend == "native":
        from zksolvency.circuit.formats.zkey import read_zkey_raw
        from zksolvency.groth16.native_prove import prove_raw

        raw = read_zkey_raw(zkey_path)

        def prove_native(witness: WitnessData) -> tuple[Proof, list[int]]:
            return prove_raw(raw, witness, secrets.randbelow(R), secrets.randbelow(R))

        return prove_native
    from zksolvency.circuit.formats.zkey import read_zkey
    from zksolvency.groth16.kernels import get_kernels
    from zksolvency.groth16.prove import prove

    zkey = read_zkey(zkey_path)
    kernels = get_kernels(backend)

    def prove_reference(witness: WitnessData) -> tuple[Proof, list[int]]:
        if isinstance(witness, bytes):
            raise TypeError("the python prover takes the witness as integers")
        return prove(zkey, witness, kernels)

    return prove_reference


class Prover:
    """A loaded circuit: witness calculator, proving function and verification key."""

    def __init__(self, spec: ProverSpec) -> None:
        self.spec = spec
        self.calculator = WitnessCalculator(spec.wasm)
        self.prove = load_prove_fn(spec.zkey, spec.backend)
        self.vkey = read_vkey(spec.vkey)

    def witness(self, inputs: dict[str, object]) -> WitnessData:
        """The witness of ``inputs`` in the form this prover takes (bytes for the native one)."""
        if self.spec.backend == "native":
            return self.calculator.calculate_bytes(inputs)
        return self.calculator.calculate(inputs)

    def checked_proof(self, witness: WitnessData, expected: int, label: str) -> tuple[Proof, list[int]]:
        """Prove, then refuse a public signal other than ``expected`` or a proof that does not verify."""
        from zksolvency.groth16.verify import verify

        proof, public = self.prove(witness)
        if public != [expected]:
            raise ProofFailed(
                f"{label}: public signal {public} is not the value the ledger computed ({expected}); "
                "circuit and ledger disagree"
            )
        answer = verify(self.vkey, public, proof, self.spec.backend)
        if not answer.valid:
            raise ProofFailed(f"{label} did not verify: {answer.reason}")
        return proof, public


@dataclass
class _Prepared:
    job: Job
    witness: WitnessData
    expected: int
    record_fields: dict[str, object]
    started: float


class Worker:
    """Runs jobs of one round (see the module docstring); loads each circuit on first use."""

    def __init__(self, context: RoundContext) -> None:
        if context.threads > 0:
            os.environ["RAYON_NUM_THREADS"] = str(context.threads)
        self.context = context
        self._provers: dict[str, Prover] = {}

    def prover(self, circuit: str) -> Prover:
        if circuit not in self._provers:
            self._provers[circuit] = Prover(self.context.specs[circuit])
        return self._provers[circuit]

    def _prepare(self, job: Job) -> _Prepared:
        started = time.perf_counter()
        if isinstance(job, RootJob):
            witness = self.prover(job.circuit).witness(job.inputs)
            fields: dict[str, object] = {"root": job.root, "sums": job.sums, "commitment": job.commitment}
            return _Prepared(job, witness, job.expected, fields, started)
        context = self.context
        entries = [
            BatchEntry(m.secret if m.dummy else id_commitment(m.account.id, m.secret), m.account)
            for m in job.members
        ]
        digest = batch_digest(context.market, entries, context.size, context.round_id)
        inputs = batch_inputs(context.market, entries, context.size, context.round_id)
        witness = self.prover("batch").witness(inputs)
        tree = TreeData(
            tuple((leaf.commitment, leaf.cost_total) for leaf in digest.leaves),
            tuple(tuple(level) for level in digest.tree.levels),
        )
        fields = {"root": digest.root, "sums": digest.sums, "commitment": digest.commitment, "tree": tree}
        return _Prepared(job, witness, digest.commitment, fields, started)

    def _finish(self, prepared: _Prepared) -> ProofRecord:
        job = prepared.job
        circuit = job.circuit if isinstance(job, RootJob) else "batch"
        prover = self.prover(circuit)
        proof, public = prover.checked_proof(prepared.witness, prepared.expected, job.label)
        return ProofRecord(
            vkey_sha256=prover.spec.vkey_sha256,
            proof=proof,
            public=public,
            seconds=time.perf_counter() - prepared.started,
            **prepared.record_fields,  # type: ignore[arg-type]
        )

    def run(self, job: Job) -> ProofRecord:
        """One job, start to finish; raises on failure."""
        return self._finish(self._prepare(job))

    def run_many(self, jobs: Sequence[Job]) -> list[JobOutcome]:
        """Each job's outcome, preparing the next while the current one is proven."""
        outcomes: list[JobOutcome] = []
        with concurrent.futures.ThreadPoolExecutor(1) as ahead:
            pending = ahead.submit(self._prepare, jobs[0]) if jobs else None
            for k in range(len(jobs)):
                assert pending is not None
                current = pending
                pending = ahead.submit(self._prepare, jobs[k + 1]) if k + 1 < len(jobs) else None
                try:
                    outcomes.append(JobOutcome(self._finish(current.result())))
                except Exception as exc:  # reported to the driver, which retries or stops the round
                    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                    outcomes.append(JobOutcome(None, detail))
        return outcomes
