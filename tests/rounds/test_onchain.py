"""A round's bundle on chain: ``round publish`` and ``audit --rpc-url`` against a real anvil.

The session's proven test-size round (``conftest.proven``) is published to a registry
deployed for its root key, holding the demo committee; its snapshot is registered first
with the signatures the bundle carries. Each success has its failure twin (a snapshot
or round not on chain, a changed value on chain, a registry for another key, a
replayed round id, a bundle without signatures).
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
from zksolvency.chain import (
    ChainError,
    ContractRejected,
    ContractsArtifact,
    Deployment,
    build_artifact,
    read_round,
    read_snapshot,
)
from zksolvency.chain.anvil import AnvilNode, start_anvil
from zksolvency.chain.deploy import CircuitParameters, deploy_contracts, write_deployment
from zksolvency.chain.keys import ANVIL_DEV_KEY, PRIVATE_KEY_ENV, load_account
from zksolvency.chain.tx import connect
from zksolvency.cli.main import cli
from zksolvency.oracle.demo_committee import demo_committee
from zksolvency.round.audit import audit_bundle
from zksolvency.round.bundle import Bundle
from zksolvency.round.onchain import bundle_round, ensure_snapshot_registered, onchain_checks, publish_bundle

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
    d = deploy_contracts(w3, load_account(ANVIL_DEV_KEY), root_artifact, PARAMETERS, demo_committee())
    return replace(d, rpc_url=node.url)


def _register_and_publish(bundle: Path, deployment: Deployment) -> None:
    ensure_snapshot_registered(bundle, deployment, None, ANVIL_DEV_KEY)
    publish_bundle(bundle, deployment, None, ANVIL_DEV_KEY)


def test_published_bundle_passes_the_onchain_audit(proven: Proven, deployment: Deployment) -> None:
    registered = ensure_snapshot_registered(proven.bundle, deployment, None, ANVIL_DEV_KEY)
    assert registered is not None and len(registered.signers) == 3
    assert ensure_snapshot_registered(proven.bundle, deployment, None, ANVIL_DEV_KEY) is None  # once
    published = publish_bundle(proven.bundle, deployment, None, ANVIL_DEV_KEY)
    assert published.round_id == ROUND_ID
    record = read_round(deployment, None, ROUND_ID)
    values = bundle_round(Bundle(proven.bundle))
    assert record is not None and record.global_root == values.global_root
    report = audit_bundle(
        proven.bundle, "python", onchain=onchain_checks(deployment, None), allow_dev_setup=True
    )
    assert report.ok, [c.line() for c in report.failed()]
    assert {"on-chain round", "on-chain verifier key", "on-chain snapshot"} <= {c.name for c in report.checks}


def test_unpublished_round_fails_the_onchain_audit(proven: Proven, deployment: Deployment) -> None:
    report = audit_bundle(
        proven.bundle, "python", onchain=onchain_checks(deployment, None), allow_dev_setup=True
    )
    assert [c.name for c in report.failed()] == ["on-chain snapshot", "on-chain round"]
    ensure_snapshot_registered(proven.bundle, deployment, None, ANVIL_DEV_KEY)
    report = audit_bundle(
        proven.bundle, "python", onchain=onchain_checks(deployment, None), allow_dev_setup=True
    )
    assert [c.name for c in report.failed()] == ["on-chain round"]


def test_a_round_is_refused_until_its_snapshot_is_registered(proven: Proven, deployment: Deployment) -> None:
    with pytest.raises(ContractRejected) as refused:
        publish_bundle(proven.bundle, deployment, None, ANVIL_DEV_KEY)
    assert refused.value.error == "UnregisteredSnapshot"
    assert read_round(deployment, None, ROUND_ID) is None
    _register_and_publish(proven.bundle, deployment)  # twin
    assert read_round(deployment, None, ROUND_ID) is not None


def test_a_bundle_without_signatures_cannot_register_its_snapshot(
    deployment: Deployment, bundle_copy: Path
) -> None:
    manifest_path = bundle_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["oracle"]
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ChainError, match="market register"):
        ensure_snapshot_registered(bundle_copy, deployment, None, ANVIL_DEV_KEY)
    assert read_snapshot(deployment, None, int(manifest["market"]["hash"])) is None


def test_a_replayed_round_is_refused(proven: Proven, deployment: Deployment) -> None:
    _register_and_publish(proven.bundle, deployment)
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
    ensure_snapshot_registered(bundle_copy, deployment, None, ANVIL_DEV_KEY)
    with pytest.raises(ContractRejected) as refused:
        publish_bundle(bundle_copy, deployment, None, ANVIL_DEV_KEY)
    assert refused.value.error == "InvalidProof"
    assert read_round(deployment, None, ROUND_ID) is None


def test_a_registry_for_another_key_fails_the_key_check(proven: Proven, deployment: Deployment) -> None:
    other = replace(deployment, verification_key_hash="0x" + "11" * 32)
    report = audit_bundle(proven.bundle, "python", onchain=onchain_checks(other, None), allow_dev_setup=True)
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
    assert "snapshot:        registered in block" in first.output
    assert f"round {ROUND_ID} published" in first.output
    assert ANVIL_DEV_KEY not in first.output
    audited = runner.invoke(
        cli, ["audit", str(proven.bundle), "--deployment", str(file), "--rpc-url", url, "--allow-dev-setup"]
    )
    assert audited.exit_code == 0, audited.output
    assert "PASS  on-chain round" in audited.output and "PASS  on-chain snapshot" in audited.output
    assert "PASS  committee quorum" in audited.output and "(the auditor's committee)" in audited.output
    again = runner.invoke(cli, args, env=env)
    assert again.exit_code == 1
    assert "snapshot:        already registered" in again.output
    assert "RoundIdNotIncreasing" in again.output


def test_audit_with_an_unreachable_chain_warns_and_fails_only_the_chain_checks(
    proven: Proven, deployment: Deployment, tmp_path: Path
) -> None:
    file = tmp_path / "deployment.json"
    write_deployment(file, replace(deployment, rpc_url=None))
    args = ["audit", str(proven.bundle), "--deployment", str(file), "--rpc-url", "http://127.0.0.1:9"]
    args.append("--allow-dev-setup")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "cannot read the registry's committee" in result.stderr
    assert "PASS  committee quorum" in result.stdout and "(the bundle's committee)" in result.stdout
    failed = {line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("FAIL")}
    assert failed == {"FAIL  on-chain snapshot", "FAIL  on-chain round"}  # the key check reads no chain


def test_round_publish_refuses_a_dev_key_on_a_chain_that_is_not_local(
    proven: Proven, root_artifact: ContractsArtifact, tmp_path: Path
) -> None:
    """anvil under chain id 1337 stands for a public chain: the bundle's dev root key is refused there
    (nothing published) unless --allow-unsafe-setup; the twin above publishes on the local chain 31337."""
    with start_anvil(chain_id=1337) as other:
        committee = replace(demo_committee(), chain_id=1337)
        d = deploy_contracts(
            connect(other.url), load_account(ANVIL_DEV_KEY), root_artifact, PARAMETERS, committee
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
        # Past the setup guard (a warning), the snapshot check has its own say: the bundle's
        # signatures are for chain 31337, which this registry (committee of chain 1337) cannot take.
        assert "warning: publish the round on chain 1337 (--allow-unsafe-setup)" in allowed.output
        assert "refusing to publish" not in allowed.output
        assert allowed.exit_code == 2 and "the signatures are for chain 31337" in allowed.output
        assert read_round(d, other.url, ROUND_ID) is None
