"""The witness calculator: byte-identical to snarkjs, stricter about inputs.

Each success test has a failure twin right below it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zksolvency import toolchain
from zksolvency.bn254 import R
from zksolvency.circuit.compile import CompiledCircuit, compile_circuit
from zksolvency.circuit.formats.wtns import read_wtns
from zksolvency.circuit.witness import (
    WitnessCalculator,
    calculate_witness,
    calculate_witness_file,
    flatten_inputs,
    fnv1a_64,
    parse_value,
    read_input_json,
    read_inputs,
)
from zksolvency.cli.witness_cmd import witness
from zksolvency.errors import InputError

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "circuits" / "examples"

MATRIX = """pragma circom 2.1.6;
template Matrix() {
    signal input m[2][3];
    signal input k;
    signal output out[2][3];
    log("k is", k);
    for (var i = 0; i < 2; i++) {
        for (var j = 0; j < 3; j++) {
            out[i][j] <== m[i][j] * (k + 10 * i + j);
        }
    }
}
component main = Matrix();
"""


def _snarkjs_wtns(wasm: Path, inputs: dict[str, Any], tmp_path: Path) -> bytes:
    inp = tmp_path / "snarkjs-input.json"
    inp.write_text(json.dumps(inputs))
    out = tmp_path / "snarkjs.wtns"
    toolchain.run_tool([*toolchain.snarkjs_command(), "wtns", "calculate", str(wasm), str(inp), str(out)])
    return out.read_bytes()


def _ours_wtns(wasm: Path, inputs: dict[str, Any], tmp_path: Path) -> bytes:
    inp = tmp_path / "ours-input.json"
    inp.write_text(json.dumps(inputs))
    out = tmp_path / "ours.wtns"
    calculate_witness_file(wasm, inp, out)
    return out.read_bytes()


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> CompiledCircuit:
    folder = tmp_path_factory.mktemp("matrix")
    (folder / "matrix.circom").write_text(MATRIX)
    return compile_circuit(folder / "matrix.circom", out_dir=folder / "build")


@pytest.fixture(scope="module")
def multiplier_calc(multiplier: CompiledCircuit) -> WitnessCalculator:
    return WitnessCalculator(multiplier.wasm)


@pytest.fixture(scope="module")
def range_calc(poseidon_range: CompiledCircuit) -> WitnessCalculator:
    return WitnessCalculator(poseidon_range.wasm)


# --- pure helpers -------------------------------------------------------------------------


def test_fnv1a_64_reference_vectors() -> None:
    # Published FNV-1a 64-bit test vectors.
    assert fnv1a_64("") == 0xCBF29CE484222325
    assert fnv1a_64("a") == 0xAF63DC4C8601EC8C
    assert fnv1a_64("foobar") == 0x85944171F73967E8


def test_parse_value_accepts_ints_decimal_hex_and_negatives() -> None:
    assert parse_value(5, R, "x") == 5
    assert parse_value("123", R, "x") == 123
    assert parse_value("0x1F", R, "x") == 31
    assert parse_value(-1, R, "x") == R - 1
    assert parse_value("-" + str(R - 1), R, "x") == 1
    assert parse_value(R - 1, R, "x") == R - 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (R, "is not below the field prime r"),
        (str(R + 5), "is not below the field prime r"),
        (-R, "is not above -r"),
        ("12a", "is not an integer"),
        ("", "is not an integer"),
        (1.5, "got a float"),
        (True, "got a boolean"),
        (None, "got null"),
    ],
)
def test_parse_value_refuses(raw: Any, message: str) -> None:
    with pytest.raises(InputError, match=rf"input v\[3\]: .*{message}|input v\[3\]: {message}"):
        parse_value(raw, R, "v[3]")


def test_flatten_row_major_and_buses() -> None:
    flat = flatten_inputs({"m": [[1, 2, 3], [4, 5, 6]], "bus": {"x": 7, "ys": [{"y": 8}, {"y": 9}]}})
    assert [v for _, v in flat["m"]] == [1, 2, 3, 4, 5, 6]
    assert [i for i, _ in flat["m"]][4] == (1, 1)
    assert set(flat) == {"m", "bus.x", "bus.ys[0].y", "bus.ys[1].y"}


def test_flatten_refuses_duplicates_and_mixtures() -> None:
    with pytest.raises(InputError, match=r"input signal a\.b is given twice"):
        flatten_inputs({"a.b": 1, "a": {"b": 2}})
    with pytest.raises(InputError, match="input signal m: mixes objects and numbers"):
        flatten_inputs({"m": [1, {"x": 2}]})
    with pytest.raises(InputError, match="must be a JSON object"):
        flatten_inputs([1, 2])  # type: ignore[arg-type]


def test_read_input_json(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text('{"a": 123456789012345678901234567890}')
    assert read_input_json(path) == {"a": 123456789012345678901234567890}


def test_read_inputs_checks_values(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text('{"a": "-1", "m": [["0x10", 2]]}')
    assert read_inputs(path) == {"a": [R - 1], "m": [16, 2]}


def test_read_inputs_names_file_and_element(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(f'{{"a": 1, "m": [[1, 2], [3, "{R}"]]}}')
    with pytest.raises(InputError, match=rf"^{path}: input m\[1\]\[1\]: \d+ is not below the field prime r"):
        read_inputs(path)
    path.write_text('{"a": "' + "9" * 5000 + '"}')
    with pytest.raises(InputError, match=r"input a: a 5000-digit number is not below the field prime r"):
        read_inputs(path)
    path.write_text('{"a": ' + "9" * 5000 + "}")
    with pytest.raises(InputError, match=rf"^{path}: not usable JSON"):
        read_inputs(path)


def test_read_input_json_refuses_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text('{"a": 1,}')
    with pytest.raises(InputError, match=rf"{path}: not valid JSON"):
        read_input_json(path)
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match=rf"{path}: circuit inputs must be a JSON object"):
        read_input_json(path)


# --- byte-identical to snarkjs ------------------------------------------------------------


@pytest.mark.snarkjs
@pytest.mark.parametrize("example", ["multiplier", "poseidon_range"])
def test_wtns_identical_to_snarkjs(example: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    compiled: CompiledCircuit = request.getfixturevalue(example)
    inputs = json.loads((EXAMPLES / example / "input.json").read_text())
    ours = _ours_wtns(compiled.wasm, inputs, tmp_path)
    assert ours == _snarkjs_wtns(compiled.wasm, inputs, tmp_path)
    values = read_wtns(tmp_path / "ours.wtns")
    assert values[0] == 1
    if example == "multiplier":
        a, b = int(inputs["a"]), int(inputs["b"])
        assert values[1:3] == [a * b, pow(a * b, 8, R)]


@pytest.mark.snarkjs
def test_wtns_not_written_when_inputs_are_refused(multiplier: CompiledCircuit, tmp_path: Path) -> None:
    inp = tmp_path / "in.json"
    inp.write_text('{"a": 3}')
    with pytest.raises(InputError, match="missing input signal: b"):
        calculate_witness_file(multiplier.wasm, inp, tmp_path / "w.wtns")
    assert not (tmp_path / "w.wtns").exists()


@pytest.mark.snarkjs
def test_negative_input_matches_snarkjs(multiplier: CompiledCircuit, tmp_path: Path) -> None:
    inputs = {"a": "-3", "b": -11}
    ours = _ours_wtns(multiplier.wasm, inputs, tmp_path)
    assert ours == _snarkjs_wtns(multiplier.wasm, inputs, tmp_path)
    assert read_wtns(tmp_path / "ours.wtns")[1] == 33


@pytest.mark.snarkjs
def test_value_at_or_above_r_is_refused_where_snarkjs_reduces(
    multiplier: CompiledCircuit, multiplier_calc: WitnessCalculator, tmp_path: Path
) -> None:
    inputs = {"a": str(R + 3), "b": "11"}
    with pytest.raises(InputError, match=r"input a: \d+ is not below the field prime r"):
        multiplier_calc.calculate(inputs)
    # snarkjs silently computes the witness of a = 3.
    assert _snarkjs_wtns(multiplier.wasm, inputs, tmp_path) == _ours_wtns(
        multiplier.wasm, {"a": 3, "b": 11}, tmp_path
    )


@pytest.mark.snarkjs
def test_nested_arrays_row_major_match_snarkjs(matrix: CompiledCircuit, tmp_path: Path) -> None:
    inputs = {"m": [[1, 2, 3], [4, "5", "0x6"]], "k": 7}
    ours = _ours_wtns(matrix.wasm, inputs, tmp_path)
    assert ours == _snarkjs_wtns(matrix.wasm, {"m": [[1, 2, 3], [4, 5, 6]], "k": 7}, tmp_path)
    out = read_wtns(tmp_path / "ours.wtns")[1:7]
    assert out == [
        m * (7 + 10 * i + j) for i, row in enumerate([[1, 2, 3], [4, 5, 6]]) for j, m in enumerate(row)
    ]


@pytest.mark.snarkjs
def test_log_calls_are_collected(matrix: CompiledCircuit) -> None:
    calc = WitnessCalculator(matrix.wasm)
    calc.calculate({"m": [[0] * 3] * 2, "k": -1})
    assert calc.logs == [f"k is {R - 1}"]


@pytest.mark.snarkjs
def test_nested_array_value_errors_name_the_element(matrix: CompiledCircuit) -> None:
    with pytest.raises(InputError, match=r"input m\[1\]\[2\]: .* is not below the field prime r"):
        calculate_witness(matrix.wasm, {"m": [[1, 2, 3], [4, 5, R]], "k": 7})
    with pytest.raises(InputError, match="input signal m: expected 6 values, got 5"):
        calculate_witness(matrix.wasm, {"m": [[1, 2, 3], [4, 5]], "k": 7})


# --- refused inputs, each naming the signal -----------------------------------------------


@pytest.mark.snarkjs
def test_missing_signal_is_named(multiplier_calc: WitnessCalculator) -> None:
    with pytest.raises(InputError, match=r"^missing input signal: b \(1 values\)$"):
        multiplier_calc.calculate({"a": 3})


@pytest.mark.snarkjs
def test_missing_signals_of_poseidon_range(range_calc: WitnessCalculator) -> None:
    with pytest.raises(InputError, match=r"^missing input signals: limit \(1 values\), salt \(1 values\)$"):
        range_calc.calculate({"x": 5})


@pytest.mark.snarkjs
def test_missing_signal_without_sym_counts_values(multiplier: CompiledCircuit, tmp_path: Path) -> None:
    lone = tmp_path / "multiplier.wasm"
    shutil.copy(multiplier.wasm, lone)
    with pytest.raises(InputError, match=r"1 input values are missing .*no \.sym file"):
        calculate_witness(lone, {"a": 3})


@pytest.mark.snarkjs
def test_extra_signal_is_named(multiplier_calc: WitnessCalculator) -> None:
    with pytest.raises(
        InputError, match=r"input signal c is not an input of the circuit \(its inputs: a, b\)"
    ):
        multiplier_calc.calculate({"a": 3, "b": 4, "c": 12})


@pytest.mark.snarkjs
def test_wrong_length_is_named(multiplier_calc: WitnessCalculator) -> None:
    with pytest.raises(InputError, match="input signal a: expected 1 values, got 2"):
        multiplier_calc.calculate({"a": [3, 4], "b": 4})


@pytest.mark.snarkjs
def test_value_errors_are_named(multiplier_calc: WitnessCalculator) -> None:
    with pytest.raises(InputError, match=r"input b: .* is not above -r"):
        multiplier_calc.calculate({"a": 3, "b": -R})
    with pytest.raises(InputError, match=r"input b: '3\.0' is not an integer"):
        multiplier_calc.calculate({"a": 3, "b": "3.0"})


# --- the circuit's own asserts ------------------------------------------------------------


@pytest.mark.snarkjs
def test_valid_range_input(range_calc: WitnessCalculator) -> None:
    w = range_calc.calculate({"x": 2**64 - 2, "salt": 1, "limit": 2**64 - 1})
    assert len(w) == range_calc.n_witness and w[0] == 1


@pytest.mark.snarkjs
def test_failing_assert_surfaces_circoms_message(range_calc: WitnessCalculator) -> None:
    # x >= limit: `below.out === 1` fails inside PoseidonRange.
    with pytest.raises(InputError) as err:
        range_calc.calculate({"x": 10, "salt": 1, "limit": 10})
    assert "the circuit rejected the input: Assert Failed" in str(err.value)
    assert "Error in template PoseidonRange" in str(err.value) and "line: " in str(err.value)
    # x >= 2^64: the range check in circomlib's Num2Bits fails.
    with pytest.raises(InputError, match=r"Assert Failed: Error in template Num2Bits_\d+ line: \d+"):
        range_calc.calculate({"x": 2**64, "salt": 1, "limit": 10})


@pytest.mark.snarkjs
def test_calculator_recovers_after_a_failed_assert(
    poseidon_range: CompiledCircuit, range_calc: WitnessCalculator
) -> None:
    inputs = json.loads((EXAMPLES / "poseidon_range" / "input.json").read_text())
    with pytest.raises(InputError):
        range_calc.calculate({**inputs, "x": inputs["limit"]})
    assert range_calc.calculate(inputs) == calculate_witness(poseidon_range.wasm, inputs)


# --- the command --------------------------------------------------------------------------


@pytest.mark.snarkjs
def test_cli_witness_matches_snarkjs(multiplier: CompiledCircuit, tmp_path: Path) -> None:
    inp = EXAMPLES / "multiplier" / "input.json"
    out = tmp_path / "cli.wtns"
    result = CliRunner().invoke(witness, [str(multiplier.wasm), str(inp), str(out)])
    assert result.exit_code == 0, result.output
    assert "(7 values)" in result.output
    assert out.read_bytes() == _snarkjs_wtns(multiplier.wasm, json.loads(inp.read_text()), tmp_path)


@pytest.mark.snarkjs
def test_cli_witness_refused_input_exits_2(multiplier: CompiledCircuit, tmp_path: Path) -> None:
    inp = tmp_path / "in.json"
    inp.write_text('{"a": 3, "b": 4, "extra": [1, 2]}')
    out = tmp_path / "cli.wtns"
    result = CliRunner().invoke(witness, [str(multiplier.wasm), str(inp), str(out)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: input signal extra is not an input of the circuit (its inputs: a, b)"
    ]
    assert not out.exists()


def test_cli_witness_missing_wasm(tmp_path: Path) -> None:
    inp = tmp_path / "in.json"
    inp.write_text("{}")
    result = CliRunner().invoke(witness, [str(tmp_path / "nope.wasm"), str(inp), str(tmp_path / "w.wtns")])
    assert result.exit_code == 2 and "nope.wasm: no such witness calculator" in result.output
