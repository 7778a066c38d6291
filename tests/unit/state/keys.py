"""Test keys: points k * Base8 of Baby Jubjub (circomlib's generator of the prime subgroup)."""

from __future__ import annotations

import json
from pathlib import Path

from zksolvency.orders.babyjub import BASE8, multiply


def test_key(k: int) -> tuple[int, int]:
    """``k * Base8`` (``k >= 1``)."""
    return multiply(BASE8, k)


test_key.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def write_keys(path: Path, ids: list[str]) -> dict[str, tuple[int, int]]:
    """A public-keys file with key ``(k + 1) * Base8`` for the ``k``-th id."""
    keys = {account: test_key(k + 1) for k, account in enumerate(ids)}
    lines = [json.dumps({"account": a, "public": {"x": str(x), "y": str(y)}}) for a, (x, y) in keys.items()]
    path.write_text("".join(line + "\n" for line in lines))
    return keys
