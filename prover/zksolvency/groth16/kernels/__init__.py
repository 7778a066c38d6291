"""Kernel backends behind one interface; ``get_kernels`` picks one by name."""

from __future__ import annotations

from zksolvency.groth16.kernels.interface import Kernels
from zksolvency.groth16.kernels.python import PythonKernels

BACKENDS = ("python",)


def get_kernels(name: str = "python") -> Kernels:
    """The kernels called ``name``; ``ValueError`` naming the choices otherwise."""
    if name == "python":
        return PythonKernels()
    raise ValueError(f"unknown kernel backend {name!r} (choose from: {', '.join(BACKENDS)})")


__all__ = ["BACKENDS", "Kernels", "PythonKernels", "get_kernels"]
