"""``prove_round``: what it refuses before writing anything, and how it resumes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zksolvency.errors import InputError
from zksolvency.model.accounts import accounts_to_jsonl
from zksolvency.round import InsolventAccounts, Progress, audit_bundle, prove_round, verify_inclusion
from zksolvency.round.inclusion import INDEX_FILE
from zksolvency.round.prove import default_inclusion_dir
from zksolvency.round.sample import sample_accounts, sample_market
from zksolvency.round.workdir import ProofRecord, WorkDir, work_dir_for

from .conftest import Inputs, options, signed_sample


def _nothing_written(out: Path) -> None:
    assert not out.exists()
    assert not work_dir_for(out).exists()
    assert not default_inclusion_dir(out).exists()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def _inputs(folder: Path, count: int = 6) -> Inputs:
    folder.mkdir(parents=True, exist_ok=True)
    return signed_sample(folder, count, seed=11)


def test_an_insolvent_account_stops_the_round_with_nothing_written(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    market = sample_market()
    accounts = sample_accounts(market, 3)
    broke = accounts[1].__class__("broke", (0, 0), (-10, 0), (0, 0))  # short ten calls, no collateral
    inputs.accounts.write_text(accounts_to_jsonl([*accounts, broke], market))
    out = tmp_path / "out" / "bundle"
    out.parent.mkdir()
    with pytest.raises(InsolventAccounts) as caught:
        prove_round(options(inputs, out))
    assert [(a.id, a.requirement > a.equity) for a in caught.value.accounts] == [("broke", True)]
    assert "1 of 4 accounts are insolvent" in str(caught.value)
    _nothing_written(out)


def test_bad_input_is_rejected_with_file_line_and_field(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    lines = inputs.accounts.read_text().splitlines()
    lines[2] = '{"id": "eve", "balances": {"USDC": -5}}'
    inputs.accounts.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out" / "bundle"
    out.parent.mkdir()
    with pytest.raises(InputError, match=r"accounts.jsonl:3: field balances.USDC: -5 is negative"):
        prove_round(options(inputs, out))
    _nothing_written(out)


def test_a_market_too_big_for_the_circuit_is_rejected(tmp_path: Path) -> None:
    inputs = Inputs(tmp_path, Path("examples/market.json").resolve(), tmp_path / "a.jsonl")
    inputs.accounts.write_text('{"id": "a"}\n')
    out = tmp_path / "out" / "bundle"
    out.parent.mkdir()
    with pytest.raises(InputError, match="the circuit holds at most"):
        prove_round(options(inputs, out))
    _nothing_written(out)


class _StopAfterFirst(Progress):
    def batch_done(self, index: int, record: ProofRecord) -> None:
        raise KeyboardInterrupt


def test_an_interrupted_round_resumes_and_reuses_its_proven_batches(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", count=10)
    out = tmp_path / "out" / "bundle"
    with pytest.raises(KeyboardInterrupt):
        prove_round(options(inputs, out, workers=1), progress=_StopAfterFirst())
    assert not out.exists()
    work = WorkDir(work_dir_for(out))
    recorded = sorted(p for p in work.batches.iterdir() if not p.name.endswith(".tree.json"))
    assert len(recorded) == 1
    first = work.read_record(recorded[0])
    assert first is not None

    result = prove_round(options(inputs, out, workers=1))
    assert (result.proven, result.reused, result.batches) == (2, 1, 3)
    index = int(recorded[0].stem)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["batches"][index]["commitment"] == str(first.commitment)
    stored = json.loads((out / manifest["batches"][index]["proof"]).read_text())
    assert first.proof.a is not None and stored["pi_a"][0] == str(first.proof.a[0])  # the same proof
    assert audit_bundle(out, allow_dev_setup=True).ok
    assert not work.path.exists()
    listing = json.loads((result.inclusion_dir / INDEX_FILE).read_text())
    for account_id, name in listing.items():
        assert verify_inclusion(out, result.inclusion_dir / name, account_id).ok


def test_an_interrupted_round_refuses_to_resume_on_other_input(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", count=10)
    out = tmp_path / "out" / "bundle"
    with pytest.raises(KeyboardInterrupt):
        prove_round(options(inputs, out, workers=1), progress=_StopAfterFirst())
    inputs.accounts.write_text(inputs.accounts.read_text().replace("acct-0000", "acct-9999"))
    with pytest.raises(InputError, match="different input"):
        prove_round(options(inputs, out, workers=1))
    with pytest.raises(InputError, match="interrupted round 7, not 8"):
        inputs.accounts.write_text(inputs.accounts.read_text().replace("acct-9999", "acct-0000"))
        prove_round(options(inputs, out, workers=1, round_id=8))
    assert work_dir_for(out).exists() and not out.exists()


def test_a_second_round_replaces_the_bundle_in_place(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", count=3)
    out = tmp_path / "bundle"
    prove_round(options(inputs, out, round_id=1))
    prove_round(options(inputs, out, round_id=2))
    assert json.loads((out / "manifest.json").read_text())["round_id"] == "2"
    assert audit_bundle(out, allow_dev_setup=True).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "bundle.inclusion", "in"]
