"""Shared artifacts for the round tests: one small proven round per session, copied before tampering.

The round uses the test circuit size (A = 2, I = 2, S = 4, B = 4) and a generated venue
(``zksolvency.round.sample``): 10 accounts, so 3 batches in the 4 slots of ``root-test-4``.
Keys and compiled circuits land in the session's compile cache (``tests/conftest.py``).
Tests never modify the shared bundle: ``bundle_copy`` gives each its own copy.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from zksolvency.round import RoundOptions, RoundResult, prove_round
from zksolvency.round.inclusion import INDEX_FILE
from zksolvency.round.sample import write_sample

ACCOUNTS = 10
ROUND_ID = 7


@dataclass(frozen=True)
class Inputs:
    folder: Path
    market: Path
    accounts: Path


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
    values: dict[str, object] = {"shape": "test", "round_id": ROUND_ID, "workers": 2}
    values.update(overrides)
    return RoundOptions(accounts=inputs.accounts, market=inputs.market, out=out, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sample_inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    folder = tmp_path_factory.mktemp("round-inputs")
    market, accounts = write_sample(folder, ACCOUNTS)
    return Inputs(folder, market, accounts)


@pytest.fixture(scope="session")
def proven(tmp_path_factory: pytest.TempPathFactory, sample_inputs: Inputs) -> Proven:
    out = tmp_path_factory.mktemp("round") / "bundle"
    return Proven(sample_inputs, prove_round(options(sample_inputs, out)))


@pytest.fixture
def bundle_copy(proven: Proven, tmp_path: Path) -> Path:
    """A private copy of the session's bundle, free to tamper with."""
    return Path(shutil.copytree(proven.bundle, tmp_path / "bundle"))
