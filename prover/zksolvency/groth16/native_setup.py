"""Native phase 2: the initial ``.zkey`` and its contributions on raw sections, in seconds.

Byte for byte what ``python_setup.new_zkey`` (and so ``snarkjs groth16
setup``) computes, see that module for the definitions; here the heavy parts
run in Rust on the ptau's Lagrange sections as they lie in the file:

* ``A_s, B1_s, B2_s, K_s`` (IC for public signals, C for the others) as sums of
  ``v * L_j`` over the R1CS terms of signal ``s`` (``prover/native/src/setup.rs``);
* the circuit hash, BLAKE2b-512 over the U encodings, with H in monomial form
  ``tau^(i+n) - tau^i``: the U conversions and the differences are native;
* a contribution's division of C and H by ``delta``: one native scalar
  multiplication per point.

Only the coefficient section (a few bytes per term) is assembled in Python.
Shared definitions come from ``phase2``; ``groth16.backends`` chooses this
module or ``python_setup``, and neither imports the other.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

import numpy as np

from zksolvency import _native
from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, N8, R
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES, encode_zkey_coeff
from zksolvency.circuit.formats.ptau import (
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1,
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G2,
    PTAU_SECTION_TAU_G1,
    PTauFile,
)
from zksolvency.circuit.formats.r1cs import R1CS
from zksolvency.circuit.formats.zkey import (
    MATRIX_A,
    MATRIX_B,
    PROTOCOL_GROTH16,
    ZKEY_SECTION_A,
    ZKEY_SECTION_B1,
    ZKEY_SECTION_B2,
    ZKEY_SECTION_C,
    ZKEY_SECTION_COEFFS,
    ZKEY_SECTION_GROTH16_HEADER,
    ZKEY_SECTION_H,
    ZKEY_SECTION_HEADER,
    ZKEY_SECTION_IC,
    ZKEY_SECTION_MPC,
    MPCParams,
    ZKeyContribution,
    ZKeyRaw,
    encode_groth16_header,
    encode_mpc_params,
    zkey_raw_from_sections,
)
from zksolvency.groth16 import curve
from zksolvency.groth16.phase2 import hash_section_u32, phase2_domain_power, start_circuit_hash

Progress = Callable[[str], None]


class _Terms:
    """One R1CS matrix as the native side reads it: ``(constraint, signal)`` u32 pairs and 32-byte values."""

    def __init__(self) -> None:
        self.index: list[int] = []
        self.values: list[bytes] = []

    def add(self, constraint: int, signal: int, value: int) -> None:
        self.index += (constraint, signal)
        self.values.append(value.to_bytes(N8, "little"))

    def buffers(self) -> tuple[bytes, bytes]:
        return np.asarray(self.index, dtype="<u4").tobytes(), b"".join(self.values)


def _lagrange_block(ptau: PTauFile, section_id: int, n: int, point_bytes: int) -> memoryview:
    """Points ``[n - 1, 2n - 1)`` of a Lagrange section: the domain of size ``n``."""
    return ptau.raw_section(section_id)[(n - 1) * point_bytes : (2 * n - 1) * point_bytes]


def new_zkey_raw(r1cs: R1CS, ptau: PTauFile, progress: Progress | None = None) -> ZKeyRaw:
    """The initial (zero-contribution) key as raw sections, identical to ``setup.new_zkey``."""
    say = progress or (lambda _msg: None)
    power = phase2_domain_power(r1cs, ptau)
    n = 1 << power
    n_public, n_vars = r1cs.n_public, r1cs.n_wires

    say("collecting the R1CS terms")
    terms = (_Terms(), _Terms(), _Terms())
    coeffs = bytearray()
    coeff_cache: dict[int, bytes] = {}

    def coeff(matrix: int, j: int, s: int, v: int) -> None:
        enc = coeff_cache.get(v)
        if enc is None:
            enc = coeff_cache[v] = encode_zkey_coeff(v)
        coeffs.extend(struct.pack("<III", matrix, j, s))
        coeffs.extend(enc)

    for j, (lc_a, lc_b, lc_c) in enumerate(r1cs.constraints):
        for s, v in lc_a:
            terms[0].add(j, s, v)
            coeff(MATRIX_A, j, s, v)
        for s, v in lc_b:
            terms[1].add(j, s, v)
            coeff(MATRIX_B, j, s, v)
        for s, v in lc_c:
            terms[2].add(j, s, v)
    for s in range(n_public + 1):
        terms[0].add(r1cs.n_constraints + s, s, 1)
        coeff(MATRIX_A, r1cs.n_constraints + s, s, 1)
    n_coeffs = len(coeffs) // (12 + N8)

    say(f"computing A, B1, B2, IC, C natively ({n_vars} signals, domain 2^{power})")
    (a_i, a_v), (b_i, b_v), (c_i, c_v) = (t.buffers() for t in terms)
    a_pts, b1_pts, b2_pts, ic_pts, c_pts = _native.zkey_points(
        n,
        n_vars,
        n_public,
        a_i,
        a_v,
        b_i,
        b_v,
        c_i,
        c_v,
        _lagrange_block(ptau, PTAU_SECTION_LAGRANGE_TAU_G1, n, G1_BYTES),
        _lagrange_block(ptau, PTAU_SECTION_LAGRANGE_TAU_G2, n, G2_BYTES),
        _lagrange_block(ptau, PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1, n, G1_BYTES),
        _lagrange_block(ptau, PTAU_SECTION_LAGRANGE_BETA_TAU_G1, n, G1_BYTES),
    )
    say("reading H points")
    block_2n = np.frombuffer(
        _lagrange_block(ptau, PTAU_SECTION_LAGRANGE_TAU_G1, 2 * n, G1_BYTES), dtype=np.uint8
    ).reshape(2 * n, G1_BYTES)
    h_pts = block_2n[1::2].tobytes()

    say("hashing the circuit")
    hasher, (alpha1, beta1, beta2) = start_circuit_hash(ptau)
    tau_g1 = ptau.raw_section(PTAU_SECTION_TAU_G1)
    h_monomial = _native.difference_u_g1(
        tau_g1[: (n - 1) * G1_BYTES], tau_g1[n * G1_BYTES : (2 * n - 1) * G1_BYTES]
    )
    for count, u_points in (
        (n_public + 1, _native.lem_to_u_g1(ic_pts)),
        (n - 1, h_monomial),
        (n_vars - n_public - 1, _native.lem_to_u_g1(c_pts)),
        (n_vars, _native.lem_to_u_g1(a_pts)),
        (n_vars, _native.lem_to_u_g1(b1_pts)),
        (n_vars, _native.lem_to_u_g2(b2_pts)),
    ):
        hash_section_u32(hasher, count)
        hasher.update(u_points)
    mpc = MPCParams(cs_hash=hasher.digest(), contributions=[])

    header = encode_groth16_header(
        n_vars, n_public, n, alpha1, beta1, beta2, G2_GENERATOR, G1_GENERATOR, G2_GENERATOR
    )
    return zkey_raw_from_sections(
        {
            ZKEY_SECTION_HEADER: struct.pack("<I", PROTOCOL_GROTH16),
            ZKEY_SECTION_GROTH16_HEADER: header,
            ZKEY_SECTION_IC: ic_pts,
            ZKEY_SECTION_COEFFS: struct.pack("<I", n_coeffs) + bytes(coeffs),
            ZKEY_SECTION_A: a_pts,
            ZKEY_SECTION_B1: b1_pts,
            ZKEY_SECTION_B2: b2_pts,
            ZKEY_SECTION_C: c_pts,
            ZKEY_SECTION_H: h_pts,
            ZKEY_SECTION_MPC: encode_mpc_params(mpc),
        }
    )


def contribute_raw(raw: ZKeyRaw, record: ZKeyContribution, delta_secret: int) -> ZKeyRaw:
    """``raw`` after the contribution ``record`` of secret ``d``: C and H divided by ``d``, natively.

    ``record`` comes from ``phase2.contribution_record`` (its ``delta_after``
    is the new delta1); delta2 is multiplied by ``d`` here.
    """
    hdr = raw.header
    d = delta_secret % R
    d_inv = pow(d, -1, R).to_bytes(N8, "little")
    mpc = MPCParams(cs_hash=raw.mpc.cs_hash, contributions=[*raw.mpc.contributions, record])
    sections = dict(raw.sections)
    sections[ZKEY_SECTION_GROTH16_HEADER] = encode_groth16_header(
        hdr.n_vars,
        hdr.n_public,
        hdr.domain_size,
        hdr.alpha1,
        hdr.beta1,
        hdr.beta2,
        hdr.gamma2,
        record.delta_after,
        curve.g2_mul(hdr.delta2, d),
    )
    sections[ZKEY_SECTION_C] = _native.scale_g1(raw.section(ZKEY_SECTION_C), d_inv)
    sections[ZKEY_SECTION_H] = _native.scale_g1(raw.section(ZKEY_SECTION_H), d_inv)
    sections[ZKEY_SECTION_MPC] = encode_mpc_params(mpc)
    return zkey_raw_from_sections(sections)
