"""Groth16 phase 2 in pure Python (the reference backend): the proving key from an R1CS and a ``.ptau``.

Step 1 (:func:`new_zkey`) is deterministic and reproduces ``snarkjs groth16
setup`` section for section, which is what lets ``snarkjs zkey verify`` check
our keys: it recomputes this initial key and compares. With ``L_j`` the
Lagrange basis of the domain of size ``n`` (the smallest power of two above
``constraints + public``) evaluated at tau, and the QAP matrices extended by
one row ``A[constraints + i][i] = 1`` for each public signal ``i`` (including
the constant ``1``), for every signal ``s``:

* ``A_s = sum_j A[j][s] L_j G1``, ``B1_s = sum_j B[j][s] L_j G1``,
  ``B2_s = sum_j B[j][s] L_j G2``;
* ``K_s = sum_j (beta A[j][s] + alpha B[j][s] + C[j][s]) L_j G1``, which is
  ``IC_s`` for public signals and ``C_s`` (divided by delta) for the others;
* ``H_i = L^{2n}_{2i+1} G1`` (odd Lagrange points of the doubled domain);
* ``gamma = delta = 1`` until a contribution changes delta.

The circuit hash (``csHash``) is BLAKE2b-512 over the uncompressed encodings of
alpha1, beta1, beta2, gamma2, delta1, delta2, then for IC, H, C, A, B1, B2 (in
that order) a big-endian ``u32`` count and the points; the H hash uses the
monomial form ``tau^i (tau^n - 1) G1`` for ``i < n - 1``.

Step 2 (:func:`contribute`) multiplies delta by a secret ``d``, divides C and
H by it, and appends a contribution record whose proof of knowledge
``(g1_s, d g1_s, d hashToG2(transcript))`` chains to every earlier one
(``phase2.contribution_record``).

This module works on decoded keys (``Groth16ZKey``) with the kernels it is
given; ``native_setup`` computes the same bytes in Rust. Neither imports the
other: ``groth16.backends`` chooses, and ``groth16.setup`` is the entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point, R
from zksolvency.circuit.formats.codec import encode_g1_u, encode_g2_u
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import R1CS
from zksolvency.circuit.formats.zkey import (
    MATRIX_A,
    MATRIX_B,
    Groth16ZKey,
    MPCParams,
    ZKeyCoeff,
    ZKeyContribution,
)
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels import Kernels
from zksolvency.groth16.kernels.python import PythonKernels
from zksolvency.groth16.phase2 import hash_section_u32, phase2_domain_power, start_circuit_hash
from zksolvency.groth16.transcript import Hasher

Progress = Callable[[str], None]


def new_zkey(
    r1cs: R1CS, ptau: PTauFile, kernels: Kernels | None = None, progress: Progress | None = None
) -> Groth16ZKey:
    """The initial (zero-contribution) proving key, identical to snarkjs's ``zkey new``."""
    kernels = kernels or PythonKernels()
    say = progress or (lambda _msg: None)
    power = phase2_domain_power(r1cs, ptau)
    n = 1 << power
    n_public = r1cs.n_public
    n_vars = r1cs.n_wires

    say(f"reading Lagrange points for domain 2^{power}")
    lag_g1 = ptau.lagrange_g1(n)
    lag_g2 = ptau.lagrange_g2(n)
    lag_alpha = ptau.lagrange_alpha_g1(n)
    lag_beta = ptau.lagrange_beta_g1(n)

    # Terms of each output point: (base, coefficient).
    a_terms: list[list[tuple[G1Point, int]]] = [[] for _ in range(n_vars)]
    b1_terms: list[list[tuple[G1Point, int]]] = [[] for _ in range(n_vars)]
    b2_terms: list[list[tuple[G2Point, int]]] = [[] for _ in range(n_vars)]
    k_terms: list[list[tuple[G1Point, int]]] = [[] for _ in range(n_vars)]
    coeffs: list[ZKeyCoeff] = []
    for j, (lc_a, lc_b, lc_c) in enumerate(r1cs.constraints):
        for s, v in lc_a:
            a_terms[s].append((lag_g1[j], v))
            k_terms[s].append((lag_beta[j], v))
            coeffs.append(ZKeyCoeff(MATRIX_A, j, s, v))
        for s, v in lc_b:
            b1_terms[s].append((lag_g1[j], v))
            b2_terms[s].append((lag_g2[j], v))
            k_terms[s].append((lag_alpha[j], v))
            coeffs.append(ZKeyCoeff(MATRIX_B, j, s, v))
        for s, v in lc_c:
            k_terms[s].append((lag_g1[j], v))
    for s in range(n_public + 1):
        j = r1cs.n_constraints + s
        a_terms[s].append((lag_g1[j], 1))
        k_terms[s].append((lag_beta[j], 1))
        coeffs.append(ZKeyCoeff(MATRIX_A, j, s, 1))

    def combine_g1(terms: list[list[tuple[G1Point, int]]], label: str) -> list[G1Point]:
        say(f"computing {label} ({len(terms)} points)")
        return [kernels.msm_g1([p for p, _ in t], [v for _, v in t]) if t else None for t in terms]

    ic = combine_g1(k_terms[: n_public + 1], "IC")
    c_points = combine_g1(k_terms[n_public + 1 :], "C")
    a_points = combine_g1(a_terms, "A")
    b1_points = combine_g1(b1_terms, "B1")
    say(f"computing B2 ({n_vars} points)")
    b2_points = [kernels.msm_g2([p for p, _ in t], [v for _, v in t]) if t else None for t in b2_terms]
    say("reading H points")
    lag_2n = ptau.lagrange_g1(2 * n)
    h_points = lag_2n[1::2]

    say("hashing the circuit")
    hasher, (alpha1, beta1, beta2) = start_circuit_hash(ptau)
    _hash_points_g1(hasher, ic)
    _hash_h_monomial(hasher, ptau, n)
    _hash_points_g1(hasher, c_points)
    _hash_points_g1(hasher, a_points)
    _hash_points_g1(hasher, b1_points)
    hash_section_u32(hasher, len(b2_points))
    hasher.update(b"".join(encode_g2_u(p) for p in b2_points))

    return Groth16ZKey(
        n_vars=n_vars,
        n_public=n_public,
        domain_size=n,
        alpha1=alpha1,
        beta1=beta1,
        beta2=beta2,
        gamma2=G2_GENERATOR,
        delta1=G1_GENERATOR,
        delta2=G2_GENERATOR,
        ic=ic,
        coeffs=coeffs,
        a=a_points,
        b1=b1_points,
        b2=b2_points,
        c=c_points,
        h=h_points,
        mpc=MPCParams(cs_hash=hasher.digest(), contributions=[]),
    )


def _hash_points_g1(hasher: Hasher, points: Sequence[G1Point]) -> None:
    hash_section_u32(hasher, len(points))
    hasher.update(b"".join(encode_g1_u(p) for p in points))


def _hash_h_monomial(hasher: Hasher, ptau: PTauFile, n: int) -> None:
    """Hash ``tau^(i+n) G1 - tau^i G1`` for ``i < n - 1``, as snarkjs does for H."""
    low = ptau.tau_g1(0, n - 1)
    high = ptau.tau_g1(n, n - 1)
    diffs = [
        curve.g1_add(curve.g1_from_affine(hi), curve.g1_neg(curve.g1_from_affine(lo)))
        for lo, hi in zip(low, high, strict=True)
    ]
    hash_section_u32(hasher, n - 1)
    hasher.update(b"".join(encode_g1_u(p) for p in curve.g1_batch_to_affine(diffs)))


def _scale_all(points: Sequence[G1Point], k: int) -> list[G1Point]:
    return curve.g1_batch_to_affine([curve.g1_mul_jacobian(p, k) for p in points])


def contribute(zkey: Groth16ZKey, record: ZKeyContribution, delta_secret: int) -> Groth16ZKey:
    """``zkey`` after the contribution ``record`` of secret ``d``: C and H divided by ``d``.

    ``record`` comes from ``phase2.contribution_record``, which also gives the
    new delta1 (``record.delta_after``); delta2 is multiplied by ``d`` here.
    """
    d = delta_secret % R
    d_inv = pow(d, -1, R)
    return replace(
        zkey,
        delta1=record.delta_after,
        delta2=curve.g2_mul(zkey.delta2, d),
        c=_scale_all(zkey.c, d_inv),
        h=_scale_all(zkey.h, d_inv),
        mpc=MPCParams(cs_hash=zkey.mpc.cs_hash, contributions=[*zkey.mpc.contributions, record]),
    )
