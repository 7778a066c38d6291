"""``zksolvency market register`` on anvil: 3 of 5 registers once; 2 of 5 is refused with exit 1."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency.chain.deploy import Deployment, write_deployment
from zksolvency.chain.keys import ANVIL_DEV_KEY, PRIVATE_KEY_ENV
from zksolvency.chain.snapshots import read_snapshot
from zksolvency.cli.main import cli
from zksolvency.oracle.demo_committee import demo_sign
from zksolvency.oracle.signatures_file import read_signatures
from zksolvency.round.sample import write_sample

from .conftest import CIRCUIT_PARAMETERS, SNAPSHOT_TIME

pytestmark = pytest.mark.snarkjs  # needs solc-js and anvil from the pinned toolchain

SHAPE = (CIRCUIT_PARAMETERS.assets, CIRCUIT_PARAMETERS.instruments, CIRCUIT_PARAMETERS.scenarios)


def _register(snapshot: Path, deployment_file: Path, url: str) -> tuple[int, str]:
    args = ["market", "register", str(snapshot), "--deployment", str(deployment_file), "--rpc-url", url]
    result = CliRunner().invoke(cli, args, env={PRIVATE_KEY_ENV: ANVIL_DEV_KEY})
    return result.exit_code, result.output


@pytest.mark.parametrize(("members", "registers"), [(3, True), (2, False)], ids=["3 of 5", "2 of 5"])
def test_market_register(deployment: Deployment, tmp_path: Path, members: int, registers: bool) -> None:
    snapshot, _ = write_sample(tmp_path, 1)
    out = tmp_path / "market.signatures.json"
    signed = demo_sign(snapshot, SHAPE, out, members=members, time=SNAPSHOT_TIME)
    file = tmp_path / "deployment.json"
    write_deployment(file, replace(deployment, rpc_url=None))
    assert deployment.rpc_url is not None
    code, output = _register(snapshot, file, deployment.rpc_url)
    record = read_snapshot(deployment, None, signed.message.market_hash)
    if not registers:
        assert code == 1 and "QuorumNotReached(2, 3)" in output
        assert record is None
        return
    assert code == 0, output
    assert f"snapshot {signed.message.market_hash} registered in block" in output
    assert record is not None and record.snapshot_sha256 == signed.message.snapshot_sha256
    again, output = _register(snapshot, file, deployment.rpc_url)
    assert again == 1 and "SnapshotAlreadyRegistered" in output
    assert read_signatures(out) == signed
