"""A round whose batch circuit fixes its last slot to padding (``test-l3``: 3 accounts in 4 slots).

10 accounts make 4 batches of 3 (the last holds one); the bundle records ``live``, the audit
bounds the totals by 3 accounts a batch, and every account's inclusion verifies through the
four-slot batch tree. Twins: a manifest that claims more live slots than the tree has, or a
batch size no circuit ships, are refused by name.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from zksolvency.errors import SetupError
from zksolvency.round import RoundResult, audit_bundle, prove_round, verify_inclusion
from zksolvency.round.circuits import load_manifest
from zksolvency.round.inclusion import INDEX_FILE

from .conftest import ROUND_ID, Inputs, options, signed_sample

ACCOUNTS = 10
_COMMITMENT = f"Poseidon(batch root, sums hash, market hash, round {ROUND_ID})"


@pytest.fixture(scope="module")
def live_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Inputs, RoundResult]:
    inputs = signed_sample(tmp_path_factory.mktemp("live-in"), ACCOUNTS, seed=11)
    out = tmp_path_factory.mktemp("live") / "bundle"
    return inputs, prove_round(options(inputs, out, batch_size=3))


def _manifest(bundle: Path) -> dict[str, object]:
    return json.loads((bundle / "manifest.json").read_text())  # type: ignore[no-any-return]


def test_a_round_of_three_accounts_a_batch_proves_and_audits(live_round: tuple[Inputs, RoundResult]) -> None:
    _inputs, result = live_round
    assert result.batches == 4
    batch = _manifest(result.bundle)["circuits"]["batch"]  # type: ignore[index]
    assert (batch["name"], batch["batch"], batch["live"]) == ("test-l3", 4, 3)
    report = audit_bundle(result.bundle, allow_dev_setup=True)
    assert report.ok, [c.line() for c in report.failed()]


def test_every_inclusion_verifies_in_a_live_slot(live_round: tuple[Inputs, RoundResult]) -> None:
    _inputs, result = live_round
    index = json.loads((result.inclusion_dir / INDEX_FILE).read_text())
    assert len(index) == ACCOUNTS
    positions = set()
    for account_id, name in index.items():
        report = verify_inclusion(result.bundle, result.inclusion_dir / name, account_id)
        assert report.ok, [c.line() for c in report.failed()]
        positions.add(json.loads((result.inclusion_dir / name).read_text())["batch"]["position"])
    assert positions == {0, 1, 2}


def test_an_inclusion_moved_to_the_fixed_slot_is_refused(
    live_round: tuple[Inputs, RoundResult], tmp_path: Path
) -> None:
    """Twin of the test above: the same account claiming slot 3, which the circuit fixes to padding,
    with a consistent path (the padding leaf swapped into the account's slot): the batch root differs."""
    _inputs, result = live_round
    index = json.loads((result.inclusion_dir / INDEX_FILE).read_text())
    account_id, name = next(iter(index.items()))
    document = json.loads((result.inclusion_dir / name).read_text())
    batch = document["batch"]
    (step,) = batch["path"]
    position = batch["position"]
    assert position < 3
    siblings = step["siblings"]  # slots 0..3 but the account's, in order: the last is slot 3's padding
    others = siblings[:-1]
    others.insert(position, siblings[-1])
    batch["position"], step["position"], step["siblings"] = 3, 3, others
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(document))
    failed = [c.line() for c in verify_inclusion(result.bundle, moved, account_id).failed()]
    assert failed == [
        f"FAIL  batch commitment: {_COMMITMENT} is not the bundle's batch {batch['index']} commitment"
    ]


def test_more_live_slots_than_the_tree_has_is_refused(
    live_round: tuple[Inputs, RoundResult], tmp_path: Path
) -> None:
    _inputs, result = live_round
    bundle = Path(shutil.copytree(result.bundle, tmp_path / "b"))
    manifest = _manifest(bundle)
    manifest["circuits"]["batch"]["live"] = 5  # type: ignore[index]
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    failed = {c.name: c.detail for c in audit_bundle(bundle, allow_dev_setup=True).failed()}
    assert any("circuits.batch" in detail and "live slots" in detail for detail in failed.values()), failed


def test_an_unshipped_batch_size_is_refused_naming_the_shipped_ones() -> None:
    with pytest.raises(SetupError, match="ships batch sizes 3, 4, not 5"):
        load_manifest().batch_circuit("test", 5)
    # Twins: 3 and 4 are shipped, and the default of the test shape stays the four-slot circuit.
    assert load_manifest().batch_circuit("test", 3).name == "test-l3"
    assert load_manifest().batch_circuit("test", None).name == "test"


def test_the_reference_default_is_the_52_account_circuit() -> None:
    default = load_manifest().batch_circuit("reference", None)
    assert (default.name, default.size.batch, default.size.live) == ("reference-b52", 64, 52)
    # Twin: 64 accounts a batch is still there, asked for by size.
    assert load_manifest().batch_circuit("reference", 64).name == "reference-b64"
