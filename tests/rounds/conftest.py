"""Shared artifacts for the round tests: one small proven round per session, copied before tampering.

The round uses the test circuit size (A = 2, I = 2, S = 4, B = 4) and a generated venue
(``zksolvency.round.sample``): 10 accounts, so 3 batches in the 4 slots of ``root-test-4``.
Its snapshot is signed by three members of the PUBLIC demo committee (3 of 5, chain 31337),
whose signatures and committee file the bundle carries.
Keys and compiled circuits land in the session's compile cache (``tests/conftest.py``).
Tests never modify the shared bundle: ``bundle_copy`` gives each its own copy.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from zksolvency.oracle.committee import write_committee
from zksolvency.oracle.demo_committee import demo_committee, demo_sign
from zksolvency.round import RoundOptions, RoundResult, prove_round
from zksolvency.round.inclusion import INDEX_FILE
from zksolvency.round.sample import write_sample

ACCOUNTS = 10
ROUND_ID = 7
#: (A, I, S) of the test circuit size, and the stand-in time of the sample snapshot.
TEST_SHAPE = (2, 2, 4)
SNAPSHOT_TIME = 1_796_126_400


@dataclass(frozen=True)
class Inputs:
    folder: Path
    market: Path
    accounts: Path
    signatures: Path | None = None
    committee: Path | None = None


@dataclass(frozen=True)
class Proven:
    inputs: Inputs
    result: RoundResult

    @property
    def bundle(self) -> Path:
        return self.result.bundle

    def inclusion_file(self, account_id: str) -> Path:
        index: dict[str, str] = json.loads(
            (self.result.inclusion_dir / INDEX_FILE).read_text(encoding="utf-8")
        )
        return self.result.inclusion_dir / index[account_id]


def options(inputs: Inputs, out: Path, **overrides: object) -> RoundOptions:
    """Options of a test-size round of ``inputs`` into ``out``."""
    values: dict[str, object] = {
        "shape": "test",
        "round_id": ROUND_ID,
        "workers": 2,
        "signatures": inputs.signatures,
        "committee": inputs.committee,
    }
    values.update(overrides)
    return RoundOptions(accounts=inputs.accounts, market=inputs.market, out=out, **values)  # type: ignore[arg-type]


def signed_sample(folder: Path, count: int, seed: int = 7) -> Inputs:
    """A generated venue of ``count`` accounts in ``folder``; its snapshot signed 3 of 5 (demo committee)."""
    market, accounts = write_sample(folder, count, seed)
    signatures, committee = folder / "market.signatures.json", folder / "committee.json"
    demo_sign(market, TEST_SHAPE, signatures, time=SNAPSHOT_TIME)
    write_committee(committee, demo_committee())
    return Inputs(folder, market, accounts, signatures, committee)


@pytest.fixture(scope="session")
def sample_inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    return signed_sample(tmp_path_factory.mktemp("round-inputs"), ACCOUNTS)


@pytest.fixture(scope="session")
def proven(tmp_path_factory: pytest.TempPathFactory, sample_inputs: Inputs) -> Proven:
    out = tmp_path_factory.mktemp("round") / "bundle"
    return Proven(sample_inputs, prove_round(options(sample_inputs, out)))


@pytest.fixture
def bundle_copy(proven: Proven, tmp_path: Path) -> Path:
    """A private copy of the session's bundle, free to tamper with."""
    return Path(shutil.copytree(proven.bundle, tmp_path / "bundle"))
