"""The kernel interface: the heavy arithmetic Groth16 needs, behind one protocol.

The protocol code (setup, prove) calls only these operations, so a native
implementation can replace the pure-Python reference without touching it.
Scalars are integers in ``[0, r)``, points are affine ``bn254.G1Point`` /
``G2Point``, and every sequence of evaluations is in natural order over the
ffjavascript-compatible domain of its length (see ``groth16.fields``).

Definitions, for a domain ``H = {w^i}`` of size ``n`` (a power of two):

* ``fft(p)[i] = sum_j p[j] * w^(i*j)``: coefficients to evaluations on ``H``;
* ``ifft(e)``: its inverse, evaluations to coefficients;
* ``coset_fft(p, g)[i] = sum_j p[j] * (g * w^i)^j``: evaluations on ``g * H``;
* ``quotient_scalars(A, B, C)``: given evaluations of the QAP polynomials
  ``A(x), B(x), C(x)`` on ``H``, the values of ``A*B - C`` on the odd points
  ``w2^(2i+1)`` of the domain of size ``2n`` (``w2`` its generator). snarkjs's
  ``.zkey`` pairs those values with its H points ``L^{2n}_{2i+1}(tau) / delta``,
  so no division by the vanishing polynomial is needed: ``A*B - C`` vanishes
  on the even points, and ``sum_i (A*B - C)(w2^(2i+1)) L^{2n}_{2i+1}(tau)`` is
  ``h(tau) * Z(tau)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from zksolvency.bn254 import G1Point, G2Point


class Kernels(Protocol):
    """What a backend must provide; ``name`` is shown in logs and benchmark tables."""

    name: str

    def msm_g1(self, bases: Sequence[G1Point], scalars: Sequence[int]) -> G1Point:
        """``sum_i scalars[i] * bases[i]`` in G1."""
        ...

    def msm_g2(self, bases: Sequence[G2Point], scalars: Sequence[int]) -> G2Point:
        """``sum_i scalars[i] * bases[i]`` in G2."""
        ...

    def fft(self, coeffs: Sequence[int]) -> list[int]: ...

    def ifft(self, evals: Sequence[int]) -> list[int]: ...

    def coset_fft(self, coeffs: Sequence[int], shift: int) -> list[int]: ...

    def quotient_scalars(
        self, a_evals: Sequence[int], b_evals: Sequence[int], c_evals: Sequence[int]
    ) -> list[int]: ...


#: Anything with the buffer protocol: bytes, bytearray, memoryview, mmap, numpy ``uint8`` arrays.
Buffer = bytes | bytearray | memoryview


class SectionKernels(Protocol):
    """The same arithmetic on sections as they lie in ``.ptau`` / ``.zkey`` files (setup and ceremonies).

    Points are LEM runs (see ``circuit.formats.codec``), scalars 32-byte
    little-endian normal form; every point read is checked on its curve
    (``FormatError`` otherwise). ``U`` is the uncompressed big-endian encoding
    of the transcripts, ``C`` ffjavascript's compressed one (the x-coordinate,
    bit ``0x80`` of the first byte when ``y`` is above ``(q - 1) / 2``, infinity
    ``0x40`` then zeros). ``blake2b_absorb`` continues a saved BLAKE2b-512 state
    (``groth16.blake2b_state``; empty: a fresh hash).
    """

    name: str

    def msm_g1(self, bases: Buffer, scalars: Buffer) -> bytes:
        """``sum_i k_i P_i`` in G1, as one LEM point."""
        ...

    def msm_g2(self, bases: Buffer, scalars: Buffer) -> bytes:
        """``sum_i k_i P_i`` in G2, as one LEM point."""
        ...

    def scale_g1(self, section: Buffer, k: int) -> bytes:
        """``k P_i`` for every point of a G1 section."""
        ...

    def u_g1(self, section: Buffer) -> bytes: ...

    def u_g2(self, section: Buffer) -> bytes: ...

    def c_g1(self, section: Buffer) -> bytes: ...

    def c_g2(self, section: Buffer) -> bytes: ...

    def fft(self, scalars: Buffer) -> bytes:
        """Evaluations on the domain of the vector's length, as in :class:`Kernels`."""
        ...

    def coset_fft(self, scalars: Buffer, shift: int) -> bytes:
        """Evaluations on the coset ``shift * H``, as in :class:`Kernels`."""
        ...

    def pairing_is_one(self, g1: Buffer, g2: Buffer) -> bool:
        """``prod_i e(P_i, Q_i) == 1`` for the G1 points ``g1`` and G2 points ``g2``, pairwise."""
        ...

    def g2_in_subgroup(self, point: Buffer) -> bool:
        """Whether one LEM G2 point lies in the order-``r`` subgroup."""
        ...

    def blake2b_absorb(self, state: bytes, data: Buffer) -> bytes: ...
