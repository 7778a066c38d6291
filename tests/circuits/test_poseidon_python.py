"""The Python Poseidon against circomlib 2.0.5: its circuits and its published constant tables.

* ``poseidon_vectors/poseidon_all.circom``: circomlib's ``Poseidon(n)`` for every ``n = 1..16``
  in one circuit; ``poseidon_vectors/hash_vector_all.circom``: ``circuits/lib/hash.circom``'s
  ``HashVector(n)`` for ``n = 1, 16, 17, 31, 37``. Both are compiled once per module with
  the project's compile wrapper and run by ``zksolvency.circuit.witness``; their outputs are
  witness values ``1..k`` (circom puts the main component's outputs first).
* circomlib's tables: ``poseidon_constants_old.circom`` holds the raw round constants and MDS
  matrices (``C[r t + i]``, ``M[i][j]`` with ``out_i = sum_j M[i][j] in_j``);
  ``poseidon_constants.circom`` holds the optimised form (``C`` of length ``t R_F + R_P``, and
  ``S``, ``P``) and the MDS matrix stored transposed (its ``Mix`` computes
  ``out_i = sum_j M[j][i] in_j``).

Each success test has a failure twin right below it.
"""

from __future__ import annotations

import dataclasses
import re
from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.hashing.vectors import HASH_VECTOR_1_TO_N, HASH_VECTOR_SIZES, POSEIDON_1_TO_N
from zksolvency import toolchain
from zksolvency.bn254 import R
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.hashing import hash_vector, permute_reference, poseidon, poseidon_parameters

pytestmark = [pytest.mark.snarkjs, pytest.mark.slow]

VECTORS = Path(__file__).resolve().parent / "poseidon_vectors"
WIDTHS = range(1, 17)
#: Where each ``Poseidon(n)``'s inputs start in ``poseidon_all.circom``'s ``in``.
P_OFFSETS = [0, *accumulate(WIDTHS)]
HV_OFFSETS = [0, *accumulate(HASH_VECTOR_SIZES)]

field = st.integers(min_value=0, max_value=R - 1)


@pytest.fixture(scope="module")
def poseidon_all(
    tmp_path_factory: pytest.TempPathFactory, _isolated_compile_cache: Path
) -> WitnessCalculator:
    out = tmp_path_factory.mktemp("poseidon_all")
    return WitnessCalculator(compile_circuit(VECTORS / "poseidon_all.circom", out_dir=out).wasm)


@pytest.fixture(scope="module")
def hash_vector_all(
    tmp_path_factory: pytest.TempPathFactory, _isolated_compile_cache: Path
) -> WitnessCalculator:
    out = tmp_path_factory.mktemp("hash_vector_all")
    return WitnessCalculator(compile_circuit(VECTORS / "hash_vector_all.circom", out_dir=out).wasm)


def circuit_poseidons(calc: WitnessCalculator, slices: list[list[int]]) -> list[int]:
    """circomlib's ``Poseidon(n)`` of ``slices[n - 1]`` for every ``n``, in one witness."""
    assert [len(s) for s in slices] == list(WIDTHS)
    witness = calc.calculate({"in": [v for s in slices for v in s]})
    return witness[1 : 1 + len(WIDTHS)]


def circuit_hash_vectors(calc: WitnessCalculator, vectors: list[list[int]]) -> list[int]:
    assert [len(v) for v in vectors] == list(HASH_VECTOR_SIZES)
    witness = calc.calculate({"in": [x for v in vectors for x in v]})
    return witness[1 : 1 + len(HASH_VECTOR_SIZES)]


# --- Poseidon(n), n = 1..16 -------------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(field, min_size=P_OFFSETS[-1], max_size=P_OFFSETS[-1]))
def test_poseidon_equals_circomlib_for_every_width(poseidon_all: WitnessCalculator, flat: list[int]) -> None:
    slices = [flat[P_OFFSETS[n - 1] : P_OFFSETS[n]] for n in WIDTHS]
    assert circuit_poseidons(poseidon_all, slices) == [poseidon(s) for s in slices]


def test_a_changed_input_changes_the_circuits_hash_and_ours(poseidon_all: WitnessCalculator) -> None:
    slices = [list(range(1, n + 1)) for n in WIDTHS]
    before = circuit_poseidons(poseidon_all, slices)
    changed = [[*s[:-1], s[-1] + 1] for s in slices]
    after = circuit_poseidons(poseidon_all, changed)
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert after == [poseidon(s) for s in changed]


def test_extreme_inputs_equal_circomlib(poseidon_all: WitnessCalculator) -> None:
    for fill in (0, R - 1):
        slices = [[fill] * n for n in WIDTHS]
        assert circuit_poseidons(poseidon_all, slices) == [poseidon(s) for s in slices]


def test_stored_known_answers_come_from_the_circuit(poseidon_all: WitnessCalculator) -> None:
    slices = [list(range(1, n + 1)) for n in WIDTHS]
    assert circuit_poseidons(poseidon_all, slices) == [POSEIDON_1_TO_N[n] for n in WIDTHS]
    assert POSEIDON_1_TO_N[2] == 7853200120776062878684798364095072458815029376092732009249414926327459813530


def test_wrong_parameters_would_not_match_the_circuit(poseidon_all: WitnessCalculator) -> None:
    """Twin: the reference permutation with a transposed MDS or one changed constant misses circomlib."""
    slices = [list(range(1, n + 1)) for n in WIDTHS]
    expected = circuit_poseidons(poseidon_all, slices)
    for n in (1, 2, 9, 16):
        params = poseidon_parameters(n + 1)
        right = permute_reference([0, *slices[n - 1]], params)[0]
        transposed = dataclasses.replace(params, mds=tuple(zip(*params.mds, strict=True)))
        consts = (params.round_constants[0] + 1, *params.round_constants[1:])
        shifted = dataclasses.replace(params, round_constants=consts)
        assert right == expected[n - 1]
        assert permute_reference([0, *slices[n - 1]], transposed)[0] != expected[n - 1]
        assert permute_reference([0, *slices[n - 1]], shifted)[0] != expected[n - 1]


# --- HashVector(n) -----------------------------------------------------------------


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(field, min_size=HV_OFFSETS[-1], max_size=HV_OFFSETS[-1]))
def test_hash_vector_equals_hash_circom(hash_vector_all: WitnessCalculator, flat: list[int]) -> None:
    vectors = [flat[HV_OFFSETS[k] : HV_OFFSETS[k + 1]] for k in range(len(HASH_VECTOR_SIZES))]
    assert circuit_hash_vectors(hash_vector_all, vectors) == [hash_vector(v) for v in vectors]


def test_stored_hash_vector_answers_come_from_the_circuit(hash_vector_all: WitnessCalculator) -> None:
    vectors = [list(range(1, n + 1)) for n in HASH_VECTOR_SIZES]
    assert circuit_hash_vectors(hash_vector_all, vectors) == [
        HASH_VECTOR_1_TO_N[n] for n in HASH_VECTOR_SIZES
    ]


def test_swapped_elements_change_the_circuits_hash_vector(hash_vector_all: WitnessCalculator) -> None:
    """Twin: order matters in the circuit as in Python (a swap across a chunk boundary, 15 <-> 16)."""
    vectors = [list(range(1, n + 1)) for n in HASH_VECTOR_SIZES]
    swapped = [v if len(v) < 17 else [*v[:15], v[16], v[15], *v[17:]] for v in vectors]
    got = circuit_hash_vectors(hash_vector_all, swapped)
    for v, s, h in zip(vectors, swapped, got, strict=True):
        assert h == hash_vector(s)
        assert (h != hash_vector(v)) == (v != s)


# --- circomlib's constant tables ----------------------------------------------------


def circom_function_tables(path: Path, function: str) -> dict[int, list[int]]:
    """``{t: flattened numbers}`` of ``function POSEIDON_X(t) { if (t == 2) { return [...]; } ... }``."""
    text = path.read_text()
    body = text[text.index(f"function {function}(") :]
    end = body.find("\nfunction ", 1)
    body = body if end < 0 else body[:end]
    parts = re.split(r"if\s*\(\s*t\s*==\s*(\d+)\s*\)", body)
    tables: dict[int, list[int]] = {}
    for t_text, block in zip(parts[1::2], parts[2::2], strict=True):
        numbers = re.findall(r"0x[0-9a-fA-F]+|\b\d+\b", block.split("}", 1)[0])
        tables[int(t_text)] = [int(x, 0) for x in numbers]
    return tables


@pytest.fixture(scope="module")
def circomlib_circuits() -> Path:
    return toolchain.circomlib_dir() / "circuits"


def test_raw_round_constants_and_mds_equal_circomlibs(circomlib_circuits: Path) -> None:
    old = circomlib_circuits / "poseidon_constants_old.circom"
    c_tables = circom_function_tables(old, "POSEIDON_C")
    m_tables = circom_function_tables(old, "POSEIDON_M")
    assert sorted(c_tables) == sorted(m_tables) == list(range(2, 18))
    for t in range(2, 18):
        p = poseidon_parameters(t)
        assert c_tables[t] == list(p.round_constants), f"round constants differ for t = {t}"
        assert m_tables[t] == [m for row in p.mds for m in row], f"MDS differs for t = {t}"


def test_optimised_file_holds_the_transposed_mds_and_optimised_constants(circomlib_circuits: Path) -> None:
    new = circomlib_circuits / "poseidon_constants.circom"
    c_tables = circom_function_tables(new, "POSEIDON_C")
    m_tables = circom_function_tables(new, "POSEIDON_M")
    for t in range(2, 18):
        p = poseidon_parameters(t)
        assert m_tables[t] == [p.mds[j][i] for i in range(t) for j in range(t)], f"MDS differs for t = {t}"
        # The optimised C has one vector per full round and one scalar per partial round, so only
        # the first round's vector (added before any S-box) is the raw one.
        assert len(c_tables[t]) == t * p.full_rounds + p.partial_rounds
        assert c_tables[t][:t] == list(p.round_constants[:t])


def test_a_changed_constant_is_noticed_by_the_table_comparison(circomlib_circuits: Path) -> None:
    """Twin: the comparison is not vacuous (the file's order and values matter)."""
    old = circomlib_circuits / "poseidon_constants_old.circom"
    p = poseidon_parameters(3)
    c3 = circom_function_tables(old, "POSEIDON_C")[3]
    m3 = circom_function_tables(old, "POSEIDON_M")[3]
    assert c3 != [*p.round_constants[:-1], (p.round_constants[-1] + 1) % R]
    assert m3 != [p.mds[j][i] for i in range(3) for j in range(3)]  # the old file is not transposed


def test_partial_round_counts_are_read_from_circomlibs_poseidon(circomlib_circuits: Path) -> None:
    text = (circomlib_circuits / "poseidon.circom").read_text()
    match = re.search(r"N_ROUNDS_P\[16\]\s*=\s*\[([^\]]*)\]", text)
    assert match is not None, "N_ROUNDS_P not found in circomlib's poseidon.circom"
    counts = [int(x) for x in match.group(1).split(",")]
    assert counts == [poseidon_parameters(t).partial_rounds for t in range(2, 18)]
    assert counts != [poseidon_parameters(t).partial_rounds for t in range(3, 18)] + [68]  # order matters
