"""The UNSAFE single-party dev ``.ptau``, computed natively (power 16 in seconds).

Same file as ``ptau_dev.generate_dev_ptau`` for the same secrets (see that
module for every section's definition and for why the file is unsafe): the
powers ``tau^i``, the Lagrange scalars ``L_j(tau) = ifft(1, tau, ...,
tau^(2^k - 1))_j`` of every domain, and each point ``x * G`` from fixed-base
tables all come from ``prover/native/src/setup.rs``. Only the contribution
record (named ``UNSAFE ...``) is built in Python.
"""

from __future__ import annotations

import os

from zksolvency import _native
from zksolvency.bn254 import N8
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES, decode_g1_lem, decode_g2_lem
from zksolvency.circuit.formats.ptau import (
    PTAU_SECTION_ALPHA_TAU_G1,
    PTAU_SECTION_BETA_G2,
    PTAU_SECTION_BETA_TAU_G1,
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1,
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G2,
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    write_ptau_sections,
)
from zksolvency.groth16.ptau_dev import DevSecrets, check_dev_ptau_request, dev_contribution

#: The order of the sections ``_native.dev_ptau`` returns.
_NATIVE_ORDER = (
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    PTAU_SECTION_ALPHA_TAU_G1,
    PTAU_SECTION_BETA_TAU_G1,
    PTAU_SECTION_BETA_G2,
    PTAU_SECTION_LAGRANGE_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G2,
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1,
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1,
)


def dev_ptau_points(power: int, dev: DevSecrets) -> dict[int, bytes]:
    """The point sections (2-6, 12-15) of the dev file for ``dev``, LEM, by section id."""
    secrets = (x.to_bytes(N8, "little") for x in (dev.tau, dev.alpha, dev.beta))
    return dict(zip(_NATIVE_ORDER, _native.dev_ptau(power, *secrets), strict=True))


def generate_dev_ptau_native(path: str | os.PathLike[str], power: int, dev: DevSecrets | None = None) -> None:
    """Write an UNSAFE prepared ``.ptau`` of ``power`` to ``path`` (atomically), natively."""
    check_dev_ptau_request(path, power)
    dev = dev or DevSecrets.random()
    points = dev_ptau_points(power, dev)
    contribution = dev_contribution(
        power,
        dev,
        decode_g1_lem(points[PTAU_SECTION_TAU_G1][G1_BYTES : 2 * G1_BYTES], "tauG1[1]"),
        decode_g2_lem(points[PTAU_SECTION_TAU_G2][G2_BYTES : 2 * G2_BYTES], "tauG2[1]"),
        decode_g1_lem(points[PTAU_SECTION_ALPHA_TAU_G1][:G1_BYTES], "alphaTauG1[0]"),
        decode_g1_lem(points[PTAU_SECTION_BETA_TAU_G1][:G1_BYTES], "betaTauG1[0]"),
        decode_g2_lem(points[PTAU_SECTION_BETA_G2], "betaG2"),
    )
    write_ptau_sections(path, power, power, points, [contribution])
