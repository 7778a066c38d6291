"""The executors' driver loop: retries, lost workers, a job that fails for good, bounded memory.

``Scripted`` is an executor whose "workers" follow a script (fail this job twice, lose
that worker once) so that the loop of :class:`Executor.run` is tested on its own; the
real workers are exercised by every round test, and Ray's by ``test_ray.py``. The driver
behaviour of a failing batch in a real round is tested here too, in this process.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import cast

import pytest

from zksolvency.round import prove_round
from zksolvency.round.executor import Executor, RoundFailed, WorkerLost
from zksolvency.round.prove import default_inclusion_dir
from zksolvency.round.workdir import ProofRecord, work_dir_for
from zksolvency.round.worker import BatchJob, Job, JobOutcome, RoundContext, Worker

from .conftest import options, signed_sample

RECORD = cast(ProofRecord, object())


class Scripted(Executor):
    """Each job fails ``failures[index]`` times, then succeeds; ``lost`` chunks lose their worker."""

    name = "scripted"

    def __init__(self, failures: dict[int, int], lost: int = 0, retries: int = 2) -> None:
        super().__init__(cast(RoundContext, None), workers=2, retries=retries, chunk=2)
        self.failures = dict(failures)
        self.lost = lost
        self.handles: dict[int, list[Job]] = {}
        self.submitted = 0
        self.most_in_flight = 0

    def _submit(self, chunk: list[Job]) -> Hashable:
        handle = self.submitted
        self.submitted += 1
        self.handles[handle] = chunk
        self.most_in_flight = max(self.most_in_flight, len(self.handles))
        return handle

    def _wait(self, handles: list[Hashable]) -> list[Hashable]:
        return handles[:1]

    def _result(self, handle: Hashable) -> list[JobOutcome]:
        chunk = self.handles.pop(handle)  # type: ignore[call-overload]
        if self.lost:
            self.lost -= 1
            raise WorkerLost("killed")
        outcomes = []
        for job in chunk:
            if self.failures.get(job.index, 0):
                self.failures[job.index] -= 1
                outcomes.append(JobOutcome(None, f"boom in {job.label}"))
            else:
                outcomes.append(JobOutcome(RECORD))
        return outcomes


def _jobs(n: int) -> list[Job]:
    return [BatchJob(k, ()) for k in range(n)]


def test_a_job_that_fails_twice_is_retried_and_done_once() -> None:
    done: list[int] = []
    Scripted({3: 2}).run(_jobs(6), lambda job, _record: done.append(job.index))
    assert sorted(done) == list(range(6))


def test_a_job_that_fails_every_attempt_stops_the_round_naming_it() -> None:
    done: list[int] = []
    with pytest.raises(RoundFailed, match=r"batch 3 failed 3 times; the round stopped: boom in batch 3"):
        Scripted({3: 3}).run(_jobs(6), lambda job, _record: done.append(job.index))
    assert 3 not in done


def test_the_jobs_of_a_lost_worker_are_sent_again() -> None:
    done: list[int] = []
    Scripted({}, lost=1).run(_jobs(4), lambda job, _record: done.append(job.index))
    assert sorted(done) == [0, 1, 2, 3]
    with pytest.raises(RoundFailed, match="its worker was lost"):
        Scripted({}, lost=9, retries=1).run(_jobs(4), lambda _job, _record: None)


def test_jobs_are_drawn_as_workers_free_up() -> None:
    drawn = 0

    def many() -> Iterator[Job]:
        nonlocal drawn
        for job in _jobs(1000):
            drawn += 1
            yield job

    executor = Scripted({})
    first: list[int] = []

    def on_done(job: Job, _record: ProofRecord) -> None:
        if not first:
            first.append(drawn)

    executor.run(many(), on_done)
    assert drawn == 1000
    assert first[0] <= 2 * executor.workers * executor.chunk  # not all 1000 drawn up front
    assert executor.most_in_flight <= 2 * executor.workers


def test_a_batch_that_fails_every_retry_stops_the_round_with_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = signed_sample(tmp_path / "in", 10)
    out = tmp_path / "out" / "bundle"
    real = Worker._prepare

    def broken(self: Worker, job: Job) -> object:
        if isinstance(job, BatchJob) and job.index == 1:
            raise RuntimeError("disk on fire")
        return real(self, job)

    monkeypatch.setattr(Worker, "_prepare", broken)
    with pytest.raises(
        RoundFailed, match=r"batch 1 failed 3 times; the round stopped: RuntimeError: disk on fire"
    ):
        prove_round(replace(options(inputs, out), executor="local"))
    assert not out.exists() and not default_inclusion_dir(out).exists()
    kept = sorted(
        p.name for p in (work_dir_for(out) / "batches").iterdir() if not p.name.endswith("tree.json")
    )
    assert "000001.json" not in kept  # the others are kept for a resume
