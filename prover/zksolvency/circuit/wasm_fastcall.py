"""Reading a whole witness out of circom's wasm with one cheap call per signal.

circom's witness calculator hands out the witness one signal at a time: ``getWitness(i)``
copies signal ``i`` (in normal form, ``n32`` little-endian 32-bit limbs) into the shared
read/write memory, and the host reads it from there. A 314,000-constraint batch has
about 310,000 signals. wasmtime-py's checked call (``Func.__call__``) spends about 60 us
per call on type look-ups and value conversion, which made reading the witness take 70%
of a batch's witness time (measured: 5.3 of 6.6 s at 88,000 signals).

:class:`WitnessReader` makes the same calls through wasmtime's C API directly:
``wasmtime_func_call_unchecked`` with one preallocated ``i32`` argument slot, and the
result read from linear memory at a base address taken once (``getWitness`` does not
grow memory). It uses wasmtime-py's ``_ffi`` bindings, which are not a public API, so
:func:`make_reader` checks every name it needs and the caller verifies the reader against
the checked path on a few signals; when anything is missing it returns ``None`` and the
caller keeps the checked path.

:meth:`WitnessReader.read_bytes` goes one step further when the native extension is
built: it hands the same C entry point, store context, function and memory base to
``_native.wasm_witness``, which loops in Rust and returns the witness as the ``.wtns``
data section (``n8`` little-endian bytes per signal), ready for the native prover.
"""

from __future__ import annotations

import ctypes
from typing import Any

import wasmtime


class WitnessReader:
    """Calls ``getWitness(i)`` unchecked and reads the shared memory window after each call."""

    def __init__(self, ffi: Any, store: wasmtime.Store, func: wasmtime.Func, memory: wasmtime.Memory) -> None:
        self._ffi = ffi
        self._context = store._context()
        self._func = func._func
        self._args = (ffi.wasmtime_val_raw_t * 1)()
        self._trap = ctypes.POINTER(ffi.wasm_trap_t)()
        base = ffi.wasmtime_memory_data(self._context, ctypes.byref(memory._memory))
        self._base = ctypes.cast(base, ctypes.c_void_p).value or 0

    def read_bytes(self, count: int, start: int, n8: int) -> bytes | None:
        """Signals ``0 .. count-1`` as ``count * n8`` bytes through the native loop; ``None`` without it."""
        try:
            from zksolvency import _native
        except ImportError:
            return None
        ffi = self._ffi
        call = ctypes.cast(ffi.dll.wasmtime_func_call_unchecked, ctypes.c_void_p).value or 0
        context = ctypes.cast(self._context, ctypes.c_void_p).value or 0
        return bytes(
            _native.wasm_witness(call, context, ctypes.addressof(self._func), self._base, start, n8, count)
        )

    def read(self, count: int, start: int, n8: int) -> list[int]:
        """Signals ``0 .. count-1``, each ``n8`` bytes little-endian at ``start`` after its call."""
        call = self._ffi.wasmtime_func_call_unchecked
        context, func, args, trap = (
            self._context,
            ctypes.byref(self._func),
            self._args,
            ctypes.byref(self._trap),
        )
        at = self._base + start
        string_at, from_bytes = ctypes.string_at, int.from_bytes
        out: list[int] = []
        append = out.append
        for i in range(count):
            args[0].i32 = i
            error = call(context, func, args, 1, trap)
            if error or self._trap:
                raise wasmtime.WasmtimeError(f"getWitness({i}) failed")
            append(from_bytes(string_at(at, n8), "little"))
        return out


def make_reader(store: wasmtime.Store, func: wasmtime.Func, memory: wasmtime.Memory) -> WitnessReader | None:
    """A :class:`WitnessReader`, or ``None`` when this wasmtime-py lacks what it needs."""
    try:
        from wasmtime import _ffi as ffi

        for name in (
            "wasmtime_func_call_unchecked",
            "wasmtime_memory_data",
            "wasmtime_val_raw_t",
            "wasm_trap_t",
        ):
            getattr(ffi, name)
        return WitnessReader(ffi, store, func, memory)
    except (ImportError, AttributeError, TypeError):
        return None
