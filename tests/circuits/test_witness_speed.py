"""The witness calculator's two speed-ups keep its answers: unchecked reads and the compiled cache.

Each has a failure twin: a fast path that disagrees is caught and dropped, and a damaged
compiled file is compiled again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zksolvency.circuit import wasm_fastcall
from zksolvency.circuit.compile import CompiledCircuit
from zksolvency.circuit.wasm_cache import compiled_path
from zksolvency.circuit.witness import WitnessCalculator

INPUTS = {"a": 7, "b": 11}


def _checked(circuit: CompiledCircuit, inputs: dict[str, int]) -> list[int]:
    calculator = WitnessCalculator(circuit.wasm)
    calculator._unchecked_calls = False
    return calculator.calculate(inputs)


def test_unchecked_reads_give_the_checked_witness(poseidon_range: CompiledCircuit) -> None:
    inputs = {"x": 12345, "salt": 678, "limit": 10**9}
    calculator = WitnessCalculator(poseidon_range.wasm)
    fast = calculator.calculate(inputs)
    assert calculator._unchecked_calls  # the fast path was used, and stays on
    assert fast == _checked(poseidon_range, inputs)
    assert len(fast) == calculator.n_witness > 100


def test_a_fast_path_that_disagrees_is_dropped(
    poseidon_range: CompiledCircuit, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = {"x": 5, "salt": 6, "limit": 10**9}
    honest = _checked(poseidon_range, inputs)

    class Skewed(wasm_fastcall.WitnessReader):
        def read(self, count: int, start: int, n8: int) -> list[int]:
            values = super().read(count, start, n8)
            values[-1] += 1  # a reader that gets the last signal wrong
            return values

    def skewed(*args: object) -> wasm_fastcall.WitnessReader:
        from wasmtime import _ffi as ffi

        return Skewed(ffi, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("zksolvency.circuit.witness.make_reader", skewed)
    calculator = WitnessCalculator(poseidon_range.wasm)
    assert calculator.calculate(inputs) == honest
    assert not calculator._unchecked_calls  # and it is not used again


def test_the_compiled_module_is_cached_and_reused(multiplier: CompiledCircuit) -> None:
    cached = compiled_path(Path(multiplier.wasm).read_bytes())
    first = WitnessCalculator(multiplier.wasm).calculate(INPUTS)
    assert cached.is_file()
    stamp = cached.stat().st_mtime_ns
    assert WitnessCalculator(multiplier.wasm).calculate(INPUTS) == first
    assert cached.stat().st_mtime_ns == stamp  # loaded, not written again


def test_a_damaged_compiled_module_is_compiled_again(multiplier: CompiledCircuit) -> None:
    cached = compiled_path(Path(multiplier.wasm).read_bytes())
    expected = WitnessCalculator(multiplier.wasm).calculate(INPUTS)
    cached.write_bytes(b"not machine code")
    assert WitnessCalculator(multiplier.wasm).calculate(INPUTS) == expected
    assert cached.read_bytes() != b"not machine code"


def test_the_native_witness_bytes_are_the_packed_witness(poseidon_range: CompiledCircuit) -> None:
    inputs = {"x": 42, "salt": 7, "limit": 10**9}
    calculator = WitnessCalculator(poseidon_range.wasm)
    data = calculator.calculate_bytes(inputs)
    assert calculator._unchecked_calls
    assert data == b"".join(v.to_bytes(32, "little") for v in _checked(poseidon_range, inputs))


def test_native_witness_bytes_that_disagree_are_dropped(
    poseidon_range: CompiledCircuit, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = {"x": 43, "salt": 8, "limit": 10**9}
    honest = b"".join(v.to_bytes(32, "little") for v in _checked(poseidon_range, inputs))

    def skewed(*_args: object) -> bytes:
        return honest[:-1] + bytes([honest[-1] ^ 1])  # the last signal read wrong

    monkeypatch.setattr(wasm_fastcall.WitnessReader, "read_bytes", lambda self, *a: skewed(*a))
    calculator = WitnessCalculator(poseidon_range.wasm)
    assert calculator.calculate_bytes(inputs) == honest
    assert not calculator._unchecked_calls
