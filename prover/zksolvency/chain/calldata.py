"""Proofs as the verifier contracts take them: the one place that knows EIP-197's coordinate order.

EIP-197 encodes an ``Fq2`` element imaginary part first, so a G2 point is
``((x.c1, x.c0), (y.c1, y.c0))``; ``proof.json`` writes ``[c0, c1]``. The
point at infinity is ``(0, 0)`` in G1 and all zeros in G2. The registry takes
the eight words flat: ``(A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y)``.
"""

from __future__ import annotations

from zksolvency.bn254 import G1Point, G2Point
from zksolvency.circuit.formats.snarkjs_json import Proof

G1Words = list[int]
G2Words = list[list[int]]


def g1_words(p: G1Point) -> G1Words:
    return [0, 0] if p is None else [p[0], p[1]]


def g2_words(p: G2Point) -> G2Words:
    if p is None:
        return [[0, 0], [0, 0]]
    (x0, x1), (y0, y1) = p
    return [[x1, x0], [y1, y0]]


def verifier_arguments(proof: Proof) -> tuple[G1Words, G2Words, G1Words]:
    """``(a, b, c)`` for ``verifyProof(a, b, c, input)``."""
    return g1_words(proof.a), g2_words(proof.b), g1_words(proof.c)


def proof_words(proof: Proof) -> list[int]:
    """The eight words ``publishRound`` takes (order in the module docstring)."""
    a, b, c = verifier_arguments(proof)
    return [*a, *b[0], *b[1], *c]
