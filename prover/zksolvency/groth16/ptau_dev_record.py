"""The UNSAFE dev ptau's secrets, labels and contribution record, shared by both backends.

A real powers-of-tau ceremony is a chain of contributions in which nobody
learns ``tau``, ``alpha``, ``beta``. The dev ptau skips the ceremony: the
three secrets are drawn on this machine (:class:`DevSecrets`), so whoever ran
it could forge proofs for every circuit set up from the file. The points are
computed by a backend (``python_ptau_dev``, ``native_ptau_dev``); this module
writes the one contribution record that makes the file a well-formed
one-party ceremony (``groth16.phase1``): proofs of knowledge of the three
secrets answering the first challenge, the hash state after the compressed
points, and the next challenge, the hash of the file's points. ``snarkjs
powersoftau verify`` therefore accepts the file, printing its name: it is a
valid ceremony with one participant, which is exactly what makes it unsafe.

The file is labelled unsafe three ways: its name must contain ``unsafe``, its
one contribution record is named :data:`UNSAFE_NAME`, and every command that
loads it says so (:func:`is_unsafe_dev_ptau`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import G1_GENERATOR, G1Point, G2Point, R
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES, decode_g1_lem, decode_g2_lem
from zksolvency.circuit.formats.ptau import (
    PTAU_SECTION_ALPHA_TAU_G1,
    PTAU_SECTION_BETA_G2,
    PTAU_SECTION_BETA_TAU_G1,
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    PTauContribution,
    PTauFile,
    PTauPublicKey,
)
from zksolvency.errors import SetupError
from zksolvency.groth16.blake2b_state import Blake2bState
from zksolvency.groth16.curve import g1_mul, g2_mul
from zksolvency.groth16.kernels.interface import SectionKernels
from zksolvency.groth16.phase1 import (
    ALPHA,
    BETA,
    G2_SECTIONS,
    PHASE1_POINT_SECTIONS,
    TAU,
    first_challenge_hash,
    next_challenge,
    point_bytes,
    proof_point,
    public_key_u,
)

#: Prefix of the contribution name that marks a development file.
UNSAFE_NAME = "UNSAFE zksolvency single-party dev ptau: toxic waste known"
#: Largest power we generate (2^21: the T = 32 trade batch of `benchmarks/trades.py`); beyond it use a
#: real ceremony file (`--ptau`).
MAX_DEV_POWER = 21
#: Points per chunk when hashing the sections.
_CHUNK = 1 << 16


@dataclass(frozen=True)
class DevSecrets:
    """The toxic waste. Tests pin it; real use draws it with ``secrets``."""

    tau: int
    alpha: int
    beta: int

    @classmethod
    def random(cls) -> DevSecrets:
        return cls(*(1 + secrets.randbelow(R - 1) for _ in range(3)))


def check_dev_ptau_request(path: str | os.PathLike[str], power: int) -> None:
    """``SetupError`` unless ``power`` is in range and the file name says ``unsafe``."""
    if not 1 <= power <= MAX_DEV_POWER:
        raise SetupError(f"dev ptau power must be between 1 and {MAX_DEV_POWER}, got {power}")
    if "unsafe" not in Path(path).name.lower():
        raise SetupError(
            f"{path}: a dev ptau's file name must contain 'unsafe' (e.g. pot{power}_unsafe.ptau), "
            "so nobody mistakes it for a ceremony file"
        )


def is_unsafe_dev_ptau(ptau: PTauFile) -> bool:
    """True when any contribution carries the UNSAFE label of a dev file."""
    return any((c.name or "").startswith("UNSAFE") for c in ptau.contributions)


def _proof_of_knowledge(
    secret: int, personalization: int, challenge: bytes
) -> tuple[G1Point, G1Point, G2Point]:
    g1_s = g1_mul(G1_GENERATOR, 1 + secrets.randbelow(R - 1))
    g1_sx = g1_mul(g1_s, secret)
    return g1_s, g1_sx, g2_mul(proof_point(personalization, challenge, g1_s, g1_sx), secret)


def _chunks(points: dict[int, bytes]) -> Iterator[tuple[int, memoryview]]:
    """Sections 2-6 of ``points`` in hashing order, in runs of at most ``_CHUNK`` points."""
    for section_id in PHASE1_POINT_SECTIONS:
        data = memoryview(points[section_id])
        step = _CHUNK * point_bytes(section_id)
        for start in range(0, len(data), step):
            yield section_id, data[start : start + step]


def dev_contribution(
    power: int, dev: DevSecrets, points: dict[int, bytes], sections: SectionKernels
) -> PTauContribution:
    """The one contribution record of a dev file whose point sections (LEM, by id) are ``points``.

    Proofs of knowledge of ``dev``'s secrets answer the first challenge; the
    saved response-hash state covers the challenge and the compressed points;
    the next challenge is the hash of the points (``groth16.phase1``).
    """
    challenge = first_challenge_hash(power)
    tau = _proof_of_knowledge(dev.tau, TAU, challenge)
    alpha = _proof_of_knowledge(dev.alpha, ALPHA, challenge)
    beta = _proof_of_knowledge(dev.beta, BETA, challenge)
    key = PTauPublicKey(
        tau_g1_s=tau[0],
        tau_g1_sx=tau[1],
        alpha_g1_s=alpha[0],
        alpha_g1_sx=alpha[1],
        beta_g1_s=beta[0],
        beta_g1_sx=beta[1],
        tau_g2_spx=tau[2],
        alpha_g2_spx=alpha[2],
        beta_g2_spx=beta[2],
    )
    state = sections.blake2b_absorb(b"", challenge)
    for section_id, data in _chunks(points):
        compressed = sections.c_g2(data) if section_id in G2_SECTIONS else sections.c_g1(data)
        state = sections.blake2b_absorb(state, compressed)
    response = Blake2bState.restore(state).update(public_key_u(key)).digest()
    return PTauContribution(
        tau_g1=decode_g1_lem(points[PTAU_SECTION_TAU_G1][G1_BYTES : 2 * G1_BYTES], "tauG1[1]"),
        tau_g2=decode_g2_lem(points[PTAU_SECTION_TAU_G2][G2_BYTES : 2 * G2_BYTES], "tauG2[1]"),
        alpha_g1=decode_g1_lem(points[PTAU_SECTION_ALPHA_TAU_G1][:G1_BYTES], "alphaTauG1[0]"),
        beta_g1=decode_g1_lem(points[PTAU_SECTION_BETA_TAU_G1][:G1_BYTES], "betaTauG1[0]"),
        beta_g2=decode_g2_lem(points[PTAU_SECTION_BETA_G2], "betaG2"),
        key=key,
        partial_hash=state,
        next_challenge=next_challenge(response, _chunks(points), sections),
        type=0,
        name=UNSAFE_NAME,
    )
