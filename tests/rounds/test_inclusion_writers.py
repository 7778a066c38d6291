"""Inclusion files written by several forked processes are the files one process writes.

Two rounds of the same venue with the same seed (``RoundOptions.seed``, tests only) place the
accounts alike, so their inclusion files (which hold no proof) must be byte for byte the same
whether one process or three wrote them; the twin shows that the comparison sees a difference:
another seed gives other files.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.rounds.conftest import Inputs, options, signed_sample
from zksolvency.round import RoundResult, prove_round
from zksolvency.round import inclusion as inclusion_module
from zksolvency.round.inclusion import INDEX_FILE, _ranges

SEED = bytes(range(32))
ACCOUNTS = 22  # 6 batches of 4 at the test size


def _files(result: RoundResult) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(result.inclusion_dir.iterdir())}


@pytest.fixture(scope="module")
def venue(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    return signed_sample(tmp_path_factory.mktemp("writers-in"), ACCOUNTS, seed=11)


def _round(
    venue: Inputs, out: Path, processes: int, seed: bytes, monkeypatch: pytest.MonkeyPatch
) -> RoundResult:
    monkeypatch.setattr(inclusion_module, "inclusion_processes", lambda _accounts: processes)
    return prove_round(replace(options(venue, out / "bundle", workers=1), seed=seed))


@pytest.mark.slow
def test_three_writers_write_the_files_one_writer_writes(
    venue: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _files(_round(venue, tmp_path / "one", 1, SEED, monkeypatch))
    three = _files(_round(venue, tmp_path / "three", 3, SEED, monkeypatch))
    assert len(one) == ACCOUNTS + 1 and not any(name.startswith(".index") for name in one)
    assert one == three
    index = json.loads(one[INDEX_FILE])
    assert len(index) == ACCOUNTS
    # The twin: another seed places the accounts elsewhere, and the comparison sees it.
    other = _files(_round(venue, tmp_path / "other", 3, bytes(32), monkeypatch))
    assert set(other) == set(one) and other != one


def test_batch_ranges_cover_every_batch_once_in_order() -> None:
    for batches in (1, 2, 7, 64):
        for parts in (1, 3, 8, 100):
            ranges = _ranges(batches, parts)
            assert [b for r in ranges for b in r] == list(range(batches))
            assert len(ranges) == min(parts, batches) and all(len(r) > 0 for r in ranges)
