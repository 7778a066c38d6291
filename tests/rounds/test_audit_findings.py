"""The outside audit of the rounds (issue 11): each finding as an attack on a real proven round.

Every attack here was accepted by the rounds as first landed (shown with the same steps on
that code); each test now refuses it, and each has a twin that an honest round passes.

1. An operator lowers one holder's cost: an insolvent account is proven solvent, and the
   leaf, the inclusion file and the proofs all agree. Only the holder's own record catches it.
2. A published total replaced by ``t - r`` hashes like ``t``: the audit range-checks totals.
3. An invented account with no collateral and a cost near ``-2**127`` passes the rule while
   holding any position: its premium now shows in the published, proven cost total.
4. A batch commitment listed twice, or a batch proven for another round: refused.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.bn254 import R
from zksolvency.cli.main import cli
from zksolvency.ledger.commitment import sums_hash
from zksolvency.model.accounts import Account, account_to_obj, accounts_to_jsonl, read_accounts
from zksolvency.model.margin import W, evaluate
from zksolvency.model.market import read_market
from zksolvency.round import RoundResult, audit_bundle, prove_round, verify_inclusion
from zksolvency.round.inclusion import INDEX_FILE

from .conftest import ROUND_ID, Inputs, Proven, options
from .forge import forge_bundle, proven_batches


def _failed(bundle: Path, **kwargs: bool) -> dict[str, str]:
    return {c.name: c.detail for c in audit_bundle(bundle, **kwargs, allow_dev_setup=True).failed()}


def _prove(inputs: Inputs, accounts: list[Account], out: Path, round_id: int = ROUND_ID) -> RoundResult:
    """A round of ``accounts`` (against the session's snapshot), proven in this process."""
    market = read_market(inputs.market)
    path = out.parent / f"{out.name}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(accounts_to_jsonl(accounts, market))
    return prove_round(replace(options(inputs, out, round_id=round_id, workers=1), accounts=path))


def _inclusion(result: RoundResult, account_id: str) -> Path:
    index: dict[str, str] = json.loads((result.inclusion_dir / INDEX_FILE).read_text())
    return result.inclusion_dir / index[account_id]


def _manifest(bundle: Path) -> dict[str, dict[str, object]]:
    return json.loads((bundle / "manifest.json").read_text())  # type: ignore[no-any-return]


def _write_manifest(bundle: Path, manifest: dict[str, dict[str, object]]) -> None:
    (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2))


# --- 1. a lowered cost, caught by the holder's own record --------------------------------


VICTIM = Account("victim", (0, 0), (-10, 0), (-5 * 10**17, 0))  # ten calls sold, no collateral
LOWERED = replace(VICTIM, costs=(-(10**30), 0))  # "premium received" inflated by the operator


@pytest.fixture(scope="module")
def cheat(proven: Proven, tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    market = read_market(proven.inputs.market)
    assert not evaluate(VICTIM, market).solvent and evaluate(LOWERED, market).solvent
    honest = read_accounts(proven.inputs.accounts, market)[:3]
    return _prove(proven.inputs, [*honest, LOWERED], tmp_path_factory.mktemp("cheat") / "bundle")


def _holder_file(tmp_path: Path, account: Account, proven: Proven) -> Path:
    path = tmp_path / "statement.json"
    path.write_text(json.dumps(account_to_obj(account, read_market(proven.inputs.market))) + "\n")
    return path


def test_finding_1_a_lowered_cost_is_caught_by_the_holders_own_record(
    cheat: RoundResult, proven: Proven, tmp_path: Path
) -> None:
    assert audit_bundle(
        cheat.bundle, allow_dev_setup=True
    ).ok  # the bundle itself is a valid proof of what was proven
    mine = _holder_file(tmp_path, VICTIM, proven)
    report = verify_inclusion(cheat.bundle, _inclusion(cheat, "victim"), "victim", mine)
    failed = {c.name: c.detail for c in report.failed()}
    assert set(failed) == {"costs", "cost total", "margin"}
    assert failed["cost total"] == f"sum of costs: yours {-5 * 10**17}, proven {-(10**30)}"
    assert failed["costs"].startswith(f"positions.BTC-C.cost: yours {-5 * 10**17}, the operator's statement")
    assert failed["margin"].startswith("equity") and "<" in failed["margin"]


def test_finding_1_twin_the_record_that_was_proven_passes(
    cheat: RoundResult, proven: Proven, tmp_path: Path
) -> None:
    mine = _holder_file(tmp_path, LOWERED, proven)
    report = verify_inclusion(cheat.bundle, _inclusion(cheat, "victim"), "victim", mine)
    assert report.ok, [c.line() for c in report.failed()]


def test_finding_1_on_the_command_line(cheat: RoundResult, proven: Proven, tmp_path: Path) -> None:
    proof = str(_inclusion(cheat, "victim"))
    base = ["inclusion", "verify", "--bundle", str(cheat.bundle), "--proof", proof, "--id", "victim"]
    caught = CliRunner().invoke(cli, [*base, "--account", str(_holder_file(tmp_path, VICTIM, proven))])
    assert caught.exit_code == 1
    assert f"FAIL  cost total: sum of costs: yours {-5 * 10**17}, proven {-(10**30)}" in caught.stdout
    assert "inclusion check failed: costs, cost total, margin" in caught.stderr
    blind = CliRunner().invoke(cli, [*base, "--json"])  # the twin: without a record it passes, and says why
    assert blind.exit_code == 0
    assert json.loads(blind.stdout)["checked_against_holder_record"] is False
    assert "NOT checked against your own record" in blind.stderr


# --- 2. totals are exact integers in range, entry by entry -------------------------------


@pytest.mark.parametrize("shift", [-R, R])
def test_finding_2_a_total_shifted_by_r_is_refused(bundle_copy: Path, shift: int) -> None:
    assert _failed(bundle_copy) == {}  # the twin: the untouched copy audits clean
    manifest = _manifest(bundle_copy)
    totals = manifest["totals"]
    shifted = str(int(totals["balances"]["USDC"]) + shift)  # type: ignore[index]
    totals["balances"]["USDC"] = shifted  # type: ignore[index]
    totals["vector"][1] = shifted  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    assert sums_hash([int(v) for v in totals["vector"]]) == int(manifest["totals_hash"])  # type: ignore[arg-type, union-attr]
    failed = _failed(bundle_copy)
    assert set(failed) == {"totals", "totals hash"}
    assert "totals.vector[1]" in failed["totals"] and "outside what 3 batches" in failed["totals"]


def test_finding_2_a_cost_total_shifted_by_r_is_refused(bundle_copy: Path) -> None:
    manifest = _manifest(bundle_copy)
    totals = manifest["totals"]
    shifted = str(int(totals["cost"]) - R)  # type: ignore[arg-type]
    totals["cost"] = shifted
    totals["vector"][-1] = shifted  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    assert "totals.vector[4]" in _failed(bundle_copy)["totals"]


def test_finding_2_a_total_off_by_one_is_refused(bundle_copy: Path) -> None:
    manifest = _manifest(bundle_copy)
    totals = manifest["totals"]
    totals["positions"]["BTC-C"] = str(int(totals["positions"]["BTC-C"]) + 1)  # type: ignore[index]
    totals["vector"][2] = totals["positions"]["BTC-C"]  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    assert set(_failed(bundle_copy)) == {"totals hash"}


def test_finding_2_a_vector_entry_that_disagrees_with_its_decimal_total_is_refused(bundle_copy: Path) -> None:
    manifest = _manifest(bundle_copy)
    totals = manifest["totals"]
    named = totals["balances"]["BTC"]  # type: ignore[index]
    totals["vector"][0] = str(int(named) + 1)  # type: ignore[index]
    _write_manifest(bundle_copy, manifest)
    failed = _failed(bundle_copy)
    assert failed["totals"] == f"totals.balances.BTC = {named} but totals.vector[0] = {int(named) + 1}"


@pytest.mark.parametrize("text", ["+5", "05", " 5", "5_0", "5.0", "-0"])
def test_finding_2_a_total_that_is_not_a_canonical_decimal_is_refused(bundle_copy: Path, text: str) -> None:
    manifest = _manifest(bundle_copy)
    manifest["totals"]["cost"] = text
    _write_manifest(bundle_copy, manifest)
    assert "not a canonical decimal integer" in _failed(bundle_copy)["totals"]


# --- 3. invented accounts: their premium is in the published cost total --------------------


FAKE = Account("fake", (0, 0), (0, 10**12), (0, -(2**127)))  # no collateral, any position


@pytest.fixture(scope="module")
def invented(proven: Proven, tmp_path_factory: pytest.TempPathFactory) -> tuple[RoundResult, list[Account]]:
    market = read_market(proven.inputs.market)
    assert evaluate(FAKE, market).solvent  # the rule itself accepts it: nothing in a proof refuses it
    accounts = [*read_accounts(proven.inputs.accounts, market)[:4], FAKE]
    return _prove(proven.inputs, accounts, tmp_path_factory.mktemp("invented") / "bundle"), accounts


def test_finding_3_an_invented_accounts_premium_is_published_in_the_cost_total(
    invented: tuple[RoundResult, list[Account]],
) -> None:
    result, accounts = invented
    report = audit_bundle(result.bundle, allow_dev_setup=True)
    assert report.ok
    totals = _manifest(result.bundle)["totals"]
    assert int(totals["cost"]) == sum(sum(a.costs) for a in accounts) < -(2**126)  # type: ignore[arg-type]
    exposure = report.facts["exposure"]
    assert isinstance(exposure, dict)
    assert int(exposure["mark_value"]) > W * 2**126  # the phantom profit the venue would owe
    assert "BTC-PERP" in exposure["open_instruments"]  # type: ignore[operator]
    assert set(_failed(result.bundle, zero_sum=True)) == {"zero sum"}


def test_finding_3_twin_the_cost_total_cannot_be_hidden(
    invented: tuple[RoundResult, list[Account]], tmp_path: Path
) -> None:
    result, _accounts = invented
    bundle = Path(shutil.copytree(result.bundle, tmp_path / "b"))
    manifest = _manifest(bundle)
    totals = manifest["totals"]
    totals["cost"] = "0"
    totals["vector"][-1] = "0"  # type: ignore[index]
    manifest["totals_hash"] = str(sums_hash([int(v) for v in totals["vector"]]))  # type: ignore[union-attr]
    _write_manifest(bundle, manifest)
    assert set(_failed(bundle)) == {"round value"}


def test_finding_3_twin_a_venue_whose_every_contract_has_two_sides_is_zero_sum(
    proven: Proven, tmp_path: Path
) -> None:
    usdc = 10**12
    long = Account("long", (0, usdc), (5, 2), (5 * 5 * 10**16, 2 * 6 * 10**18))
    short = Account("short", (0, usdc), (-5, -2), (-5 * 5 * 10**16, -2 * 6 * 10**18))
    result = _prove(proven.inputs, [long, short], tmp_path / "pair" / "bundle")
    report = audit_bundle(result.bundle, zero_sum=True, allow_dev_setup=True)
    assert report.ok, [c.line() for c in report.failed()]
    assert report.facts["exposure"] == {  # type: ignore[comparison-overlap]
        "collateral": str(2 * usdc * 10**8 * 10_000),
        "mark_value": "0",
        "equity": str(2 * usdc * 10**8 * 10_000),
        "open_instruments": [],
    }


# --- 4. a batch counts once, in the round it was proven for ------------------------------


@pytest.fixture(scope="module")
def round_six(proven: Proven, tmp_path_factory: pytest.TempPathFactory) -> RoundResult:
    """The same accounts and snapshot proven as round 6: the batches an attacker would replay."""
    out = tmp_path_factory.mktemp("round-six") / "bundle"
    return prove_round(options(proven.inputs, out, round_id=6, workers=1))


def test_finding_4_twin_a_reproof_over_the_same_batches_audits_clean(proven: Proven, tmp_path: Path) -> None:
    batches = proven_batches(proven.bundle, proven.result.inclusion_dir)
    forged = forge_bundle(proven.bundle, tmp_path / "again", batches, ROUND_ID)
    assert _failed(forged) == {}


def test_finding_4_a_batch_commitment_listed_twice_is_refused(proven: Proven, tmp_path: Path) -> None:
    batches = proven_batches(proven.bundle, proven.result.inclusion_dir)
    forged = forge_bundle(proven.bundle, tmp_path / "twice", [*batches, batches[2]], ROUND_ID)
    assert _failed(forged) == {"distinct batches": "batch 3 repeats the commitment of batch 2"}


def test_finding_4_a_batch_proven_for_another_round_is_refused(
    proven: Proven, round_six: RoundResult, tmp_path: Path
) -> None:
    ours = proven_batches(proven.bundle, proven.result.inclusion_dir)
    theirs = proven_batches(round_six.bundle, round_six.inclusion_dir)
    assert theirs[0].commitment not in {b.commitment for b in ours}  # a batch of another round
    forged = forge_bundle(proven.bundle, tmp_path / "replay", [theirs[0], *ours[1:]], ROUND_ID)
    # The root circuit of round 7 commits to slot 0 with round id 7, not to round 6's proof.
    assert set(_failed(forged)) == {"round value"}
