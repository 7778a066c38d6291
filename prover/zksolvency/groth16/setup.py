"""Groth16 phase 2: the circuit-specific proving key from an R1CS and a prepared ``.ptau``.

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
``(g1_s, d g1_s, d hashToG2(transcript))`` chains to every earlier one.
"""

from __future__ import annotations

import secrets
import struct
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
    decode_zkey,
    encode_zkey_raw,
)
from zksolvency.errors import SetupError
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels import Kernels, get_kernels, is_native
from zksolvency.groth16.transcript import Hasher, blake2b_512, hash_g1, hash_g2, hash_to_g2

Progress = Callable[[str], None]


def start_circuit_hash(ptau: PTauFile) -> tuple[Hasher, tuple[G1Point, G1Point, G2Point]]:
    """The circuit hash's first part, and ``(alpha1, beta1, beta2)`` read from ``ptau``.

    snarkjs hashes, in order: alpha1, beta1, beta2, gamma2, delta1, delta2 (gamma and
    delta are the generators before any contribution); the sections follow.
    """
    alpha1 = ptau.alpha_tau_g1(0, 1)[0]
    beta1 = ptau.beta_tau_g1(0, 1)[0]
    beta2 = ptau.beta_g2()
    hasher = blake2b_512()
    for p1 in (alpha1, beta1):
        hash_g1(hasher, p1)
    hash_g2(hasher, beta2)
    hash_g2(hasher, G2_GENERATOR)  # gamma2
    hash_g1(hasher, G1_GENERATOR)  # delta1
    hash_g2(hasher, G2_GENERATOR)  # delta2
    return hasher, (alpha1, beta1, beta2)


def domain_power(r1cs: R1CS) -> int:
    """``log2`` of the QAP domain: smallest power of two above ``constraints + public``."""
    return max(1, (r1cs.n_constraints + r1cs.n_public).bit_length())


def phase2_domain_power(r1cs: R1CS, ptau: PTauFile) -> int:
    """:func:`domain_power`, checked against ``ptau``: prepared for phase 2 and big enough."""
    if not ptau.prepared:
        raise SetupError("the ptau file is not prepared for phase 2 (no Lagrange sections)")
    power = domain_power(r1cs)
    if power > ptau.power:
        raise SetupError(
            f"circuit too big for this ptau: {r1cs.n_constraints} constraints and {r1cs.n_public} public "
            f"signals need a domain of 2^{power}, the ptau has power {ptau.power}"
        )
    return power


def _hash_section_u32(hasher: Hasher, n: int) -> None:
    hasher.update(struct.pack(">I", n))


def new_zkey(
    r1cs: R1CS, ptau: PTauFile, kernels: Kernels | None = None, progress: Progress | None = None
) -> Groth16ZKey:
    """The initial (zero-contribution) proving key, identical to snarkjs's ``zkey new``."""
    kernels = kernels or get_kernels()
    if is_native(kernels):
        from zksolvency.groth16.native_setup import new_zkey_raw

        return decode_zkey(encode_zkey_raw(new_zkey_raw(r1cs, ptau, progress)))
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
    _hash_section_u32(hasher, len(b2_points))
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
    _hash_section_u32(hasher, len(points))
    hasher.update(b"".join(encode_g1_u(p) for p in points))


def _hash_h_monomial(hasher: Hasher, ptau: PTauFile, n: int) -> None:
    """Hash ``tau^(i+n) G1 - tau^i G1`` for ``i < n - 1``, as snarkjs does for H."""
    low = ptau.tau_g1(0, n - 1)
    high = ptau.tau_g1(n, n - 1)
    diffs = [
        curve.g1_add(curve.g1_from_affine(hi), curve.g1_neg(curve.g1_from_affine(lo)))
        for lo, hi in zip(low, high, strict=True)
    ]
    _hash_section_u32(hasher, n - 1)
    hasher.update(b"".join(encode_g1_u(p) for p in curve.g1_batch_to_affine(diffs)))


def _scale_all(points: Sequence[G1Point], k: int) -> list[G1Point]:
    return curve.g1_batch_to_affine([curve.g1_mul_jacobian(p, k) for p in points])


def contribution_record(
    mpc: MPCParams, delta1: G1Point, delta2: G2Point, delta_secret: int, g1_s_secret: int, name: str | None
) -> tuple[ZKeyContribution, G1Point, G2Point]:
    """The contribution record for secret ``d = delta_secret``, and delta1, delta2 times ``d``.

    ``g1_s_secret`` picks the random G1 point of the proof of knowledge
    (``g1_s = g1_s_secret * G1``). The transcript is BLAKE2b-512 of the circuit
    hash, every earlier contribution's public key, then ``g1_s`` and ``d g1_s``.
    """
    d = delta_secret % R
    if d == 0 or g1_s_secret % R == 0:
        raise SetupError("a contribution secret must be non-zero")
    hasher = blake2b_512()
    hasher.update(mpc.cs_hash)
    for c in mpc.contributions:
        _hash_pubkey(hasher, c)
    g1_s = curve.g1_mul(G1_GENERATOR, g1_s_secret)
    g1_sx = curve.g1_mul(g1_s, d)
    hash_g1(hasher, g1_s)
    hash_g1(hasher, g1_sx)
    transcript = hasher.digest()
    g2_spx = curve.g2_mul(hash_to_g2(transcript), d)
    new_delta1 = curve.g1_mul(delta1, d)
    new_delta2 = curve.g2_mul(delta2, d)
    record = ZKeyContribution(
        delta_after=new_delta1,
        g1_s=g1_s,
        g1_sx=g1_sx,
        g2_spx=g2_spx,
        transcript=transcript,
        type=0,
        name=name,
    )
    return record, new_delta1, new_delta2


def contribute(zkey: Groth16ZKey, delta_secret: int, g1_s_secret: int, name: str | None) -> Groth16ZKey:
    """Deterministic core of a phase-2 contribution with secret ``d = delta_secret``.

    See :func:`contribution_record` for the record; C and H are divided by ``d``.
    """
    record, delta1, delta2 = contribution_record(
        zkey.mpc, zkey.delta1, zkey.delta2, delta_secret, g1_s_secret, name
    )
    d_inv = pow(delta_secret % R, -1, R)
    return replace(
        zkey,
        delta1=delta1,
        delta2=delta2,
        c=_scale_all(zkey.c, d_inv),
        h=_scale_all(zkey.h, d_inv),
        mpc=MPCParams(cs_hash=zkey.mpc.cs_hash, contributions=[*zkey.mpc.contributions, record]),
    )


def _hash_pubkey(hasher: Hasher, c: ZKeyContribution) -> None:
    hash_g1(hasher, c.delta_after)
    hash_g1(hasher, c.g1_s)
    hash_g1(hasher, c.g1_sx)
    hash_g2(hasher, c.g2_spx)
    hasher.update(c.transcript)


def contribute_random(zkey: Groth16ZKey, name: str | None) -> Groth16ZKey:
    """A contribution with fresh secrets from the OS; they are discarded on return."""
    return contribute(zkey, 1 + secrets.randbelow(R - 1), 1 + secrets.randbelow(R - 1), name)


def setup(
    r1cs: R1CS,
    ptau: PTauFile,
    contribution_name: str = "zksolvency setup",
    kernels: Kernels | None = None,
    progress: Progress | None = None,
) -> Groth16ZKey:
    """Initial key plus one random contribution: a key nobody but this run could forge with."""
    if is_native(kernels):
        from zksolvency.groth16.native_setup import setup_raw

        return decode_zkey(encode_zkey_raw(setup_raw(r1cs, ptau, contribution_name, progress)))
    return contribute_random(new_zkey(r1cs, ptau, kernels, progress), contribution_name)
