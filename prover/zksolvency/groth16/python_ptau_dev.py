"""The UNSAFE dev ptau's points in pure Python (the reference backend): fixed-base multiples of known scalars.

Because the secrets are known (``ptau_dev_record.DevSecrets``), every point is
a multiple of a generator by a known scalar, computed with fixed-base tables:

* section 2: ``tau^i * G1`` for ``i < 2^(power+1) - 1``; section 3: ``tau^i * G2``
  for ``i < 2^power``; sections 4, 5: ``alpha * tau^i * G1``, ``beta * tau^i * G1``;
  section 6: ``beta * G2``;
* sections 12-15 (the phase-2 preparation): for each domain of size ``2^k``,
  the Lagrange basis at tau, ``L_j(tau) = ifft(1, tau, ..., tau^(2^k - 1))_j``,
  times ``G1``, ``G2``, ``alpha G1``, ``beta G1``. Section 12 carries one more
  domain, ``2^(power+1)``, whose last power of tau is absent from section 2 and
  counts as zero, exactly as ``snarkjs powersoftau prepare phase2`` computes it.

``native_ptau_dev`` computes the same bytes in Rust; ``ptau_dev`` writes the file.
"""

from __future__ import annotations

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, R
from zksolvency.circuit.formats.codec import encode_g1_lem_many, encode_g2_lem, encode_g2_lem_many
from zksolvency.circuit.formats.ptau import PTAU_POINT_SECTIONS
from zksolvency.groth16.curve import g2_mul
from zksolvency.groth16.fixed_base import g1_multiples, g2_multiples
from zksolvency.groth16.kernels.python import PythonKernels
from zksolvency.groth16.ptau_dev_record import DevSecrets


def _powers(x: int, n: int) -> list[int]:
    out = [1] * n
    for i in range(1, n):
        out[i] = out[i - 1] * x % R
    return out


def lagrange_scalars(tau_powers: list[int], log_n: int) -> list[int]:
    """``L_j(tau)`` for the domain of size ``2^log_n`` from ``tau^0 .. tau^(2^log_n - 1)``."""
    n = 1 << log_n
    return PythonKernels().ifft(tau_powers[:n])


def dev_ptau_points(power: int, dev: DevSecrets) -> dict[int, bytes]:
    """The point sections (2-6, 12-15) of the dev file for ``dev``, LEM, by section id."""
    n = 1 << power
    tau_pows = _powers(dev.tau, 2 * n)
    lag: list[int] = []
    for k in range(power + 1):
        lag.extend(lagrange_scalars(tau_pows, k))
    # The extra domain 2^(power+1) of section 12: tau^(2n-1) is not in section 2.
    lag_top = PythonKernels().ifft([*tau_pows[: 2 * n - 1], 0])
    sections = (  # in file order: tauG1, tauG2, alphaTauG1, betaTauG1, betaG2, then the Lagrange ones
        encode_g1_lem_many(g1_multiples(G1_GENERATOR, tau_pows[: 2 * n - 1])),
        encode_g2_lem_many(g2_multiples(G2_GENERATOR, tau_pows[:n])),
        encode_g1_lem_many(g1_multiples(G1_GENERATOR, [dev.alpha * t % R for t in tau_pows[:n]])),
        encode_g1_lem_many(g1_multiples(G1_GENERATOR, [dev.beta * t % R for t in tau_pows[:n]])),
        encode_g2_lem(g2_mul(G2_GENERATOR, dev.beta)),
        encode_g1_lem_many(g1_multiples(G1_GENERATOR, lag + lag_top)),
        encode_g2_lem_many(g2_multiples(G2_GENERATOR, lag)),
        encode_g1_lem_many(g1_multiples(G1_GENERATOR, [dev.alpha * x % R for x in lag])),
        encode_g1_lem_many(g1_multiples(G1_GENERATOR, [dev.beta * x % R for x in lag])),
    )
    return dict(zip(PTAU_POINT_SECTIONS, sections, strict=True))
