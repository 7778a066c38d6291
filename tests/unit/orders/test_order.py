"""Orders: parsing with errors that name the line and the field, the signed message, signing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from tests.unit.orders.circomlibjs import run_ops
from zksolvency.bn254 import R
from zksolvency.errors import InputError
from zksolvency.orders.eddsa import public_key
from zksolvency.orders.order import (
    ORDER_TAG,
    Order,
    format_order_line,
    order_message,
    parse_order,
    parse_order_line,
    read_orders,
    sign_order,
    verify_order,
)

ALICE = Order("alice", "BTC-C", "buy", 2, 51_000_000_000_000_000, 0, 1_790_000_000)
BOB = Order("bob", "ETH-P", "sell", 2**64 - 1, -(2**64 - 1), 2**32 - 1, 2**64 - 1)
#: ``M`` of ALICE and BOB, computed by circomlibjs 0.1.7's poseidon from the inputs of
#: ``independent_inputs`` (see test_message_equals_circomlibjs_poseidon_of_the_documented_inputs).
KNOWN_MESSAGES = {
    ALICE: 12986507273566958200976542265716547390780432046517171859670515706737775635499,
    BOB: 4417765487871749366874077489429315576785797974435207431654876689183353403406,
}
SECRET = bytes(range(1, 33))


def document(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "account": "alice",
        "instrument": "BTC-C",
        "side": "buy",
        "size": "2",
        "limit_price": "51000000000000000",
        "nonce": 0,
        "expiry": 1790000000,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def independent_inputs(order: Order) -> list[int]:
    """The 8 inputs of the interface, written out again here (not with the package's helpers)."""

    def name(s: str) -> int:
        raw = s.encode("utf-8")
        return len(raw) * 2**248 + int.from_bytes(raw, "big")

    side = {"buy": 0, "sell": 1}[order.side]
    return [
        int.from_bytes(b"zksolvency/order/v1", "big"),
        name(order.account),
        name(order.instrument),
        side,
        order.size,
        order.limit_price % R,
        order.nonce,
        order.expiry,
    ]


def test_message_known_answers() -> None:
    assert int.from_bytes(b"zksolvency/order/v1", "big") == ORDER_TAG
    for order, message in KNOWN_MESSAGES.items():
        assert order_message(order) == message


def test_every_field_changes_the_message() -> None:
    changed = [
        dataclasses.replace(ALICE, account="alicf"),
        dataclasses.replace(ALICE, instrument="BTC-P"),
        dataclasses.replace(ALICE, side="sell"),
        dataclasses.replace(ALICE, size=3),
        dataclasses.replace(ALICE, limit_price=-51_000_000_000_000_000),
        dataclasses.replace(ALICE, nonce=1),
        dataclasses.replace(ALICE, expiry=1_790_000_001),
    ]
    messages = {order_message(o) for o in changed}
    assert len(messages) == len(changed) and KNOWN_MESSAGES[ALICE] not in messages


@pytest.mark.snarkjs
def test_message_equals_circomlibjs_poseidon_of_the_documented_inputs() -> None:
    orders = list(KNOWN_MESSAGES)
    answers = run_ops([{"op": "poseidon", "inputs": [str(x) for x in independent_inputs(o)]} for o in orders])
    assert [int(a) for a in answers] == [KNOWN_MESSAGES[o] for o in orders]
    # The twin: the same inputs with the side bit flipped hash to something else there too.
    flipped = independent_inputs(ALICE)
    flipped[3] ^= 1
    (other,) = run_ops([{"op": "poseidon", "inputs": [str(x) for x in flipped]}])
    assert int(other) != KNOWN_MESSAGES[ALICE]


def test_sign_and_verify_an_order() -> None:
    signed = sign_order(ALICE, SECRET)
    assert signed.signature is not None
    assert verify_order(signed, public_key(SECRET))
    assert not verify_order(dataclasses.replace(signed, size=3), public_key(SECRET))
    assert not verify_order(signed, public_key(bytes(32)))
    with pytest.raises(ValueError, match="not signed"):
        verify_order(ALICE, public_key(SECRET))


def test_a_line_round_trips() -> None:
    signed = sign_order(BOB, SECRET)
    line = format_order_line(signed)
    assert parse_order_line(line, "x line 1") == signed
    assert json.loads(line)["size"] == str(2**64 - 1) and json.loads(line)["nonce"] == 2**32 - 1
    assert parse_order(document(size=2, limit_price=51000000000000000), "w") == ALICE
    assert parse_order(document(), "w") == ALICE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"account": ""}, "account"),
        ({"account": "a" * 32}, "account"),
        ({"instrument": 7}, "instrument"),
        ({"side": "hold"}, "side"),
        ({"size": "0"}, "size"),
        ({"size": str(2**64)}, "size"),
        ({"size": 2.5}, "size"),
        ({"size": True}, "size"),
        ({"size": "0x10"}, "size"),
        ({"limit_price": str(2**64)}, "limit_price"),
        ({"limit_price": str(-(2**64))}, "limit_price"),
        ({"nonce": -1}, "nonce"),
        ({"nonce": 2**32}, "nonce"),
        ({"expiry": 2**64}, "expiry"),
        ({"expiry": None}, "expiry"),
        ({"limitprice": "1"}, "limitprice"),
        ({"signature": {"r8x": "1", "r8y": "2"}}, "signature"),
        ({"signature": {"r8x": str(R), "r8y": "2", "s": "3"}}, "signature.r8x"),
        (
            {
                "signature": {
                    "r8x": "1",
                    "r8y": "2",
                    "s": "2736030358979909402780800718157159386076813972158567259200215660948447373041",
                }
            },
            "signature.s",
        ),
    ],
)
def test_a_bad_field_is_named(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError, match=rf"^orders.jsonl line 4: {field}: "):
        parse_order(document(**changes), "orders.jsonl line 4")


def test_range_edges_are_accepted() -> None:
    """The twin of the range refusals: the extreme allowed values parse."""
    edges = document(size=str(2**64 - 1), limit_price=str(-(2**64 - 1)), nonce=2**32 - 1, expiry=0)
    order = parse_order(edges, "w")
    assert (order.size, order.limit_price, order.nonce, order.expiry) == (
        2**64 - 1,
        -(2**64 - 1),
        2**32 - 1,
        0,
    )


def test_read_orders_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    lines = [json.dumps(document()), "", json.dumps(document(nonce=1)), json.dumps(document(side="x"))]
    path.write_text("\n".join(lines[:3]) + "\n")
    assert [o.nonce for o in read_orders(path)] == [0, 1]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=rf"^{path} line 4: side: "):
        read_orders(path)
    path.write_text("{not json\n")
    with pytest.raises(InputError, match=rf"^{path} line 1: not valid JSON"):
        read_orders(path)


def test_a_directly_built_order_is_checked() -> None:
    with pytest.raises(ValueError, match="size"):
        Order("alice", "BTC-C", "buy", 0, 1, 0, 0)
    with pytest.raises(ValueError, match="31"):
        Order("", "BTC-C", "buy", 1, 1, 0, 0)
