"""Many multiples of one fixed point: windowed tables, one mixed addition per window.

For a base ``P`` and window width ``w``, precompute ``T[i][d] = d * 2^(w*i) * P``
for every window ``i`` and digit ``d``; then ``k * P = sum_i T[i][digit_i(k)]``,
i.e. ``ceil(254 / w)`` mixed additions and no doublings. The single-party dev
ceremony multiplies the generators by tens of thousands of scalars, where this
is about ten times faster than double-and-add.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from zksolvency.bn254 import G1Point, G2Point, R
from zksolvency.groth16 import curve

_WINDOW = 8
_N_WINDOWS = (R.bit_length() + _WINDOW - 1) // _WINDOW


def _table(
    base_j: Any,
    add: Callable[[Any, Any], Any],
    double: Callable[[Any], Any],
    inf: Any,
    to_affine_many: Callable[[Sequence[Any]], list[Any]],
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    window_base = base_j
    for _ in range(_N_WINDOWS):
        row = [inf, window_base]
        for _d in range(2, 1 << _WINDOW):
            row.append(add(row[-1], window_base))
        rows.append(row)
        for _ in range(_WINDOW):
            window_base = double(window_base)
    flat = to_affine_many([p for row in rows for p in row])
    width = 1 << _WINDOW
    return [flat[i * width : (i + 1) * width] for i in range(_N_WINDOWS)]


def _multiply_all(
    table: list[list[Any]],
    scalars: Sequence[int],
    inf: Any,
    from_affine: Callable[[Any], Any],
    add_mixed: Callable[[Any, Any, Any], Any],
) -> list[Any]:
    mask = (1 << _WINDOW) - 1
    out = []
    # Pre-split the affine table entries into coordinates once.
    coords = [[None if p is None else from_affine(p)[:2] for p in row] for row in table]
    for k in scalars:
        k %= R
        acc = inf
        i = 0
        while k:
            digit = k & mask
            if digit:
                xy = coords[i][digit]
                assert xy is not None
                acc = add_mixed(acc, xy[0], xy[1])
            k >>= _WINDOW
            i += 1
        out.append(acc)
    return out


def g1_multiples(base: G1Point, scalars: Sequence[int]) -> list[G1Point]:
    """``[k * base for k in scalars]`` in affine form."""
    table = _table(
        curve.g1_from_affine(base), curve.g1_add, curve.g1_double, curve.G1_INF, curve.g1_batch_to_affine
    )
    points = _multiply_all(table, scalars, curve.G1_INF, curve.g1_from_affine, curve.g1_add_mixed)
    return curve.g1_batch_to_affine(points)


def g2_multiples(base: G2Point, scalars: Sequence[int]) -> list[G2Point]:
    table = _table(
        curve.g2_from_affine(base), curve.g2_add, curve.g2_double, curve.G2_INF, curve.g2_batch_to_affine
    )
    points = _multiply_all(table, scalars, curve.G2_INF, curve.g2_from_affine, curve.g2_add_mixed)
    return curve.g2_batch_to_affine(points)
