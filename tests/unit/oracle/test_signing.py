"""EIP-712 digest, secp256k1 signatures, committee and signatures files, the quorum rule (no chain)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import pytest
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

from zksolvency.bn254 import R
from zksolvency.errors import FormatError, InputError
from zksolvency.oracle.committee import Committee, committee_from_json, read_committee
from zksolvency.oracle.demo_committee import DEMO_ADDRESSES, DEMO_KEYS, demo_committee, sign_with
from zksolvency.oracle.quorum import check_quorum
from zksolvency.oracle.signature import SECP256K1_N, SignatureProblem, recover_signer, sign_snapshot
from zksolvency.oracle.signatures_file import (
    SignatureEntry,
    read_signatures,
    signatures_to_text,
    signed_snapshot_from_json,
)
from zksolvency.oracle.signer_key import read_key_file
from zksolvency.oracle.snapshot_message import message_problems, snapshot_message
from zksolvency.oracle.typed_data import SnapshotMessage, snapshot_digest, typed_data_json

from ...quorum_cases import BAD_QUORUMS

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
MESSAGE = SnapshotMessage(12345, 2, 2, 4, hashlib.sha256(b"snapshot").digest(), 1_796_126_400)
CHAIN = 31337


# --- EIP-712 and signatures ----------------------------------------------------------------------


def test_the_digest_is_eip712_as_eth_account_encodes_it() -> None:
    theirs = encode_typed_data(full_message=typed_data_json(MESSAGE, CHAIN))
    assert keccak(b"\x19" + theirs.version + theirs.header + theirs.body) == snapshot_digest(MESSAGE, CHAIN)
    for changed in (
        dataclasses.replace(MESSAGE, market_hash=12346),
        dataclasses.replace(MESSAGE, scenarios=5),
        dataclasses.replace(MESSAGE, snapshot_time=MESSAGE.snapshot_time + 1),
    ):
        assert snapshot_digest(changed, CHAIN) != snapshot_digest(MESSAGE, CHAIN)
    assert snapshot_digest(MESSAGE, 1) != snapshot_digest(MESSAGE, CHAIN)


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("market_hash", R, "not a BN254 scalar field element"),
        ("assets", 0, "assets 0 is not in 1"),
        ("snapshot_sha256", b"\x00" * 31, "31 bytes"),
        ("snapshot_time", 2**64, "snapshotTime"),
    ],
)
def test_a_message_out_of_range_is_refused(field: str, value: object, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        dataclasses.replace(MESSAGE, **{field: value})


def test_a_signature_recovers_its_signer_for_its_chain_only() -> None:
    signer, signature = sign_snapshot(DEMO_KEYS[0], MESSAGE, CHAIN)
    assert signer == DEMO_ADDRESSES[0] and len(signature) == 65 and signature[64] in (27, 28)
    assert recover_signer(signature, MESSAGE, CHAIN) == signer
    assert recover_signer(signature, MESSAGE, 1) != signer  # another chain: another address
    assert recover_signer(signature, dataclasses.replace(MESSAGE, market_hash=1), CHAIN) != signer


def test_signatures_are_deterministic_and_low_s() -> None:
    first = sign_snapshot(DEMO_KEYS[1], MESSAGE, CHAIN)[1]
    assert sign_snapshot(DEMO_KEYS[1], MESSAGE, CHAIN)[1] == first  # RFC 6979
    assert int.from_bytes(first[32:64], "big") <= SECP256K1_N // 2


def _high_s(s: bytes) -> bytes:
    return (SECP256K1_N - int.from_bytes(s, "big")).to_bytes(32, "big")


@pytest.mark.parametrize(
    ("mangle", "fragment"),
    [
        (
            lambda s: (
                s[:32]
                + (SECP256K1_N - int.from_bytes(s[32:64], "big")).to_bytes(32, "big")
                + bytes([55 - s[64]])
            ),
            "lower half",
        ),
        (lambda s: s[:64] + bytes([s[64] - 27]), "v is"),
        (lambda s: s[:64], "64 bytes"),
        (lambda s: bytes(32) + s[32:], "r is not"),
    ],
    ids=["high s", "v 0/1", "short", "r zero"],
)
def test_malformed_signatures_are_refused(mangle: object, fragment: str) -> None:
    signature = sign_snapshot(DEMO_KEYS[0], MESSAGE, CHAIN)[1]
    with pytest.raises(SignatureProblem, match=fragment):
        recover_signer(mangle(signature), MESSAGE, CHAIN)  # type: ignore[operator]


# --- the quorum rule -----------------------------------------------------------------------------


def test_three_of_five_meet_the_quorum() -> None:
    result = check_quorum(sign_with(MESSAGE, DEMO_KEYS[2:5]), demo_committee())
    assert result.ok and result.signers == DEMO_ADDRESSES[2:5]
    assert result.reason == "3 of 5 committee members signed (threshold 3)"


@pytest.mark.parametrize("case", list(BAD_QUORUMS))
def test_each_bad_quorum_is_refused_off_chain(case: str) -> None:
    result = check_quorum(BAD_QUORUMS[case](MESSAGE), demo_committee())
    assert not result.ok, result.reason


def test_signatures_for_another_chain_than_the_committees_are_refused() -> None:
    result = check_quorum(sign_with(MESSAGE, DEMO_KEYS[:3], chain_id=1), demo_committee())
    assert not result.ok and result.reason == "signed for chain 1; the committee signs for chain 31337"


# --- files ---------------------------------------------------------------------------------------


def test_the_demo_committee_file_is_the_demo_committee() -> None:
    assert read_committee(EXAMPLES / "committee-demo.json") == demo_committee()


COMMITTEE = {
    "format": "zksolvency-committee/1",
    "chain_id": 31337,
    "threshold": 2,
    "members": list(DEMO_ADDRESSES[:3]),
}


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"threshold": 0}, "threshold must be a positive integer"),
        ({"threshold": 4}, "threshold 4 is above the 3 members"),
        ({"members": [*DEMO_ADDRESSES[:2], DEMO_ADDRESSES[0].lower()]}, "members[2] repeats members[0]"),
        ({"members": [*DEMO_ADDRESSES[:2], "0x" + "00" * 20]}, "zero address"),
        ({"members": [DEMO_ADDRESSES[0], DEMO_ADDRESSES[1].swapcase().replace("0X", "0x")]}, "checksum"),
        ({"members": ["0x1234", DEMO_ADDRESSES[1]]}, "not a 20-byte hex address"),
        ({"format": "committee/2"}, "format"),
        ({"owner": "me"}, "unknown field 'owner'"),
    ],
)
def test_a_bad_committee_file_is_refused(change: dict[str, object], fragment: str) -> None:
    assert committee_from_json(COMMITTEE).threshold == 2  # twin: the unchanged file reads
    with pytest.raises(FormatError) as caught:
        committee_from_json({**COMMITTEE, **change}, "c.json")
    assert str(caught.value).startswith("c.json: ") and fragment in str(caught.value)


def test_a_lowercase_member_is_read_checksummed() -> None:
    lowered = {**COMMITTEE, "members": [m.lower() for m in COMMITTEE["members"]]}  # type: ignore[union-attr]
    assert committee_from_json(lowered).members == DEMO_ADDRESSES[:3]


def test_the_signatures_file_round_trips_and_keeps_one_entry_per_signer() -> None:
    signed = sign_with(MESSAGE, DEMO_KEYS[:2])
    again = signed_snapshot_from_json(json.loads(signatures_to_text(signed)))
    assert again == signed
    replaced = again.with_signature(
        SignatureEntry(DEMO_ADDRESSES[0], sign_with(MESSAGE, DEMO_KEYS[:1]).signatures[0].signature)
    )
    assert [e.signer for e in replaced.signatures] == [DEMO_ADDRESSES[1], DEMO_ADDRESSES[0]]


def test_an_edited_message_fails_the_digest_check() -> None:
    obj = json.loads(signatures_to_text(sign_with(MESSAGE, DEMO_KEYS[:3])))
    obj["message"]["snapshotTime"] += 1
    with pytest.raises(FormatError, match="field digest: not the EIP-712 digest"):
        signed_snapshot_from_json(obj, "s.json")
    obj = json.loads(signatures_to_text(sign_with(MESSAGE, DEMO_KEYS[:3])))
    obj["domain"]["name"] = "other"
    with pytest.raises(FormatError, match="field domain"):
        signed_snapshot_from_json(obj, "s.json")


# --- the message of a snapshot file --------------------------------------------------------------


def test_the_message_of_the_example_snapshot() -> None:
    raw = (EXAMPLES / "market.json").read_bytes()
    message = snapshot_message(raw, "market.json", (4, 16, 16))
    assert message.snapshot_time == 1_796_126_400  # from _generated.oracle.time
    assert message.snapshot_sha256 == hashlib.sha256(raw).digest()
    assert message_problems(message, raw, "market.json", (4, 16, 16)) == []
    # Twins: one more byte, another shape, another time.
    assert "SHA-256" in message_problems(message, raw + b"\n", "market.json")[0]
    assert "the batch circuit is (4, 16, 32)" in message_problems(message, raw, "market.json", (4, 16, 32))[0]
    later = dataclasses.replace(message, snapshot_time=message.snapshot_time + 1)
    assert "records time" in message_problems(later, raw, "market.json")[0]
    with pytest.raises(InputError, match="not 1"):
        snapshot_message(raw, "market.json", (4, 16, 16), time=1)


def test_a_snapshot_without_a_recorded_time_needs_one(tmp_path: Path) -> None:
    text = (EXAMPLES / "market.json").read_text()
    bare = json.loads(text)
    del bare["_generated"]
    raw = json.dumps(bare).encode()
    with pytest.raises(InputError, match="give the snapshot time"):
        snapshot_message(raw, "m.json", (4, 16, 16))
    assert snapshot_message(raw, "m.json", (4, 16, 16), time=7).snapshot_time == 7
    with pytest.raises(InputError, match="the circuit holds at most"):
        snapshot_message(raw, "m.json", (2, 2, 4), time=7)


def test_the_bundled_signatures_are_a_demo_quorum_over_the_example_snapshot() -> None:
    signed = read_signatures(EXAMPLES / "market.signatures.json")
    raw = (EXAMPLES / "market.json").read_bytes()
    assert message_problems(signed.message, raw, "market.json", (4, 16, 16)) == []
    assert check_quorum(signed, demo_committee()).ok


# --- key files -----------------------------------------------------------------------------------


def test_a_key_file_must_be_private(tmp_path: Path) -> None:
    path = tmp_path / "key.hex"
    path.write_text(DEMO_KEYS[0] + "\n")
    os.chmod(path, 0o600)
    assert read_key_file(path) == DEMO_KEYS[0]
    os.chmod(path, 0o644)
    with pytest.raises(InputError, match=r"mode 0644 lets others read or change the key; run `chmod 600"):
        read_key_file(path)


def test_a_key_file_without_a_key_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "key.hex"
    path.write_text("0xnot-a-key-but-a-secret-looking-string\n")
    os.chmod(path, 0o600)
    with pytest.raises(InputError) as caught:
        read_key_file(path)
    assert "secret-looking" not in str(caught.value) and "not a 32-byte hex private key" in str(caught.value)
    path.write_text(DEMO_KEYS[0] + "\n" + DEMO_KEYS[1] + "\n")
    with pytest.raises(InputError, match="found 2 lines"):
        read_key_file(path)


def test_a_committee_needs_members() -> None:
    with pytest.raises(FormatError, match="0 members"):
        Committee(31337, 1, ())
