"""EdDSA-Poseidon: ours against circomlibjs 0.1.7 in both directions; every acceptance has a refusal twin."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from tests.unit.orders.circomlibjs import run_ops, sign_op, signature_of, verify_op
from zksolvency.bn254 import R
from zksolvency.orders.babyjub import BASE8, GENERATOR, SUBORDER, Point, multiply
from zksolvency.orders.eddsa import Signature, public_key, sign, verify

rng = random.Random(8)
SECRETS = [bytes(32), b"\xff" * 32, bytes(range(32)), *(rng.randbytes(32) for _ in range(3))]
MESSAGES = [0, 1, R - 1, rng.randrange(R), rng.randrange(R), rng.randrange(R)]
CASES = list(zip(SECRETS, MESSAGES, strict=True))


def accepts(public: Point, message: int, signature: Signature) -> bool:
    """Our answer where malformed input (``ValueError``) counts as a refusal, as circomlibjs's false."""
    try:
        return verify(public, message, signature)
    except ValueError:
        return False


def flips(public: Point, message: int, sig: Signature) -> dict[str, tuple[Point, int, Signature]]:
    """One flipped bit in R8x, S, the message and the public key's x; and another account's key."""
    return {
        "r8x": (public, message, dataclasses.replace(sig, r8x=sig.r8x ^ 1)),
        "s": (public, message, dataclasses.replace(sig, s=sig.s ^ 1)),
        "message": (public, message ^ 1, sig),
        "key": ((public[0] ^ 1, public[1]), message, sig),
        "other key": (public_key(b"\x07" * 32), message, sig),
    }


def test_sign_then_verify() -> None:
    for secret, message in CASES:
        assert verify(public_key(secret), message, sign(secret, message))


def test_every_flip_is_refused() -> None:
    for secret, message in CASES:
        public, sig = public_key(secret), sign(secret, message)
        for name, case in flips(public, message, sig).items():
            assert not accepts(*case), name


def test_a_flipped_message_or_s_is_a_wrong_signature_not_malformed() -> None:
    secret, message = CASES[3]
    public, sig = public_key(secret), sign(secret, message)
    assert verify(public, message ^ 1, sig) is False
    assert verify(public, message, dataclasses.replace(sig, s=sig.s ^ 2)) is False


def test_s_at_or_above_the_subgroup_order_is_refused() -> None:
    """``S + l`` satisfies the same equation (``l B = 0``): it is refused, not reduced."""
    secret, message = CASES[2]
    public, sig = public_key(secret), sign(secret, message)
    assert multiply(BASE8, sig.s + SUBORDER) == multiply(BASE8, sig.s)
    with pytest.raises(ValueError, match="signature S"):
        verify(public, message, dataclasses.replace(sig, s=sig.s + SUBORDER))
    assert verify(public, message, sig)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda p, m, s: (p, m + R, s), "message"),
        (lambda p, m, s: (p, m, dataclasses.replace(s, r8x=s.r8x + R)), "R8x"),
        (lambda p, m, s: (p, m, dataclasses.replace(s, r8y=s.r8y ^ 1)), "R8 is not on"),
        (lambda p, m, s: ((0, 1), m, s), "small order"),
        (lambda p, m, s: ((0, R - 1), m, s), "small order"),
        (lambda p, m, s: (GENERATOR, m, s), None),  # on the curve, full order: a wrong key, not malformed
    ],
)
def test_malformed_input_raises(change: Any, match: str | None) -> None:
    secret, message = CASES[5]
    public, sig = public_key(secret), sign(secret, message)
    assert verify(public, message, sig)
    if match is None:
        assert verify(*change(public, message, sig)) is False
    else:
        with pytest.raises(ValueError, match=match):
            verify(*change(public, message, sig))


def test_a_secret_must_be_32_bytes() -> None:
    assert public_key(bytes(32)) == public_key(bytearray(32))
    for bad in (bytes(31), bytes(33)):
        with pytest.raises(ValueError, match="32 bytes"):
            public_key(bad)
    with pytest.raises(ValueError, match="message"):
        sign(bytes(32), R)


@pytest.fixture(scope="module")
def theirs() -> dict[str, Any]:
    """circomlibjs's keys and signatures for CASES, and its verdicts on ours and on every flip."""
    ops: list[dict[str, Any]] = [{"op": "public", "secret": s.hex()} for s in SECRETS]
    ops += [sign_op(s, m) for s, m in CASES]
    flip_names: list[str] = []
    for secret, message in CASES:
        public, sig = public_key(secret), sign(secret, message)
        ops.append(verify_op(public, message, sig))
        for name, (p, m, s) in flips(public, message, sig).items():
            flip_names.append(name)
            ops.append(verify_op(p, m, s))
        ops.append(verify_op(public, message, dataclasses.replace(sig, s=sig.s + SUBORDER)))
    answers = run_ops(ops)
    n = len(SECRETS)
    per_case = len(flip_names) // len(CASES) + 2
    verdicts = answers[2 * n :]
    return {
        "publics": [(int(x), int(y)) for x, y in answers[:n]],
        "signatures": [signature_of(a) for a in answers[n : 2 * n]],
        "ours": [verdicts[i * per_case] for i in range(len(CASES))],
        "flips": [
            dict(
                zip(
                    flip_names[: per_case - 2],
                    verdicts[i * per_case + 1 : (i + 1) * per_case - 1],
                    strict=True,
                )
            )
            for i in range(len(CASES))
        ],
        "s_plus_l": [verdicts[(i + 1) * per_case - 1] for i in range(len(CASES))],
    }


@pytest.mark.snarkjs
def test_our_keys_and_signatures_equal_circomlibjs(theirs: dict[str, Any]) -> None:
    assert theirs["publics"] == [public_key(s) for s in SECRETS]
    assert theirs["signatures"] == [sign(s, m) for s, m in CASES]


@pytest.mark.snarkjs
def test_our_signatures_verify_in_circomlibjs(theirs: dict[str, Any]) -> None:
    assert theirs["ours"] == [True] * len(CASES)


@pytest.mark.snarkjs
def test_circomlibjs_refuses_every_flip_and_s_plus_l(theirs: dict[str, Any]) -> None:
    for verdicts in theirs["flips"]:
        assert verdicts == dict.fromkeys(verdicts, False)
    assert theirs["s_plus_l"] == [False] * len(CASES)


@pytest.mark.snarkjs
def test_circomlibjs_signatures_verify_in_ours(theirs: dict[str, Any]) -> None:
    for (_secret, message), sig, public in zip(CASES, theirs["signatures"], theirs["publics"], strict=True):
        assert verify(public, message, sig)
        for name, case in flips(public, message, sig).items():
            assert not accepts(*case), name


@pytest.mark.snarkjs
def test_a_low_order_key_forgery_passes_circomlibjs_but_not_ours() -> None:
    """With ``A = (0, 1)``, ``8 c A`` vanishes, so ``R8 = S Base8`` "verifies" any message in
    circomlibjs's ``verifyPoseidon``; circomlib's circuit and our verifier refuse the key."""
    s = 12345
    r8 = multiply(BASE8, s)
    forged = Signature(r8[0], r8[1], s)
    weak, strong = (0, 1), public_key(SECRETS[2])
    assert run_ops([verify_op(weak, 99, forged), verify_op(strong, 99, forged)]) == [True, False]
    with pytest.raises(ValueError, match="small order"):
        verify(weak, 99, forged)
    assert verify(strong, 99, forged) is False
