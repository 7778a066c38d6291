"""The verification key: the public part of a ``.zkey``, in snarkjs's JSON layout.

``vk_alphabeta_12`` is ``e(alpha1, beta2)`` in ffjavascript's tower
``Fq12 = Fq6[w] / (w^2 - v)``, ``Fq6 = Fq2[v] / (v^3 - (9 + u))``, written as
``[[a0.b0, a0.b1, a0.b2], [a1.b0, a1.b1, a1.b2]]`` with each ``Fq2`` as
``[c0, c1]``. py_ecc represents ``Fq12`` as polynomials in ``w`` modulo
``w^12 - 18 w^6 + 82``; since ``w^6 = 9 + u`` in both, the tower coefficient of
``w^(2j+i)`` is ``x + y u`` with ``y = c[2j+i+6]`` and ``x = c[2j+i] + 9 y``.

The two libraries also compute *different* (equally valid) pairings:
ffjavascript's final exponentiation is the Fuentes-Castañeda et al. variant,
which yields py_ecc's value raised to ``2x(6x^2 + 3x + 1)``, with ``x`` the BN
parameter of the curve. We apply that exponent so the JSON matches snarkjs to
the digit (found by testing candidate exponents against ffjavascript's
``pairing(G1, G2)``; the test suite checks it against ``snarkjs zkey export
verificationkey``). No verifier uses this field: it is informational.
"""

from __future__ import annotations

from py_ecc import optimized_bn128 as bn

from zksolvency.bn254 import BN_X, G1Point, G2Point, Q, R
from zksolvency.circuit.formats.snarkjs_json import VerificationKey
from zksolvency.circuit.formats.zkey import Groth16ZKey, ZKeyHeader

#: ffjavascript's pairing is py_ecc's to this power (see module docstring).
FFJAVASCRIPT_PAIRING_EXPONENT = 2 * BN_X * (6 * BN_X * BN_X + 3 * BN_X + 1) % R


def _fq12_to_tower(coeffs: list[int]) -> list[list[list[int]]]:
    out: list[list[list[int]]] = []
    for i in range(2):
        fq6 = []
        for j in range(3):
            k = 2 * j + i
            y = coeffs[k + 6] % Q
            x = (coeffs[k] + 9 * y) % Q
            fq6.append([x, y])
        out.append(fq6)
    return out


def alphabeta_12(alpha1: G1Point, beta2: G2Point) -> list[list[list[int]]]:
    """``e(alpha1, beta2)`` in snarkjs's layout (see module docstring)."""
    if alpha1 is None or beta2 is None:
        raise ValueError("alpha1 and beta2 must be finite points")
    p = (bn.FQ(alpha1[0]), bn.FQ(alpha1[1]), bn.FQ.one())
    (x0, x1), (y0, y1) = beta2
    q = (bn.FQ2([x0, x1]), bn.FQ2([y0, y1]), bn.FQ2.one())
    value = bn.pairing(q, p) ** FFJAVASCRIPT_PAIRING_EXPONENT
    return _fq12_to_tower([int(c) for c in value.coeffs])


def export_vkey(zkey: Groth16ZKey | ZKeyHeader) -> VerificationKey:
    """The verification key of a decoded key, or of a key's header (``zkey.read_zkey_header``)."""
    return VerificationKey(
        n_public=zkey.n_public,
        alpha1=zkey.alpha1,
        beta2=zkey.beta2,
        gamma2=zkey.gamma2,
        delta2=zkey.delta2,
        ic=list(zkey.ic),
        alphabeta_12=alphabeta_12(zkey.alpha1, zkey.beta2),
    )
