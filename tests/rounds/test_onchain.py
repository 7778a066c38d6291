"""A round's bundle on chain: ``round publish`` and ``audit --rpc-url`` against a real anvil.

The session's proven test-size round (``conftest.proven``) is published to a registry
deployed for its root key; each success has its failure twin (a round not on chain, a
changed value on chain, a registry for another key, a replayed round id).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from web3 import Web3

from tests.rounds.conftest import ROUND_ID, Proven
from zksolvency.chain import ContractRejected, ContractsArtifact, Deployment, build_artifact, read_round
from zksolvency.chain.anvil import AnvilNode, start_anvil
from zksolvency.chain.deploy import CircuitParameters, deploy_contracts, write_deployment
from zksolvency.chain.keys import ANVIL_DEV_KEY, PRIVATE_KEY_ENV, load_account
from zksolvency.chain.tx import connect
from zksolvency.cli.main import cli
from zksolvency.round.audit import audit_bundle
from zksolvency.round.bundle import Bundle
from zksolvency.round.onchain import bundle_round, onchain_checks, publish_bundle

pytestmark = pytest.mark.snarkjs  # needs solc-js and anvil from the pinned toolchain

PARAMETERS = CircuitParameters(assets=2, instruments=2, scenarios=4, batch_size=4)


@pytest.fixture(scope="module")
def node() -> Iterator[AnvilNode]:
    with start_anvil() as anvil_node:
        yield anvil_node


@pytest.fixture(scope="module")
def w3(node: AnvilNode) -> Web3:
    return connect(node.url)


@pytest.fixture(scope="module")
def root_artifact(proven: Proven) -> ContractsArtifact:
    return build_artifact(Bundle(proven.bundle).vkey("root"))


@pytest.fixture
def deployment(node: AnvilNode, w3: Web3, root_artifact: ContractsArtifact) -> Deployment:
    """A fresh registry for the bundle's root key (each test its own rounds)."""
    d = deploy_contracts(w3, load_account(ANVIL_DEV_KEY), root_artifact, PARAMETERS)
    return replace(d, rpc_url=node.url)


def test_published_bundle_passes_the_onchain_audit(proven: Proven, deployment: Deployment) -> None:
    published = publish_bundle(proven.bundle, deployment, None, ANVIL_DEV_KEY)
    assert published.round_id == ROUND_ID
    record = read_round(deployment, None, ROUND_ID)
    values = bundle_round(Bundle(proven.bundle))
    assert record is not None and record.global_root == values.global_root
    report = audit_bundle(proven.bundle, "python", onchain=onchain_checks(deployment, None))
    assert report.ok, [c.line() for c in report.failed()]
    assert {"on-chain round", "on-chain verifier key"} <= {c.name for c in report.checks}


def test_unpublished_round_fails_the_onchain_audit(proven: Proven, deployment: Deployment) -> None:
    report = audit_bundle(proven.bundle, "python", onchain=onchain_checks(deployment, None))
    assert [c.name for c in report.failed()] == ["on-chain round"]


def test_a_replayed_round_is_refused(proven: Proven, deployment: Deployment) -> None:
    publish_bundle(proven.bundle, deployment, None, ANVIL_DEV_KEY)
    with pytest.raises(ContractRejected) as refused:
        publish_bundle(proven.bundle, deployment, None, ANVIL_DEV_KEY)
    assert refused.value.error == "RoundIdNotIncreasing"


def test_a_bundle_whose_total_was_changed_is_refused_on_chain(
    proven: Proven, deployment: Deployment, bundle_copy: Path
) -> None:
    """The registry recomputes P from the values sent: a changed totals hash breaks the proof."""
    manifest_path = bundle_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["totals_hash"] = str(int(manifest["totals_hash"]) + 1)
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ContractRejected) as refused:
        publish_bundle(bundle_copy, deployment, None, ANVIL_DEV_KEY)
    assert refused.value.error == "InvalidProof"
    assert read_round(deployment, None, ROUND_ID) is None


def test_a_registry_for_another_key_fails_the_key_check(proven: Proven, deployment: Deployment) -> None:
    other = replace(deployment, verification_key_hash="0x" + "11" * 32)
    report = audit_bundle(proven.bundle, "python", onchain=onchain_checks(other, None))
    assert "on-chain verifier key" in [c.name for c in report.failed()]


def test_round_publish_and_audit_commands(proven: Proven, deployment: Deployment, tmp_path: Path) -> None:
    """The CLI: key from the environment only; publish exits 0, audit --rpc-url passes; a second
    publish of the same round exits 1 naming the registry's refusal."""
    file = tmp_path / "deployment.json"
    write_deployment(file, replace(deployment, rpc_url=None))
    runner = CliRunner()
    env = {PRIVATE_KEY_ENV: ANVIL_DEV_KEY}
    url = deployment.rpc_url
    assert url is not None
    args = ["round", "publish", str(proven.bundle), "--deployment", str(file), "--rpc-url", url]
    first = runner.invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert f"round {ROUND_ID} published" in first.output
    assert ANVIL_DEV_KEY not in first.output
    audited = runner.invoke(
        cli, ["audit", str(proven.bundle), "--deployment", str(file), "--rpc-url", url, "--allow-dev-setup"]
    )
    assert audited.exit_code == 0, audited.output
    assert "PASS  on-chain round" in audited.output
    again = runner.invoke(cli, args, env=env)
    assert again.exit_code == 1
    assert "RoundIdNotIncreasing" in again.output


def test_round_publish_refuses_a_dev_key_on_a_chain_that_is_not_local(
    proven: Proven, root_artifact: ContractsArtifact, tmp_path: Path
) -> None:
    """anvil under chain id 1337 stands for a public chain: the bundle's dev root key is refused there
    (nothing published) unless --allow-unsafe-setup; the twin above publishes on the local chain 31337."""
    with start_anvil(chain_id=1337) as other:
        d = replace(
            deploy_contracts(connect(other.url), load_account(ANVIL_DEV_KEY), root_artifact, PARAMETERS)
        )
        file = tmp_path / "deployment.json"
        write_deployment(file, d)
        args = ["round", "publish", str(proven.bundle), "--deployment", str(file), "--rpc-url", other.url]
        runner = CliRunner(env={PRIVATE_KEY_ENV: ANVIL_DEV_KEY})
        refused = runner.invoke(cli, args)
        assert refused.exit_code == 2
        assert "refusing to publish the round on chain 1337" in refused.output
        assert read_round(d, other.url, ROUND_ID) is None
        allowed = runner.invoke(cli, [*args, "--allow-unsafe-setup"])
        assert allowed.exit_code == 0, allowed.output
        assert "warning: publish the round on chain 1337 (--allow-unsafe-setup)" in allowed.output
        assert read_round(d, other.url, ROUND_ID) is not None
