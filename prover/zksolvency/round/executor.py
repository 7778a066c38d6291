"""Where a round's proofs run: this process, a local process pool, or a Ray cluster.

One interface, :class:`Executor`, chosen in one place (:func:`make_executor`):

* ``local``: this process (one worker);
* ``pool`` (the default): ``workers`` processes on this machine (``spawn``, so no process
  holding native threads is forked);
* ``ray``: ``workers`` Ray actors (``ray.init(address)``; ``--ray-address local`` starts a
  local instance). Each actor holds its proving keys for the whole round; the keys and
  witness calculators travel through Ray's object store, so no shared file system is
  assumed.

Every executor runs the same :class:`~zksolvency.round.worker.Worker` and hands each
finished :class:`ProofRecord` back to the driver (``on_done``), which records it. Jobs
go out in chunks of ``chunk`` (a worker prepares the next job of its chunk while it proves
the current one), with at most two chunks in flight per worker, so memory stays bounded
by the chunk size and the worker count, whatever the number of jobs.

Failures. A job that raises, or whose worker dies (a killed process, a lost Ray node), is
sent again, to whichever worker is free, up to ``retries`` more times; a job that fails
every attempt stops the round with :class:`RoundFailed` naming it and its last error.
Records already returned stay recorded, so the round resumes from there.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import itertools
import multiprocessing
import os
import tempfile
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

from zksolvency.errors import InputError, ZkSolvencyError
from zksolvency.round.workdir import ProofRecord
from zksolvency.round.worker import Job, JobOutcome, ProverSpec, RoundContext, Worker

OnDone = Callable[[Job, ProofRecord], None]

#: Executor names, the default first.
EXECUTORS = ("pool", "local", "ray")
#: A Ray actor that fails this many pings in a row (PING_PAUSE seconds apart) has left the pool.
PING_LIMIT = 600
PING_PAUSE = 0.1


class RoundFailed(ZkSolvencyError):
    """A proof failed every attempt; the round stops (what was recorded stays, for a resume)."""

    def __init__(self, label: str, attempts: int, error: str) -> None:
        self.label = label
        self.attempts = attempts
        self.error = error
        super().__init__(f"{label} failed {attempts} times; the round stopped: {error}")


class WorkerLost(Exception):
    """The worker running a chunk went away (its process died): the chunk is sent again."""


class Executor(ABC):
    """Runs jobs on workers and hands their records back (see the module docstring)."""

    name = "executor"

    def __init__(self, context: RoundContext, workers: int, retries: int = 2, chunk: int = 2) -> None:
        self.context = context
        self.workers = max(1, workers)
        self.retries = max(0, retries)
        self.chunk = max(1, chunk)

    @abstractmethod
    def _submit(self, chunk: list[Job]) -> Hashable:
        """Start ``chunk`` somewhere; a handle to wait on."""

    @abstractmethod
    def _wait(self, handles: list[Hashable]) -> list[Hashable]:
        """Block until at least one handle is done; the done ones."""

    @abstractmethod
    def _result(self, handle: Hashable) -> list[JobOutcome]:
        """The outcomes of a done chunk; :class:`WorkerLost` if its worker died."""

    def close(self) -> None:  # noqa: B027 (executors without workers to stop keep this)
        """Stop the workers."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def describe(self) -> str:
        return f"{self.name}, {self.workers} worker{'s' if self.workers != 1 else ''}"

    def run(self, jobs: Iterable[Job], on_done: OnDone) -> None:
        """Run every job; ``on_done(job, record)`` as each finishes (any order)."""
        source: Iterator[Job] = iter(jobs)
        again: deque[Job] = deque()
        attempts: dict[str, int] = {}
        in_flight: dict[Hashable, list[Job]] = {}
        exhausted = False

        def next_chunk() -> list[Job]:
            nonlocal exhausted
            chunk: list[Job] = []
            while len(chunk) < self.chunk and again:
                chunk.append(again.popleft())
            while len(chunk) < self.chunk and not exhausted:
                job = next(source, None)
                if job is None:
                    exhausted = True
                else:
                    chunk.append(job)
            return chunk

        def top_up() -> None:
            while len(in_flight) < 2 * self.workers:
                chunk = next_chunk()
                if not chunk:
                    return
                in_flight[self._submit(chunk)] = chunk

        top_up()
        while in_flight:
            for handle in self._wait(list(in_flight)):
                chunk = in_flight.pop(handle)
                try:
                    outcomes = self._result(handle)
                except WorkerLost as exc:
                    outcomes = [JobOutcome(None, f"its worker was lost ({exc})")] * len(chunk)
                for job, outcome in zip(chunk, outcomes, strict=True):
                    if outcome.record is not None:
                        on_done(job, outcome.record)
                        continue
                    attempts[job.label] = attempts.get(job.label, 0) + 1
                    if attempts[job.label] > self.retries:
                        raise RoundFailed(job.label, attempts[job.label], outcome.error)
                    again.append(job)
            top_up()


class LocalExecutor(Executor):
    """This process: one worker, no pipes."""

    name = "local"

    def __init__(self, context: RoundContext, workers: int = 1, retries: int = 2, chunk: int = 2) -> None:
        super().__init__(context, 1, retries, chunk)
        self._worker = Worker(context)
        self._done: dict[int, list[JobOutcome]] = {}
        self._handles = itertools.count()

    def _submit(self, chunk: list[Job]) -> Hashable:
        handle = next(self._handles)
        self._done[handle] = self._worker.run_many(chunk)
        return handle

    def _wait(self, handles: list[Hashable]) -> list[Hashable]:
        return handles

    def _result(self, handle: Hashable) -> list[JobOutcome]:
        return self._done.pop(handle)  # type: ignore[call-overload, no-any-return]


_PROCESS_WORKER: Worker | None = None


def _init_process(context: RoundContext) -> None:
    global _PROCESS_WORKER
    _PROCESS_WORKER = Worker(context)


def _run_chunk(chunk: Sequence[Job]) -> list[JobOutcome]:
    if _PROCESS_WORKER is None:
        raise RuntimeError("worker not initialised")
    return _PROCESS_WORKER.run_many(chunk)


class PoolExecutor(Executor):
    """``workers`` processes on this machine; a pool whose process died is replaced."""

    name = "process pool"

    def __init__(self, context: RoundContext, workers: int, retries: int = 2, chunk: int = 2) -> None:
        super().__init__(context, workers, retries, chunk)
        self._pool = self._new_pool()

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_process,
            initargs=(self.context,),
        )

    def _submit(self, chunk: list[Job]) -> Hashable:
        try:
            return self._pool.submit(_run_chunk, chunk)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(_run_chunk, chunk)

    def _wait(self, handles: list[Hashable]) -> list[Hashable]:
        futures = [h for h in handles if isinstance(h, concurrent.futures.Future)]
        done, _ = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
        return list(done)

    def _result(self, handle: Hashable) -> list[JobOutcome]:
        assert isinstance(handle, concurrent.futures.Future)
        try:
            return handle.result()  # type: ignore[no-any-return]
        except BrokenProcessPool as exc:
            raise WorkerLost(str(exc) or "a worker process died") from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _ship(context: RoundContext) -> tuple[RoundContext, dict[str, bytes]]:
    """The context with file paths replaced by names, and the files' bytes by name."""
    blobs: dict[str, bytes] = {}
    specs: dict[str, ProverSpec] = {}
    for circuit, spec in context.specs.items():
        names = []
        for kind, path in zip(("wasm", "zkey", "vkey"), spec.files(), strict=True):
            name = f"{circuit}.{kind}"
            blobs[name] = Path(path).read_bytes()
            names.append(name)
        specs[circuit] = replace(spec, wasm=names[0], zkey=names[1], vkey=names[2])
    return replace(context, specs=specs), blobs


class _RayWorker:
    """A Ray actor: writes the round's files to a private folder once, then runs chunks."""

    def __init__(self, context: RoundContext, blobs: dict[str, bytes]) -> None:
        self._files = tempfile.TemporaryDirectory(prefix="zksolvency-ray-")  # removed with the actor
        self._folder = Path(self._files.name)
        for name, data in blobs.items():
            (self._folder / name).write_bytes(data)
        specs = {
            circuit: replace(
                spec,
                wasm=str(self._folder / spec.wasm),
                zkey=str(self._folder / spec.zkey),
                vkey=str(self._folder / spec.vkey),
            )
            for circuit, spec in context.specs.items()
        }
        self._worker = Worker(replace(context, specs=specs))

    def pid(self) -> int:
        return os.getpid()

    def run_many(self, chunk: Sequence[Job]) -> list[JobOutcome]:
        return self._worker.run_many(chunk)


class RayExecutor(Executor):
    """``workers`` Ray actors, each holding its keys.

    A chunk whose actor died is sent to another actor; Ray restarts the dead one (up to
    ``retries`` times), and it gets work again once it answers a ping. An actor Ray gave up
    on leaves the pool; with none left the round stops.
    """

    name = "ray"

    def __init__(
        self, context: RoundContext, workers: int, address: str, retries: int = 2, chunk: int = 2
    ) -> None:
        super().__init__(context, workers, retries, chunk)
        ray: Any = importlib.import_module("ray")
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            options: dict[str, object] = {"include_dashboard": False, "logging_level": "ERROR"}
            if address == "local":
                options["num_cpus"] = os.cpu_count() or 1
            else:
                options["address"] = address
            ray.init(**options)
            self._started = True
        shipped, blobs = _ship(context)
        actor = ray.remote(num_cpus=1, max_restarts=max(1, self.retries), max_task_retries=0)(_RayWorker)
        blobs_ref = ray.put(blobs)
        self.actors = [actor.remote(shipped, blobs_ref) for _ in range(self.workers)]
        self._busy: dict[int, int] = {k: 0 for k in range(self.workers)}
        self._down: dict[int, Any] = {}  # actor -> a ping that answers once it is back
        self._unanswered: dict[int, int] = {}
        self._owner: dict[Hashable, int] = {}

    def _revive(self, block: bool) -> None:
        """Put back the actors whose ping answered; drop those Ray gave up on."""
        if not self._down:
            return
        pings = list(self._down.values())
        ready, _ = self._ray.wait(pings, num_returns=1 if block else len(pings), timeout=None if block else 0)
        for k, ping in list(self._down.items()):
            if ping not in ready:
                continue
            try:
                self._ray.get(ping)
                del self._down[k]
                self._unanswered[k] = 0
            except self._ray.exceptions.RayActorError:
                self._unanswered[k] = self._unanswered.get(k, 0) + 1
                if self._unanswered[k] > PING_LIMIT:
                    del self._down[k]
                    del self._busy[k]  # Ray gave up on it: gone for good
                else:
                    time.sleep(PING_PAUSE)
                    self._down[k] = self.actors[k].pid.remote()  # still restarting: ask again

    def _submit(self, chunk: list[Job]) -> Hashable:
        self._revive(block=False)
        while not [k for k in self._busy if k not in self._down]:
            if not self._busy:
                raise RoundFailed(chunk[0].label, 0, "every Ray worker died and none came back")
            self._revive(block=True)
        k = min((a for a in self._busy if a not in self._down), key=lambda a: self._busy[a])
        ref = self.actors[k].run_many.remote(chunk)
        self._busy[k] += 1
        self._owner[ref] = k
        return ref  # type: ignore[no-any-return]

    def _wait(self, handles: list[Hashable]) -> list[Hashable]:
        done, _ = self._ray.wait(handles, num_returns=1)
        return list(done)

    def _result(self, handle: Hashable) -> list[JobOutcome]:
        k = self._owner.pop(handle)
        if k in self._busy:
            self._busy[k] -= 1
        try:
            return self._ray.get(handle)  # type: ignore[no-any-return]
        except (self._ray.exceptions.RayActorError, self._ray.exceptions.WorkerCrashedError) as exc:
            if k in self._busy:
                self._down[k] = self.actors[k].pid.remote()
            raise WorkerLost(type(exc).__name__) from None

    def describe(self) -> str:
        return f"ray, {self.workers} actor{'s' if self.workers != 1 else ''}"

    def close(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor)
        if self._started:
            self._ray.shutdown()


def make_executor(
    context: RoundContext, kind: str, workers: int, ray_address: str | None = None, retries: int = 2
) -> Executor:
    """The executor ``kind`` (one of :data:`EXECUTORS`); ``ray`` needs ``ray_address``."""
    if kind == "local":
        return LocalExecutor(context, 1, retries)
    if kind == "pool":
        return PoolExecutor(context, workers, retries)
    if kind == "ray":
        if not ray_address:
            raise InputError("the ray executor needs --ray-address (a cluster address, or local)")
        return RayExecutor(context, workers, ray_address, retries)
    raise InputError(f"unknown executor {kind!r} (choose from {', '.join(EXECUTORS)})")
