"""``circuits/lib/lookup.circom`` on its own: LogUp with multiplicities, weights and compressed
tuples; each honest case has a failing twin."""

from __future__ import annotations

import functools

import pytest

from tests.circuits.test_solvency_fixtures import LIB, Circuit, _compile
from zksolvency.bn254 import R
from zksolvency.errors import InputError

ALPHA = 0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0
GAMMA = 0x0FED_CBA9_8765_4321_0FED_CBA9


@functools.cache
def _logup() -> Circuit:
    source = f'pragma circom 2.1.6;\ninclude "{LIB / "lookup.circom"}";\ncomponent main = LogUp(3, 4);\n'
    return _compile(source, "logup_3_4")


@functools.cache
def _compressed() -> Circuit:
    """Two reads of (index, value) pairs against three rows, compressed with gamma."""
    source = f"""pragma circom 2.1.6;
include "{LIB / "lookup.circom"}";
template Pairs() {{
    signal input alpha;
    signal input gamma;
    signal input read[2][2];
    signal input row[3][2];
    signal input mult[3];
    component g = Powers(2);
    g.x <== gamma;
    component lookup = LogUp(2, 3);
    component cr[2];
    for (var k = 0; k < 2; k++) {{
        cr[k] = Compress(2);
        cr[k].in <== read[k];
        cr[k].gammaPow <== g.out;
        lookup.read[k] <== cr[k].out;
        lookup.weight[k] <== 1;
    }}
    component cw[3];
    for (var j = 0; j < 3; j++) {{
        cw[j] = Compress(2);
        cw[j].in <== row[j];
        cw[j].gammaPow <== g.out;
        lookup.row[j] <== cw[j].out;
        lookup.mult[j] <== mult[j];
    }}
    lookup.alpha <== alpha;
}}
component main = Pairs();
"""
    return _compile(source, "logup_pairs")


def _satisfied(circuit: Circuit, inputs: dict[str, object]) -> bool:
    try:
        witness = circuit.witness(inputs)
    except InputError as exc:  # the calculator asserts every === it meets
        assert "Assert Failed" in str(exc), exc
        return False
    return circuit.failing_names(witness) is None


def _plain(reads: list[int], weights: list[int], mult: list[int], alpha: int = ALPHA) -> dict[str, object]:
    return {"alpha": alpha, "read": reads, "weight": weights, "row": [2, 3, 5, 7], "mult": mult}


def test_reads_with_matching_multiplicities_hold() -> None:
    assert _satisfied(_logup(), _plain([2, 5, 2], [1, 1, 1], [2, 0, 1, 0]))


def test_multiplicity_off_by_one_fails() -> None:
    assert not _satisfied(_logup(), _plain([2, 5, 2], [1, 1, 1], [1, 0, 1, 0]))
    assert not _satisfied(_logup(), _plain([2, 5, 2], [1, 1, 1], [2, 0, 1, 1]))


def test_read_outside_the_table_fails() -> None:
    assert not _satisfied(_logup(), _plain([2, 4, 2], [1, 1, 1], [2, 0, 1, 0]))


def test_zero_weight_read_is_inert_and_weights_add_up() -> None:
    """A read of weight 0 needs no row (padding); weights sum per row (weighted logUp)."""
    assert _satisfied(_logup(), _plain([2, 99, 7], [5, 0, R - 3], [5, 0, 0, R - 3]))
    assert not _satisfied(_logup(), _plain([2, 99, 7], [5, 1, R - 3], [5, 0, 0, R - 3]))


def test_challenge_equal_to_a_read_has_no_witness() -> None:
    """alpha - v = 0 with a non-zero weight: the fraction has no value, the proof fails
    (the calculator's hint is 0 and 0 * 0 != 1)."""
    assert not _satisfied(_logup(), _plain([2, 5, 2], [1, 1, 1], [2, 0, 1, 0], alpha=5))


def _pairs(reads: list[list[int]], mult: list[int]) -> dict[str, object]:
    return {"alpha": ALPHA, "gamma": GAMMA, "read": reads, "row": [[0, 10], [1, 20], [2, 30]], "mult": mult}


def test_compressed_pairs_hold_when_every_read_is_a_row() -> None:
    assert _satisfied(_compressed(), _pairs([[1, 20], [1, 20]], [0, 2, 0]))


@pytest.mark.parametrize(
    "read", [[1, 21], [1, 30], [2, 20]], ids=["value-off", "other-row-value", "other-index"]
)
def test_compressed_pair_not_in_the_table_fails(read: list[int]) -> None:
    assert not _satisfied(_compressed(), _pairs([[1, 20], read], [0, 2, 0]))
    assert not _satisfied(_compressed(), _pairs([[1, 20], read], [0, 1, 1]))
