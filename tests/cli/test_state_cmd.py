"""`zksolvency state init` and `state show`, with failure twins: one-line errors, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.unit.state.keys import write_keys
from zksolvency.cli.main import cli
from zksolvency.state.store import MANIFEST

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _inputs(tmp_path: Path, drop: str | None = None) -> list[str]:
    lines = (EXAMPLES / "accounts.jsonl").read_text().splitlines()[:4]
    (tmp_path / "accounts.jsonl").write_text("\n".join(lines) + "\n")
    ids = [json.loads(line)["id"] for line in lines]
    write_keys(tmp_path / "keys.jsonl", [i for i in ids if i != drop])
    return [
        "state",
        "init",
        "--accounts",
        str(tmp_path / "accounts.jsonl"),
        "--keys",
        str(tmp_path / "keys.jsonl"),
        "--market",
        str(EXAMPLES / "market.json"),
        "--out",
        str(tmp_path / "state"),
        "--depth",
        "4",
    ]


def test_init_then_show(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, _inputs(tmp_path))
    assert done.exit_code == 0, done.output
    assert "4 accounts, depth 4, root " in done.output
    root = json.loads((tmp_path / "state" / MANIFEST).read_text())["root"]
    shown = runner.invoke(cli, ["state", "show", str(tmp_path / "state")])
    assert shown.exit_code == 0, shown.output
    assert f"root           {root}" in shown.output
    assert "accounts       4" in shown.output and "next batch id  0" in shown.output


def test_init_with_a_missing_key_names_the_account_and_writes_nothing(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, _inputs(tmp_path, drop="bob"))
    assert done.exit_code == 2
    assert done.output.strip().endswith("no public key for account(s) 'bob'")
    assert len(done.output.strip().splitlines()) == 1
    assert not (tmp_path / "state").exists()


def test_init_with_a_seed_file_is_reproducible(tmp_path: Path) -> None:
    seed = tmp_path / "seed.hex"
    seed.write_text("ab" * 32 + "\n")
    args = [*_inputs(tmp_path), "--seed-file", str(seed)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    first = json.loads((tmp_path / "state" / MANIFEST).read_text())["root"]
    args[args.index("--out") + 1] = str(tmp_path / "again")
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert json.loads((tmp_path / "again" / MANIFEST).read_text())["root"] == first


def test_a_bad_seed_file_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / "seed.hex"
    seed.write_text("abc")
    done = CliRunner().invoke(cli, [*_inputs(tmp_path), "--seed-file", str(seed)])
    assert done.exit_code == 2 and "the seed must be 64 hex digits" in done.output


def test_show_refuses_a_tampered_root(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, _inputs(tmp_path)).exit_code == 0
    manifest = tmp_path / "state" / MANIFEST
    obj = json.loads(manifest.read_text())
    obj["root"] = "1"
    manifest.write_text(json.dumps(obj))
    shown = CliRunner().invoke(cli, ["state", "show", str(tmp_path / "state")])
    assert shown.exit_code == 2 and "field root: 1 is not the root of the stored accounts" in shown.output
