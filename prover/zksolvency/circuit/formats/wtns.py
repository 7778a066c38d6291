"""Witness files (``.wtns``, version 2), as written by circom's witness calculator and snarkjs 0.7.6.

Layout inside the iden3 container (``binfile.py``), magic ``wtns``, version 2,
everything little-endian (source: snarkjs ``src/wtns_utils.js``)::

    section 1 (header)
        n8         u32        bytes per field element (32 for BN254)
        prime      n8 bytes   the scalar field modulus r, LE
        nWitness   u32        number of values
    section 2 (data)
        nWitness times: value, n8 bytes LE, normal form (not Montgomery)

The witness vector starts with the constant wire ``1``; then the public outputs,
public inputs, private inputs and internal signals, in circom's wire order.
We read it whole: a witness is at most a few tens of MB.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from zksolvency.bn254 import R
from zksolvency.circuit.formats.binfile import (
    BinFile,
    Cursor,
    encode_binfile,
    parse_binfile,
    read_binfile,
    write_binfile,
)
from zksolvency.circuit.formats.codec import decode_fe_many, encode_fe_many, int_to_le, n8_for_prime
from zksolvency.errors import FormatError

WTNS_MAGIC = b"wtns"
WTNS_VERSION = 2

WTNS_SECTION_HEADER = 1
WTNS_SECTION_DATA = 2


def _sections(values: Sequence[int], prime: int) -> list[tuple[int, bytes]]:
    n8 = n8_for_prime(prime)
    header = n8.to_bytes(4, "little") + int_to_le(prime, n8) + len(values).to_bytes(4, "little")
    data = encode_fe_many(values, prime, "wtns value", n8)
    return [(WTNS_SECTION_HEADER, header), (WTNS_SECTION_DATA, data)]


def encode_wtns(values: Sequence[int], prime: int = R) -> bytes:
    """The ``.wtns`` bytes for ``values`` (each must lie in ``[0, prime)``)."""
    return b"".join(encode_binfile(WTNS_MAGIC, WTNS_VERSION, _sections(values, prime)))


def write_wtns(path: str | os.PathLike[str], values: Sequence[int], prime: int = R) -> None:
    """Write a ``.wtns`` file atomically."""
    write_binfile(path, WTNS_MAGIC, WTNS_VERSION, _sections(values, prime))


def decode_wtns(data: bytes, what: str = "wtns") -> list[int]:
    """Decode a ``.wtns`` file over BN254's scalar field; ``what`` (the file name) prefixes errors."""
    return _decode(parse_binfile(data, WTNS_MAGIC, what), what)


def read_wtns(path: str | os.PathLike[str]) -> list[int]:
    return _decode(read_binfile(path, WTNS_MAGIC), str(path))


def _decode(binfile: BinFile, what: str) -> list[int]:
    if binfile.version != WTNS_VERSION:
        raise FormatError(f"{what}: unsupported wtns version {binfile.version} (expected {WTNS_VERSION})")
    header = Cursor(binfile.section(WTNS_SECTION_HEADER, "header"), f"{what}: header section")
    n8 = header.u32()
    if n8 != n8_for_prime(R):
        raise FormatError(f"{what}: header: field size n8 = {n8}, expected {n8_for_prime(R)} (BN254)")
    prime = header.int_le(n8)
    if prime != R:
        raise FormatError(f"{what}: header: prime {prime} is not BN254's scalar field r")
    n_witness = header.u32()
    header.done()
    payload = binfile.section(WTNS_SECTION_DATA, "data")
    if len(payload) != n_witness * n8:
        raise FormatError(
            f"{what}: data section has {len(payload)} bytes, header announces "
            f"{n_witness} values of {n8} bytes ({n_witness * n8} bytes)"
        )
    return decode_fe_many(payload, R, f"{what}: witness value")
