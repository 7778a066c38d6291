"""BLAKE-512: the specification's known answers and circomlibjs's blake-hash, with failure twins."""

from __future__ import annotations

import random

import pytest

from tests.unit.orders.circomlibjs import run_ops
from zksolvency.orders.blake512 import blake512

# From the BLAKE specification (v1.3), appendix "Intermediate values": a one-byte message 0x00
# and a 144-byte message of zeros; the empty message from the reference implementation's tests.
SPEC_VECTORS = {
    b"\x00": "97961587f6d970faba6d2478045de6d1fabd09b61ae50932054d52bc29d31be4"
    "ff9102b9f69e2bbdb83be13d4b9c06091e5fa0b48bd081b634058be0ec49beb3",
    bytes(144): "313717d608e9cf758dcb1eb0f0c3cf9fc150b2d500fb33f51c52afc99d358a2f"
    "1374b8a38bba7974e7f6ef79cab16f22ce1e649d6e01ad9589c213045d545dde",
    b"": "a8cfbbd73726062df0c6864dda65defe58ef0cc52a5625090fa17601e1eecd1b"
    "628e94f396ae402a00acc9eab77b4d4c2e852aaaa25a636d80af3fc7913ef5b8",
}


@pytest.mark.parametrize("message", list(SPEC_VECTORS), ids=["one-zero-byte", "144-zero-bytes", "empty"])
def test_specification_vectors(message: bytes) -> None:
    assert blake512(message).hex() == SPEC_VECTORS[message]


def test_a_flipped_message_bit_changes_the_digest() -> None:
    assert blake512(b"\x01").hex() != SPEC_VECTORS[b"\x00"]
    assert blake512(bytes(143) + b"\x80").hex() != SPEC_VECTORS[bytes(144)]


@pytest.mark.snarkjs
def test_equals_circomlibjs_blake_hash_at_every_padding_boundary() -> None:
    """Lengths 0..260 cover one-byte padding (111), a padding-only last block (112..127) and 2 blocks."""
    rng = random.Random(512)
    messages = [rng.randbytes(n) for n in range(261)]
    theirs = run_ops([{"op": "blake512", "hex": m.hex()} for m in messages])
    assert [blake512(m).hex() for m in messages] == theirs


@pytest.mark.snarkjs
def test_a_wrong_counter_would_not_match_circomlibjs() -> None:
    """The twin: a digest of another length (the counter and padding differ) is not theirs."""
    message = bytes(range(112))
    (theirs,) = run_ops([{"op": "blake512", "hex": message.hex()}])
    assert blake512(message).hex() == theirs
    assert blake512(message + b"\x00").hex() != theirs
