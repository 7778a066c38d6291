"""Reference kernels in pure Python: Pippenger multi-scalar multiplication, radix-2 FFTs, py_ecc pairings.

Short and readable first; fast enough for circuits of a few thousand
constraints. gmpy2 integers are used when installed (see ``groth16.fields``).

Pippenger's bucket method, for ``n`` points and ``b``-bit scalars with window
``c``: split each scalar into ``ceil(b / c)`` digits; for each window, add every
point into the bucket of its digit (``n`` mixed additions), then form
``sum_d d * bucket[d]`` with two running sums (``2^(c+1)`` additions); combine
windows from the top with ``c`` doublings each. Cost about
``(b / c) * (n + 2^(c+1))`` additions, minimised near ``c = log2(n) - 4``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from py_ecc import optimized_bn128 as bn

from zksolvency.bn254 import N8, G1Point, G2Point, Q, R
from zksolvency.circuit.formats.codec import (
    decode_g1_lem_many,
    decode_g2_lem,
    decode_g2_lem_many,
    encode_g1_lem,
    encode_g1_lem_many,
    encode_g1_u,
    encode_g2_lem,
    encode_g2_u,
)
from zksolvency.groth16 import curve
from zksolvency.groth16.blake2b_state import blake2b_absorb
from zksolvency.groth16.fields import RR, big, fr_inv, root_of_unity
from zksolvency.groth16.kernels.interface import Buffer


def _window_bits(n: int) -> int:
    return max(2, n.bit_length() - 4)


def _pippenger(
    pairs: list[tuple[Any, Any, int]],
    inf: Any,
    add_mixed: Callable[[Any, Any, Any], Any],
    add: Callable[[Any, Any], Any],
    double: Callable[[Any], Any],
) -> Any:
    """``sum k * (x, y)`` over ``pairs`` of affine coordinates and non-zero scalars."""
    c = _window_bits(len(pairs))
    mask = (1 << c) - 1
    top_bits = max(k.bit_length() for _, _, k in pairs)
    n_windows = (top_bits + c - 1) // c
    result = inf
    for w in range(n_windows - 1, -1, -1):
        for _ in range(c):
            result = double(result)
        shift = w * c
        buckets: dict[int, Any] = {}
        for x, y, k in pairs:
            digit = (k >> shift) & mask
            if digit:
                bucket = buckets.get(digit)
                buckets[digit] = add_mixed(inf if bucket is None else bucket, x, y)
        if not buckets:
            continue
        running = inf
        window_sum = inf
        for digit in range(max(buckets), 0, -1):
            bucket = buckets.get(digit)
            if bucket is not None:
                running = add(running, bucket)
            window_sum = add(window_sum, running)
        result = add(result, window_sum)
    return result


def _fft_in_place(a: list[Any], omega: int) -> list[Any]:
    """Iterative radix-2 Cooley-Tukey: evaluations at ``omega^i`` in natural order."""
    n = len(a)
    if n & (n - 1):
        raise ValueError(f"FFT length {n} is not a power of two")
    log_n = n.bit_length() - 1
    # bit-reversal permutation
    for i in range(n):
        j = int(bin(i)[2:].zfill(log_n)[::-1], 2) if log_n else 0
        if i < j:
            a[i], a[j] = a[j], a[i]
    m = 1
    while m < n:
        w_m = big(pow(omega, n // (2 * m), R))
        twiddles = [big(1)] * m
        for j in range(1, m):
            twiddles[j] = twiddles[j - 1] * w_m % RR
        for k in range(0, n, 2 * m):
            for j in range(m):
                t = twiddles[j] * a[k + j + m] % RR
                u = a[k + j]
                a[k + j] = (u + t) % RR
                a[k + j + m] = (u - t) % RR
        m *= 2
    return a


def _log2(n: int) -> int:
    if n <= 0 or n & (n - 1):
        raise ValueError(f"domain size {n} is not a power of two")
    return n.bit_length() - 1


class PythonKernels:
    """The pure-Python reference backend."""

    name = "python"

    def msm_g1(self, bases: Sequence[G1Point], scalars: Sequence[int]) -> G1Point:
        if len(bases) != len(scalars):
            raise ValueError(f"msm_g1: {len(bases)} bases but {len(scalars)} scalars")
        pairs = [
            (big(p[0]), big(p[1]), k % R)
            for p, k in zip(bases, scalars, strict=True)
            if p is not None and k % R
        ]
        if not pairs:
            return None
        acc = _pippenger(pairs, curve.G1_INF, curve.g1_add_mixed, curve.g1_add, curve.g1_double)
        return curve.g1_to_affine(acc)

    def msm_g2(self, bases: Sequence[G2Point], scalars: Sequence[int]) -> G2Point:
        if len(bases) != len(scalars):
            raise ValueError(f"msm_g2: {len(bases)} bases but {len(scalars)} scalars")
        pairs = []
        for p, k in zip(bases, scalars, strict=True):
            if p is not None and k % R:
                x, y, _ = curve.g2_from_affine(p)
                pairs.append((x, y, k % R))
        if not pairs:
            return None
        acc = _pippenger(pairs, curve.G2_INF, curve.g2_add_mixed, curve.g2_add, curve.g2_double)
        return curve.g2_to_affine(acc)

    def fft(self, coeffs: Sequence[int]) -> list[int]:
        omega = root_of_unity(_log2(len(coeffs)))
        return [int(v) for v in _fft_in_place([big(v) for v in coeffs], omega)]

    def ifft(self, evals: Sequence[int]) -> list[int]:
        n = len(evals)
        omega_inv = fr_inv(root_of_unity(_log2(n)))
        n_inv = big(fr_inv(n))
        out = _fft_in_place([big(v) for v in evals], omega_inv)
        return [int(v * n_inv % RR) for v in out]

    def coset_fft(self, coeffs: Sequence[int], shift: int) -> list[int]:
        scaled = []
        g = big(shift % R)
        power = big(1)
        for v in coeffs:
            scaled.append(big(v) * power % RR)
            power = power * g % RR
        return self.fft([int(v) for v in scaled])

    def quotient_scalars(
        self, a_evals: Sequence[int], b_evals: Sequence[int], c_evals: Sequence[int]
    ) -> list[int]:
        n = len(a_evals)
        odd_shift = root_of_unity(_log2(n) + 1)
        a_odd, b_odd, c_odd = (self.coset_fft(self.ifft(e), odd_shift) for e in (a_evals, b_evals, c_evals))
        return [(a * b - c) % R for a, b, c in zip(a_odd, b_odd, c_odd, strict=True)]


def pairing_product_is_one(pairs: Sequence[tuple[G1Point, G2Point]]) -> bool:
    """``prod e(P_i, Q_i) == 1`` with py_ecc: Miller loops multiplied, one final exponentiation."""
    acc = bn.FQ12.one()
    for p, q in pairs:
        acc = acc * bn.pairing(_py_g2(q), _py_g1(p), final_exponentiate=False)
    return bool(bn.final_exponentiate(acc) == bn.FQ12.one())


def _py_g1(p: G1Point) -> tuple[bn.FQ, bn.FQ, bn.FQ]:
    if p is None:
        return bn.Z1
    return (bn.FQ(p[0]), bn.FQ(p[1]), bn.FQ.one())


def _py_g2(p: G2Point) -> tuple[bn.FQ2, bn.FQ2, bn.FQ2]:
    if p is None:
        return bn.Z2
    (x0, x1), (y0, y1) = p
    return (bn.FQ2([x0, x1]), bn.FQ2([y0, y1]), bn.FQ2.one())


def _negative(y: int) -> bool:
    return y > (Q - 1) // 2


def _compressed_g1(p: G1Point) -> bytes:
    if p is None:
        return b"\x40" + bytes(N8 - 1)
    out = bytearray(p[0].to_bytes(N8, "big"))
    if _negative(p[1]):
        out[0] |= 0x80
    return bytes(out)


def _compressed_g2(p: G2Point) -> bytes:
    if p is None:
        return b"\x40" + bytes(2 * N8 - 1)
    (x0, x1), (y0, y1) = p
    out = bytearray(x1.to_bytes(N8, "big") + x0.to_bytes(N8, "big"))
    if _negative(y1) if y1 else _negative(y0):
        out[0] |= 0x80
    return bytes(out)


class PythonSectionKernels:
    """:class:`SectionKernels` by decoding each point and using :class:`PythonKernels` and py_ecc."""

    name = "python"

    def __init__(self) -> None:
        self._kernels = PythonKernels()

    def msm_g1(self, bases: Buffer, scalars: Buffer) -> bytes:
        points = decode_g1_lem_many(bytes(bases), "G1 bases")
        return encode_g1_lem(self._kernels.msm_g1(points, _scalars(scalars)))

    def msm_g2(self, bases: Buffer, scalars: Buffer) -> bytes:
        points = decode_g2_lem_many(bytes(bases), "G2 bases")
        return encode_g2_lem(self._kernels.msm_g2(points, _scalars(scalars)))

    def scale_g1(self, section: Buffer, k: int) -> bytes:
        points = decode_g1_lem_many(bytes(section), "G1 section")
        jac = [curve.g1_mul_jacobian(p, k % R) for p in points]
        return encode_g1_lem_many(curve.g1_batch_to_affine(jac))

    def u_g1(self, section: Buffer) -> bytes:
        return b"".join(encode_g1_u(p) for p in decode_g1_lem_many(bytes(section), "G1 section"))

    def u_g2(self, section: Buffer) -> bytes:
        return b"".join(encode_g2_u(p) for p in decode_g2_lem_many(bytes(section), "G2 section"))

    def c_g1(self, section: Buffer) -> bytes:
        return b"".join(_compressed_g1(p) for p in decode_g1_lem_many(bytes(section), "G1 section"))

    def c_g2(self, section: Buffer) -> bytes:
        return b"".join(_compressed_g2(p) for p in decode_g2_lem_many(bytes(section), "G2 section"))

    def fft(self, scalars: Buffer) -> bytes:
        return b"".join(v.to_bytes(N8, "little") for v in self._kernels.fft(_scalars(scalars)))

    def coset_fft(self, scalars: Buffer, shift: int) -> bytes:
        values = self._kernels.coset_fft(_scalars(scalars), shift)
        return b"".join(v.to_bytes(N8, "little") for v in values)

    def pairing_is_one(self, g1: Buffer, g2: Buffer) -> bool:
        a = decode_g1_lem_many(bytes(g1), "pairing G1 points")
        b = decode_g2_lem_many(bytes(g2), "pairing G2 points")
        if len(a) != len(b):
            raise ValueError(f"pairing: {len(a)} G1 points but {len(b)} G2 points")
        return pairing_product_is_one(list(zip(a, b, strict=True)))

    def g2_in_subgroup(self, point: Buffer) -> bool:
        return curve.g2_in_subgroup(decode_g2_lem(bytes(point), "G2 point"))

    def blake2b_absorb(self, state: bytes, data: Buffer) -> bytes:
        return blake2b_absorb(state, data)


def _scalars(data: Buffer) -> list[int]:
    raw = bytes(data)
    if len(raw) % N8:
        raise ValueError(f"scalars: {len(raw)} bytes is not a whole number of {N8}-byte values")
    out = [int.from_bytes(raw[i : i + N8], "little") for i in range(0, len(raw), N8)]
    for i, v in enumerate(out):
        if v >= R:
            raise ValueError(f"scalars[{i}]: value is not below the field modulus r")
    return out
