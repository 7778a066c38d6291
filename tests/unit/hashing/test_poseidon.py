"""The Python Poseidon: known answers from circomlib, fast form = reference form, input checks.

Each success test has a failure twin right below it.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.hashing.vectors import POSEIDON_1_TO_N
from zksolvency.bn254 import R
from zksolvency.hashing import permute, permute_reference, poseidon, poseidon_parameters, poseidon_reference

field = st.integers(min_value=0, max_value=R - 1)
extreme_field = st.one_of(field, st.sampled_from([0, 1, 2, R - 2, R - 1]))


# --- known answers -----------------------------------------------------------------


@pytest.mark.parametrize("n", sorted(POSEIDON_1_TO_N))
def test_known_answers_from_circomlib(n: int) -> None:
    inputs = list(range(1, n + 1))
    assert poseidon(inputs) == POSEIDON_1_TO_N[n]
    assert poseidon_reference(inputs) == POSEIDON_1_TO_N[n]


def test_widely_published_value_of_poseidon_1_2() -> None:
    assert poseidon([1, 2]) == 7853200120776062878684798364095072458815029376092732009249414926327459813530


@pytest.mark.parametrize("n", sorted(POSEIDON_1_TO_N))
def test_a_changed_input_changes_the_hash(n: int) -> None:
    inputs = list(range(1, n + 1))
    for i in range(n):
        changed = [*inputs]
        changed[i] += 1
        assert poseidon(changed) != POSEIDON_1_TO_N[n]
    assert poseidon(inputs[::-1]) != POSEIDON_1_TO_N[n] or n == 1


def test_inputs_are_not_padded_with_zeros() -> None:
    """``Poseidon(n)`` and ``Poseidon(n + 1)`` of the same values plus a 0 differ (t is part of the hash)."""
    assert poseidon([1, 2, 0]) != poseidon([1, 2])
    assert poseidon([0]) != poseidon([0, 0])


# --- fast form against the reference ------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=17).flatmap(lambda t: st.lists(extreme_field, min_size=t, max_size=t))
)
def test_fast_permutation_equals_reference(state: list[int]) -> None:
    params = poseidon_parameters(len(state))
    assert permute(state) == permute_reference(state, params)


@settings(max_examples=30, deadline=None)
@given(st.lists(field, min_size=1, max_size=16))
def test_fast_hash_equals_reference(inputs: list[int]) -> None:
    assert poseidon(inputs) == poseidon_reference(inputs)


@pytest.mark.parametrize("t", [2, 3, 10, 17])
def test_reference_with_a_wrong_constant_or_a_transposed_mds_disagrees(t: int) -> None:
    """Twin of the equality above: the comparison sees a single changed constant or a transposition."""
    params = poseidon_parameters(t)
    state = list(range(t))
    consts = list(params.round_constants)
    consts[t * (params.rounds // 2)] += 1  # a partial round's lane-0 constant
    wrong_constant = dataclasses.replace(params, round_constants=tuple(consts))
    transposed = dataclasses.replace(params, mds=tuple(zip(*params.mds, strict=True)))
    assert permute_reference(state, wrong_constant) != permute(state)
    assert permute_reference(state, transposed) != permute(state)


def test_permutation_outputs_are_reduced_field_elements() -> None:
    for t in (2, 9, 17):
        out = permute([R - 1] * t)
        assert len(out) == t and all(type(v) is int and 0 <= v < R for v in out)


@pytest.mark.parametrize("t", [0, 1, 18])
def test_permutation_of_unsupported_width_is_rejected(t: int) -> None:
    with pytest.raises(ValueError, match=r"t must be an integer in 2\.\.17"):
        permute([0] * t)


def test_reference_permutation_with_wrong_state_length_is_rejected() -> None:
    with pytest.raises(ValueError, match="state has 4 lanes, the parameters are for t = 3"):
        permute_reference([0] * 4, poseidon_parameters(3))


# --- input checks ------------------------------------------------------------------


def test_largest_and_smallest_field_elements_are_accepted() -> None:
    assert 0 <= poseidon([0, R - 1]) < R


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ([R], r"input 0 = \d+ is not a field element"),
        ([1, 2, R + 5], r"input 2 = \d+ is not a field element"),
        ([1, -1], r"input 1 = -1 is not a field element"),
        ([], r"takes 1 to 16 inputs, got 0"),
        (list(range(17)), r"takes 1 to 16 inputs, got 17"),
    ],
)
def test_bad_inputs_are_rejected_not_reduced(inputs: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        poseidon(inputs)
    with pytest.raises(ValueError, match=message):
        poseidon_reference(inputs)


@pytest.mark.parametrize(
    ("value", "name"), [(1.0, "float"), ("1", "str"), (True, "bool"), (None, "NoneType")]
)
def test_non_integer_inputs_are_rejected(value: object, name: str) -> None:
    with pytest.raises(TypeError, match=f"input 1 must be an integer, not {name}"):
        poseidon([1, value])  # type: ignore[list-item]


def test_integer_like_inputs_are_accepted() -> None:
    """Anything with ``__index__`` (gmpy2's mpz, numpy's integers) hashes like the int it stands for."""
    gmpy2 = pytest.importorskip("gmpy2")
    np = pytest.importorskip("numpy")
    assert poseidon([gmpy2.mpz(1), np.int64(2)]) == POSEIDON_1_TO_N[2]
