"""UNSAFE single-party phase-1 (`.ptau`) for development: fast, and the toxic waste was here.

A real powers-of-tau ceremony is a chain of contributions in which nobody
learns ``tau``, ``alpha``, ``beta``. This module skips the ceremony: it draws
the three secrets on this machine, so whoever ran it could forge proofs for
every circuit set up from the file. It exists because preparing a phase-1 file
with snarkjs takes minutes to hours, and development needs seconds.

Because the secrets are known, every point is a multiple of a generator by a
known scalar, computed with fixed-base tables:

* section 2: ``tau^i * G1`` for ``i < 2^(power+1) - 1``; section 3: ``tau^i * G2``
  for ``i < 2^power``; sections 4, 5: ``alpha * tau^i * G1``, ``beta * tau^i * G1``;
  section 6: ``beta * G2``;
* sections 12-15 (the phase-2 preparation): for each domain of size ``2^k``,
  the Lagrange basis at tau, ``L_j(tau) = ifft(1, tau, ..., tau^(2^k - 1))_j``,
  times ``G1``, ``G2``, ``alpha G1``, ``beta G1``. Section 12 carries one more
  domain, ``2^(power+1)``, whose last power of tau is absent from section 2 and
  counts as zero, exactly as ``snarkjs powersoftau prepare phase2`` computes it.

The file is labelled unsafe three ways: its name must contain ``unsafe``, its
one contribution record is named ``UNSAFE ...`` (shown by ``snarkjs powersoftau
verify``, which rejects the file since there is no real response transcript),
and every command that loads it says so (``is_unsafe_dev_ptau``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point, R
from zksolvency.circuit.formats.ptau import PTauContribution, PTauFile, PTauPublicKey, write_ptau
from zksolvency.errors import SetupError
from zksolvency.groth16.curve import g1_mul, g2_mul
from zksolvency.groth16.fixed_base import g1_multiples, g2_multiples
from zksolvency.groth16.kernels import DEFAULT_BACKEND
from zksolvency.groth16.kernels.python import PythonKernels
from zksolvency.groth16.transcript import blake2b_512, hash_g1, hash_to_g2

#: Prefix of the contribution name that marks a development file.
UNSAFE_NAME = "UNSAFE zksolvency single-party dev ptau: toxic waste known"
#: Largest power we generate: beyond it use a real ceremony file (`--ptau`).
MAX_DEV_POWER = 20


@dataclass(frozen=True)
class DevSecrets:
    """The toxic waste. Tests pin it; real use draws it with ``secrets``."""

    tau: int
    alpha: int
    beta: int

    @classmethod
    def random(cls) -> DevSecrets:
        return cls(*(1 + secrets.randbelow(R - 1) for _ in range(3)))


def _powers(x: int, n: int) -> list[int]:
    out = [1] * n
    for i in range(1, n):
        out[i] = out[i - 1] * x % R
    return out


def lagrange_scalars(tau_powers: list[int], log_n: int) -> list[int]:
    """``L_j(tau)`` for the domain of size ``2^log_n`` from ``tau^0 .. tau^(2^log_n - 1)``."""
    n = 1 << log_n
    return PythonKernels().ifft(tau_powers[:n])


def first_challenge_hash(power: int) -> bytes:
    """snarkjs's hash of the empty ceremony: every point the generator.

    BLAKE2b-512 over the digest of the empty string, then the uncompressed
    generators in the counts of sections 2-6.
    """
    from zksolvency.circuit.formats.codec import encode_g1_u, encode_g2_u

    h = blake2b_512()
    h.update(blake2b_512().digest())
    g1 = encode_g1_u(G1_GENERATOR)
    g2 = encode_g2_u(G2_GENERATOR)
    n = 1 << power
    h.update(g1 * (2 * n - 1))
    h.update(g2 * n)
    h.update(g1 * n)
    h.update(g1 * n)
    h.update(g2)
    return h.digest()


def _proof_of_knowledge(secret: int, personalization: int, challenge: bytes) -> tuple:  # type: ignore[type-arg]
    g1_s = g1_mul(G1_GENERATOR, 1 + secrets.randbelow(R - 1))
    g1_sx = g1_mul(g1_s, secret)
    h = blake2b_512()
    h.update(bytes([personalization]))
    h.update(challenge)
    hash_g1(h, g1_s)
    hash_g1(h, g1_sx)
    g2_spx = g2_mul(hash_to_g2(h.digest()), secret)
    return g1_s, g1_sx, g2_spx


def dev_contribution(
    power: int,
    dev: DevSecrets,
    tau_g1: G1Point,
    tau_g2: G2Point,
    alpha_g1: G1Point,
    beta_g1: G1Point,
    beta_g2: G2Point,
) -> PTauContribution:
    """The one contribution record of a dev file, named :data:`UNSAFE_NAME`.

    ``tau_g1 = tau G1``, ``tau_g2 = tau G2``, ``alpha_g1``, ``beta_g1``, ``beta_g2``
    as in the file; the proofs of knowledge answer the empty ceremony's challenge.
    """
    challenge = first_challenge_hash(power)
    keys = [_proof_of_knowledge(s, i, challenge) for i, s in enumerate((dev.tau, dev.alpha, dev.beta))]
    return PTauContribution(
        tau_g1=tau_g1,
        tau_g2=tau_g2,
        alpha_g1=alpha_g1,
        beta_g1=beta_g1,
        beta_g2=beta_g2,
        key=PTauPublicKey(
            tau_g1_s=keys[0][0],
            tau_g1_sx=keys[0][1],
            alpha_g1_s=keys[1][0],
            alpha_g1_sx=keys[1][1],
            beta_g1_s=keys[2][0],
            beta_g1_sx=keys[2][1],
            tau_g2_spx=keys[0][2],
            alpha_g2_spx=keys[1][2],
            beta_g2_spx=keys[2][2],
        ),
        partial_hash=bytes(216),
        next_challenge=bytes(64),
        type=0,
        name=UNSAFE_NAME,
    )


def check_dev_ptau_request(path: str | os.PathLike[str], power: int) -> None:
    """``SetupError`` unless ``power`` is in range and the file name says ``unsafe``."""
    if not 1 <= power <= MAX_DEV_POWER:
        raise SetupError(f"dev ptau power must be between 1 and {MAX_DEV_POWER}, got {power}")
    if "unsafe" not in Path(path).name.lower():
        raise SetupError(
            f"{path}: a dev ptau's file name must contain 'unsafe' (e.g. pot{power}_unsafe.ptau), "
            "so nobody mistakes it for a ceremony file"
        )


def generate_dev_ptau(
    path: str | os.PathLike[str], power: int, dev: DevSecrets | None = None, backend: str | None = None
) -> None:
    """Write an UNSAFE prepared ``.ptau`` of ``power`` to ``path`` (atomically).

    ``backend``: ``"native"`` (the default when built: seconds at power 16,
    see ``native_ptau_dev``) or ``"python"``; the points are the same.
    """
    check_dev_ptau_request(path, power)
    if (backend or DEFAULT_BACKEND) == "native":
        from zksolvency.groth16.native_ptau_dev import generate_dev_ptau_native

        generate_dev_ptau_native(path, power, dev)
        return
    dev = dev or DevSecrets.random()
    n = 1 << power
    tau_pows = _powers(dev.tau, 2 * n)

    tau_g1 = g1_multiples(G1_GENERATOR, tau_pows[: 2 * n - 1])
    tau_g2 = g2_multiples(G2_GENERATOR, tau_pows[:n])
    alpha_tau_g1 = g1_multiples(G1_GENERATOR, [dev.alpha * t % R for t in tau_pows[:n]])
    beta_tau_g1 = g1_multiples(G1_GENERATOR, [dev.beta * t % R for t in tau_pows[:n]])
    beta_g2 = g2_mul(G2_GENERATOR, dev.beta)

    lag: list[int] = []
    for k in range(power + 1):
        lag.extend(lagrange_scalars(tau_pows, k))
    # The extra domain 2^(power+1) of section 12: tau^(2n-1) is not in section 2.
    lag_top = PythonKernels().ifft([*tau_pows[: 2 * n - 1], 0])

    lagrange = (
        g1_multiples(G1_GENERATOR, lag + lag_top),
        g2_multiples(G2_GENERATOR, lag),
        g1_multiples(G1_GENERATOR, [dev.alpha * x % R for x in lag]),
        g1_multiples(G1_GENERATOR, [dev.beta * x % R for x in lag]),
    )

    contribution = dev_contribution(
        power, dev, tau_g1[1], tau_g2[1], alpha_tau_g1[0], beta_tau_g1[0], beta_g2
    )
    write_ptau(
        path,
        power=power,
        ceremony_power=power,
        tau_g1=tau_g1,
        tau_g2=tau_g2,
        alpha_tau_g1=alpha_tau_g1,
        beta_tau_g1=beta_tau_g1,
        beta_g2=beta_g2,
        contributions=[contribution],
        lagrange=lagrange,
    )


def is_unsafe_dev_ptau(ptau: PTauFile) -> bool:
    """True when any contribution carries the UNSAFE label of a dev file."""
    return any((c.name or "").startswith("UNSAFE") for c in ptau.contributions)
