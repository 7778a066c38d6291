"""The UNSAFE single-party dev ptau, the entry point: ``generate_dev_ptau(path, power)``.

Why it exists and why it is unsafe: ``ptau_dev_record``. The points come from
the chosen backend (``python_ptau_dev`` or ``native_ptau_dev``, chosen by
``groth16.backends``), the one contribution record from ``ptau_dev_record``;
the file is written atomically.
"""

from __future__ import annotations

import os

from zksolvency.circuit.formats.ptau import write_ptau_sections
from zksolvency.groth16.backends import get_backend
from zksolvency.groth16.phase1 import first_challenge_hash
from zksolvency.groth16.ptau_dev_record import (
    MAX_DEV_POWER,
    UNSAFE_NAME,
    DevSecrets,
    check_dev_ptau_request,
    dev_contribution,
    is_unsafe_dev_ptau,
)
from zksolvency.groth16.python_ptau_dev import lagrange_scalars


def generate_dev_ptau(
    path: str | os.PathLike[str], power: int, dev: DevSecrets | None = None, backend: str | None = None
) -> None:
    """Write an UNSAFE prepared ``.ptau`` of ``power`` to ``path`` (atomically).

    ``backend``: ``"native"`` (the default when built: seconds at power 16)
    or ``"python"``; the points are the same.
    """
    check_dev_ptau_request(path, power)
    chosen = get_backend(backend)
    dev = dev or DevSecrets.random()
    points = chosen.dev_ptau_points(power, dev)
    contribution = dev_contribution(power, dev, points, chosen.sections)
    write_ptau_sections(path, power, power, points, [contribution])


__all__ = [
    "MAX_DEV_POWER",
    "UNSAFE_NAME",
    "DevSecrets",
    "first_challenge_hash",
    "generate_dev_ptau",
    "is_unsafe_dev_ptau",
    "lagrange_scalars",
]
