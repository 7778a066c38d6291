"""Orders: the signed intent to trade, one JSON line each, and the field element that is signed.

An order line (integers as JSON numbers or decimal strings; ``signature`` absent before signing)::

    {"account": "alice", "instrument": "BTC-C", "side": "buy", "size": "2",
     "limit_price": "51000000000000000", "nonce": 0, "expiry": 1790000000,
     "signature": {"r8x": "<dec>", "r8y": "<dec>", "s": "<dec>"}}

Ranges: ``side`` in {buy, sell}; ``0 < size < 2^64``; ``|limit_price| < 2^64``;
``0 <= nonce < 2^32``; ``0 <= expiry < 2^64``; account and instrument names of 1..31
UTF-8 bytes; signature ``R8x, R8y < r`` and ``S < l``.

The signed message (circomlib ``Poseidon(8)``)::

    M = Poseidon(ORDER_TAG, name(account), name(instrument), side_bit, size,
                 limit_price mod r, nonce, expiry)

with ``ORDER_TAG = int.from_bytes(b"zksolvency/order/v1", "big")``, ``side_bit`` 0 for buy and
1 for sell, and ``name`` = ``zksolvency.circuit.solvency_inputs.id_field_element``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import id_field_element
from zksolvency.errors import InputError
from zksolvency.hashing import poseidon
from zksolvency.orders.babyjub import SUBORDER, Point
from zksolvency.orders.eddsa import Signature, sign, verify

#: Domain tag, the first input of every order message.
ORDER_TAG = int.from_bytes(b"zksolvency/order/v1", "big")
SIDES = ("buy", "sell")
SIZE_BOUND = 2**64
PRICE_BOUND = 2**64
NONCE_BOUND = 2**32
EXPIRY_BOUND = 2**64

_FIELDS = ("account", "instrument", "side", "size", "limit_price", "nonce", "expiry", "signature")
_DECIMAL = re.compile(r"-?[0-9]{1,80}")


@dataclass(frozen=True)
class Order:
    """One order; ``signature`` is ``None`` until it is signed."""

    account: str
    instrument: str
    side: str
    size: int
    limit_price: int
    nonce: int
    expiry: int
    signature: Signature | None = None

    def __post_init__(self) -> None:
        """``ValueError`` naming the first field outside the ranges of the module docstring."""
        for name in (self.account, self.instrument):
            id_field_element(name)
        rules = (
            ("side", self.side in SIDES),
            ("size", 0 < self.size < SIZE_BOUND),
            ("limit_price", -PRICE_BOUND < self.limit_price < PRICE_BOUND),
            ("nonce", 0 <= self.nonce < NONCE_BOUND),
            ("expiry", 0 <= self.expiry < EXPIRY_BOUND),
        )
        for field, ok in rules:
            if not ok:
                raise ValueError(f"order {field} out of range")

    @property
    def side_bit(self) -> int:
        """0 for buy, 1 for sell."""
        return SIDES.index(self.side)


def order_message(order: Order) -> int:
    """``M``, the field element an order's signature signs (module docstring)."""
    return poseidon(
        [
            ORDER_TAG,
            id_field_element(order.account),
            id_field_element(order.instrument),
            order.side_bit,
            order.size,
            order.limit_price % R,
            order.nonce,
            order.expiry,
        ]
    )


def sign_order(order: Order, secret: bytes) -> Order:
    """``order`` with its ``signature`` by ``secret`` (any earlier signature replaced)."""
    return dataclasses.replace(order, signature=sign(secret, order_message(order)))


def verify_order(order: Order, public: Point) -> bool:
    """Whether ``order``'s signature verifies under ``public``; ``ValueError`` if unsigned or malformed."""
    if order.signature is None:
        raise ValueError("the order is not signed")
    return verify(public, order_message(order), order.signature)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _integer(value: object, field: str, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return int(value)
    raise InputError(
        f"{where}: {field}: expected an integer (JSON number or decimal string), got {_show(value)}"
    )


def _bounded(value: object, field: str, where: str, low: int, high: int, rule: str) -> int:
    number = _integer(value, field, where)
    if not low <= number < high:
        raise InputError(f"{where}: {field}: {number} is out of range ({rule})")
    return number


def _name(value: object, field: str, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: {field}: expected a string, got {_show(value)}")
    try:
        id_field_element(value)
    except ValueError:
        raise InputError(f"{where}: {field}: {_show(value)} must be 1..31 UTF-8 bytes") from None
    return value


def _signature(value: object, where: str) -> Signature:
    if not isinstance(value, Mapping) or set(value) != {"r8x", "r8y", "s"}:
        raise InputError(f'{where}: signature: expected {{"r8x", "r8y", "s"}}, got {_show(value)}')
    r8x = _bounded(value["r8x"], "signature.r8x", where, 0, R, "0 <= r8x < r")
    r8y = _bounded(value["r8y"], "signature.r8y", where, 0, R, "0 <= r8y < r")
    s = _bounded(value["s"], "signature.s", where, 0, SUBORDER, "0 <= s < l, the Baby Jubjub subgroup order")
    return Signature(r8x, r8y, s)


def parse_order(document: object, where: str) -> Order:
    """The order in a decoded JSON ``document``; ``InputError`` naming ``where`` and the field."""
    if not isinstance(document, Mapping):
        raise InputError(f"{where}: expected a JSON object, got {_show(document)}")
    unknown = sorted(set(document) - set(_FIELDS))
    if unknown:
        raise InputError(f"{where}: {unknown[0]}: unknown field (an order has {', '.join(_FIELDS)})")
    missing = [f for f in _FIELDS[:-1] if f not in document]
    if missing:
        raise InputError(f"{where}: {missing[0]}: missing")
    side = document["side"]
    if side not in SIDES:
        raise InputError(f"{where}: side: expected buy or sell, got {_show(side)}")
    raw_signature = document.get("signature")
    return Order(
        account=_name(document["account"], "account", where),
        instrument=_name(document["instrument"], "instrument", where),
        side=side,
        size=_bounded(document["size"], "size", where, 1, SIZE_BOUND, "0 < size < 2^64"),
        limit_price=_bounded(
            document["limit_price"],
            "limit_price",
            where,
            -PRICE_BOUND + 1,
            PRICE_BOUND,
            "|limit_price| < 2^64",
        ),
        nonce=_bounded(document["nonce"], "nonce", where, 0, NONCE_BOUND, "0 <= nonce < 2^32"),
        expiry=_bounded(document["expiry"], "expiry", where, 0, EXPIRY_BOUND, "0 <= expiry < 2^64"),
        signature=None if raw_signature is None else _signature(raw_signature, where),
    )


def parse_order_line(line: str, where: str) -> Order:
    """One JSON line: :func:`parse_order` of its document."""
    try:
        document = json.loads(line)
    except ValueError as exc:
        raise InputError(f"{where}: not valid JSON ({exc})") from None
    return parse_order(document, where)


def parse_orders(text: str, source: str) -> list[tuple[int, Order]]:
    """``(line number, order)`` of each non-blank JSON line of ``text``; errors say ``SOURCE line N``."""
    return [
        (number, parse_order_line(line, f"{source} line {number}"))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def read_orders(path: str | os.PathLike[str]) -> list[Order]:
    """Every order of a JSON Lines file (blank lines skipped); errors say ``FILE line N: field``."""
    return [order for _, order in parse_orders(Path(path).read_text(encoding="utf-8"), os.fspath(path))]


def order_document(order: Order) -> dict[str, object]:
    """The JSON object of ``order``: sizes and prices as decimal strings, nonce and expiry as numbers."""
    document: dict[str, object] = {
        "account": order.account,
        "instrument": order.instrument,
        "side": order.side,
        "size": str(order.size),
        "limit_price": str(order.limit_price),
        "nonce": order.nonce,
        "expiry": order.expiry,
    }
    if order.signature is not None:
        sig = order.signature
        document["signature"] = {"r8x": str(sig.r8x), "r8y": str(sig.r8y), "s": str(sig.s)}
    return document


def format_order_line(order: Order) -> str:
    """``order`` as one JSON line (no newline)."""
    return json.dumps(order_document(order), ensure_ascii=False)
