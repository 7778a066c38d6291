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

from collections.abc import Callable, Sequence
from typing import TypeVar

from zksolvency.bn254 import N8, G1Point, G2Point, R
from zksolvency.circuit.formats.codec import (
    decode_g1_lem,
    decode_g2_lem,
    encode_g1_lem_many,
    encode_g2_lem_many,
)
from zksolvency.errors import FormatError
from zksolvency.groth16.kernels.interface import Buffer

T = TypeVar("T")

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


def _native_call(what: str, call: Callable[[], T]) -> T:
    """Run a native call; its ``ValueError`` (a bad point or scalar) becomes a ``FormatError``."""
    try:
        return call()
    except ValueError as exc:
        raise FormatError(f"{what}: {exc}") from None


class NativeSectionKernels:
    """:class:`SectionKernels` in Rust: each call reads its buffers in place, GIL released."""

    name = "native"

    def __init__(self) -> None:
        require_native()

    def msm_g1(self, bases: Buffer, scalars: Buffer) -> bytes:
        return _native_call("msm_g1", lambda: _native.msm_g1(bases, scalars))

    def msm_g2(self, bases: Buffer, scalars: Buffer) -> bytes:
        return _native_call("msm_g2", lambda: _native.msm_g2(bases, scalars))

    def scale_g1(self, section: Buffer, k: int) -> bytes:
        return _native_call("scale_g1", lambda: _native.scale_g1(section, scalars_to_bytes([k])))

    def u_g1(self, section: Buffer) -> bytes:
        return _native_call("U encoding", lambda: _native.lem_to_u_g1(section))

    def u_g2(self, section: Buffer) -> bytes:
        return _native_call("U encoding", lambda: _native.lem_to_u_g2(section))

    def c_g1(self, section: Buffer) -> bytes:
        return _native_call("C encoding", lambda: _native.compressed_g1(section))

    def c_g2(self, section: Buffer) -> bytes:
        return _native_call("C encoding", lambda: _native.compressed_g2(section))

    def fft(self, scalars: Buffer) -> bytes:
        return _native_call("fft", lambda: _native.fft(scalars))

    def coset_fft(self, scalars: Buffer, shift: int) -> bytes:
        return _native_call("coset_fft", lambda: _native.coset_fft(scalars, scalars_to_bytes([shift])))

    def pairing_is_one(self, g1: Buffer, g2: Buffer) -> bool:
        return _native_call("pairing", lambda: _native.pairing_is_one(g1, g2))

    def g2_in_subgroup(self, point: Buffer) -> bool:
        return _native_call("G2 point", lambda: _native.g2_in_subgroup(point))

    def blake2b_absorb(self, state: bytes, data: Buffer) -> bytes:
        return _native_call("BLAKE2b", lambda: _native.blake2b_absorb(state, data))


__all__ = [
    "NATIVE_IMPORT_ERROR",
    "NativeKernels",
    "NativeSectionKernels",
    "native_available",
    "require_native",
    "scalars_from_bytes",
    "scalars_to_bytes",
]
