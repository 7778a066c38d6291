"""SettlementGate on anvil with REAL proofs of a stand-in circuit with the trade circuit's two public signals.

``circuits/gate_stub.circom`` outputs ``Poseidon(oldRoot, newRoot, snapshotHash, tradesCommitment)``
and ``header = batchId * 2^80 + batchTime * 2^16 + feeBps``; its keys come from an UNSAFE dev
ptau with pinned secrets. Each test deploys its own gate. Every success test has a failure twin:
each refusal reverts with its own custom error, decoded by ``zksolvency.chain.settlement``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tests.contracts.conftest import ANVIL_KEY_1, HERE, TEST_SECRETS
from zksolvency.bn254 import R
from zksolvency.chain.anvil import AnvilNode
from zksolvency.chain.artifact import ContractsArtifact
from zksolvency.chain.errors import ContractRejected
from zksolvency.chain.keys import ANVIL_DEV_KEY
from zksolvency.chain.settlement import (
    GateRejected,
    SettlementDeployment,
    build_settlement_artifact,
    deploy_settlement,
    gate_contract,
    read_gate,
    read_settlement,
    register_trade_snapshot,
    settle_batch,
    write_settlement,
)
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.circuit.formats.zkey import Groth16ZKey
from zksolvency.circuit.witness import calculate_witness
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.ptau_dev import generate_dev_ptau
from zksolvency.groth16.setup import contribute, new_zkey
from zksolvency.groth16.vkey import export_vkey
from zksolvency.state.batch_public import batch_header, settlement_public_input

CIRCUIT = HERE / "circuits" / "gate_stub.circom"
#: About 460 constraints: a domain of 2^9.
PTAU_POWER = 9
INITIAL_ROOT = 0x1234
SNAPSHOT = 0x5151
#: A batch time in the past of any anvil block (2023-11-14).
PAST = 1_700_000_000
FEE = 25


@dataclass(frozen=True)
class Batch:
    """The public values of one batch."""

    old_root: int
    new_root: int
    trades: int
    snapshot: int = SNAPSHOT
    batch_id: int = 0
    batch_time: int = PAST
    fee_bps: int = FEE


@dataclass(frozen=True, eq=False)
class GateKeys:
    wasm: Path
    zkey: Groth16ZKey
    vkey: VerificationKey

    def prove(self, b: Batch) -> Proof:
        return _prove(self, b)


@functools.cache
def _prove(keys: GateKeys, b: Batch) -> Proof:
    inputs = {
        "oldRoot": b.old_root,
        "newRoot": b.new_root,
        "snapshotHash": b.snapshot,
        "tradesCommitment": b.trades,
        "batchId": b.batch_id,
        "batchTime": b.batch_time,
        "feeBps": b.fee_bps,
    }
    proof, public = prove_with(keys.zkey, calculate_witness(keys.wasm, inputs), 0x77, 0x99)
    assert public == [
        settlement_public_input(b.old_root, b.new_root, b.snapshot, b.trades),
        batch_header(b.batch_id, b.batch_time, b.fee_bps),
    ]
    return proof


@pytest.fixture(scope="module")
def gate_keys(tmp_path_factory: pytest.TempPathFactory) -> GateKeys:
    work = tmp_path_factory.mktemp("gate_stub")
    compiled = compile_circuit(CIRCUIT, out_dir=work)
    ptau = work / f"pot{PTAU_POWER}_unsafe.ptau"
    generate_dev_ptau(ptau, PTAU_POWER, TEST_SECRETS)
    with PTauFile(ptau) as p:
        zkey = contribute(new_zkey(read_r1cs(compiled.r1cs), p), 0xD17A, 0x5EED, "gate tests")
    return GateKeys(compiled.wasm, zkey, export_vkey(zkey))


@pytest.fixture(scope="module")
def gate_artifact(gate_keys: GateKeys) -> ContractsArtifact:
    return build_settlement_artifact(gate_keys.vkey)


@pytest.fixture()
def gate(
    node: AnvilNode, w3: Web3, operator: LocalAccount, gate_artifact: ContractsArtifact
) -> SettlementDeployment:
    d = deploy_settlement(w3, operator, gate_artifact, INITIAL_ROOT)
    register_trade_snapshot(replace(d, rpc_url=node.url), None, ANVIL_DEV_KEY, SNAPSHOT)
    return replace(d, rpc_url=node.url)


def settle(gate_keys: GateKeys, d: SettlementDeployment, b: Batch, proof: Proof | None = None) -> int:
    """Settle ``b`` with its proof (or ``proof``); the gas used."""
    done = settle_batch(
        d,
        None,
        ANVIL_DEV_KEY,
        b.new_root,
        b.trades,
        b.snapshot,
        b.batch_id,
        b.batch_time,
        b.fee_bps,
        proof or gate_keys.prove(b),
    )
    assert (done.batch_id, done.new_root) == (b.batch_id, b.new_root)
    return done.gas_used


def refused(
    gate_keys: GateKeys, d: SettlementDeployment, b: Batch, proof: Proof | None = None
) -> GateRejected:
    with pytest.raises(GateRejected) as caught:
        settle(gate_keys, d, b, proof)
    return caught.value


FIRST = Batch(INITIAL_ROOT, 0xAAAA, 0x7777)
SECOND = Batch(0xAAAA, 0xBBBB, 0x8888, batch_id=1)


def test_a_batch_settles_and_the_root_moves(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    assert read_gate(gate, None) == type(read_gate(gate, None))(INITIAL_ROOT, 0)
    gas = settle(gate_keys, gate, FIRST)
    state = read_gate(gate, None)
    assert (state.root, state.next_batch_id) == (0xAAAA, 1)
    assert gas < 300_000
    _, contract = gate_contract(gate, None)
    (event,) = contract.events.Settled().get_logs(from_block=0)
    assert (event.args.batchId, event.args.oldRoot, event.args.newRoot) == (0, INITIAL_ROOT, 0xAAAA)


def test_a_bad_proof_reverts_invalid_proof(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    """The twin: a valid proof of other values (another new root) is refused, and nothing moves."""
    other = gate_keys.prove(replace(FIRST, new_root=0xAAAB))
    err = refused(gate_keys, gate, FIRST, other)
    assert err.error == "InvalidProof"
    expected = settlement_public_input(INITIAL_ROOT, 0xAAAA, SNAPSHOT, 0x7777)
    assert err.args_decoded == (expected, batch_header(0, PAST, FEE))
    assert "the proof does not verify" in str(err)
    assert read_gate(gate, None).root == INITIAL_ROOT


def test_a_second_batch_on_top_settles(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    settle(gate_keys, gate, FIRST)
    settle(gate_keys, gate, SECOND)
    state = read_gate(gate, None)
    assert (state.root, state.next_batch_id) == (0xBBBB, 2)


def test_a_proof_for_another_old_root_reverts(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    """The twin: batch 1 proven from the initial root (stale: the root moved with batch 0)."""
    settle(gate_keys, gate, FIRST)
    err = refused(gate_keys, gate, replace(SECOND, old_root=INITIAL_ROOT))
    assert err.error == "InvalidProof"
    assert read_gate(gate, None).root == 0xAAAA


def test_an_unknown_snapshot_reverts(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    err = refused(gate_keys, gate, replace(FIRST, snapshot=0x5152))
    assert err.error == "UnknownSnapshot" and err.args_decoded == (0x5152,)
    assert "was not registered by the operator" in str(err)


def test_a_reused_batch_id_reverts(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    settle(gate_keys, gate, FIRST)
    again = replace(FIRST, old_root=0xAAAA, new_root=0xCCCC)
    err = refused(gate_keys, gate, again)
    assert (err.error, err.args_decoded) == ("BatchIdReused", (0, 1))
    assert "batch 0 was settled already (the next batch id is 1)" in str(err)


def test_a_batch_id_that_skips_ahead_reverts(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    err = refused(gate_keys, gate, replace(FIRST, batch_id=1))
    assert (err.error, err.args_decoded) == ("UnexpectedBatchId", (1, 0))


def test_a_batch_time_in_the_future_reverts(
    gate_keys: GateKeys, gate: SettlementDeployment, w3: Web3
) -> None:
    future = int(w3.eth.get_block("latest")["timestamp"]) + 86_400
    err = refused(gate_keys, gate, replace(FIRST, batch_time=future))
    assert err.error == "BatchTimeInFuture" and err.args_decoded[0] == future


@pytest.mark.parametrize("field", ["new_root", "trades"])
def test_an_input_at_or_above_r_reverts(gate_keys: GateKeys, gate: SettlementDeployment, field: str) -> None:
    """``x + r`` would hash like ``x`` in the circuit: the gate refuses it before hashing."""
    b = FIRST
    proof = gate_keys.prove(b)
    aliased = replace(b, **{field: getattr(b, field) + R})
    err = refused(gate_keys, gate, aliased, proof)
    name = {"new_root": "newRoot", "trades": "tradesCommitment"}[field]
    assert (err.error, err.args_decoded) == ("NotAFieldElement", (name, getattr(aliased, field)))


def test_a_snapshot_at_or_above_r_reverts(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    err = refused(gate_keys, gate, replace(FIRST, snapshot=SNAPSHOT + R), gate_keys.prove(FIRST))
    assert (err.error, err.args_decoded) == ("NotAFieldElement", ("snapshotHash", SNAPSHOT + R))


def test_a_fee_above_10000_bps_reverts(gate_keys: GateKeys, gate: SettlementDeployment) -> None:
    err = refused(gate_keys, gate, replace(FIRST, fee_bps=10_001), gate_keys.prove(FIRST))
    assert (err.error, err.args_decoded) == ("FeeTooHigh", (10_001,))


def test_the_operator_registers_a_snapshot(gate: SettlementDeployment) -> None:
    _, contract = gate_contract(gate, None)
    assert not contract.functions.isSnapshotRegistered(0x42).call()
    register_trade_snapshot(gate, None, ANVIL_DEV_KEY, 0x42)
    assert contract.functions.isSnapshotRegistered(0x42).call()


def test_register_snapshot_by_a_non_operator_reverts(
    gate: SettlementDeployment, outsider: LocalAccount
) -> None:
    with pytest.raises(GateRejected) as caught:
        register_trade_snapshot(gate, None, ANVIL_KEY_1, 0x42)
    assert (caught.value.error, caught.value.args_decoded) == ("NotOperator", (outsider.address,))
    assert f"{outsider.address} is not the gate's operator" in str(caught.value)


def test_registering_a_snapshot_twice_or_at_r_reverts(gate: SettlementDeployment) -> None:
    with pytest.raises(GateRejected, match="SnapshotAlreadyRegistered"):
        register_trade_snapshot(gate, None, ANVIL_DEV_KEY, SNAPSHOT)
    with pytest.raises(GateRejected, match="NotAFieldElement"):
        register_trade_snapshot(gate, None, ANVIL_DEV_KEY, R)


def test_public_inputs_of_matches_python(gate: SettlementDeployment) -> None:
    _, contract = gate_contract(gate, None)
    got = contract.functions.publicInputsOf(0xAAAA, 0x7777, SNAPSHOT, 3, PAST, FEE).call()
    assert list(got) == [
        settlement_public_input(INITIAL_ROOT, 0xAAAA, SNAPSHOT, 0x7777),
        batch_header(3, PAST, FEE),
    ]


def test_a_one_input_verifier_is_refused_at_deployment(
    w3: Web3, operator: LocalAccount, gate_artifact: ContractsArtifact, verifier: object
) -> None:
    """The conftest's verifier is for the one-input round circuit: the gate will not take it."""
    address = verifier.address  # type: ignore[attr-defined]
    with pytest.raises(GateRejected) as caught:
        deploy_settlement(w3, operator, gate_artifact, INITIAL_ROOT, verifier_address=address)
    assert (caught.value.error, caught.value.args_decoded) == ("WrongVerifier", (1,))


def test_a_root_at_or_above_r_is_refused_at_deployment(
    w3: Web3, operator: LocalAccount, gate_artifact: ContractsArtifact, gate: SettlementDeployment
) -> None:
    """The twin's companion: the gate's own verifier is accepted, an aliased initial root is not."""
    ok = deploy_settlement(w3, operator, gate_artifact, 0, verifier_address=gate.verifier.address)
    assert ok.verifier.address == gate.verifier.address
    with pytest.raises(GateRejected, match="NotAFieldElement"):
        deploy_settlement(w3, operator, gate_artifact, R, verifier_address=gate.verifier.address)


def test_a_deployment_file_round_trips(gate: SettlementDeployment, tmp_path: Path) -> None:
    write_settlement(tmp_path / "settlement.json", gate)
    assert read_settlement(tmp_path / "settlement.json") == gate
    assert isinstance(GateRejected("X", []), ContractRejected)
