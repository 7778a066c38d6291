"""Shared fixtures for the contract tests: one circuit, one key, one anvil, compiled contracts.

Built once per session (nothing here is mutated by a test): the stand-in root
circuit ``circuits/round_public.circom`` (public output ``Poseidon(globalRoot,
totalsHash, marketHash, roundId)``), an UNSAFE dev ptau with pinned secrets, a
proving key with a pinned contribution, proofs by our Python prover, the
rendered and compiled contracts, and one anvil on 127.0.0.1 and a free port.
Each test that publishes deploys its own registry, so no test sees another's rounds;
registries hold the PUBLIC demo oracle committee (3 of 5,
``zksolvency.oracle.demo_committee``), and ``register_market`` registers a market hash
with three of its members' signatures (over a stand-in snapshot digest and time).

Tests here need circom2, snarkjs and circomlib (the root conftest skips
``snarkjs``-marked tests without them) and solc-js and anvil (checked here): a
missing tool skips the tests with the reason, except under ``CI=true``, where it
fails them.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract

from zksolvency import toolchain
from zksolvency.chain.anvil import AnvilNode, start_anvil
from zksolvency.chain.artifact import HASHER, VERIFIER, ContractsArtifact, build_artifact, render_sources
from zksolvency.chain.deploy import CircuitParameters, Deployment, deploy_contracts
from zksolvency.chain.keys import ANVIL_DEV_KEY, load_account
from zksolvency.chain.snapshots import register_snapshot
from zksolvency.chain.tx import connect, transact
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey, write_vkey
from zksolvency.circuit.formats.zkey import Groth16ZKey, write_zkey
from zksolvency.circuit.witness import calculate_witness
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.ptau_dev import DevSecrets, generate_dev_ptau
from zksolvency.groth16.setup import contribute, new_zkey
from zksolvency.groth16.vkey import export_vkey
from zksolvency.oracle.committee import Committee
from zksolvency.oracle.demo_committee import DEMO_KEYS, demo_committee, sign_with
from zksolvency.oracle.typed_data import SnapshotMessage

HERE = Path(__file__).resolve().parent
CIRCUIT = HERE / "circuits" / "round_public.circom"
#: Poseidon(4) takes 297 constraints: a domain of 2^9.
PTAU_POWER = 9
#: Pinned toxic waste (UNSAFE, tests only) and contribution secrets.
TEST_SECRETS = DevSecrets(tau=0xC0FFEE1234, alpha=0xA1FA, beta=0xBE7A)
#: anvil's second development account (public key material, like account 0): a non-operator.
ANVIL_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
CIRCUIT_PARAMETERS = CircuitParameters(assets=2, instruments=2, scenarios=4, batch_size=4)
#: Explicit gas limit for calls and transactions to the verifier in tests.
VERIFY_GAS = 1_000_000

RoundValues = tuple[int, int, int, int]
#: The stand-in snapshot time of ``register_market`` (2026-12-01T12:00:00Z).
SNAPSHOT_TIME = 1_796_126_400
#: anvil's chain id.
CHAIN_ID = 31337
#: The demo committee's file (its five PUBLIC demo members, 3 of 5, chain 31337).
COMMITTEE_FILE = HERE.parents[1] / "examples" / "committee-demo.json"


def snapshot_message(market_hash: int, shape: tuple[int, int, int] | None = None) -> SnapshotMessage:
    """A message for ``market_hash`` at the test circuit's shape (a stand-in SHA-256 and time)."""
    p = CIRCUIT_PARAMETERS
    a, i, s = shape or (p.assets, p.instruments, p.scenarios)
    digest = hashlib.sha256(f"snapshot {market_hash}".encode()).digest()
    return SnapshotMessage(market_hash, a, i, s, digest, SNAPSHOT_TIME)


def register_market(d: Deployment | Path, market_hash: int) -> None:
    """Register ``market_hash`` on ``d``'s registry with three demo members' signatures."""
    register_snapshot(d, None, ANVIL_DEV_KEY, sign_with(snapshot_message(market_hash), DEMO_KEYS[:3]))


def _toolchain_problems() -> list[str]:
    names = ("circom2", "snarkjs", "circomlib", "solc", "anvil")
    return [p for p in (toolchain.tool_status(n).problem() for n in names) if p]


@pytest.fixture(scope="session", autouse=True)
def _contracts_toolchain() -> None:
    problems = _toolchain_problems()
    if not problems:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("CI needs the pinned npm toolchain: " + "; ".join(problems))
    pytest.skip("; ".join(problems))


@dataclass(frozen=True, eq=False)  # hashed by identity, for the proof cache
class RoundKeys:
    """The stand-in root circuit with its keys, and a prover for round values."""

    wasm: Path
    zkey: Groth16ZKey
    zkey_path: Path
    vkey: VerificationKey
    vkey_path: Path

    def prove(self, values: RoundValues, blinding: int = 1) -> tuple[Proof, int]:
        """A proof for ``values`` (deterministic for a given ``blinding``) and its public input."""
        return _prove(self, values, blinding)


@functools.cache
def _prove(keys: RoundKeys, values: RoundValues, blinding: int) -> tuple[Proof, int]:
    inputs = dict(zip(("globalRoot", "totalsHash", "marketHash", "roundId"), values, strict=True))
    witness = calculate_witness(keys.wasm, inputs)
    proof, public = prove_with(keys.zkey, witness, 0x1234 + blinding, 0x5678 * blinding)
    return proof, public[0]


@pytest.fixture(scope="session")
def round_keys(tmp_path_factory: pytest.TempPathFactory) -> RoundKeys:
    work = tmp_path_factory.mktemp("round_public")
    compiled = compile_circuit(CIRCUIT, out_dir=work)
    ptau = work / f"pot{PTAU_POWER}_unsafe.ptau"
    generate_dev_ptau(ptau, PTAU_POWER, TEST_SECRETS)
    with PTauFile(ptau) as p:
        zkey = contribute(new_zkey(read_r1cs(compiled.r1cs), p), 0xD17A, 0x5EED, "contract tests")
    zkey_path, vkey_path = work / "round_public.zkey", work / "vkey.json"
    write_zkey(zkey_path, zkey)
    vkey = export_vkey(zkey)
    write_vkey(vkey_path, vkey)
    return RoundKeys(compiled.wasm, zkey, zkey_path, vkey, vkey_path)


@pytest.fixture(scope="session")
def artifact(round_keys: RoundKeys) -> ContractsArtifact:
    return build_artifact(round_keys.vkey, render_sources(round_keys.vkey))


@pytest.fixture(scope="session")
def node() -> Iterator[AnvilNode]:
    with start_anvil() as anvil_node:
        yield anvil_node


@pytest.fixture(scope="session")
def w3(node: AnvilNode) -> Web3:
    return connect(node.url)


@pytest.fixture(scope="session")
def operator() -> LocalAccount:
    return load_account(ANVIL_DEV_KEY)


@pytest.fixture(scope="session")
def outsider() -> LocalAccount:
    return load_account(ANVIL_KEY_1)


def deploy_plain(w3: Web3, account: LocalAccount, artifact: ContractsArtifact, name: str) -> Contract:
    """Deploy a contract whose constructor takes no arguments."""
    compiled = artifact.contract(name)
    factory = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode)
    tx = factory.constructor().build_transaction({"from": account.address, "gas": 8_000_000})
    mined = transact(w3, account, tx, name)
    assert mined.contract_address is not None
    return w3.eth.contract(address=Web3.to_checksum_address(mined.contract_address), abi=compiled.abi)


@pytest.fixture(scope="session")
def verifier(w3: Web3, operator: LocalAccount, artifact: ContractsArtifact) -> Contract:
    return deploy_plain(w3, operator, artifact, VERIFIER)


@pytest.fixture(scope="session")
def hasher(w3: Web3, operator: LocalAccount, artifact: ContractsArtifact) -> Contract:
    return deploy_plain(w3, operator, artifact, HASHER)


@pytest.fixture()
def deployment(node: AnvilNode, w3: Web3, operator: LocalAccount, artifact: ContractsArtifact) -> Deployment:
    """A fresh verifier and registry for one test (the registry's rounds are this test's alone)."""
    d = deploy_contracts(w3, operator, artifact, CIRCUIT_PARAMETERS, demo_committee())
    return replace(d, rpc_url=node.url)


@pytest.fixture()
def deploy_fresh(
    node: AnvilNode, w3: Web3, operator: LocalAccount, artifact: ContractsArtifact
) -> Callable[..., Deployment]:
    """Deploy with other arguments (operator, account, committee) inside a test."""

    def make(
        account: LocalAccount = operator,
        operator_address: str | None = None,
        committee: Committee | None = None,
    ) -> Deployment:
        chosen = committee or demo_committee()
        d = deploy_contracts(w3, account, artifact, CIRCUIT_PARAMETERS, chosen, operator_address)
        return replace(d, rpc_url=node.url)

    return make
