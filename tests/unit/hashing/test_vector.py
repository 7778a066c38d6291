"""``hash_vector``: circuits/lib/hash.circom's ``HashVector(n)`` chain, in Python.

Each success test has a failure twin right below it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.hashing.vectors import HASH_VECTOR_1_TO_N, POSEIDON_1_TO_N
from zksolvency.bn254 import R
from zksolvency.hashing import hash_vector, poseidon


@pytest.mark.parametrize("n", sorted(HASH_VECTOR_1_TO_N))
def test_known_answers_from_circuit(n: int) -> None:
    assert hash_vector(list(range(1, n + 1))) == HASH_VECTOR_1_TO_N[n]


@pytest.mark.parametrize("n", sorted(HASH_VECTOR_1_TO_N))
def test_changed_or_swapped_element_changes_the_hash(n: int) -> None:
    values = list(range(1, n + 1))
    changed = [*values]
    changed[-1] += 1
    assert hash_vector(changed) != HASH_VECTOR_1_TO_N[n]
    if n > 1:
        swapped = [values[1], values[0], *values[2:]]
        assert hash_vector(swapped) != HASH_VECTOR_1_TO_N[n]


@pytest.mark.parametrize("n", range(1, 17))
def test_up_to_16_values_is_one_poseidon_call(n: int) -> None:
    assert hash_vector(list(range(1, n + 1))) == POSEIDON_1_TO_N[n]


def test_37_values_chain_16_then_15_then_6() -> None:
    """The example in hash.circom's header, spelled out."""
    v = list(range(1, 38))
    h = poseidon(v[:16])
    h = poseidon([h, *v[16:31]])
    h = poseidon([h, *v[31:]])
    assert hash_vector(v) == h == HASH_VECTOR_1_TO_N[37]


def test_other_chunkings_give_other_hashes() -> None:
    """Twin: 16 + 16 (h + 15, then h + 6) is the only chunking that matches; 16 + 14 + ... does not."""
    v = list(range(1, 38))
    h = poseidon(v[:16])
    h = poseidon([h, *v[16:30]])
    h = poseidon([h, *v[30:]])
    assert h != HASH_VECTOR_1_TO_N[37]
    assert poseidon([poseidon(v[:15]), *v[15:30]]) != hash_vector(v[:30])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=R - 1), min_size=17, max_size=60))
def test_long_vectors_follow_the_chain(values: list[int]) -> None:
    h = poseidon(values[:16])
    for start in range(16, len(values), 15):
        h = poseidon([h, *values[start : start + 15]])
    assert hash_vector(values) == h


def test_empty_vector_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        hash_vector([])


@pytest.mark.parametrize(("index", "value"), [(0, R), (15, -1), (16, R), (36, 2**256)])
def test_bad_element_is_named_by_its_index_in_the_vector(index: int, value: int) -> None:
    values = list(range(37))
    values[index] = value
    with pytest.raises(ValueError, match=rf"input {index} = -?\d+ is not a field element"):
        hash_vector(values)


def test_non_integer_element_is_named_by_its_index() -> None:
    values: list[object] = list(range(20))
    values[18] = 1.5
    with pytest.raises(TypeError, match="input 18 must be an integer, not float"):
        hash_vector(values)  # type: ignore[arg-type]
