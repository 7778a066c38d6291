"""SolvencyRegistry: a valid round is accepted and readable; every kind of bad round is refused.

Each refusal is checked by the registry's custom error name (decoded by the
dry run in ``publish_round``, before any gas is spent) and, for the cheap
cases, by sending the transaction anyway and seeing it revert.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from zksolvency.bn254 import Q, R
from zksolvency.chain.artifact import REGISTRY, ContractsArtifact
from zksolvency.chain.calldata import proof_words
from zksolvency.chain.deploy import Deployment
from zksolvency.chain.errors import ChainError, ContractRejected
from zksolvency.chain.keys import ANVIL_DEV_KEY
from zksolvency.chain.registry import publish_round, read_round, registry_contract, round_public_input
from zksolvency.chain.tx import transact
from zksolvency.circuit.formats.snarkjs_json import Proof
from zksolvency.hashing import poseidon

from .conftest import ANVIL_KEY_1, CIRCUIT_PARAMETERS, RoundKeys, register_market

pytestmark = pytest.mark.snarkjs

ROUND: tuple[int, int, int, int] = (0x1111, 0x2222, 0x3333, 7)
NEXT_ROUND: tuple[int, int, int, int] = (0x4444, 0x5555, 0x6666, 8)
FIELDS = ("globalRoot", "totalsHash", "marketHash", "roundId")


def _publish(d: Deployment, values: tuple[int, int, int, int], proof: Proof, key: str = ANVIL_DEV_KEY) -> int:
    """Register the round's market hash (unless it is already) and publish the round."""
    _, registry = registry_contract(d, None)
    if not registry.functions.isSnapshotRegistered(values[2]).call():
        register_market(d, values[2])
    return publish_round(d, None, key, *values, proof).block_number


def _rejected(
    d: Deployment, values: tuple[int, ...], proof: Proof, key: str = ANVIL_DEV_KEY
) -> ContractRejected:
    root, totals, market, round_id = values
    with pytest.raises(ContractRejected) as info:
        publish_round(d, None, key, root, totals, market, round_id, proof)
    return info.value


# --- accepted ------------------------------------------------------------------------------------


def test_valid_round_is_accepted_and_readable(deployment: Deployment, round_keys: RoundKeys) -> None:
    proof, public_input = round_keys.prove(ROUND)
    assert public_input == round_public_input(*ROUND) == poseidon(list(ROUND))
    register_market(deployment, ROUND[2])
    published = publish_round(deployment, None, ANVIL_DEV_KEY, *ROUND, proof)
    assert published.public_input == public_input
    for record in (read_round(deployment, None, ROUND[3]), read_round(deployment, None)):
        assert record is not None
        assert (record.global_root, record.totals_hash, record.market_hash, record.round_id) == ROUND
        assert record.block_number == published.block_number
        assert record.timestamp > 0
    _, registry = registry_contract(deployment, None)
    events = registry.events.RoundPublished().get_logs(from_block=published.block_number)
    assert [(e.args.roundId, e.args.publicInput) for e in events] == [(ROUND[3], public_input)]


def test_no_round_reads_as_none(deployment: Deployment) -> None:
    """The twin: before a round, neither the latest nor an id can be read."""
    assert read_round(deployment, None) is None
    assert read_round(deployment, None, ROUND[3]) is None


def test_registry_stores_circuit_parameters(deployment: Deployment) -> None:
    _, registry = registry_contract(deployment, None)
    p = CIRCUIT_PARAMETERS
    assert registry.functions.circuitParameters().call() == (
        p.assets,
        p.instruments,
        p.scenarios,
        p.batch_size,
        bytes.fromhex(deployment.verification_key_hash[2:]),
    )
    assert registry.functions.operator().call() == deployment.operator
    assert registry.functions.verifier().call() == deployment.verifier.address


def test_later_round_is_accepted_after_an_earlier_one(deployment: Deployment, round_keys: RoundKeys) -> None:
    _publish(deployment, ROUND, round_keys.prove(ROUND)[0])
    _publish(deployment, NEXT_ROUND, round_keys.prove(NEXT_ROUND)[0])
    latest = read_round(deployment, None)
    assert latest is not None and latest.round_id == NEXT_ROUND[3]
    first = read_round(deployment, None, ROUND[3])
    assert first is not None and first.global_root == ROUND[0]


# --- refused -------------------------------------------------------------------------------------


def test_round_naming_an_unregistered_snapshot_is_rejected(
    deployment: Deployment, round_keys: RoundKeys
) -> None:
    """A valid proof is not enough: the market hash must be registered with the committee first."""
    proof, _ = round_keys.prove(ROUND)
    err = _rejected(deployment, ROUND, proof)
    assert err.error == "UnregisteredSnapshot"
    assert err.args_decoded == (ROUND[2],)
    register_market(deployment, ROUND[2] + 1)  # another snapshot does not help
    assert _rejected(deployment, ROUND, proof).error == "UnregisteredSnapshot"
    assert read_round(deployment, None) is None
    # Twin: once the round's own snapshot is registered, the same round is accepted.
    register_market(deployment, ROUND[2])
    assert publish_round(deployment, None, ANVIL_DEV_KEY, *ROUND, proof).round_id == ROUND[3]


@pytest.mark.parametrize("index", range(4), ids=FIELDS)
def test_changed_public_value_is_rejected(deployment: Deployment, round_keys: RoundKeys, index: int) -> None:
    proof, _ = round_keys.prove(ROUND)
    changed = list(ROUND)
    changed[index] += 1
    register_market(deployment, changed[2])  # so that the registry gets as far as the proof
    err = _rejected(deployment, tuple(changed), proof)
    assert err.error == "InvalidProof"
    assert err.args_decoded == (round_public_input(*changed),)
    assert read_round(deployment, None) is None


def test_tampered_proof_is_rejected(deployment: Deployment, round_keys: RoundKeys) -> None:
    register_market(deployment, ROUND[2])
    proof, _ = round_keys.prove(ROUND)
    other, _ = round_keys.prove(NEXT_ROUND)
    tampered = Proof(a=proof.a, b=proof.b, c=other.c)
    assert _rejected(deployment, ROUND, tampered).error == "InvalidProof"


def test_proof_with_coordinate_above_q_is_rejected(deployment: Deployment, round_keys: RoundKeys) -> None:
    register_market(deployment, ROUND[2])
    proof, _ = round_keys.prove(ROUND)
    assert proof.a is not None
    bad = Proof(a=(proof.a[0] + Q, proof.a[1]), b=proof.b, c=proof.c)
    assert _rejected(deployment, ROUND, bad).error == "InvalidProof"


@pytest.mark.parametrize("index", range(4), ids=FIELDS)
def test_input_plus_r_alias_is_rejected(deployment: Deployment, round_keys: RoundKeys, index: int) -> None:
    """``x + r`` hashes like ``x`` in Poseidon: the registry must refuse it, not reduce it."""
    proof, _ = round_keys.prove(ROUND)
    alias = list(ROUND)
    alias[index] += R
    err = _rejected(deployment, tuple(alias), proof)
    assert err.error == "NotAFieldElement"
    assert err.args_decoded == (FIELDS[index], alias[index])


def test_call_from_non_operator_is_rejected(deployment: Deployment, round_keys: RoundKeys) -> None:
    proof, _ = round_keys.prove(ROUND)
    err = _rejected(deployment, ROUND, proof, key=ANVIL_KEY_1)
    assert err.error == "NotOperator"
    assert read_round(deployment, None) is None


def test_named_operator_may_publish_and_deployer_may_not(
    deploy_fresh: Callable[..., Deployment], round_keys: RoundKeys, outsider: LocalAccount
) -> None:
    d = deploy_fresh(operator_address=outsider.address)
    proof, _ = round_keys.prove(ROUND)
    assert _rejected(d, ROUND, proof, key=ANVIL_DEV_KEY).error == "NotOperator"
    _publish(d, ROUND, proof, key=ANVIL_KEY_1)
    assert read_round(d, None) is not None


def test_replayed_round_id_is_rejected(deployment: Deployment, round_keys: RoundKeys) -> None:
    proof, _ = round_keys.prove(ROUND)
    _publish(deployment, ROUND, proof)
    err = _rejected(deployment, ROUND, proof)
    assert err.error == "RoundIdNotIncreasing"
    assert err.args_decoded == (ROUND[3], ROUND[3])


def test_older_round_id_is_rejected(deployment: Deployment, round_keys: RoundKeys) -> None:
    _publish(deployment, NEXT_ROUND, round_keys.prove(NEXT_ROUND)[0])
    err = _rejected(deployment, ROUND, round_keys.prove(ROUND)[0])
    assert err.error == "RoundIdNotIncreasing"
    assert err.args_decoded == (ROUND[3], NEXT_ROUND[3])


def test_rejected_transaction_sent_anyway_reverts(
    deployment: Deployment, round_keys: RoundKeys, outsider: LocalAccount
) -> None:
    """Without the dry run, the chain itself refuses: the transaction reverts and stores nothing."""
    proof, _ = round_keys.prove(ROUND)
    w3, registry = registry_contract(deployment, None)
    params = registry.functions.publishRound(*ROUND, proof_words(proof)).build_transaction(
        {"from": outsider.address, "gas": 600_000, "nonce": w3.eth.get_transaction_count(outsider.address)}
    )
    signed = outsider.sign_transaction(dict(params))  # type: ignore[arg-type]
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))
    assert receipt["status"] == 0
    assert read_round(deployment, None) is None


def test_registry_refuses_a_verifier_with_another_key(
    deployment: Deployment, w3: Web3, operator: LocalAccount, artifact: ContractsArtifact
) -> None:
    compiled = artifact.contract(REGISTRY)
    factory = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode)
    wrong = bytes(32)
    members = list(deployment.committee.members)
    args = (deployment.verifier.address, operator.address, 2, 2, 4, 4, wrong, members, 3)
    tx = factory.constructor(*args).build_transaction({"from": operator.address, "gas": 6_000_000})
    with pytest.raises(ContractRejected) as info:
        transact(w3, operator, tx, REGISTRY, [compiled.abi])
    assert info.value.error == "VerificationKeyMismatch"


def test_read_round_refuses_a_node_on_another_chain(deployment: Deployment) -> None:
    with pytest.raises(ChainError, match="on chain"):
        read_round(replace(deployment, chain_id=deployment.chain_id + 1), None)
