"""Compiled witness calculators, kept between processes.

wasmtime compiles a circom ``.wasm`` to machine code when it loads it: 7 to 8 s for a
reference batch circuit on this machine, paid again by every process that loads it (each
prover worker of a round, each ``zksolvency witness``). :func:`load_module` keeps the
compiled module (wasmtime's own serialised form, ``Module.serialize``) in
``<cache>/wasm/<key>.cwasm``, where the key is the SHA-256 of the ``.wasm`` bytes, the
wasmtime version and the machine type, and loads it from there when present (about 0.1 s).

A ``.cwasm`` is machine code that wasmtime maps and runs: the cache is trusted like the
rest of ``$ZKSOLVENCY_CACHE`` (compiled circuits, proving keys). A file wasmtime refuses
(another version or CPU, a damaged file) is compiled again and replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import platform
from importlib import metadata
from pathlib import Path

import wasmtime

from zksolvency.circuit.compile import cache_dir
from zksolvency.util.atomic import atomic_write_bytes


def _wasmtime_version() -> str:
    try:
        return metadata.version("wasmtime")
    except metadata.PackageNotFoundError:
        return "unknown"


def compiled_path(data: bytes) -> Path:
    """Where the compiled form of the wasm ``data`` is kept."""
    key = hashlib.sha256(data + f"|wasmtime {_wasmtime_version()}|{platform.machine()}".encode()).hexdigest()
    return cache_dir().parent / "wasm" / f"{key[:32]}.cwasm"


def load_module(engine: wasmtime.Engine, wasm_path: Path) -> wasmtime.Module:
    """The module of ``wasm_path``, from the compiled cache when it is there (see the module docstring).

    Raises ``wasmtime.WasmtimeError`` when the file is not WebAssembly.
    """
    data = wasm_path.read_bytes()
    cached = compiled_path(data)
    if cached.is_file():
        try:
            return wasmtime.Module.deserialize_file(engine, str(cached))
        except wasmtime.WasmtimeError:
            pass  # another wasmtime or CPU, or a damaged file: compile again below
    module = wasmtime.Module(engine, data)
    with contextlib.suppress(OSError):  # a read-only cache only costs the compile next time
        atomic_write_bytes(cached, bytes(module.serialize()))
    return module
