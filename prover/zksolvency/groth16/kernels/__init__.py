"""Kernel backends behind one interface; ``get_kernels`` (``get_section_kernels``) picks one by name.

``native`` (Rust + arkworks, ``zksolvency._native``) is the default whenever
the extension imports; ``python`` is the pure-Python reference.
"""

from __future__ import annotations

from zksolvency.groth16.kernels.interface import Kernels, SectionKernels
from zksolvency.groth16.kernels.native import NativeKernels, NativeSectionKernels, native_available
from zksolvency.groth16.kernels.python import PythonKernels, PythonSectionKernels

#: Available backends, the default first.
BACKENDS: tuple[str, ...] = ("native", "python") if native_available() else ("python",)
DEFAULT_BACKEND = BACKENDS[0]


def get_kernels(name: str | None = None) -> Kernels:
    """The kernels called ``name`` (default: :data:`DEFAULT_BACKEND`); ``ValueError`` naming the choices."""
    name = name or DEFAULT_BACKEND
    if name == "python":
        return PythonKernels()
    if name == "native" and native_available():
        return NativeKernels()
    # The reference backend is named first, then the others (the default among them when built).
    choices = ", ".join(sorted(BACKENDS, key=lambda b: b != "python"))
    raise ValueError(f"unknown kernel backend {name!r} (choose from: {choices})")


def get_section_kernels(name: str | None = None) -> SectionKernels:
    """The section kernels of backend ``name`` (default: :data:`DEFAULT_BACKEND`)."""
    return NativeSectionKernels() if isinstance(get_kernels(name), NativeKernels) else PythonSectionKernels()


def is_native(kernels: Kernels | None) -> bool:
    """True when ``kernels`` (``None``: the default) is the native backend."""
    return isinstance(kernels if kernels is not None else get_kernels(), NativeKernels)


__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "Kernels",
    "NativeKernels",
    "NativeSectionKernels",
    "PythonKernels",
    "PythonSectionKernels",
    "SectionKernels",
    "get_kernels",
    "get_section_kernels",
    "is_native",
    "native_available",
]
