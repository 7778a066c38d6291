"""Render ``Groth16Verifier.sol`` from a verification key, and the key's hash.

The key hash names a verification key everywhere (rendered header, contract
constant, artifact, ``deployment.json``): sha256 of its *canonical JSON*, i.e.
snarkjs's ``verification_key.json`` fields without the informational
``vk_alphabeta_12`` (derivable from alpha and beta, and absent from some
writers), serialised with sorted keys, no whitespace and decimal strings::

    sha256(json.dumps({protocol, curve, nPublic, vk_alpha_1, vk_beta_2, vk_gamma_2,
                       vk_delta_2, IC}, sort_keys=True, separators=(",", ":")))

G2 coordinates go into the contract imaginary part first (EIP-197); see
:mod:`zksolvency.chain.calldata` for the same order on the proof side.
"""

from __future__ import annotations

import hashlib
import json

from eth_utils.crypto import keccak

from zksolvency.bn254 import G1Point, G2Point
from zksolvency.chain.errors import ChainError
from zksolvency.chain.sources import render_template
from zksolvency.circuit.formats.snarkjs_json import VerificationKey, vkey_to_json

TEMPLATE = "Groth16Verifier.sol.tmpl"

#: EIP-1108 precompile prices: ecAdd, ecMul, and ecPairing's base and per-pair cost.
EC_ADD_GAS = 150
EC_MUL_GAS = 6_000
PAIRING_BASE_GAS = 45_000
PAIRING_PER_PAIR_GAS = 34_000

#: The verifier's only error (it reverts only when given too little gas).
NOT_ENOUGH_GAS_ERROR = "NotEnoughGasForPairing(uint256)"


def canonical_vkey_json(vk: VerificationKey) -> bytes:
    """The bytes whose sha256 is the key hash (see the module docstring)."""
    obj = vkey_to_json(vk)
    obj.pop("vk_alphabeta_12", None)
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("ascii")


def verification_key_hash(vk: VerificationKey) -> str:
    """``0x`` + 64 hex digits: sha256 of :func:`canonical_vkey_json`."""
    return "0x" + hashlib.sha256(canonical_vkey_json(vk)).hexdigest()


def min_gas(n_public: int) -> int:
    """Gas the verifier must have on entry so that every precompile call gets its full price.

    Calls forward at most 63/64 of what is left (EIP-150), hence the factor; the
    slack covers the verifier's own opcodes between the calls.
    """
    pairing = PAIRING_BASE_GAS + 4 * PAIRING_PER_PAIR_GAS
    return -(-pairing * 64 // 63) + n_public * (EC_MUL_GAS + EC_ADD_GAS + 400) + 1_500


def _g1(name: str, p: G1Point) -> list[tuple[str, int]]:
    x, y = (0, 0) if p is None else p  # the precompiles encode infinity as (0, 0)
    return [(f"{name}_X", x), (f"{name}_Y", y)]


def _g2(name: str, p: G2Point, what: str) -> list[tuple[str, int]]:
    if p is None:
        raise ChainError(f"verification key {what} is the point at infinity")
    (x0, x1), (y0, y1) = p
    return [(f"{name}_X1", x1), (f"{name}_X0", x0), (f"{name}_Y1", y1), (f"{name}_Y0", y0)]


def _key_constants(vk: VerificationKey) -> str:
    if vk.alpha1 is None:
        raise ChainError("verification key vk_alpha_1 is the point at infinity")
    named = _g1("ALPHA", vk.alpha1)
    named += _g2("BETA", vk.beta2, "vk_beta_2")
    named += _g2("GAMMA", vk.gamma2, "vk_gamma_2")
    named += _g2("DELTA", vk.delta2, "vk_delta_2")
    for i, p in enumerate(vk.ic):
        named += _g1(f"IC{i}", p)
    return "\n".join(f"    uint256 private constant {name} = {value};" for name, value in named)


def _input_steps(n_public: int) -> str:
    lines: list[str] = []
    for i in range(n_public):
        lines += [
            f"            // input {i}: reject x >= R (x + R would pass the same equation), then",
            f"            // vk_x += x * IC{i + 1}",
            f"            x := calldataload(add(input, {32 * i:#x}))",
            "            if iszero(lt(x, R)) { reject() }",
            f"            mstore(0x1c0, IC{i + 1}_X)",
            f"            mstore(0x1e0, IC{i + 1}_Y)",
            "            mstore(0x200, x)",
            "            ok := and(ok, staticcall(gas(), 0x07, 0x1c0, 0x60, 0x1c0, 0x40))",
            "            ok := and(ok, staticcall(gas(), 0x06, 0x180, 0x80, 0x180, 0x40))",
        ]
    return "\n".join(lines)


def render_verifier(vk: VerificationKey) -> str:
    """Solidity source of a verifier for ``vk`` (contract ``Groth16Verifier``)."""
    if vk.n_public < 1:
        raise ChainError("the verification key has no public inputs; the verifier needs at least one")
    if len(vk.ic) != vk.n_public + 1:
        raise ChainError(f"verification key: nPublic is {vk.n_public} but IC has {len(vk.ic)} points")
    return render_template(
        TEMPLATE,
        {
            "N_PUBLIC": vk.n_public,
            "VKEY_HASH": verification_key_hash(vk),
            "MIN_GAS": min_gas(vk.n_public),
            "ERROR_SELECTOR": keccak(text=NOT_ENOUGH_GAS_ERROR)[:4].hex(),
            "KEY_CONSTANTS": _key_constants(vk),
            "INPUT_STEPS": _input_steps(vk.n_public),
        },
    )
