"""One proof, start to finish: witness (wasmtime), Groth16 prove, verify, record.

A :class:`Prover` loads a circuit's witness calculator, proving key and verification
key once and then proves jobs one after another. The round runs one per worker
process (``init_worker`` / ``run_job``); each job's record is written to the work
folder by the worker itself, atomically, only after the proof verified and its public
signal equalled the commitment the ledger computed in Python.

Backends: ``native`` proves with one call on the ``.zkey`` sections as they lie in the
file (``groth16.native_prove``) and verifies with arkworks; ``python`` decodes the
key and uses the reference kernels and py_ecc. With several workers the native
prover's threads are shared out (``RAYON_NUM_THREADS``, set before first use).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.formats.snarkjs_json import Proof, read_vkey
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.errors import ZkSolvencyError
from zksolvency.round.workdir import ProofRecord, write_record

ProveFn = Callable[[Sequence[int]], tuple[Proof, list[int]]]


class ProofFailed(ZkSolvencyError):
    """A proof that was just made did not verify or did not commit to the expected value."""


@dataclass(frozen=True)
class ProverSpec:
    """What a worker loads: the circuit's wasm, its keys, the backend, threads for native."""

    wasm: str
    zkey: str
    vkey: str
    vkey_sha256: str
    backend: str
    threads: int = 0


@dataclass(frozen=True)
class Job:
    """One proof to make: the circuit inputs, the public signal it must give, where to record it."""

    index: int
    inputs: dict[str, object]
    expected: int
    record: str


def load_prove_fn(zkey_path: str, backend: str) -> ProveFn:
    """A function witness -> (proof, public signals) with fresh blinding scalars per call."""
    if backend == "native":
        from zksolvency.circuit.formats.zkey import read_zkey_raw
        from zksolvency.groth16.native_prove import prove_raw

        raw = read_zkey_raw(zkey_path)

        def prove_native(witness: Sequence[int]) -> tuple[Proof, list[int]]:
            return prove_raw(raw, witness, secrets.randbelow(R), secrets.randbelow(R))

        return prove_native
    from zksolvency.circuit.formats.zkey import read_zkey
    from zksolvency.groth16.kernels import get_kernels
    from zksolvency.groth16.prove import prove

    zkey = read_zkey(zkey_path)
    kernels = get_kernels(backend)

    def prove_reference(witness: Sequence[int]) -> tuple[Proof, list[int]]:
        return prove(zkey, witness, kernels)

    return prove_reference


class Prover:
    """A loaded circuit: proves, verifies and records jobs."""

    def __init__(self, spec: ProverSpec) -> None:
        self.spec = spec
        self.calculator = WitnessCalculator(spec.wasm)
        self.prove = load_prove_fn(spec.zkey, spec.backend)
        self.vkey = read_vkey(spec.vkey)

    def run(self, job: Job) -> ProofRecord:
        from zksolvency.groth16.verify import verify

        start = time.perf_counter()
        witness = self.calculator.calculate(job.inputs)
        proof, public = self.prove(witness)
        if public != [job.expected]:
            raise ProofFailed(
                f"proof {job.index}: public signal {public} is not the commitment the ledger computed "
                f"({job.expected}); circuit and ledger disagree"
            )
        answer = verify(self.vkey, public, proof, self.spec.backend)
        if not answer.valid:
            raise ProofFailed(f"proof {job.index} did not verify: {answer.reason}")
        record = ProofRecord(job.expected, self.spec.vkey_sha256, proof, public, time.perf_counter() - start)
        write_record(Path(job.record), record)
        return record


_WORKER: Prover | None = None


def init_worker(spec: ProverSpec) -> None:
    """Process-pool initializer: share out native threads, then load the circuit once."""
    global _WORKER
    if spec.threads > 0:
        os.environ["RAYON_NUM_THREADS"] = str(spec.threads)
    _WORKER = Prover(spec)


def run_job(job: Job) -> tuple[int, ProofRecord]:
    """Process-pool task: prove one job with this worker's circuit."""
    if _WORKER is None:
        raise RuntimeError("worker not initialised")
    return job.index, _WORKER.run(job)
