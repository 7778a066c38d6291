"""Rounds larger than one root circuit: a level of node proofs between the batches and the root.

At the test size with a fan-in of 4, 22 accounts make 6 batches of 4; level 1 has two
nodes (4 batches and 2 batches, padded), and the top root takes the two node commitments.
The round proves and audits, every account's inclusion verifies through both trees, and a
tampered node proof, a node listed in another place and a tampered path are each refused.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.cli.main import cli
from zksolvency.round import RoundResult, audit_bundle, prove_round, verify_inclusion
from zksolvency.round.inclusion import INDEX_FILE
from zksolvency.round.levels import tree_shape

from .conftest import Inputs, options, signed_sample

ACCOUNTS = 22


@pytest.fixture(scope="module")
def levelled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Inputs, RoundResult]:
    inputs = signed_sample(tmp_path_factory.mktemp("levels-in"), ACCOUNTS, seed=5)
    out = tmp_path_factory.mktemp("levels") / "bundle"
    return inputs, prove_round(replace(options(inputs, out, workers=2), fan_in=4))


def _manifest(bundle: Path) -> dict[str, object]:
    return json.loads((bundle / "manifest.json").read_text())  # type: ignore[no-any-return]


def _failed(bundle: Path) -> set[str]:
    return {c.name for c in audit_bundle(bundle, allow_dev_setup=True).failed()}


def test_the_shape_adds_levels_only_above_the_fan_in() -> None:
    assert tree_shape(4, 4, [4, 16]).levels == ()
    assert tree_shape(6, 4, [4, 16]) == tree_shape(6, 4, [4, 16])
    shape = tree_shape(6, 4, [4, 16])
    assert (shape.levels, shape.top_slots, list(shape.children(1, 1))) == ((2,), 4, [4, 5])
    million = tree_shape(15_625, 256, [4, 16, 64, 256])  # 10^6 accounts in batches of 64
    assert (million.levels, million.top_slots, million.proofs) == ((62,), 64, 15_688)
    with pytest.raises(ValueError, match="power of four"):
        tree_shape(6, 5, [4, 16])


def test_a_round_with_a_level_of_nodes_proves_and_audits(levelled: tuple[Inputs, RoundResult]) -> None:
    _inputs, result = levelled
    assert (result.batches, result.levels, result.slots) == (6, (2,), 4)
    report = audit_bundle(result.bundle, allow_dev_setup=True)
    assert report.ok, [c.line() for c in report.failed()]
    names = [c.name for c in report.checks]
    assert {"level 1", "level 1 node 0 proof", "level 1 node 1 commitment", "global root"} <= set(names)
    manifest = _manifest(result.bundle)
    assert [len(level["nodes"]) for level in manifest["levels"]] == [2]  # type: ignore[attr-defined, index]
    assert manifest["circuits"]["node"]["slots"] == 4  # type: ignore[index]


def test_every_inclusion_verifies_through_both_trees(levelled: tuple[Inputs, RoundResult]) -> None:
    _inputs, result = levelled
    index = json.loads((result.inclusion_dir / INDEX_FILE).read_text())
    assert len(index) == ACCOUNTS
    for account_id, name in index.items():
        report = verify_inclusion(result.bundle, result.inclusion_dir / name, account_id)
        assert report.ok, [c.line() for c in report.failed()]
        assert "level 1 node" in [c.name for c in report.checks]


def test_a_tampered_node_proof_is_refused(levelled: tuple[Inputs, RoundResult], tmp_path: Path) -> None:
    _inputs, result = levelled
    bundle = Path(shutil.copytree(result.bundle, tmp_path / "b"))
    proof = bundle / "levels" / "1" / "000001.proof.json"
    document = json.loads(proof.read_text())
    document["pi_c"][0] = str(int(document["pi_c"][0]) + 1)
    proof.write_text(json.dumps(document))
    assert "level 1 node 1 proof" in _failed(bundle)


def test_swapped_node_commitments_are_refused(levelled: tuple[Inputs, RoundResult], tmp_path: Path) -> None:
    _inputs, result = levelled
    bundle = Path(shutil.copytree(result.bundle, tmp_path / "b"))
    manifest = _manifest(bundle)
    nodes = manifest["levels"][0]["nodes"]  # type: ignore[index]
    nodes[0], nodes[1] = nodes[1], nodes[0]
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    failed = _failed(bundle)
    assert {"level 1 node 0 commitment", "level 1 node 1 commitment"} <= failed


def test_a_tampered_path_through_the_level_is_refused(
    levelled: tuple[Inputs, RoundResult], tmp_path: Path
) -> None:
    _inputs, result = levelled
    index = json.loads((result.inclusion_dir / INDEX_FILE).read_text())
    account_id, name = sorted(index.items())[0]
    document = json.loads((result.inclusion_dir / name).read_text())
    level = document["levels"][0]
    level["path"][0]["siblings"][0] = str(int(level["path"][0]["siblings"][0]) + 1)
    tampered = tmp_path / "p.json"
    tampered.write_text(json.dumps(document))
    failed = {c.name for c in verify_inclusion(result.bundle, tampered, account_id).failed()}
    assert failed == {"level 1 node"}
    level["path"][0]["siblings"][0] = str(int(level["path"][0]["siblings"][0]) - 1)
    level["totals_hash"] = str(int(level["totals_hash"]) + 1)
    tampered.write_text(json.dumps(document))
    failed = {c.name for c in verify_inclusion(result.bundle, tampered, account_id).failed()}
    assert failed == {"level 1 node"}


def test_dry_run_plans_a_million_accounts_without_proving(tmp_path: Path) -> None:
    inputs = signed_sample(tmp_path, 2)
    accounts = tmp_path / "million.jsonl"
    accounts.write_bytes(b'{"id": "x"}\n' * 1_000_000)
    out = tmp_path / "bundle"
    result = CliRunner().invoke(
        cli,
        ["round", "prove", "--accounts", str(accounts), "--market", str(inputs.market), "--out", str(out),
         "--batch-size", "64", "--dry-run"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "batches:    15625 of 64 accounts (reference-b64)" in result.stdout
    assert "level 1:    62 node proofs of 256 children (node-reference-256)" in result.stdout
    assert "top:        1 root proof over 62 of 64 slots (root-reference-64)" in result.stdout
    assert not out.exists() and not any(p.name.startswith(".") for p in tmp_path.iterdir())
