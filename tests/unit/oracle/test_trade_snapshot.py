"""The settlement gate's ``TradeSnapshot`` message: its digest, its file, and its snapshot (no chain).

The chain side (registration on the gate, each bad quorum refused) is in
``tests/contracts/test_settlement_gate.py``; the CLI path in ``tests/contracts/test_trades_settle.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

from zksolvency.bn254 import R
from zksolvency.errors import FormatError, InputError
from zksolvency.model.market import read_market
from zksolvency.oracle.demo_committee import DEMO_KEYS, demo_committee, sign_with
from zksolvency.oracle.quorum import check_quorum
from zksolvency.oracle.signature import recover_signer
from zksolvency.oracle.signatures_file import signatures_to_text, signed_snapshot_from_json
from zksolvency.oracle.snapshot_message import message_problems, snapshot_message, trade_snapshot_message
from zksolvency.oracle.typed_data import (
    SnapshotMessage,
    TradeSnapshotMessage,
    snapshot_digest,
    typed_data_json,
)
from zksolvency.trades.size import TradeCircuitSize
from zksolvency.trades.snapshot import snapshot_hash

from ...quorum_cases import BAD_QUORUMS

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SHA = hashlib.sha256(b"snapshot").digest()
TRADE = TradeSnapshotMessage(12345, 2, 2, 4, SHA, 1_796_126_400, 777)
MARKET = SnapshotMessage(12345, 2, 2, 4, SHA, 1_796_126_400)
CHAIN = 31337


def test_the_trade_digest_is_eip712_as_eth_account_encodes_it() -> None:
    theirs = encode_typed_data(full_message=typed_data_json(TRADE, CHAIN))
    assert typed_data_json(TRADE, CHAIN)["primaryType"] == "TradeSnapshot"
    assert keccak(b"\x19" + theirs.version + theirs.header + theirs.body) == snapshot_digest(TRADE, CHAIN)
    assert snapshot_digest(dataclasses.replace(TRADE, snapshot_hash=778), CHAIN) != snapshot_digest(
        TRADE, CHAIN
    )


def test_a_market_signature_is_not_a_trade_signature() -> None:
    """The twin: the same values under the registry's type hash give another digest, so a market
    signature recovers some other address for the trade message."""
    assert snapshot_digest(MARKET, CHAIN) != snapshot_digest(TRADE, CHAIN)
    (entry,) = sign_with(MARKET, DEMO_KEYS[:1]).signatures
    assert recover_signer(entry.signature, MARKET, CHAIN) == entry.signer
    assert recover_signer(entry.signature, TRADE, CHAIN) != entry.signer


def test_a_trade_snapshot_hash_out_of_range_is_refused() -> None:
    with pytest.raises(InputError, match="snapshotHash"):
        dataclasses.replace(TRADE, snapshot_hash=R)


def test_three_of_five_meet_the_quorum_and_each_bad_quorum_does_not() -> None:
    assert check_quorum(sign_with(TRADE, DEMO_KEYS[:3]), demo_committee()).ok
    for case, build in BAD_QUORUMS.items():
        assert not check_quorum(build(TRADE), demo_committee()).ok, case


def test_a_trade_signatures_file_round_trips_with_its_type() -> None:
    signed = sign_with(TRADE, DEMO_KEYS[:3])
    obj = json.loads(signatures_to_text(signed))
    assert obj["primaryType"] == "TradeSnapshot" and obj["message"]["snapshotHash"] == "777"
    assert signed_snapshot_from_json(obj) == signed
    market_obj = json.loads(signatures_to_text(sign_with(MARKET, DEMO_KEYS[:3])))
    assert "primaryType" not in market_obj and "snapshotHash" not in market_obj["message"]


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda o: o.update(primaryType="Other"), "primaryType"),
        (lambda o: o.pop("primaryType"), "only a TradeSnapshot message has one"),
        (lambda o: o["message"].update(snapshotHash="778"), "digest"),
    ],
)
def test_a_mislabelled_or_edited_trade_file_is_refused(edit: object, fragment: str) -> None:
    obj = json.loads(signatures_to_text(sign_with(TRADE, DEMO_KEYS[:3])))
    edit(obj)  # type: ignore[operator]
    with pytest.raises(FormatError, match=fragment):
        signed_snapshot_from_json(obj)


def test_the_trade_message_of_the_example_snapshot_is_the_proofs_snapshot_hash() -> None:
    raw = (EXAMPLES / "market.json").read_bytes()
    message = trade_snapshot_message(raw, "market.json", (4, 16, 16))
    expected = snapshot_hash(read_market(EXAMPLES / "market.json"), TradeCircuitSize(4, 16, 16, 20, 2))
    assert message.snapshot_hash == expected
    assert message.market_hash == snapshot_message(raw, "market.json", (4, 16, 16)).market_hash
    assert message_problems(message, raw, "market.json", expect="TradeSnapshot") == []


def test_a_trade_message_of_another_snapshot_or_type_has_problems() -> None:
    """The twins: another snapshot hash, or the registry's message where the gate's is expected."""
    raw = (EXAMPLES / "market.json").read_bytes()
    message = trade_snapshot_message(raw, "market.json", (4, 16, 16))
    wrong = dataclasses.replace(message, snapshot_hash=message.snapshot_hash + 1)
    assert any("signed snapshotHash" in p for p in message_problems(wrong, raw, "market.json"))
    market = snapshot_message(raw, "market.json", (4, 16, 16))
    (problem,) = message_problems(market, raw, "market.json", expect="TradeSnapshot")
    assert "over a MarketSnapshot message, not a TradeSnapshot" in problem
