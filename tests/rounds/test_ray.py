"""Rounds on a local Ray instance: the same round as on the process pool, even with a worker killed.

One Ray instance for the module (two CPUs); the executor uses it as it would a cluster
(keys and witness calculators shipped through the object store). The rounds share a
fixed seed (``RoundOptions.seed``, for tests only) so that their placements, hence their
roots, are comparable.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import ray

from zksolvency.round import Progress, RoundResult, audit_bundle, prove_round
from zksolvency.round.workdir import ProofRecord

from .conftest import Inputs, options, signed_sample

pytestmark = pytest.mark.slow

SEED = bytes(range(32))
ACCOUNTS = 40  # 10 batches of 4: several chunks in flight on each worker


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def venue(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    return signed_sample(tmp_path_factory.mktemp("ray-in"), ACCOUNTS, seed=9)


@pytest.fixture(scope="module")
def on_pool(venue: Inputs, tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    out = tmp_path_factory.mktemp("pool") / "bundle"
    return prove_round(replace(options(venue, out, workers=2), seed=SEED))


def _commitments(result: RoundResult) -> list[str]:
    manifest = json.loads((result.bundle / "manifest.json").read_text())
    return [b["commitment"] for b in manifest["batches"]]


def _same_round(a: RoundResult, b: RoundResult) -> None:
    assert (a.global_root, a.totals_hash, a.public_value) == (b.global_root, b.totals_hash, b.public_value)
    assert _commitments(a) == _commitments(b)


def test_a_round_on_ray_equals_the_process_pool_round(
    local_ray: None, venue: Inputs, on_pool: RoundResult, tmp_path: Path
) -> None:
    on_ray = prove_round(
        replace(
            options(venue, tmp_path / "bundle", workers=2), seed=SEED, executor="ray", ray_address="local"
        )
    )
    assert on_ray.executor == "ray, 2 actors"
    _same_round(on_ray, on_pool)
    assert audit_bundle(on_ray.bundle, allow_dev_setup=True).ok
    manifest = json.loads((on_ray.bundle / "manifest.json").read_text())
    assert manifest["proving"]["executor"] == "ray, 2 actors" and manifest["proving"]["workers"] == 2
    # The twin: another seed is another placement, hence another root.
    other = prove_round(
        replace(
            options(venue, tmp_path / "other", workers=2), seed=bytes(32), executor="ray", ray_address="local"
        )
    )
    assert other.global_root != on_pool.global_root


def _actor_pids() -> list[int]:
    """Processes of this machine that run one of the round's Ray actors."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"ray::_RayWorker" in command:
            pids.append(int(entry.name))
    return pids


class KillOneWorker(Progress):
    """Kills one actor's process (SIGKILL) when the first batch comes back."""

    def __init__(self) -> None:
        self.killed: list[int] = []

    def batch_done(self, index: int, record: ProofRecord) -> None:
        if not self.killed:
            pids = _actor_pids()
            assert pids, "no Ray actor process found"
            os.kill(pids[0], signal.SIGKILL)
            self.killed.append(pids[0])


def test_a_killed_ray_worker_leaves_the_round_unchanged(
    local_ray: None, venue: Inputs, on_pool: RoundResult, tmp_path: Path
) -> None:
    killer = KillOneWorker()
    survived = prove_round(
        replace(
            options(venue, tmp_path / "bundle", workers=2), seed=SEED, executor="ray", ray_address="local"
        ),
        progress=killer,
    )
    assert killer.killed
    _same_round(survived, on_pool)
    assert audit_bundle(survived.bundle, allow_dev_setup=True).ok
