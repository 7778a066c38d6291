"""``zksolvency contracts``: render, deploy (remote-style and local), rounds, stop; keys never in argv."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.chain.anvil import AnvilNode, is_anvil_process
from zksolvency.chain.keys import ANVIL_DEV_ADDRESS, ANVIL_DEV_KEY, PRIVATE_KEY_ENV
from zksolvency.chain.registry import publish_round
from zksolvency.chain.tx import connect
from zksolvency.cli.main import cli

from .conftest import ANVIL_KEY_1, CIRCUIT_PARAMETERS, COMMITTEE_FILE, RoundKeys, register_market

pytestmark = pytest.mark.snarkjs

SIZES = [
    "--assets",
    str(CIRCUIT_PARAMETERS.assets),
    "--instruments",
    str(CIRCUIT_PARAMETERS.instruments),
    "--scenarios",
    str(CIRCUIT_PARAMETERS.scenarios),
    "--batch-size",
    str(CIRCUIT_PARAMETERS.batch_size),
    "--committee",
    str(COMMITTEE_FILE),
]
ZKSOLVENCY = [sys.executable, "-m", "zksolvency.cli.main"]


def _run(args: list[str], env_key: str | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as its own process, so that its real argv can be inspected."""
    env = {k: v for k, v in os.environ.items() if k != PRIVATE_KEY_ENV}
    if env_key is not None:
        env[PRIVATE_KEY_ENV] = env_key
    code = "from zksolvency.cli.main import cli; cli()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def rendered(round_keys: RoundKeys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rendered")
    result = CliRunner().invoke(cli, ["contracts", "render", str(round_keys.vkey_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "contracts.json"


def test_render_writes_sources_and_artifact(rendered: Path) -> None:
    names = {p.name for p in rendered.parent.iterdir()}
    assert {"Groth16Verifier.sol", "PoseidonT5.sol", "SolvencyRegistry.sol", "contracts.json"} <= names


def test_deploy_with_env_key_writes_complete_deployment(
    rendered: Path, node: AnvilNode, tmp_path: Path
) -> None:
    out = tmp_path / "deployment.json"
    args = [
        "contracts",
        "deploy",
        "--artifact",
        str(rendered),
        *SIZES,
        "--rpc-url",
        node.url,
        "--out",
        str(out),
    ]
    done = _run(args, ANVIL_KEY_1, tmp_path)
    assert done.returncode == 0, done.stderr
    assert ANVIL_KEY_1[2:] not in " ".join(args) + done.stdout + done.stderr + out.read_text()
    d = json.loads(out.read_text())
    assert d["format"] == "zksolvency-deployment/2"
    committee = json.loads(COMMITTEE_FILE.read_text())
    assert d["committee"] == {"members": committee["members"], "threshold": 3}
    assert d["chain"] == {"chain_id": 31337, "rpc_url": None, "local_node": None}
    assert d["circuit"] == {"assets": 2, "instruments": 2, "scenarios": 4, "batch_size": 4}
    artifact = json.loads(rendered.read_text())
    assert d["verification_key"] == artifact["verification_key"]
    assert d["compiler"]["version"] == artifact["compiler"]["version"]
    assert d["compiler"]["settings"] == artifact["settings"]
    assert d["deployer"] == d["operator"] != ANVIL_DEV_ADDRESS
    w3 = connect(node.url)
    for name in ("Groth16Verifier", "SolvencyRegistry"):
        c = d["contracts"][name]
        assert w3.eth.get_code(c["address"])
        receipt = w3.eth.get_transaction_receipt(c["transaction"])
        assert receipt["blockNumber"] == c["block"] and receipt["gasUsed"] == c["gas_used"] and c["abi"]


def test_deploy_without_key_fails_and_writes_nothing(rendered: Path, node: AnvilNode, tmp_path: Path) -> None:
    """The twin: no env var and no terminal to prompt on: a one-line error, exit 2, no file."""
    out = tmp_path / "deployment.json"
    args = [
        "contracts",
        "deploy",
        "--artifact",
        str(rendered),
        *SIZES,
        "--rpc-url",
        node.url,
        "--out",
        str(out),
    ]
    done = _run(args, None, tmp_path)
    assert done.returncode == 2
    assert PRIVATE_KEY_ENV in done.stderr and done.stderr.count("\n") == 1
    assert not out.exists()


def test_no_command_line_option_takes_a_key(rendered: Path) -> None:
    result = CliRunner().invoke(
        cli, ["contracts", "deploy", "--artifact", str(rendered), "--private-key", "0x1"]
    )
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_local_deploy_keeps_anvil_running_until_stopped(
    rendered: Path, round_keys: RoundKeys, tmp_path: Path
) -> None:
    out = tmp_path / "deployment.json"
    done = _run(
        ["contracts", "deploy", "--artifact", str(rendered), *SIZES, "--out", str(out)], None, tmp_path
    )
    assert done.returncode == 0, done.stderr
    d = json.loads(out.read_text())
    pid = d["chain"]["local_node"]["pid"]
    try:
        assert "PUBLIC development key" in done.stderr
        assert d["chain"]["rpc_url"].startswith("http://127.0.0.1:")
        assert d["operator"] == ANVIL_DEV_ADDRESS
        assert is_anvil_process(pid)
        assert ANVIL_DEV_KEY[2:].encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()

        rounds = ["contracts", "rounds", "--deployment", str(out)]
        assert CliRunner().invoke(cli, rounds).exit_code == 1  # nothing published yet
        values = (5, 6, 7, 1)
        register_market(out, values[2])
        publish_round(out, None, ANVIL_DEV_KEY, *values, round_keys.prove(values)[0])
        shown = CliRunner().invoke(cli, [*rounds, "--json"])
        assert shown.exit_code == 0, shown.output
        assert json.loads(shown.output)["round_id"] == 1

        stop = CliRunner().invoke(cli, ["contracts", "stop", "--deployment", str(out)])
        assert stop.exit_code == 0, stop.output
        again = CliRunner().invoke(cli, ["contracts", "stop", "--deployment", str(out)])
        assert again.exit_code == 1
    finally:
        if is_anvil_process(pid):
            os.kill(pid, signal.SIGTERM)


def test_rounds_on_a_missing_deployment_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["contracts", "rounds", "--deployment", str(tmp_path / "none.json")])
    assert result.exit_code == 2
