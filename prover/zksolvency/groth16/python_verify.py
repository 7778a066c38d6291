"""Groth16 verification with py_ecc (the reference backend): validate, then one pairing-product check.

The check, with ``vk_x = IC_0 + sum_i x_i IC_i``::

    e(-A, B) * e(alpha, beta) * e(vk_x, gamma) * e(C, delta) == 1

computed as four Miller loops multiplied together and one final
exponentiation (``kernels.python.pairing_product_is_one``). Validation is
``validation.validate``, shared with the native verifier.
"""

from __future__ import annotations

from collections.abc import Sequence

from py_ecc import optimized_bn128 as bn

from zksolvency.bn254 import G1Point, Q
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.groth16.kernels.python import pairing_product_is_one
from zksolvency.groth16.validation import EQUATION_FAILS, EQUATION_HOLDS, Verification, validate


def _py_g1(p: G1Point) -> tuple[bn.FQ, bn.FQ, bn.FQ]:
    if p is None:
        return bn.Z1
    return (bn.FQ(p[0]), bn.FQ(p[1]), bn.FQ.one())


def verify_python(vk: VerificationKey, public: Sequence[int], proof: Proof) -> Verification:
    """Check ``proof`` for ``public`` under ``vk``; raises ``MalformedInput`` first if need be."""
    validate(vk, public, proof)
    vk_x = _py_g1(vk.ic[0])
    for x, ic in zip(public, vk.ic[1:], strict=True):
        vk_x = bn.add(vk_x, bn.multiply(_py_g1(ic), x))
    vk_x_affine = bn.normalize(vk_x)
    vk_x_point: G1Point = None if bn.is_inf(vk_x) else (int(vk_x_affine[0]), int(vk_x_affine[1]))
    neg_a: G1Point = None if proof.a is None else (proof.a[0], (-proof.a[1]) % Q)
    ok = pairing_product_is_one(
        [(neg_a, proof.b), (vk.alpha1, vk.beta2), (vk_x_point, vk.gamma2), (proof.c, vk.delta2)]
    )
    return Verification(True, EQUATION_HOLDS) if ok else Verification(False, EQUATION_FAILS)
