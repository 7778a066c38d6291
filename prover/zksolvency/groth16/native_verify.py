"""Groth16 verification with arkworks: the rules of ``groth16.verify``, the pairings in Rust.

Validation is ``validation.validate`` itself (so the reasons are word for word
the same), with arkworks' G2 subgroup test (``[p]P = [6x^2]P``, a few
microseconds) in place of the Python ``r * P = O``. Then one native call
checks ``e(-A, B) e(alpha, beta) e(vk_x, gamma) e(C, delta) = 1`` with
``vk_x = IC_0 + sum_i x_i IC_i``: four Miller loops, one final exponentiation.
Points cross as LEM, public inputs as 32-byte little-endian normal form.
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency import _native
from zksolvency.bn254 import N8, G2Point
from zksolvency.circuit.formats.codec import encode_g1_lem, encode_g1_lem_many, encode_g2_lem
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.groth16.validation import (
    EQUATION_FAILS,
    EQUATION_HOLDS,
    MalformedInput,
    Verification,
    validate,
)


def g2_in_subgroup_native(p: G2Point) -> bool:
    """Order-``r`` subgroup membership of an on-curve G2 point (infinity included)."""
    return p is None or _native.g2_in_subgroup(encode_g2_lem(p))


def verify_native(vk: VerificationKey, public: Sequence[int], proof: Proof) -> Verification:
    """Check ``proof`` for ``public`` under ``vk``; raises :class:`MalformedInput` first if need be."""
    validate(vk, public, proof, in_subgroup=g2_in_subgroup_native)
    try:
        ok = _native.verify_groth16(
            encode_g1_lem(vk.alpha1),
            encode_g2_lem(vk.beta2),
            encode_g2_lem(vk.gamma2),
            encode_g2_lem(vk.delta2),
            encode_g1_lem_many(list(vk.ic)),
            b"".join(x.to_bytes(N8, "little") for x in public),
            encode_g1_lem(proof.a),
            encode_g2_lem(proof.b),
            encode_g1_lem(proof.c),
        )
    except ValueError as exc:  # validated above: only a bug gets here
        raise MalformedInput(f"native verifier: {exc}") from None
    return Verification(True, EQUATION_HOLDS) if ok else Verification(False, EQUATION_FAILS)
