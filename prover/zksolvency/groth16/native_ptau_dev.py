"""The UNSAFE dev ptau's points, computed natively (power 16 in seconds).

The same bytes as ``python_ptau_dev.dev_ptau_points`` for the same secrets
(see that module for every section's definition, and ``ptau_dev_record`` for
why the file is unsafe): the powers ``tau^i``, the Lagrange scalars ``L_j(tau)
= ifft(1, tau, ..., tau^(2^k - 1))_j`` of every domain, and each point ``x * G``
from fixed-base tables all come from ``prover/native/src/setup.rs``.
"""

from __future__ import annotations

from zksolvency import _native
from zksolvency.bn254 import N8
from zksolvency.circuit.formats.ptau import PTAU_POINT_SECTIONS
from zksolvency.groth16.ptau_dev_record import DevSecrets


def dev_ptau_points(power: int, dev: DevSecrets) -> dict[int, bytes]:
    """The point sections (2-6, 12-15) of the dev file for ``dev``, LEM, by section id."""
    secrets = (x.to_bytes(N8, "little") for x in (dev.tau, dev.alpha, dev.beta))
    # ``_native.dev_ptau`` returns the point sections in file order.
    return dict(zip(PTAU_POINT_SECTIONS, _native.dev_ptau(power, *secrets), strict=True))
