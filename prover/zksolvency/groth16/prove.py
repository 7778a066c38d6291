"""Groth16 proving: the protocol in a page; the arithmetic is the kernels'.

For witness ``w`` (``w_0 = 1``, public signals ``w_1 .. w_l``) and blinding
scalars ``r, s``:

    A_eval[j] = sum_s A[j][s] w_s,   B_eval[j] = sum_s B[j][s] w_s   (zkey coefficient section)
    C_eval[j] = A_eval[j] * B_eval[j]                                  (the constraints hold)
    h         = quotient_scalars(A_eval, B_eval, C_eval)               (A*B - C on the odd coset)

    pi_A = alpha1 + sum_s w_s A_s + r delta1
    pi_B = beta2  + sum_s w_s B2_s + s delta2
    B1   = beta1  + sum_s w_s B1_s + s delta1
    pi_C = sum_{s > l} w_s C_s + sum_i h_i H_i + s pi_A + r B1 - r s delta1

This is the prover of the Groth16 paper with snarkjs's key layout; proofs
verify with ``snarkjs groth16 verify`` and vice versa. :func:`prove_with` is
the deterministic core (``r, s`` given); :func:`prove` draws them from the OS.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from zksolvency.bn254 import R
from zksolvency.circuit.formats.snarkjs_json import Proof
from zksolvency.circuit.formats.zkey import Groth16ZKey
from zksolvency.errors import InputError
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels import Kernels, get_kernels, is_native


def qap_evaluations(zkey: Groth16ZKey, witness: Sequence[int]) -> tuple[list[int], list[int], list[int]]:
    """``A_eval, B_eval, C_eval`` on the domain, from the zkey's coefficient section."""
    n = zkey.domain_size
    evals = ([0] * n, [0] * n)
    for coeff in zkey.coeffs:
        row = evals[coeff.matrix]
        row[coeff.constraint] = (row[coeff.constraint] + coeff.value * witness[coeff.signal]) % R
    a, b = evals
    return a, b, [x * y % R for x, y in zip(a, b, strict=True)]


def check_witness(zkey: Groth16ZKey, witness: Sequence[int]) -> None:
    if len(witness) != zkey.n_vars:
        raise InputError(f"witness has {len(witness)} values, the proving key expects {zkey.n_vars}")
    if witness[0] != 1:
        raise InputError(f"witness[0] must be 1 (the constant signal), got {witness[0]}")
    for i, v in enumerate(witness):
        if not 0 <= v < R:
            raise InputError(f"witness[{i}] is not a field element below r")


def prove_with(
    zkey: Groth16ZKey, witness: Sequence[int], r: int, s: int, kernels: Kernels | None = None
) -> tuple[Proof, list[int]]:
    """The deterministic core: the proof for blinding scalars ``r, s`` and the public signals."""
    kernels = kernels or get_kernels()
    check_witness(zkey, witness)
    r %= R
    s %= R
    if is_native(kernels):
        # One native call on the key's sections (groth16.native_prove); same proof as below.
        from zksolvency.groth16.native_prove import prove_zkey

        return prove_zkey(zkey, witness, r, s)
    a_eval, b_eval, c_eval = qap_evaluations(zkey, witness)
    h = kernels.quotient_scalars(a_eval, b_eval, c_eval)
    private = witness[zkey.n_public + 1 :]

    msm_a = kernels.msm_g1(zkey.a, witness)
    msm_b1 = kernels.msm_g1(zkey.b1, witness)
    msm_b2 = kernels.msm_g2(zkey.b2, witness)
    msm_c = kernels.msm_g1(zkey.c, private)
    msm_h = kernels.msm_g1(zkey.h, h)

    g1 = curve.g1_from_affine
    pi_a = curve.g1_add(curve.g1_add(g1(zkey.alpha1), g1(msm_a)), curve.g1_mul_jacobian(zkey.delta1, r))
    b1 = curve.g1_add(curve.g1_add(g1(zkey.beta1), g1(msm_b1)), curve.g1_mul_jacobian(zkey.delta1, s))
    pi_b = curve.g2_add(
        curve.g2_add(curve.g2_from_affine(zkey.beta2), curve.g2_from_affine(msm_b2)),
        curve.g2_mul_jacobian(zkey.delta2, s),
    )
    pi_a_affine = curve.g1_to_affine(pi_a)
    pi_c = curve.g1_add(g1(msm_c), g1(msm_h))
    pi_c = curve.g1_add(pi_c, curve.g1_mul_jacobian(pi_a_affine, s))
    pi_c = curve.g1_add(pi_c, curve.g1_mul_jacobian(curve.g1_to_affine(b1), r))
    pi_c = curve.g1_add(pi_c, curve.g1_mul_jacobian(zkey.delta1, (-r * s) % R))

    proof = Proof(a=pi_a_affine, b=curve.g2_to_affine(pi_b), c=curve.g1_to_affine(pi_c))
    return proof, list(witness[1 : zkey.n_public + 1])


def prove(
    zkey: Groth16ZKey, witness: Sequence[int], kernels: Kernels | None = None
) -> tuple[Proof, list[int]]:
    """A proof with fresh blinding scalars from the OS (zero-knowledge needs them secret)."""
    return prove_with(zkey, witness, secrets.randbelow(R), secrets.randbelow(R), kernels)
