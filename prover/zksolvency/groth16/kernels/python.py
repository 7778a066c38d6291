"""Reference kernels in pure Python: Pippenger multi-scalar multiplication and radix-2 FFTs.

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

from zksolvency.bn254 import G1Point, G2Point, R
from zksolvency.groth16 import curve
from zksolvency.groth16.fields import RR, big, fr_inv, root_of_unity


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
