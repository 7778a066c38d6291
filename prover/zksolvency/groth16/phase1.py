"""Phase-1 (powers of tau) transcript definitions, as snarkjs's ceremonies compute them.

Learned from snarkjs 0.7.6 (``src/powersoftau_new.js``, ``_contribute.js``,
``_beacon.js``, ``_verify.js``, ``src/keypair.js``); written here from that
description. With ``n = 2^power``:

* The *first challenge* is BLAKE2b-512 over the hash of the empty string, then
  the uncompressed (U) encodings of an empty ceremony's points: ``2n - 1``
  copies of G1 (tauG1), ``n`` of G2 (tauG2), ``n`` of G1 twice (alphaTauG1,
  betaTauG1), and G2 (betaG2).
* A contributor with secrets ``tau, alpha, beta`` answers challenge ``c`` with
  a public key per secret ``x`` (personalisation ``0, 1, 2``): a random
  ``g1_s``, ``g1_sx = x g1_s`` and ``g2_spx = x g2_sp``, where ``g2_sp =
  hashToG2(BLAKE2b-512(personalisation byte || c || U(g1_s) || U(g1_sx)))``.
* Its *response hash* is BLAKE2b-512 over ``c``, every new point of sections
  2-6 in compressed (C) form, then the public key in U form (the six G1
  points, then the three G2 points). The file keeps the hash state reached
  after the points (``partial_hash``), so a verifier can finish it with the
  public key alone (:func:`response_hash`).
* The *next challenge* is BLAKE2b-512 over the response hash and the U
  encodings of the new points of sections 2-6 (:func:`next_challenge`): for
  the last contribution of a file, the hash of the file's own points.
"""

from __future__ import annotations

from collections.abc import Iterable

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES, encode_g1_u, encode_g2_u
from zksolvency.circuit.formats.ptau import (
    PTAU_SECTION_ALPHA_TAU_G1,
    PTAU_SECTION_BETA_G2,
    PTAU_SECTION_BETA_TAU_G1,
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    PTauContribution,
    PTauPublicKey,
    point_counts,
)
from zksolvency.groth16.blake2b_state import Blake2bState
from zksolvency.groth16.kernels.interface import SectionKernels
from zksolvency.groth16.transcript import blake2b_512, hash_g1, hash_to_g2

#: The point sections a phase-1 contribution changes, in hashing order.
PHASE1_POINT_SECTIONS = (
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    PTAU_SECTION_ALPHA_TAU_G1,
    PTAU_SECTION_BETA_TAU_G1,
    PTAU_SECTION_BETA_G2,
)
G2_SECTIONS = frozenset({PTAU_SECTION_TAU_G2, PTAU_SECTION_BETA_G2})
#: Personalisation bytes of the three proofs of knowledge.
TAU, ALPHA, BETA = 0, 1, 2
#: Points hashed per ``update`` when a run of identical points is hashed.
_RUN = 1 << 14


def section_counts(power: int) -> dict[int, int]:
    """Points in each of sections 2-6 (and 12-15) for a file of ``power``."""
    return point_counts(power)


def first_challenge_hash(power: int) -> bytes:
    """The challenge the first contributor answers: the hash of a ceremony with every point a generator."""
    h = blake2b_512()
    h.update(blake2b_512().digest())
    counts = section_counts(power)
    for section_id in PHASE1_POINT_SECTIONS:
        count = counts[section_id]
        unit = encode_g2_u(G2_GENERATOR) if section_id in G2_SECTIONS else encode_g1_u(G1_GENERATOR)
        block = unit * min(count, _RUN)
        for start in range(0, count, _RUN):
            h.update(block if count - start >= _RUN else unit * (count - start))
    return h.digest()


def proof_point(personalization: int, challenge: bytes, g1_s: G1Point, g1_sx: G1Point) -> G2Point:
    """``g2_sp`` of a proof of knowledge: hashToG2 of the personalised challenge and the G1 pair."""
    h = blake2b_512()
    h.update(bytes([personalization]))
    h.update(challenge)
    hash_g1(h, g1_s)
    hash_g1(h, g1_sx)
    return hash_to_g2(h.digest())


def public_key_u(key: PTauPublicKey) -> bytes:
    """The public key as the response hash ends with it: six G1 points then three G2 points, U form."""
    g1 = (key.tau_g1_s, key.tau_g1_sx, key.alpha_g1_s, key.alpha_g1_sx, key.beta_g1_s, key.beta_g1_sx)
    g2 = (key.tau_g2_spx, key.alpha_g2_spx, key.beta_g2_spx)
    return b"".join(encode_g1_u(p) for p in g1) + b"".join(encode_g2_u(p) for p in g2)


def response_hash(c: PTauContribution, what: str = "contribution") -> bytes:
    """The contribution's response hash: its saved hash state finished with its public key."""
    return Blake2bState.restore(c.partial_hash, f"{what}: partialHash").update(public_key_u(c.key)).digest()


def point_bytes(section_id: int) -> int:
    return G2_BYTES if section_id in G2_SECTIONS else G1_BYTES


def next_challenge(
    response: bytes, chunks: Iterable[tuple[int, bytes | memoryview]], sections: SectionKernels
) -> bytes:
    """BLAKE2b-512 of ``response`` then the U encoding of every chunk ``(section id, LEM points)``.

    The chunks must run through sections 2-6 in order (:data:`PHASE1_POINT_SECTIONS`).
    Decoding them for U checks every point on its curve.
    """
    h = blake2b_512()
    h.update(response)
    for section_id, data in chunks:
        h.update(sections.u_g2(data) if section_id in G2_SECTIONS else sections.u_g1(data))
    return h.digest()
