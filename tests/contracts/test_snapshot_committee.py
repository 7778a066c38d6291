"""SnapshotCommittee (through SolvencyRegistry) on anvil: 3 of 5 registers; each bad quorum is refused.

The refusals the issue names (2 of 5, a repeated signer, a signature over another hash,
one for another chain id, a signer outside the committee) are one parametrized test,
each checked by the custom error the registry reverts with and by nothing being stored;
``tests/rounds/test_audit_oracle.py`` runs the same cases through ``audit``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3

from zksolvency.bn254 import R
from zksolvency.chain.artifact import REGISTRY, ContractsArtifact
from zksolvency.chain.deploy import Deployment
from zksolvency.chain.errors import ChainError, ContractRejected
from zksolvency.chain.keys import ANVIL_DEV_KEY
from zksolvency.chain.registry import registry_contract
from zksolvency.chain.snapshots import read_committee, read_snapshot, register_snapshot
from zksolvency.chain.tx import transact
from zksolvency.oracle.demo_committee import DEMO_ADDRESSES, DEMO_KEYS, demo_committee, sign_with
from zksolvency.oracle.signature import SECP256K1_N, SignatureProblem, recover_signer
from zksolvency.oracle.signatures_file import SignatureEntry, SignedSnapshot
from zksolvency.oracle.typed_data import (
    TradeSnapshotMessage,
    domain_separator,
    snapshot_digest,
    typed_data_json,
)

from ..quorum_cases import BAD_QUORUMS, OUTSIDER
from .conftest import CHAIN_ID, snapshot_message

pytestmark = pytest.mark.snarkjs  # needs solc-js and anvil from the pinned toolchain

MARKET_HASH = 0xC0FFEE
MESSAGE = snapshot_message(MARKET_HASH)


def _refused(d: Deployment, signed: SignedSnapshot) -> ContractRejected:
    with pytest.raises(ContractRejected) as info:
        register_snapshot(d, None, ANVIL_DEV_KEY, signed)
    assert read_snapshot(d, None, MARKET_HASH) is None
    return info.value


# --- accepted ------------------------------------------------------------------------------------


def test_a_snapshot_signed_3_of_5_registers(deployment: Deployment) -> None:
    assert read_snapshot(deployment, None, MARKET_HASH) is None
    registered = register_snapshot(deployment, None, ANVIL_DEV_KEY, sign_with(MESSAGE, DEMO_KEYS[:3]))
    assert registered.signers == DEMO_ADDRESSES[:3]
    record = read_snapshot(deployment, None, MARKET_HASH)
    assert record is not None
    assert (record.snapshot_sha256, record.snapshot_time) == (MESSAGE.snapshot_sha256, MESSAGE.snapshot_time)
    assert record.block_number == registered.block_number
    _, registry = registry_contract(deployment, None)
    assert registry.functions.isSnapshotRegistered(MARKET_HASH).call() is True
    events = registry.events.SnapshotRegistered().get_logs(from_block=registered.block_number)
    assert [(e.args.marketHash, list(e.args.signers)) for e in events] == [
        (MARKET_HASH, list(DEMO_ADDRESSES[:3]))
    ]


def test_all_five_members_in_any_order_register(deployment: Deployment) -> None:
    keys = (DEMO_KEYS[4], DEMO_KEYS[0], DEMO_KEYS[3], DEMO_KEYS[2], DEMO_KEYS[1])
    assert register_snapshot(deployment, None, ANVIL_DEV_KEY, sign_with(MESSAGE, keys)).gas_used > 0
    assert read_snapshot(deployment, None, MARKET_HASH) is not None


def test_the_registry_holds_the_committee(deployment: Deployment) -> None:
    assert read_committee(deployment, None) == demo_committee() == deployment.committee
    _, registry = registry_contract(deployment, None)
    assert registry.functions.threshold().call() == 3


def test_the_contract_digest_is_eip712_as_python_and_eth_account_compute_it(deployment: Deployment) -> None:
    """Three implementations agree: the contract, ours, and eth_account's EIP-712 encoder."""
    _, registry = registry_contract(deployment, None)
    ours = snapshot_digest(MESSAGE, CHAIN_ID)
    theirs = encode_typed_data(full_message=typed_data_json(MESSAGE, CHAIN_ID))
    assert keccak(b"\x19" + theirs.version + theirs.header + theirs.body) == ours
    assert bytes(registry.functions.snapshotDigest(MESSAGE.as_tuple()).call()) == ours
    assert bytes(registry.functions.domainSeparator().call()) == domain_separator(CHAIN_ID)
    # Twin: another message gives another digest, on chain as in Python.
    other = dataclasses.replace(MESSAGE, snapshot_time=MESSAGE.snapshot_time + 1)
    assert (
        bytes(registry.functions.snapshotDigest(other.as_tuple()).call())
        == snapshot_digest(other, CHAIN_ID)
        != ours
    )


# --- refused: the cases ------------------------------------------------------------------

#: The registry's refusal of each case: the error and its first arguments.
REFUSALS: dict[str, tuple[str, tuple[object, ...]]] = {
    "2 of 5": ("QuorumNotReached", (2, 3)),
    "repeated signer": ("DuplicateSigner", (2, DEMO_ADDRESSES[1])),
    "signature over another hash": ("NotACommitteeMember", (1,)),
    "another chain id": ("NotACommitteeMember", (2,)),
    "non-committee signer": ("NotACommitteeMember", (1, OUTSIDER)),
}


@pytest.mark.parametrize("case", list(BAD_QUORUMS))
def test_a_bad_quorum_is_refused_on_chain(deployment: Deployment, case: str) -> None:
    error, args = REFUSALS[case]
    refused = _refused(deployment, BAD_QUORUMS[case](MESSAGE))
    assert refused.error == error
    assert refused.args_decoded[: len(args)] == args
    if error == "NotACommitteeMember":  # the recovered address is no member's
        assert refused.args_decoded[1] not in DEMO_ADDRESSES


def test_the_gates_trade_signatures_do_not_register_a_market_snapshot(deployment: Deployment) -> None:
    """The twin of the gate's test: a TradeSnapshot quorum over the same values is refused in
    Python, and its signatures sent with the MarketSnapshot struct recover other addresses."""
    m = MESSAGE
    trade = TradeSnapshotMessage(
        m.market_hash, m.assets, m.instruments, m.scenarios, m.snapshot_sha256, m.snapshot_time, 0x42
    )
    trade_signed = sign_with(trade, DEMO_KEYS[:3])
    with pytest.raises(ChainError, match="TradeSnapshot message; the registry registers MarketSnapshot"):
        register_snapshot(deployment, None, ANVIL_DEV_KEY, trade_signed)
    refused = _refused(deployment, dataclasses.replace(trade_signed, message=MESSAGE))
    assert refused.error == "NotACommitteeMember" and refused.args_decoded[1] not in DEMO_ADDRESSES


def test_a_refused_registration_sent_anyway_reverts(deployment: Deployment, outsider: LocalAccount) -> None:
    """Without the dry run, the chain itself refuses 2 of 5: the transaction reverts, nothing is stored."""
    w3, registry = registry_contract(deployment, None)
    signed = sign_with(MESSAGE, DEMO_KEYS[:2])
    params = registry.functions.registerSnapshot(
        MESSAGE.as_tuple(), [e.signature for e in signed.signatures]
    ).build_transaction(
        {"from": outsider.address, "gas": 300_000, "nonce": w3.eth.get_transaction_count(outsider.address)}
    )
    raw = outsider.sign_transaction(dict(params)).raw_transaction  # type: ignore[arg-type]
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(raw))
    assert receipt["status"] == 0
    assert read_snapshot(deployment, None, MARKET_HASH) is None


# --- refused: malformed signatures and snapshots -------------------------------------------------


def _with_bytes(signed: SignedSnapshot, index: int, signature: bytes) -> SignedSnapshot:
    entries = list(signed.signatures)
    entries[index] = SignatureEntry(entries[index].signer, signature)
    return dataclasses.replace(signed, signatures=tuple(entries))


def test_the_high_s_twin_of_a_valid_signature_is_refused(deployment: Deployment) -> None:
    """(r, n - s) with the other v is the same key's signature too (malleability): EIP-2 refuses it."""
    signed = sign_with(MESSAGE, DEMO_KEYS[:3])
    good = signed.signatures[0].signature
    r, s, v = good[:32], int.from_bytes(good[32:64], "big"), good[64]
    twin = r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v])
    with pytest.raises(SignatureProblem, match="lower half"):
        recover_signer(twin, MESSAGE, CHAIN_ID)
    refused = _refused(deployment, _with_bytes(signed, 0, twin))
    assert refused.error == "MalformedSignature"
    assert refused.args_decoded == (0, "s is not in the lower half")
    # Twin: the low-s original registers.
    register_snapshot(deployment, None, ANVIL_DEV_KEY, signed)


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda sig: sig[:64] + bytes([sig[64] - 27]), "v is not 27 or 28"),
        (lambda sig: sig[:64], "not 65 bytes"),
        (lambda sig: bytes(32) + sig[32:], "r is zero"),
    ],
    ids=["v is 0 or 1", "64 bytes", "r zero"],
)
def test_a_malformed_signature_is_refused(
    deployment: Deployment, mangle: Callable[[bytes], bytes], reason: str
) -> None:
    signed = sign_with(MESSAGE, DEMO_KEYS[:3])
    bad = mangle(signed.signatures[1].signature)
    with pytest.raises(SignatureProblem):
        recover_signer(bad, MESSAGE, CHAIN_ID)
    refused = _refused(deployment, _with_bytes(signed, 1, bad))
    assert (refused.error, refused.args_decoded) == ("MalformedSignature", (1, reason))


def test_a_snapshot_hashed_at_another_circuit_is_refused(deployment: Deployment) -> None:
    other = snapshot_message(MARKET_HASH, shape=(4, 16, 16))
    refused = _refused(deployment, sign_with(other, DEMO_KEYS[:3]))
    assert (refused.error, refused.args_decoded) == ("SnapshotForAnotherCircuit", (4, 16, 16))


def test_a_snapshot_registers_once(deployment: Deployment) -> None:
    register_snapshot(deployment, None, ANVIL_DEV_KEY, sign_with(MESSAGE, DEMO_KEYS[:3]))
    with pytest.raises(ContractRejected) as info:
        register_snapshot(deployment, None, ANVIL_DEV_KEY, sign_with(MESSAGE, DEMO_KEYS[2:5]))
    assert (info.value.error, info.value.args_decoded) == ("SnapshotAlreadyRegistered", (MARKET_HASH,))


def test_a_market_hash_above_the_field_is_refused(deployment: Deployment, operator: LocalAccount) -> None:
    """``x + r`` would alias ``x`` in Poseidon: the message type refuses it, and so does the contract."""
    w3, registry = registry_contract(deployment, None)
    signatures = [e.signature for e in sign_with(MESSAGE, DEMO_KEYS[:3]).signatures]
    alias = (MARKET_HASH + R, *MESSAGE.as_tuple()[1:])
    tx = registry.functions.registerSnapshot(alias, signatures).build_transaction(
        {"from": operator.address, "gas": 300_000}
    )
    with pytest.raises(ContractRejected) as info:
        transact(w3, operator, tx, REGISTRY, [deployment.registry.abi])
    assert (info.value.error, info.value.args_decoded) == ("SnapshotHashNotAFieldElement", (MARKET_HASH + R,))


# --- the committee at deployment -----------------------------------------------------------------

BAD_COMMITTEES = [
    ("threshold 0", list(DEMO_ADDRESSES), 0, "InvalidThreshold"),
    ("threshold above n", list(DEMO_ADDRESSES), 6, "InvalidThreshold"),
    ("no members", [], 1, "InvalidThreshold"),
    ("member twice", [*DEMO_ADDRESSES[:4], DEMO_ADDRESSES[1]], 3, "InvalidCommitteeMember"),
    ("zero address", [*DEMO_ADDRESSES[:4], "0x" + "00" * 20], 3, "InvalidCommitteeMember"),
]


@pytest.mark.parametrize(
    ("members", "threshold", "error"), [c[1:] for c in BAD_COMMITTEES], ids=[c[0] for c in BAD_COMMITTEES]
)
def test_a_bad_committee_is_refused_at_deployment(
    deployment: Deployment,
    w3: Web3,
    operator: LocalAccount,
    artifact: ContractsArtifact,
    members: list[str],
    threshold: int,
    error: str,
) -> None:
    compiled = artifact.contract(REGISTRY)
    factory = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode)
    key_hash = bytes.fromhex(deployment.verification_key_hash[2:])
    args = (deployment.verifier.address, operator.address, 2, 2, 4, 4, key_hash)

    def deploy(committee: list[str], k: int) -> None:
        tx = factory.constructor(*args, committee, k).build_transaction(
            {"from": operator.address, "gas": 8_000_000}
        )
        transact(w3, operator, tx, REGISTRY, [compiled.abi])

    with pytest.raises(ContractRejected) as info:
        deploy(members, threshold)
    assert info.value.error == error
    deploy(list(DEMO_ADDRESSES), 3)  # twin: the demo committee deploys
