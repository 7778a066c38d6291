"""The native kernels: arkworks in Rust (``zksolvency._native``, built from ``prover/native``).

This class implements the :class:`Kernels` protocol for differential tests
and for callers that hold decoded points; each call encodes its inputs to
the boundary layout (LEM points, 32-byte little-endian normal-form scalars),
which is per-element Python work. The fast paths skip that entirely: the
prover (``groth16.native_prove``) and setup (``groth16.native_setup``) hand
the native side whole ``.zkey`` / ``.ptau`` sections as they lie in the file.
See ``docs/native.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.bn254 import N8, G1Point, G2Point, R
from zksolvency.circuit.formats.codec import (
    decode_g1_lem,
    decode_g2_lem,
    encode_g1_lem_many,
    encode_g2_lem_many,
)

try:
    from zksolvency import _native

    NATIVE_IMPORT_ERROR: str | None = None
except ImportError as exc:  # pragma: no cover - depends on the build
    _native = None  # type: ignore[assignment]
    NATIVE_IMPORT_ERROR = str(exc)


def native_available() -> bool:
    """True when the extension module imports (it is built by ``pip install -e .``)."""
    return _native is not None


def require_native() -> None:
    """``RuntimeError`` saying how to build the extension when it is missing."""
    if _native is None:
        raise RuntimeError(
            f"the native backend is not built ({NATIVE_IMPORT_ERROR}); "
            "run `make install` (pip install -e '.[dev]' builds prover/native with maturin)"
        )


def scalars_to_bytes(values: Sequence[int]) -> bytes:
    """32-byte little-endian normal form, each value reduced modulo ``r`` first."""
    return b"".join((v % R).to_bytes(N8, "little") for v in values)


def scalars_from_bytes(data: bytes) -> list[int]:
    return [int.from_bytes(data[i : i + N8], "little") for i in range(0, len(data), N8)]


class NativeKernels:
    """The arkworks backend behind the :class:`Kernels` protocol."""

    name = "native"

    def __init__(self) -> None:
        require_native()

    def msm_g1(self, bases: Sequence[G1Point], scalars: Sequence[int]) -> G1Point:
        if len(bases) != len(scalars):
            raise ValueError(f"msm_g1: {len(bases)} bases but {len(scalars)} scalars")
        out = _native.msm_g1(encode_g1_lem_many(list(bases)), scalars_to_bytes(scalars))
        return decode_g1_lem(out, "native msm_g1")

    def msm_g2(self, bases: Sequence[G2Point], scalars: Sequence[int]) -> G2Point:
        if len(bases) != len(scalars):
            raise ValueError(f"msm_g2: {len(bases)} bases but {len(scalars)} scalars")
        out = _native.msm_g2(encode_g2_lem_many(list(bases)), scalars_to_bytes(scalars))
        return decode_g2_lem(out, "native msm_g2")

    def fft(self, coeffs: Sequence[int]) -> list[int]:
        return scalars_from_bytes(_native.fft(scalars_to_bytes(coeffs)))

    def ifft(self, evals: Sequence[int]) -> list[int]:
        return scalars_from_bytes(_native.ifft(scalars_to_bytes(evals)))

    def coset_fft(self, coeffs: Sequence[int], shift: int) -> list[int]:
        return scalars_from_bytes(_native.coset_fft(scalars_to_bytes(coeffs), scalars_to_bytes([shift])))

    def quotient_scalars(
        self, a_evals: Sequence[int], b_evals: Sequence[int], c_evals: Sequence[int]
    ) -> list[int]:
        a, b, c = (scalars_to_bytes(v) for v in (a_evals, b_evals, c_evals))
        return scalars_from_bytes(_native.quotient(a, b, c))


__all__ = [
    "NATIVE_IMPORT_ERROR",
    "NativeKernels",
    "native_available",
    "require_native",
    "scalars_from_bytes",
    "scalars_to_bytes",
]
