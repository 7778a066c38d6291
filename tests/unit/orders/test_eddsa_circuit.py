"""circomlib 2.0.5's ``EdDSAPoseidonVerifier`` accepts our signatures and refuses a flipped one.

The verifier is compiled from the installed circomlib with the package's compile helper, in a
tiny wrapper written to the test's temporary folder; a failed ``===`` makes circom's witness
calculator stop with "Assert Failed".
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.errors import ZkSolvencyError
from zksolvency.orders.babyjub import BASE8, SUBORDER, multiply
from zksolvency.orders.eddsa import Signature, public_key, sign

pytestmark = pytest.mark.snarkjs

WRAPPER = """pragma circom 2.0.0;

include "circomlib/circuits/eddsaposeidon.circom";

// Test wrapper: circomlib's verifier, enabled, every input private.
component main = EdDSAPoseidonVerifier();
"""

SECRETS = [bytes(range(32)), b"\x42" * 32, bytes(32)]
MESSAGES = [12345, 2**253 + 7, 0]


@pytest.fixture(scope="module")
def verifier(tmp_path_factory: pytest.TempPathFactory, _isolated_compile_cache: Path) -> WitnessCalculator:
    folder = tmp_path_factory.mktemp("eddsa_verifier")
    source = folder / "eddsa_verifier.circom"
    source.write_text(WRAPPER)
    return WitnessCalculator(compile_circuit(source, out_dir=folder / "build").wasm)


def inputs(public: tuple[int, int], message: int, sig: Signature) -> dict[str, Any]:
    return {
        "enabled": 1,
        "Ax": public[0],
        "Ay": public[1],
        "S": sig.s,
        "R8x": sig.r8x,
        "R8y": sig.r8y,
        "M": message,
    }


def test_the_circuit_accepts_our_signatures(verifier: WitnessCalculator) -> None:
    for secret, message in zip(SECRETS, MESSAGES, strict=True):
        witness = verifier.calculate(inputs(public_key(secret), message, sign(secret, message)))
        assert witness[0] == 1


@pytest.mark.parametrize("flip", ["R8x", "S", "M", "Ax", "other key", "S + l", "low-order key"])
def test_the_circuit_refuses_a_flipped_signature(verifier: WitnessCalculator, flip: str) -> None:
    secret, message = SECRETS[0], MESSAGES[0]
    public, sig = public_key(secret), sign(secret, message)
    case = {
        "R8x": (public, message, dataclasses.replace(sig, r8x=sig.r8x ^ 1)),
        "S": (public, message, dataclasses.replace(sig, s=sig.s ^ 1)),
        "M": (public, message ^ 1, sig),
        "Ax": ((public[0] ^ 1, public[1]), message, sig),
        "other key": (public_key(SECRETS[1]), message, sig),
        "S + l": (public, message, dataclasses.replace(sig, s=sig.s + SUBORDER)),
        # A = (0, 1) and R8 = S Base8 would pass without the circuit's low-order check.
        "low-order key": ((0, 1), message, Signature(*multiply(BASE8, sig.s), sig.s)),
    }[flip]
    with pytest.raises(ZkSolvencyError, match="Assert Failed"):
        verifier.calculate(inputs(*case))
