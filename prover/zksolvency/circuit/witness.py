"""Compute a witness by running circom's generated ``NAME_js/NAME.wasm`` with wasmtime.

circom compiles each circuit's witness calculator to WebAssembly. The module
imports four functions from ``runtime`` (``exceptionHandler``,
``printErrorMessage``, ``writeBufferMessage``, ``showSharedRWMemory``) and
exports a small protocol, the one circom's own ``witness_calculator.js`` drives:

* ``getFieldNumLen32`` gives the number of 32-bit limbs of a field element,
  ``getRawPrime`` puts the prime into a small *shared read/write memory*, and
  ``getSharedRWMemoryStart`` tells where that lies in the exported ``memory``;
* ``init(sanity_check)`` resets the calculator; ``getInputSignalSize(hMSB,
  hLSB)`` and ``setInputSignal(hMSB, hLSB, i)`` address an input of the main
  component by the 64-bit FNV-1a hash of its name (the wasm holds no names,
  only a hash table), split into two 32-bit halves. The value of element ``i``
  is first written into the shared memory, least significant limb first. The
  last input set runs the whole computation;
* ``getWitness(i)`` puts witness value ``i`` (normal form) into the shared
  memory; ``getWitnessSize`` and ``getInputSize`` give the counts;
* ``getMessageChar`` reads, one character per call, the text of an error
  (``printErrorMessage``) or of a ``log()`` call (``writeBufferMessage``).

We read and write the shared memory as bytes of the exported ``memory`` rather
than calling ``readSharedRWMemory``/``writeSharedRWMemory`` once per limb: it is
about 8 times faster, and the bytes are already the little-endian layout of a
``.wtns`` file.

Input rules (stricter than snarkjs, which silently reduces every value mod r):

* a JSON object maps signal names to a value or a nested list of values,
  flattened in row-major order; nested objects address bus fields
  (``{"in": {"x": 1}}`` sets ``in.x``), lists of objects index them
  (``in[0].x``), as circom's ``witness_calculator.js`` does;
* a value is an integer, or a string holding a decimal integer (optionally
  negative) or a ``0x`` hexadecimal integer; booleans, floats and other strings
  are refused;
* a negative value ``v`` with ``-r < v < 0`` stands for ``r + v`` (circom's
  convention for negative numbers in the field); ``v <= -r`` and ``v >= r`` are
  refused with an error naming the signal and index;
* unknown signals, missing signals and a wrong number of values are refused
  before anything runs, each error naming the signal (missing names come from
  the circuit's ``.sym`` file, ``NAME.sym`` beside ``NAME_js/``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import wasmtime

from zksolvency.bn254 import R
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.wasm_cache import load_module
from zksolvency.circuit.wasm_fastcall import make_reader
from zksolvency.errors import FormatError, InputError

_T = TypeVar("_T")

#: 64-bit FNV-1a, the hash circom uses to find input signals by name.
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
_U64 = (1 << 64) - 1

#: Messages for the codes the wasm passes to ``exceptionHandler`` (from circom's witness_calculator.js).
EXCEPTION_CODES = {
    1: "Signal not found",
    2: "Too many signals set",
    3: "Signal already set",
    4: "Assert Failed",
    5: "Not enough memory",
    6: "Input signal array access exceeds the size",
    7: "Out of bounds array access",
}

#: Longer decimal strings cannot be below any prime a circuit uses (and Python refuses
#: to convert strings of more than 4300 digits).
_MAX_DIGITS = 200
_DECIMAL = re.compile(r"-?[0-9]+")
_HEX = re.compile(r"-?0[xX][0-9a-fA-F]+")
_TRAILING_INDEX = re.compile(r"(\[[0-9]+\])+$")


def fnv1a_64(name: str) -> int:
    """64-bit FNV-1a over the name's characters (circom hashes UTF-16 code units; names are ASCII)."""
    h = FNV_OFFSET
    for ch in name:
        h ^= ord(ch)
        h = (h * FNV_PRIME) & _U64
    return h


def _split_hash(name: str) -> tuple[int, int]:
    h = fnv1a_64(name)
    return _i32(h >> 32), _i32(h & 0xFFFFFFFF)


def _i32(x: int) -> int:
    """wasm ``i32`` parameters are signed in wasmtime's Python API."""
    return x - (1 << 32) if x >= 1 << 31 else x


def flatten_inputs(inputs: Mapping[str, Any]) -> dict[str, list[tuple[tuple[int, ...], Any]]]:
    """``{qualified signal name: [(index, raw value), ...]}`` in row-major order.

    Raw values are not yet checked (see ``parse_value``).
    """
    if not isinstance(inputs, Mapping):
        raise InputError(f"circuit inputs must be a JSON object of signal names, not {type(inputs).__name__}")
    out: dict[str, list[tuple[tuple[int, ...], Any]]] = {}
    _qualify("", inputs, out)
    return out


def _qualify(prefix: str, value: Any, out: dict[str, list[tuple[tuple[int, ...], Any]]]) -> None:
    if isinstance(value, Mapping):
        for key, sub in value.items():
            if not isinstance(key, str) or not key:
                raise InputError(f"input signal names must be non-empty strings, not {key!r}")
            _qualify(key if not prefix else f"{prefix}.{key}", sub, out)
        return
    if isinstance(value, (list, tuple)):
        leaves = list(_leaves(value, ()))
        if leaves and all(isinstance(v, Mapping) for _, v in leaves):
            for index, sub in leaves:
                _qualify(prefix + "".join(f"[{i}]" for i in index), sub, out)
            return
        if any(isinstance(v, Mapping) for _, v in leaves):
            raise InputError(f"input signal {prefix}: mixes objects and numbers")
        _add(prefix, leaves, out)
        return
    _add(prefix, [((), value)], out)


def _add(name: str, leaves: list[tuple[tuple[int, ...], Any]], out: dict[str, Any]) -> None:
    if name in out:
        raise InputError(f"input signal {name} is given twice")
    out[name] = leaves


def _leaves(value: Any, index: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], Any]]:
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _leaves(item, (*index, i))
    else:
        yield index, value


def _where(name: str, index: tuple[int, ...]) -> str:
    return name + "".join(f"[{i}]" for i in index)


def parse_value(raw: Any, prime: int, where: str) -> int:
    """Check one input value and map it into ``[0, prime)`` (see the module docstring for the rules)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        kind = "a boolean" if isinstance(raw, bool) else "null" if raw is None else f"a {type(raw).__name__}"
        raise InputError(
            f"input {where}: expected an integer or a decimal/0x-hex string, got {kind} ({raw!r})"
        )
    if isinstance(raw, str):
        text = raw.strip()
        if _DECIMAL.fullmatch(text):
            if len(text) > _MAX_DIGITS:
                raise InputError(f"input {where}: a {len(text)}-digit number is not below the field prime r")
            value = int(text, 10)
        elif _HEX.fullmatch(text):
            value = int(text, 16)
        else:
            raise InputError(f"input {where}: {raw!r} is not an integer (decimal or 0x-hexadecimal)")
    else:
        value = raw
    if value >= prime:
        raise InputError(
            f"input {where}: {value} is not below the field prime r (values must lie in (-r, r); "
            "snarkjs would silently reduce it mod r)"
        )
    if value < 0:
        if value <= -prime:
            raise InputError(f"input {where}: {value} is not above -r (values must lie in (-r, r))")
        value += prime
    return value


def read_input_json(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a circuit-input JSON file (an object of signal names); integers are kept exact."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise InputError(f"{path}: not usable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: circuit inputs must be a JSON object of signal names")
    return data


def read_inputs(path: str | os.PathLike[str], prime: int = R) -> dict[str, list[int]]:
    """Read and check a circuit-input file without a circuit: ``{signal: values in [0, prime)}``.

    Applies every rule of the module docstring that does not need the circuit
    (shape, value syntax, range); errors name the file and the signal element.
    """
    flat = flatten_inputs(read_input_json(path))
    try:
        return {
            name: [parse_value(raw, prime, _where(name, index)) for index, raw in leaves]
            for name, leaves in flat.items()
        }
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


def sym_path_for(wasm_path: str | os.PathLike[str]) -> Path | None:
    """The ``.sym`` circom wrote beside ``NAME_js/`` (or beside the wasm itself), if present."""
    wasm = Path(wasm_path)
    name = wasm.stem
    for candidate in (wasm.parent.parent / f"{name}.sym", wasm.parent / f"{name}.sym"):
        if candidate.is_file():
            return candidate
    return None


class _Abort(Exception):
    """Raised from ``exceptionHandler`` to unwind the wasm call."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class WitnessCalculator:
    """A loaded witness calculator: compile the wasm once, calculate many witnesses.

    ``sym_path`` (default: found beside the wasm) is only read to name missing
    signals. ``sanity_check`` turns on the wasm's own extra checks (snarkjs's
    default is off).
    """

    #: Address of the shared read/write memory in the exported ``memory`` (``None``: use the
    #: limb-by-limb ``read``/``writeSharedRWMemory`` calls instead).
    _shared_start: int | None

    def __init__(
        self,
        wasm_path: str | os.PathLike[str],
        sym_path: str | os.PathLike[str] | None = None,
        *,
        sanity_check: bool = False,
    ) -> None:
        self.wasm_path = Path(wasm_path)
        if not self.wasm_path.is_file():
            raise InputError(f"{self.wasm_path}: no such witness calculator (.wasm)")
        self.sym_path = Path(sym_path) if sym_path is not None else sym_path_for(self.wasm_path)
        self.sanity_check = sanity_check
        self._engine = wasmtime.Engine()
        try:
            self._module = load_module(self._engine, self.wasm_path)
        except wasmtime.WasmtimeError as exc:
            raise FormatError(f"{self.wasm_path}: not a WebAssembly module ({_first_line(exc)})") from None
        #: Lines printed by the circuit's ``log()`` calls during the last calculation.
        self.logs: list[str] = []
        self._errors: list[str] = []
        self._message = ""
        self._input_names: list[str] | None = None
        self._fast_path = True
        #: Read the witness with unchecked wasm calls (``wasm_fastcall``) while they agree.
        self._unchecked_calls = True
        self._instantiate()
        exports = self._exports
        major = self._call("getVersion")
        if major != 2:
            raise FormatError(
                f"{self.wasm_path}: witness calculator of circom {major}; only circom 2 is supported"
            )
        self.circom_version = ".".join(
            str(self._call(f)) if f in exports else "?"
            for f in ("getVersion", "getMinorVersion", "getPatchVersion")
        )
        self.n32: int = self._call("getFieldNumLen32")
        self.n8 = 4 * self.n32
        self._call("getRawPrime")
        self.prime = int.from_bytes(self._read_shared(), "little")
        if self._shared_start is not None:
            # Check the direct-memory fast path against the limb-by-limb protocol once.
            fast, self._shared_start = self._shared_start, None
            if int.from_bytes(self._read_shared(), "little") == self.prime:
                self._shared_start = fast
            else:
                self._fast_path = False
                self.prime = int.from_bytes(self._read_shared(), "little")
        self.n_witness: int = self._call("getWitnessSize")
        self.n_inputs: int = self._call("getInputSize")

    # --- wasm plumbing --------------------------------------------------------

    def _instantiate(self) -> None:
        self._store = wasmtime.Store(self._engine)
        store = self._store
        hooks: dict[str, Callable[..., None]] = {
            "exceptionHandler": self._on_exception,
            "printErrorMessage": self._on_error_message,
            "writeBufferMessage": self._on_buffer_message,
            "showSharedRWMemory": self._on_show_shared,
        }
        imports: list[wasmtime.Func] = []
        for imp in self._module.imports:
            hook = hooks.get(imp.name or "") if imp.module == "runtime" else None
            if hook is None or not isinstance(imp.type, wasmtime.FuncType):
                raise FormatError(
                    f"{self.wasm_path}: unexpected import {imp.module}.{imp.name}; "
                    "not a circom witness calculator"
                )
            imports.append(wasmtime.Func(store, imp.type, hook))
        try:
            instance = wasmtime.Instance(store, self._module, imports)
        except wasmtime.WasmtimeError as exc:
            raise FormatError(f"{self.wasm_path}: cannot instantiate ({_first_line(exc)})") from None
        self._exports = instance.exports(store)
        required = (
            "memory",
            "getVersion",
            "getFieldNumLen32",
            "getRawPrime",
            "init",
            "getInputSignalSize",
            "setInputSignal",
            "getWitnessSize",
            "getWitness",
            "getInputSize",
            "getMessageChar",
            "readSharedRWMemory",
            "writeSharedRWMemory",
        )
        missing = [name for name in required if name not in self._exports]
        if missing:
            raise FormatError(
                f"{self.wasm_path}: not a circom 2 witness calculator (no {', '.join(missing)})"
            )
        memory = self._exports["memory"]
        if not isinstance(memory, wasmtime.Memory):
            raise FormatError(f"{self.wasm_path}: export `memory` is not a memory")
        self._memory = memory
        self._funcs = {
            name: f for name in self._exports_names() if isinstance(f := self._exports[name], wasmtime.Func)
        }
        self._shared_start = (
            self._funcs["getSharedRWMemoryStart"](store)
            if "getSharedRWMemoryStart" in self._funcs and self._fast_path
            else None
        )
        self._dirty = False

    def _exports_names(self) -> list[str]:
        return [e.name for e in self._module.exports]

    def _call(self, name: str, *args: int) -> int:
        result = self._funcs[name](self._store, *args)
        return int(result) if result is not None else 0

    def _read_shared(self) -> bytes:
        """The field element in the shared memory, ``n8`` bytes little-endian."""
        if self._shared_start is not None:
            return bytes(self._memory.read(self._store, self._shared_start, self._shared_start + self.n8))
        read = self._funcs["readSharedRWMemory"]
        return b"".join((read(self._store, j) & 0xFFFFFFFF).to_bytes(4, "little") for j in range(self.n32))

    def _write_shared(self, value: int) -> None:
        data = value.to_bytes(self.n8, "little")
        if self._shared_start is not None:
            self._memory.write(self._store, data, self._shared_start)
            return
        write = self._funcs["writeSharedRWMemory"]
        for j in range(self.n32):
            write(self._store, j, _i32(int.from_bytes(data[4 * j : 4 * j + 4], "little")))

    def _take_message(self) -> str:
        chars: list[str] = []
        get = self._funcs["getMessageChar"]
        while (c := get(self._store)) != 0:
            chars.append(chr(c))
        return "".join(chars)

    def _on_exception(self, code: int) -> None:
        raise _Abort(code)

    def _on_error_message(self) -> None:
        self._errors.append(self._take_message())

    def _on_buffer_message(self) -> None:
        msg = self._take_message()
        if msg == "\n":
            self.logs.append(self._message)
            self._message = ""
        else:
            self._message = f"{self._message} {msg}" if self._message else msg

    def _on_show_shared(self) -> None:
        value = str(int.from_bytes(self._read_shared(), "little"))
        self._message = f"{self._message} {value}" if self._message else value

    # --- inputs ---------------------------------------------------------------

    def input_signal_size(self, name: str) -> int:
        """Number of values of main's input ``name`` (0 when there is no such input)."""
        return max(self._call("getInputSignalSize", *_split_hash(name)), 0)

    def input_names(self) -> list[str] | None:
        """Names of main's input signals, from the ``.sym`` file (``None`` without one)."""
        if self._input_names is None and self.sym_path is not None:
            names: list[str] = []
            seen: set[str] = set()
            with self.sym_path.open(encoding="utf-8") as sym:
                for line in sym:
                    parts = line.rstrip("\n").split(",", 3)
                    if len(parts) != 4 or not parts[3].startswith("main."):
                        continue
                    name = _TRAILING_INDEX.sub("", parts[3][5:])
                    if name in seen:
                        continue
                    seen.add(name)
                    if self.input_signal_size(name) > 0:
                        names.append(name)
            self._input_names = names
        return self._input_names

    def _prepare(self, inputs: Mapping[str, Any]) -> list[tuple[tuple[int, int], list[int]]]:
        """Check every input against the circuit before anything runs."""
        flat = flatten_inputs(inputs)
        prepared: list[tuple[tuple[int, int], list[int]]] = []
        total = 0
        for name, leaves in flat.items():
            size = self.input_signal_size(name)
            if size == 0 and leaves:
                known = self.input_names()
                hint = f" (its inputs: {', '.join(known)})" if known else ""
                raise InputError(f"input signal {name} is not an input of the circuit{hint}")
            if len(leaves) != size:
                raise InputError(f"input signal {name}: expected {size} values, got {len(leaves)}")
            values = [parse_value(raw, self.prime, _where(name, index)) for index, raw in leaves]
            prepared.append((_split_hash(name), values))
            total += size
        if total < self.n_inputs:
            raise InputError(self._missing_message(flat, self.n_inputs - total))
        return prepared

    def _missing_message(self, given: Mapping[str, Any], n_missing: int) -> str:
        known = self.input_names()
        if known is None:
            return (
                f"{n_missing} input values are missing (the circuit takes {self.n_inputs}; "
                f"no .sym file beside {self.wasm_path.name} to name them)"
            )
        missing = [name for name in known if name not in given]
        listed = ", ".join(f"{name} ({self.input_signal_size(name)} values)" for name in missing)
        return f"missing input signal{'s' if len(missing) != 1 else ''}: {listed or f'{n_missing} values'}"

    # --- calculation ----------------------------------------------------------

    def calculate(self, inputs: Mapping[str, Any]) -> list[int]:
        """The full witness (constant ``1`` first) for ``inputs``; see the module docstring for the rules."""
        return self._calculate(inputs, self._read_witness)

    def _calculate(self, inputs: Mapping[str, Any], read: Callable[[], _T]) -> _T:
        """Run the calculator on ``inputs``, then ``read`` the witness out of it."""
        prepared = self._prepare(inputs)
        if self._dirty:
            self._instantiate()
        self.logs = []
        self._errors = []
        self._message = ""
        self._dirty = True
        try:
            self._call("init", 1 if self.sanity_check else 0)
            set_input = self._funcs["setInputSignal"]
            store = self._store
            for (h_msb, h_lsb), values in prepared:
                for i, value in enumerate(values):
                    self._write_shared(value)
                    set_input(store, h_msb, h_lsb, i)
            witness = read()
        except _Abort as exc:
            raise InputError(self._abort_message(exc.code)) from None
        except wasmtime.Trap as exc:
            raise InputError(
                f"{self.wasm_path.name}: the witness calculator trapped: {_first_line(exc)}"
            ) from None
        except wasmtime.WasmtimeError as exc:
            cause = exc.__context__
            if isinstance(cause, _Abort):
                raise InputError(self._abort_message(cause.code)) from None
            raise InputError(
                f"{self.wasm_path.name}: the witness calculator failed: {_first_line(exc)}"
            ) from None
        self._dirty = False
        return witness

    def calculate_bytes(self, inputs: Mapping[str, Any]) -> bytes:
        """The witness as the ``.wtns`` data section (``n8`` little-endian bytes per signal).

        What the native prover takes. Read in one native loop when the extension is built
        (spot-checked like the unchecked reads); otherwise packed from :meth:`calculate`.
        """
        return self._calculate(inputs, self._read_witness_bytes)

    def _read_witness_bytes(self) -> bytes:
        if self._shared_start is not None and self._unchecked_calls:
            reader = make_reader(self._store, self._funcs["getWitness"], self._memory)
            data = reader.read_bytes(self.n_witness, self._shared_start, self.n8) if reader else None
            if data is not None and self._agrees(data):
                return data
            self._unchecked_calls = False
        return b"".join(v.to_bytes(self.n8, "little") for v in self._read_witness())

    def _agrees(self, data: bytes) -> bool:
        """Whether ``data`` holds, at the first, middle and last signals, what the checked calls read."""
        get_witness = self._funcs["getWitness"]
        for i in {0, self.n_witness // 2, self.n_witness - 1}:
            get_witness(self._store, i)
            if self._read_shared() != data[i * self.n8 : (i + 1) * self.n8]:
                return False
        return True

    def _read_witness(self) -> list[int]:
        if self._shared_start is not None and self._unchecked_calls:
            fast = self._read_witness_unchecked(self._shared_start)
            if fast is not None:
                return fast
        get_witness = self._funcs["getWitness"]
        store = self._store
        out: list[int] = []
        append = out.append
        if self._shared_start is not None:
            read = self._memory.read
            start, stop = self._shared_start, self._shared_start + self.n8
            from_bytes = int.from_bytes
            for i in range(self.n_witness):
                get_witness(store, i)
                append(from_bytes(read(store, start, stop), "little"))
        else:
            for i in range(self.n_witness):
                get_witness(store, i)
                append(int.from_bytes(self._read_shared(), "little"))
        return out

    def _read_witness_unchecked(self, start: int) -> list[int] | None:
        """The witness through :mod:`zksolvency.circuit.wasm_fastcall`, spot-checked against the
        checked calls (first, middle and last signals); ``None`` (and the checked path from then
        on) when the fast path is unavailable or disagrees."""
        reader = make_reader(self._store, self._funcs["getWitness"], self._memory)
        if reader is not None:
            witness = reader.read(self.n_witness, start, self.n8)
            get_witness = self._funcs["getWitness"]
            probes = {0, self.n_witness // 2, self.n_witness - 1}
            agree = True
            for i in probes:
                get_witness(self._store, i)
                agree = agree and int.from_bytes(self._read_shared(), "little") == witness[i]
            if agree:
                return witness
        self._unchecked_calls = False
        return None

    def _abort_message(self, code: int) -> str:
        what = EXCEPTION_CODES.get(code, f"unknown error code {code}")
        details = "; ".join(m.strip() for m in self._errors if m.strip())
        return f"{self.wasm_path.name}: the circuit rejected the input: {what}" + (
            f": {details}" if details else ""
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def calculate_witness(wasm_path: str | os.PathLike[str], inputs: Mapping[str, Any]) -> list[int]:
    """Load the calculator and compute one witness (use ``WitnessCalculator`` to compute many)."""
    return WitnessCalculator(wasm_path).calculate(inputs)


def calculate_witness_file(
    wasm_path: str | os.PathLike[str],
    input_path: str | os.PathLike[str],
    wtns_path: str | os.PathLike[str],
) -> list[int]:
    """``snarkjs wtns calculate WASM INPUT OUT``: read the inputs, write the ``.wtns`` atomically."""
    calculator = WitnessCalculator(wasm_path)
    witness = calculator.calculate(read_input_json(input_path))
    write_wtns(wtns_path, witness, calculator.prime)
    return witness
