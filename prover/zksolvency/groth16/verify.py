"""Groth16 verification, the entry point: ``verify(vk, public, proof, backend)``.

The rules are ``validation`` (malformed input raises :class:`MalformedInput`
with the reason); the pairing check is the chosen backend's (``python_verify``
with py_ecc, ``native_verify`` with arkworks; ``groth16.backends`` chooses).
Both give the same answer. The check, with ``vk_x = IC_0 + sum_i x_i IC_i``::

    e(-A, B) * e(alpha, beta) * e(vk_x, gamma) * e(C, delta) == 1
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.groth16.backends import get_backend
from zksolvency.groth16.validation import MalformedInput, Verification, validate


def verify(
    vk: VerificationKey, public: Sequence[int], proof: Proof, backend: str | None = None
) -> Verification:
    """Check ``proof`` for ``public`` under ``vk``; raises :class:`MalformedInput` first if need be.

    ``backend``: ``"native"`` (arkworks, the default when built) or ``"python"`` (py_ecc).
    """
    return get_backend(backend).verify(vk, public, proof)


__all__ = ["MalformedInput", "Verification", "validate", "verify"]
