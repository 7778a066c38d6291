"""SettlementGate on anvil with REAL proofs of a stand-in circuit with the trade circuit's two public signals.

``circuits/gate_stub.circom`` outputs ``Poseidon(oldRoot, newRoot, snapshotHash, tradesCommitment)``
and ``header = batchId * 2^80 + batchTime * 2^16 + feeBps``; its keys come from an UNSAFE dev
ptau with pinned secrets. Each test deploys its own gate, with the DEMO oracle committee (3 of 5,
PUBLIC keys), and registers its snapshot with three members' TradeSnapshot signatures. Every
success test has a failure twin: each refusal reverts with its own custom error, decoded by
``zksolvency.chain.settlement``.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3

from tests.contracts.conftest import ANVIL_KEY_1, HERE, SNAPSHOT_TIME, TEST_SECRETS
from tests.quorum_cases import BAD_QUORUMS
from zksolvency.bn254 import R
from zksolvency.chain.anvil import AnvilNode
from zksolvency.chain.artifact import ContractsArtifact
from zksolvency.chain.errors import ChainError, ContractRejected
from zksolvency.chain.keys import ANVIL_DEV_KEY
from zksolvency.chain.settlement import (
    GateRejected,
    SettlementDeployment,
    _gate_error,
    build_settlement_artifact,
    deploy_settlement,
    gate_contract,
    read_gate,
    read_settlement,
    register_trade_snapshot,
    settle_batch,
    write_settlement,
)
from zksolvency.chain.tx import decode_revert
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
from zksolvency.oracle.committee import Committee
from zksolvency.oracle.demo_committee import DEMO_ADDRESSES, DEMO_KEYS, demo_committee, sign_with
from zksolvency.oracle.signatures_file import SignedSnapshot
from zksolvency.oracle.typed_data import (
    SnapshotMessage,
    TradeSnapshotMessage,
    snapshot_digest,
    typed_data_json,
)
from zksolvency.state.batch_public import batch_header, settlement_public_input

CIRCUIT = HERE / "circuits" / "gate_stub.circom"
#: About 460 constraints: a domain of 2^9.
PTAU_POWER = 9
INITIAL_ROOT = 0x1234
SNAPSHOT = 0x5151
#: The stand-in circuit's shape (A, I, S): the trade test circuit's.
SHAPE = (2, 2, 4)
#: A stand-in solvency market hash of the snapshot.
MARKET_HASH = 0x6161
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


def trade_message(snapshot_hash: int, shape: tuple[int, int, int] = SHAPE) -> TradeSnapshotMessage:
    """A TradeSnapshot for ``snapshot_hash`` (stand-in market hash, SHA-256 and time)."""
    digest = hashlib.sha256(f"snapshot {snapshot_hash}".encode()).digest()
    return TradeSnapshotMessage(MARKET_HASH, *shape, digest, SNAPSHOT_TIME, snapshot_hash)


def three_of_five(snapshot_hash: int, shape: tuple[int, int, int] = SHAPE) -> SignedSnapshot:
    return sign_with(trade_message(snapshot_hash, shape), DEMO_KEYS[:3])


@pytest.fixture()
def gate(
    node: AnvilNode, w3: Web3, operator: LocalAccount, gate_artifact: ContractsArtifact
) -> SettlementDeployment:
    d = replace(
        deploy_settlement(w3, operator, gate_artifact, INITIAL_ROOT, demo_committee(), SHAPE),
        rpc_url=node.url,
    )
    register_trade_snapshot(d, None, ANVIL_DEV_KEY, three_of_five(SNAPSHOT))
    return d


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
    assert "was not registered with the committee's signatures" in str(err)


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


def test_a_snapshot_signed_3_of_5_registers_from_any_account(
    gate: SettlementDeployment, outsider: LocalAccount
) -> None:
    """Anyone may send the registration (here a non-deployer): the signatures are the authorisation."""
    _, contract = gate_contract(gate, None)
    assert not contract.functions.isSnapshotRegistered(0x42).call()
    done = register_trade_snapshot(gate, None, ANVIL_KEY_1, three_of_five(0x42))
    assert done.snapshot_hash == 0x42 and done.signers == DEMO_ADDRESSES[:3]
    assert contract.functions.isSnapshotRegistered(0x42).call()
    stored = contract.functions.getSnapshot(0x42).call()
    assert (stored[0], stored[2], stored[3]) == (MARKET_HASH, SNAPSHOT_TIME, done.block_number)
    (event,) = contract.events.SnapshotRegistered().get_logs(from_block=done.block_number)
    assert event.args.snapshotHash == 0x42 and tuple(event.args.signers) == DEMO_ADDRESSES[:3]
    assert outsider.address not in DEMO_ADDRESSES


def test_the_gates_digest_is_eip712_as_python_and_eth_account_compute_it(gate: SettlementDeployment) -> None:
    """Three implementations agree on the TradeSnapshot digest: the gate, ours, eth_account's."""
    _, contract = gate_contract(gate, None)
    message = trade_message(0x42)
    ours = snapshot_digest(message, gate.chain_id)
    theirs = encode_typed_data(full_message=typed_data_json(message, gate.chain_id))
    assert keccak(b"\x19" + theirs.version + theirs.header + theirs.body) == ours
    assert bytes(contract.functions.tradeSnapshotDigest(message.as_tuple()).call()) == ours
    other = replace(message, snapshot_hash=0x43)  # twin: another snapshot, another digest
    assert (
        bytes(contract.functions.tradeSnapshotDigest(other.as_tuple()).call())
        == snapshot_digest(other, gate.chain_id)
        != ours
    )


@pytest.mark.parametrize("case", sorted(BAD_QUORUMS))
def test_a_bad_quorum_is_refused_by_the_gate(gate: SettlementDeployment, case: str) -> None:
    """The twins: 2 of 5, a repeated signer, a signature over another hash, another chain id, an
    outsider; each reverts, and the snapshot stays unknown (a batch naming it cannot settle)."""
    expected = {
        "2 of 5": "QuorumNotReached",
        "repeated signer": "DuplicateSigner",
        "signature over another hash": "NotACommitteeMember",
        "another chain id": "NotACommitteeMember",
        "non-committee signer": "NotACommitteeMember",
    }[case]
    with pytest.raises(GateRejected) as caught:
        register_trade_snapshot(gate, None, ANVIL_DEV_KEY, BAD_QUORUMS[case](trade_message(0x42)))
    assert caught.value.error == expected
    _, contract = gate_contract(gate, None)
    assert not contract.functions.isSnapshotRegistered(0x42).call()


def test_the_registrys_market_signatures_do_not_register_a_trade_snapshot(gate: SettlementDeployment) -> None:
    """Signatures over the registry's MarketSnapshot (same values) recover other addresses here:
    the two message types have different type hashes. Refused in Python first, then on chain."""
    trade = trade_message(0x42)
    market = SnapshotMessage(
        *(
            getattr(trade, f)
            for f in ("market_hash", "assets", "instruments", "scenarios", "snapshot_sha256", "snapshot_time")
        )
    )
    market_signed = sign_with(market, DEMO_KEYS[:3])
    with pytest.raises(ChainError, match="MarketSnapshot message; the gate registers TradeSnapshot"):
        register_trade_snapshot(gate, None, ANVIL_DEV_KEY, market_signed)
    relabelled = replace(market_signed, message=trade)
    with pytest.raises(GateRejected) as caught:
        register_trade_snapshot(gate, None, ANVIL_DEV_KEY, relabelled)
    assert caught.value.error == "NotACommitteeMember"


def _register_raw(
    gate: SettlementDeployment, message: tuple[object, ...], signed: SignedSnapshot
) -> ChainError:
    """The revert of ``registerSnapshot(message, signatures)`` called with a raw struct."""
    _, contract = gate_contract(gate, None)
    call = contract.functions.registerSnapshot(message, [e.signature for e in signed.signatures])
    with pytest.raises(Exception) as caught:
        call.call({"from": gate.deployer})
    return _gate_error(decode_revert(caught.value, "SettlementGate", [gate.gate.abi]))  # type: ignore[arg-type]


def test_registering_a_snapshot_twice_another_shape_or_at_r_reverts(gate: SettlementDeployment) -> None:
    with pytest.raises(GateRejected, match="SnapshotAlreadyRegistered"):
        register_trade_snapshot(gate, None, ANVIL_DEV_KEY, three_of_five(SNAPSHOT))
    with pytest.raises(GateRejected) as caught:
        register_trade_snapshot(gate, None, ANVIL_DEV_KEY, three_of_five(0x43, (2, 2, 5)))
    assert (caught.value.error, caught.value.args_decoded) == ("SnapshotForAnotherCircuit", (2, 2, 5))
    signed = three_of_five(0x44)
    for index, name in ((0, "snapshotHash"), (1, "marketHash")):
        raw = list(signed.message.as_tuple())
        raw[index] = int(raw[index]) + R
        err = _register_raw(gate, tuple(raw), signed)
        assert (
            isinstance(err, GateRejected) and err.error == "NotAFieldElement" and err.args_decoded[0] == name
        )


def test_a_bad_committee_is_refused_at_deployment(
    w3: Web3, operator: LocalAccount, gate_artifact: ContractsArtifact, gate: SettlementDeployment
) -> None:
    """A threshold above the members (and a repeated member) cannot be deployed; the demo one can."""
    address = gate.verifier.address
    too_high = Committee.__new__(Committee)
    object.__setattr__(too_high, "chain_id", 31337)
    object.__setattr__(too_high, "threshold", 6)
    object.__setattr__(too_high, "members", DEMO_ADDRESSES)
    with pytest.raises(GateRejected) as caught:
        deploy_settlement(w3, operator, gate_artifact, 0, too_high, SHAPE, verifier_address=address)
    assert (caught.value.error, caught.value.args_decoded) == ("InvalidThreshold", (6, 5))
    with pytest.raises(ChainError, match="signs for chain 1"):
        deploy_settlement(
            w3, operator, gate_artifact, 0, demo_committee(chain_id=1), SHAPE, verifier_address=address
        )


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
        deploy_settlement(
            w3, operator, gate_artifact, INITIAL_ROOT, demo_committee(), SHAPE, verifier_address=address
        )
    assert (caught.value.error, caught.value.args_decoded) == ("WrongVerifier", (1,))


def test_a_root_at_or_above_r_is_refused_at_deployment(
    w3: Web3, operator: LocalAccount, gate_artifact: ContractsArtifact, gate: SettlementDeployment
) -> None:
    """The twin's companion: the gate's own verifier is accepted, an aliased initial root is not."""
    committee, address = demo_committee(), gate.verifier.address
    ok = deploy_settlement(w3, operator, gate_artifact, 0, committee, SHAPE, verifier_address=address)
    assert ok.verifier.address == gate.verifier.address
    with pytest.raises(GateRejected, match="NotAFieldElement"):
        deploy_settlement(w3, operator, gate_artifact, R, committee, SHAPE, verifier_address=address)


def test_a_deployment_file_round_trips(gate: SettlementDeployment, tmp_path: Path) -> None:
    write_settlement(tmp_path / "settlement.json", gate)
    assert read_settlement(tmp_path / "settlement.json") == gate
    assert isinstance(GateRejected("X", []), ContractRejected)
