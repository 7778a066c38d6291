"""Phase-2 definitions every backend shares: the domain, the circuit hash, a contribution's record.

No arithmetic backend is imported here: the python (``python_setup``) and
native (``native_setup``) phase-2 code both build on this module, and the
ceremony code (``zksolvency.ceremony``) checks what it defines.

* The QAP domain is the smallest power of two above ``constraints + public``.
* The circuit hash (snarkjs's ``csHash``) starts with BLAKE2b-512 over the
  uncompressed alpha1, beta1, beta2, gamma2, delta1, delta2 of the initial key
  (gamma and delta the generators); the sections follow, each prefixed by a
  big-endian ``u32`` count (see ``python_setup``).
* A contribution with secret ``d`` publishes ``delta_after = d * delta_before``
  and a proof of knowledge of ``d``: ``g1_s`` (a random G1 point),
  ``g1_sx = d g1_s`` and ``g2_spx = d g2_sp``, where ``g2_sp =
  hashToG2(transcript)`` and ``transcript = BLAKE2b-512(csHash || pk_1 ||
  ... || pk_{i-1} || g1_s || g1_sx)``; ``pk_j`` is contribution ``j``'s public
  key, the uncompressed ``delta_after, g1_s, g1_sx, g2_spx`` then its 64-byte
  transcript. Its *contribution hash*, what a contributor publishes, is
  ``BLAKE2b-512(pk_i)``.
"""

from __future__ import annotations

import struct

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point, R
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import R1CS
from zksolvency.circuit.formats.zkey import MPCParams, ZKeyContribution
from zksolvency.errors import SetupError
from zksolvency.groth16 import curve
from zksolvency.groth16.transcript import Hasher, blake2b_512, hash_g1, hash_g2, hash_to_g2

#: Contribution types of the ``.zkey`` MPC section: a random one, and a public random beacon.
CONTRIBUTION_RANDOM = 0
CONTRIBUTION_BEACON = 1


def domain_power(r1cs: R1CS) -> int:
    """``log2`` of the QAP domain: smallest power of two above ``constraints + public``."""
    return max(1, (r1cs.n_constraints + r1cs.n_public).bit_length())


def phase2_domain_power(r1cs: R1CS, ptau: PTauFile) -> int:
    """:func:`domain_power`, checked against ``ptau``: prepared for phase 2 and big enough."""
    if not ptau.prepared:
        raise SetupError(f"{ptau.what}: the ptau file is not prepared for phase 2 (no Lagrange sections)")
    power = domain_power(r1cs)
    if power > ptau.power:
        raise SetupError(
            f"circuit too big for this ptau: {r1cs.n_constraints} constraints and {r1cs.n_public} public "
            f"signals need a domain of 2^{power}, the ptau {ptau.what} has power {ptau.power}: "
            f"use a phase-1 file of power {power} or more"
        )
    return power


def hash_section_u32(hasher: Hasher, n: int) -> None:
    """The big-endian ``u32`` count that precedes each section in the circuit hash."""
    hasher.update(struct.pack(">I", n))


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


def hash_pubkey(hasher: Hasher, c: ZKeyContribution) -> None:
    """Absorb contribution ``c``'s public key: delta_after, g1_s, g1_sx, g2_spx, transcript."""
    hash_g1(hasher, c.delta_after)
    hash_g1(hasher, c.g1_s)
    hash_g1(hasher, c.g1_sx)
    hash_g2(hasher, c.g2_spx)
    hasher.update(c.transcript)


def contribution_hash(c: ZKeyContribution) -> bytes:
    """What a contributor publishes: BLAKE2b-512 of the contribution's public key."""
    hasher = blake2b_512()
    hash_pubkey(hasher, c)
    return hasher.digest()


def transcript_prefix(mpc: MPCParams) -> Hasher:
    """BLAKE2b-512 over the circuit hash and every contribution's public key so far.

    A next contribution's transcript continues this with its ``g1_s, g1_sx``;
    its digest is the ceremony's transcript hash (``ceremony.chain``).
    """
    hasher = blake2b_512()
    hasher.update(mpc.cs_hash)
    for c in mpc.contributions:
        hash_pubkey(hasher, c)
    return hasher


def contribution_record(
    mpc: MPCParams,
    delta1: G1Point,
    delta2: G2Point,
    delta_secret: int,
    g1_s: G1Point,
    name: str | None,
    kind: int = CONTRIBUTION_RANDOM,
) -> tuple[ZKeyContribution, G1Point, G2Point]:
    """The contribution record for secret ``d = delta_secret``, and delta1, delta2 times ``d``.

    ``g1_s`` is the random G1 point of the proof of knowledge (a fresh multiple
    of G1 for a random contribution; drawn from the beacon for a beacon).
    The transcript is BLAKE2b-512 of the circuit hash, every earlier
    contribution's public key, then ``g1_s`` and ``d g1_s``.
    """
    d = delta_secret % R
    if d == 0 or g1_s is None:
        raise SetupError("a contribution secret must be non-zero")
    hasher = transcript_prefix(mpc)
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
        type=kind,
        name=name,
    )
    return record, new_delta1, new_delta2


def random_g1_s(g1_s_secret: int) -> G1Point:
    """``g1_s_secret * G1``: the random point of a contribution's proof of knowledge."""
    if g1_s_secret % R == 0:
        raise SetupError("a contribution secret must be non-zero")
    return curve.g1_mul(G1_GENERATOR, g1_s_secret)
