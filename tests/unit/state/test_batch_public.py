"""The batch header packs three ranged parts injectively; the commitment is Poseidon of four."""

from __future__ import annotations

import pytest

from zksolvency.bn254 import R
from zksolvency.hashing import poseidon
from zksolvency.state.batch_public import batch_header, settlement_public_input, split_header


def test_header_layout_and_round_trip() -> None:
    h = batch_header(3, 1_700_000_000, 25)
    assert h == 3 * 2**80 + 1_700_000_000 * 2**16 + 25
    assert split_header(h) == (3, 1_700_000_000, 25)
    top = batch_header(2**64 - 1, 2**64 - 1, 10_000)
    assert top < 2**144 < R and split_header(top) == (2**64 - 1, 2**64 - 1, 10_000)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((2**64, 0, 0), "batch id"),
        ((0, 2**64, 0), "batch time"),
        ((0, 0, 10_001), "fee"),
        ((-1, 0, 0), "batch id"),
    ],
)
def test_a_part_out_of_range_is_refused(parts: tuple[int, int, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        batch_header(*parts)


def test_a_header_with_a_fee_over_the_bound_does_not_split() -> None:
    with pytest.raises(ValueError, match="fee"):
        split_header(10_001)
    with pytest.raises(ValueError, match="2\\*\\*144"):
        split_header(2**144)


def test_public_input_is_poseidon_of_the_four_values_in_order() -> None:
    assert settlement_public_input(1, 2, 3, 4) == poseidon([1, 2, 3, 4])
    assert settlement_public_input(2, 1, 3, 4) != poseidon([1, 2, 3, 4])
    with pytest.raises(ValueError, match="new root"):
        settlement_public_input(1, R, 3, 4)
