"""Test keys: points k * Base8 of Baby Jubjub (circomlib's generator of the prime subgroup)."""

from __future__ import annotations

import json
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.state.init import BABYJUB_A, BABYJUB_D

BASE8 = (
    5299619240641551281634865583518297030282874472190772894086521144482721001553,
    16950150798460657717958625567821834550301663161624707787222815936182638968203,
)


def _add(p: tuple[int, int], q: tuple[int, int]) -> tuple[int, int]:
    (x1, y1), (x2, y2) = p, q
    t = BABYJUB_D * x1 * x2 * y1 * y2 % R
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, -1, R) % R
    y3 = (y1 * y2 - BABYJUB_A * x1 * x2) * pow(1 - t, -1, R) % R
    return x3, y3


def test_key(k: int) -> tuple[int, int]:
    """``k * Base8`` by double-and-add (``k >= 1``)."""
    result: tuple[int, int] = (0, 1)
    point = BASE8
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


test_key.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def write_keys(path: Path, ids: list[str]) -> dict[str, tuple[int, int]]:
    """A public-keys file with key ``(k + 1) * Base8`` for the ``k``-th id."""
    keys = {account: test_key(k + 1) for k, account in enumerate(ids)}
    lines = [json.dumps({"account": a, "public": {"x": str(x), "y": str(y)}}) for a, (x, y) in keys.items()]
    path.write_text("".join(line + "\n" for line in lines))
    return keys
