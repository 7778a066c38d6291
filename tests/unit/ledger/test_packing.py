"""Packing of bounded sums (``zksolvency.ledger.packing``), with failure twins."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zksolvency.bn254 import R
from zksolvency.ledger import pack_sums, packed_length, sum_width, unpack_sums
from zksolvency.ledger.packing import wide_element


@st.composite
def _sums(draw: st.DrawFn) -> tuple[int, list[int]]:
    height = draw(st.integers(0, 9))
    bound = 2 ** (64 + 2 * height)
    values = draw(st.lists(st.integers(-bound + 1, bound - 1), min_size=1, max_size=25))
    return height, values


@given(_sums())
def test_pack_round_trips_and_stays_below_2_252(case: tuple[int, list[int]]) -> None:
    height, values = case
    packed = pack_sums(values, height)
    assert len(packed) == packed_length(len(values))
    assert all(0 <= element < 2**252 for element in packed)
    assert unpack_sums(packed, len(values), height) == values


@given(_sums())
def test_different_vectors_pack_differently(case: tuple[int, list[int]]) -> None:
    height, values = case
    bound = 2 ** (64 + 2 * height)
    changed = [values[0] + 1 if values[0] + 1 < bound else values[0] - 1, *values[1:]]
    assert pack_sums(changed, height) != pack_sums(values, height)


def test_widths_follow_the_circuit() -> None:
    assert [sum_width(h) for h in (0, 1, 9)] == [65, 67, 83]
    assert packed_length(20) == 7 and packed_length(3) == 1 and packed_length(4) == 2


@pytest.mark.parametrize("value", [2**64, -(2**64)])
def test_a_value_outside_the_leaf_bound_is_refused(value: int) -> None:
    assert pack_sums([2**64 - 1, -(2**64) + 1], 0)  # the twin: the extremes inside fit
    with pytest.raises(ValueError, match="value 1"):
        pack_sums([0, value], 0)


def test_heights_outside_0_to_9_are_refused() -> None:
    assert sum_width(9) == 83
    with pytest.raises(ValueError, match="height 10"):
        sum_width(10)
    with pytest.raises(ValueError, match="height -1"):
        pack_sums([1], -1)


def test_wide_values_are_one_field_element_up_to_2_246() -> None:
    assert wide_element(-5) == R - 5 and wide_element(2**246 - 1) == 2**246 - 1
    for value in (2**246, -(2**246)):
        with pytest.raises(ValueError, match=r"abs < 2\*\*246"):
            wide_element(value)
