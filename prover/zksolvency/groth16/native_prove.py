"""The native prover: one call into Rust with the ``.zkey`` sections as they lie in the file.

Same protocol as ``groth16.prove`` (see its docstring and ``prover/native/src/prove.rs``):
for the witness ``w`` and blinding scalars ``r, s``::

    pi_A = alpha1 + sum_s w_s A_s + r delta1
    pi_B = beta2  + sum_s w_s B2_s + s delta2
    pi_C = sum_{s > l} w_s C_s + sum_i h_i H_i + s pi_A + r (beta1 + sum_s w_s B1_s + s delta1) - r s delta1

with ``h = (A*B - C)`` on the odd coset of the doubled domain. What crosses
the boundary, with no per-element Python work: the coefficient section
(values ``c * R^2 mod r``), the point sections A, B1, B2, C, H (LEM), the
witness as 32-byte little-endian normal-form values (the ``.wtns`` data
section), and ``r, s``. The GIL is released while the prover runs.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence

from zksolvency import _native
from zksolvency.bn254 import N8, R
from zksolvency.circuit.formats.binfile import Cursor, read_binfile
from zksolvency.circuit.formats.codec import (
    G1_BYTES,
    G2_BYTES,
    decode_g1_lem,
    decode_g2_lem,
    encode_g1_lem,
    encode_g2_lem,
)
from zksolvency.circuit.formats.snarkjs_json import Proof
from zksolvency.circuit.formats.wtns import WTNS_MAGIC, WTNS_SECTION_DATA, WTNS_SECTION_HEADER
from zksolvency.circuit.formats.zkey import (
    ZKEY_SECTION_A,
    ZKEY_SECTION_B1,
    ZKEY_SECTION_B2,
    ZKEY_SECTION_C,
    ZKEY_SECTION_COEFFS,
    ZKEY_SECTION_H,
    Groth16ZKey,
    ZKeyHeader,
    ZKeyRaw,
    read_zkey_layout,
    zkey_raw_from_zkey,
)
from zksolvency.errors import FormatError, InputError
from zksolvency.groth16.kernels.native import scalars_from_bytes, scalars_to_bytes

Witness = bytes | bytearray | memoryview


def read_wtns_raw(path: str | os.PathLike[str]) -> bytes:
    """The data section of a ``.wtns`` (32-byte LE normal-form values), header checked, values not."""
    what = str(path)
    binfile = read_binfile(path, WTNS_MAGIC)
    header = Cursor(binfile.section(WTNS_SECTION_HEADER, "header"), f"{what}: header section")
    n8 = header.u32()
    if n8 != N8 or header.int_le(n8) != R:
        raise FormatError(f"{what}: the witness is not over BN254's scalar field")
    count = header.u32()
    header.done()
    data = binfile.section(WTNS_SECTION_DATA, "data")
    if len(data) != count * N8:
        raise FormatError(f"{what}: data section has {len(data)} bytes, expected {count} values of {N8}")
    return data


def _native_error(exc: ValueError) -> Exception:
    message = str(exc)
    if message.startswith(("witness", "r, s")):
        return InputError(message)
    return FormatError(f"zkey: {message}")


def prove_raw(raw: ZKeyRaw, witness: Witness | Sequence[int], r: int, s: int) -> tuple[Proof, list[int]]:
    """The deterministic core on raw sections: the proof for ``r, s`` and the public signals.

    ``witness`` is either the ``.wtns`` data section (bytes) or a list of
    integers. Raises ``InputError`` for a witness of the wrong length, with a
    value ``>= r`` or ``w_0 != 1``; ``FormatError`` for a broken key section.
    """
    hdr = raw.header
    w = witness if isinstance(witness, bytes | bytearray | memoryview) else _witness_bytes(witness)
    coeffs, a_points, b1, b2, c_points, h = (raw.section(section_id) for section_id in _BIG_SECTIONS)
    try:
        a, b, c = _native.prove(
            hdr.n_vars,
            hdr.n_public,
            hdr.domain_size,
            *_header_points(hdr),
            coeffs,
            a_points,
            b1,
            b2,
            c_points,
            h,
            w,
            *_rs_bytes(r, s),
        )
    except ValueError as exc:
        raise _native_error(exc) from None
    return _proof(a, b, c), _public(w, hdr.n_public)


#: The sections the prover reads whole, in the order the native calls take them.
_BIG_SECTIONS = (
    ZKEY_SECTION_COEFFS,
    ZKEY_SECTION_A,
    ZKEY_SECTION_B1,
    ZKEY_SECTION_B2,
    ZKEY_SECTION_C,
    ZKEY_SECTION_H,
)


def _header_points(hdr: ZKeyHeader) -> tuple[bytes, bytes]:
    """``alpha1 || beta1 || delta1`` and ``beta2 || delta2``, LEM."""
    return (
        encode_g1_lem(hdr.alpha1) + encode_g1_lem(hdr.beta1) + encode_g1_lem(hdr.delta1),
        encode_g2_lem(hdr.beta2) + encode_g2_lem(hdr.delta2),
    )


def _rs_bytes(r: int, s: int) -> tuple[bytes, bytes]:
    return (r % R).to_bytes(N8, "little"), (s % R).to_bytes(N8, "little")


def _proof(a: bytes, b: bytes, c: bytes) -> Proof:
    return Proof(
        a=decode_g1_lem(a[:G1_BYTES], "native pi_a"),
        b=decode_g2_lem(b[:G2_BYTES], "native pi_b"),
        c=decode_g1_lem(c[:G1_BYTES], "native pi_c"),
    )


def _public(witness: Witness, n_public: int) -> list[int]:
    return scalars_from_bytes(bytes(witness[N8 : N8 * (n_public + 1)]))


def _witness_bytes(witness: Sequence[int]) -> bytes:
    for i, v in enumerate(witness):
        if not 0 <= v < R:
            raise InputError(f"witness[{i}] is not a field element below r")
    return scalars_to_bytes(witness)


def prove_zkey(zkey: Groth16ZKey, witness: Sequence[int], r: int, s: int) -> tuple[Proof, list[int]]:
    """:func:`prove_raw` for a decoded key (its points are encoded back first)."""
    return prove_raw(zkey_raw_from_zkey(zkey), witness, r, s)


def prove_files(
    zkey_path: str | os.PathLike[str],
    wtns_path: str | os.PathLike[str],
    r: int | None = None,
    s: int | None = None,
) -> tuple[Proof, list[int]]:
    """Prove from a ``.zkey`` and a ``.wtns`` file; ``r, s`` from the OS unless given (tests).

    The key is not read whole: its header is checked here and the prover
    reads the coefficient and point sections one at a time, freeing each
    when done, so proving holds about one section of the key in memory.
    (:func:`prove_raw` is for a key already in memory, proved many times.)
    """
    hdr, layout = read_zkey_layout(zkey_path)
    witness = read_wtns_raw(wtns_path)
    r = secrets.randbelow(R) if r is None else r
    s = secrets.randbelow(R) if s is None else s
    ranges = [layout[section_id] for section_id in _BIG_SECTIONS]
    try:
        a, b, c = _native.prove_file(
            hdr.n_vars,
            hdr.n_public,
            hdr.domain_size,
            *_header_points(hdr),
            os.fspath(zkey_path),
            ranges,
            witness,
            *_rs_bytes(r, s),
        )
    except ValueError as exc:
        raise _native_error(exc) from None
    return _proof(a, b, c), _public(witness, hdr.n_public)
