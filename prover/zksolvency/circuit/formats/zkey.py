"""Groth16 proving keys (``.zkey``, version 1), as written by snarkjs 0.7.6.

Layout inside the iden3 container (``binfile.py``), magic ``zkey``, version 1,
integers little-endian, points LEM (Montgomery, see ``codec.py``); sources:
snarkjs ``src/zkey_utils.js``, ``src/zkey_new.js``, ``src/zkey_contribute.js``::

    section 1 (header)          protocol u32: 1 = groth16 (2 = plonk, 10 = fflonk are refused)
    section 2 (groth16 header)  n8q u32, q (n8q bytes), n8r u32, r (n8r bytes),
                                nVars u32, nPublic u32, domainSize u32,
                                alpha1 G1, beta1 G1, beta2 G2, gamma2 G2, delta1 G1, delta2 G2
    section 3 (IC)              nPublic + 1 G1: IC[i] = (beta*A_i(t) + alpha*B_i(t) + C_i(t)) / gamma
    section 4 (coefficients)    u32 count, then count times:
                                matrix u32 (0 = A, 1 = B), constraint u32, signal u32,
                                value 32 bytes LE = c * 2^512 mod r (``codec.encode_zkey_coeff``)
    section 5 (A)               nVars G1, A_i(t)
    section 6 (B1)              nVars G1, B_i(t)
    section 7 (B2)              nVars G2, B_i(t)
    section 8 (C)               nVars - nPublic - 1 G1, for wires nPublic+1 .. nVars-1
    section 9 (H)               domainSize G1
    section 10 (MPC params)     csHash 64 bytes, u32 nContributions, then each contribution:
                                deltaAfter G1, g1_s G1, g1_sx G1, g2_spx G2,
                                transcript 64 bytes, type u32, paramLength u32, params

The contribution params are typed and sorted: 1 = name (u8 length + UTF-8),
2 = numIterationsExp (u8), 3 = beaconHash (u8 length + bytes); the ``.ptau``
contributions use the same encoding.

The coefficient list holds the A and B matrices of the R1CS plus, for every
public wire ``s`` (and the constant wire), an extra A-entry ``(constraint =
nConstraints + s, signal = s, value = 1)``: those are the constraints that make
public inputs non-malleable, which is why ``domainSize >= nConstraints + nPublic + 1``.

Quirk: ``snarkjs groth16 setup`` writes the sections in the order
1, 2, 4, 3, 9, 8, 5, 6, 7, 10 (see ``SNARKJS_SETUP_ZKEY_SECTION_ORDER``);
``snarkjs zkey contribute`` rewrites them in id order, which is our default.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass, replace

from zksolvency.bn254 import N8, G1Point, G2Point, Q, R
from zksolvency.circuit.formats.binfile import (
    BinFile,
    Cursor,
    encode_binfile,
    parse_binfile,
    read_binfile,
    write_binfile,
)
from zksolvency.circuit.formats.codec import (
    G1_BYTES,
    G2_BYTES,
    decode_contribution_params,
    decode_g1_lem,
    decode_g1_lem_many,
    decode_g2_lem,
    decode_g2_lem_many,
    decode_zkey_coeff,
    encode_contribution_params,
    encode_g1_lem,
    encode_g1_lem_many,
    encode_g2_lem,
    encode_g2_lem_many,
    encode_zkey_coeff,
    int_to_le,
    n8_for_prime,
)
from zksolvency.circuit.formats.ptau import MappedBinFile
from zksolvency.errors import FormatError

ZKEY_MAGIC = b"zkey"
ZKEY_VERSION = 1

ZKEY_SECTION_HEADER = 1
ZKEY_SECTION_GROTH16_HEADER = 2
ZKEY_SECTION_IC = 3
ZKEY_SECTION_COEFFS = 4
ZKEY_SECTION_A = 5
ZKEY_SECTION_B1 = 6
ZKEY_SECTION_B2 = 7
ZKEY_SECTION_C = 8
ZKEY_SECTION_H = 9
ZKEY_SECTION_MPC = 10

#: Id order: what we write, and what ``snarkjs zkey contribute`` writes.
ZKEY_SECTION_ORDER = tuple(range(ZKEY_SECTION_HEADER, ZKEY_SECTION_MPC + 1))
#: The order ``snarkjs groth16 setup`` writes (pass it to ``encode_zkey`` to reproduce its bytes).
SNARKJS_SETUP_ZKEY_SECTION_ORDER = (
    ZKEY_SECTION_HEADER,
    ZKEY_SECTION_GROTH16_HEADER,
    ZKEY_SECTION_COEFFS,
    ZKEY_SECTION_IC,
    ZKEY_SECTION_H,
    ZKEY_SECTION_C,
    ZKEY_SECTION_A,
    ZKEY_SECTION_B1,
    ZKEY_SECTION_B2,
    ZKEY_SECTION_MPC,
)

#: Protocol ids of section 1 (snarkjs ``src/zkey_constants.js``).
PROTOCOL_GROTH16 = 1
PROTOCOL_PLONK = 2
PROTOCOL_FFLONK = 10
_PROTOCOL_NAMES = {PROTOCOL_GROTH16: "groth16", PROTOCOL_PLONK: "plonk", PROTOCOL_FFLONK: "fflonk"}

#: Matrix ids in the coefficient section.
MATRIX_A = 0
MATRIX_B = 1

HASH_BYTES = 64
_COEFF_BYTES = 12 + N8
_GROTH16_HEADER_BYTES = 4 + N8 + 4 + N8 + 3 * 4 + 3 * G1_BYTES + 3 * G2_BYTES
_U32_MAX = (1 << 32) - 1


@dataclass(frozen=True)
class ZKeyCoeff:
    """One non-zero entry of A or B: ``matrix[constraint][signal] = value`` (normal form)."""

    matrix: int
    constraint: int
    signal: int
    value: int


@dataclass(frozen=True)
class ZKeyContribution:
    """One phase-2 contribution: ``delta_after = delta_before * x`` with proof of knowledge of ``x``."""

    delta_after: G1Point
    g1_s: G1Point
    g1_sx: G1Point
    g2_spx: G2Point
    transcript: bytes
    type: int = 0
    name: str | None = None
    num_iterations_exp: int | None = None
    beacon_hash: bytes | None = None


@dataclass(frozen=True)
class MPCParams:
    """Section 10: the circuit hash and the phase-2 contribution list."""

    cs_hash: bytes
    contributions: list[ZKeyContribution]


@dataclass(frozen=True)
class Groth16ZKey:
    """A decoded Groth16 ``.zkey``. ``c[k]`` belongs to wire ``n_public + 1 + k``."""

    n_vars: int
    n_public: int
    domain_size: int
    alpha1: G1Point
    beta1: G1Point
    beta2: G2Point
    gamma2: G2Point
    delta1: G1Point
    delta2: G2Point
    ic: list[G1Point]
    coeffs: list[ZKeyCoeff]
    a: list[G1Point]
    b1: list[G1Point]
    b2: list[G2Point]
    c: list[G1Point]
    h: list[G1Point]
    mpc: MPCParams


@dataclass(frozen=True)
class ZKeyHeader:
    """What ``read_zkey_header`` returns: sizes and verification-key points only."""

    n_vars: int
    n_public: int
    domain_size: int
    alpha1: G1Point
    beta1: G1Point
    beta2: G2Point
    gamma2: G2Point
    delta1: G1Point
    delta2: G2Point
    ic: list[G1Point]
    n_coeffs: int


# --- MPC params (section 10) ----------------------------------------------------------


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_BYTES:
        raise FormatError(f"{what}: expected {HASH_BYTES} bytes, got {len(value)}")


def encode_mpc_params(mpc: MPCParams) -> bytes:
    """The payload of section 10."""
    _check_hash(mpc.cs_hash, "zkey MPC params: cs_hash")
    out = bytearray(mpc.cs_hash)
    out += struct.pack("<I", len(mpc.contributions))
    for i, c in enumerate(mpc.contributions):
        what = f"zkey MPC params: contribution {i}"
        _check_hash(c.transcript, f"{what}: transcript")
        if not 0 <= c.type <= _U32_MAX:
            raise FormatError(f"{what}: type {c.type} does not fit in a u32")
        out += encode_g1_lem(c.delta_after) + encode_g1_lem(c.g1_s) + encode_g1_lem(c.g1_sx)
        out += encode_g2_lem(c.g2_spx) + c.transcript + struct.pack("<I", c.type)
        out += encode_contribution_params(c.name, c.num_iterations_exp, c.beacon_hash, what)
    return bytes(out)


def decode_mpc_params(data: bytes, what: str = "zkey") -> MPCParams:
    """Decode the payload of section 10 (points checked on their curves)."""
    cur = Cursor(data, f"{what}: MPC params section")
    cs_hash = bytes(cur.take(HASH_BYTES))
    n = cur.u32()
    contributions = []
    for i in range(n):
        w = f"{what}: contribution {i}"
        delta_after = decode_g1_lem(cur.take(G1_BYTES), f"{w}: deltaAfter")
        g1_s = decode_g1_lem(cur.take(G1_BYTES), f"{w}: g1_s")
        g1_sx = decode_g1_lem(cur.take(G1_BYTES), f"{w}: g1_sx")
        g2_spx = decode_g2_lem(cur.take(G2_BYTES), f"{w}: g2_spx")
        transcript = bytes(cur.take(HASH_BYTES))
        kind = cur.u32()
        name, iterations, beacon = decode_contribution_params(cur, w)
        contributions.append(
            ZKeyContribution(delta_after, g1_s, g1_sx, g2_spx, transcript, kind, name, iterations, beacon)
        )
    cur.done()
    return MPCParams(cs_hash, contributions)


# --- encoding -------------------------------------------------------------------------


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def _check_sizes(n_vars: int, n_public: int, domain_size: int, what: str) -> None:
    for name, value in (("nVars", n_vars), ("nPublic", n_public), ("domainSize", domain_size)):
        if not 0 <= value <= _U32_MAX:
            raise FormatError(f"{what}: {name} = {value} does not fit in a u32")
    if n_vars < n_public + 1:
        raise FormatError(f"{what}: nVars = {n_vars} is smaller than nPublic + 1 = {n_public + 1}")
    if not _is_power_of_two(domain_size):
        raise FormatError(f"{what}: domainSize = {domain_size} is not a power of two")
    if domain_size < n_public + 1:
        raise FormatError(f"{what}: domainSize = {domain_size} is smaller than nPublic + 1 = {n_public + 1}")


def _check_coeff(k: ZKeyCoeff, n_vars: int, domain_size: int, what: str) -> None:
    if k.matrix not in (MATRIX_A, MATRIX_B):
        raise FormatError(f"{what}: matrix {k.matrix} is neither A (0) nor B (1)")
    if not 0 <= k.constraint < domain_size:
        raise FormatError(f"{what}: constraint {k.constraint} is not below domainSize = {domain_size}")
    if not 0 <= k.signal < n_vars:
        raise FormatError(f"{what}: signal {k.signal} is not below nVars = {n_vars}")


def _check_lengths(zkey: Groth16ZKey, what: str) -> None:
    expected = {
        "ic": (len(zkey.ic), zkey.n_public + 1),
        "a": (len(zkey.a), zkey.n_vars),
        "b1": (len(zkey.b1), zkey.n_vars),
        "b2": (len(zkey.b2), zkey.n_vars),
        "c": (len(zkey.c), zkey.n_vars - zkey.n_public - 1),
        "h": (len(zkey.h), zkey.domain_size),
    }
    for name, (got, want) in expected.items():
        if got != want:
            raise FormatError(f"{what}: {name} has {got} points, expected {want}")


def _encode_groth16_header(zkey: Groth16ZKey) -> bytes:
    return (
        struct.pack("<I", N8)
        + int_to_le(Q, N8)
        + struct.pack("<I", N8)
        + int_to_le(R, N8)
        + struct.pack("<III", zkey.n_vars, zkey.n_public, zkey.domain_size)
        + encode_g1_lem(zkey.alpha1)
        + encode_g1_lem(zkey.beta1)
        + encode_g2_lem(zkey.beta2)
        + encode_g2_lem(zkey.gamma2)
        + encode_g1_lem(zkey.delta1)
        + encode_g2_lem(zkey.delta2)
    )


def _encode_coeffs(zkey: Groth16ZKey, what: str) -> bytes:
    out = bytearray(struct.pack("<I", len(zkey.coeffs)))
    for i, k in enumerate(zkey.coeffs):
        _check_coeff(k, zkey.n_vars, zkey.domain_size, f"{what}: coefficient {i}")
        if not 0 <= k.value < R:
            raise FormatError(f"{what}: coefficient {i}: value is not in [0, r)")
        out += struct.pack("<III", k.matrix, k.constraint, k.signal) + encode_zkey_coeff(k.value)
    return bytes(out)


def _sections(zkey: Groth16ZKey, section_order: Sequence[int], what: str) -> list[tuple[int, bytes]]:
    _check_sizes(zkey.n_vars, zkey.n_public, zkey.domain_size, what)
    _check_lengths(zkey, what)
    payloads = {
        ZKEY_SECTION_HEADER: struct.pack("<I", PROTOCOL_GROTH16),
        ZKEY_SECTION_GROTH16_HEADER: _encode_groth16_header(zkey),
        ZKEY_SECTION_IC: encode_g1_lem_many(zkey.ic),
        ZKEY_SECTION_COEFFS: _encode_coeffs(zkey, what),
        ZKEY_SECTION_A: encode_g1_lem_many(zkey.a),
        ZKEY_SECTION_B1: encode_g1_lem_many(zkey.b1),
        ZKEY_SECTION_B2: encode_g2_lem_many(zkey.b2),
        ZKEY_SECTION_C: encode_g1_lem_many(zkey.c),
        ZKEY_SECTION_H: encode_g1_lem_many(zkey.h),
        ZKEY_SECTION_MPC: encode_mpc_params(zkey.mpc),
    }
    if sorted(section_order) != sorted(payloads):
        raise ValueError(f"section_order must be a permutation of {sorted(payloads)}, got {section_order}")
    return [(section_id, payloads[section_id]) for section_id in section_order]


def encode_zkey(zkey: Groth16ZKey, *, section_order: Sequence[int] = ZKEY_SECTION_ORDER) -> bytes:
    """The ``.zkey`` bytes, sections in id order unless ``section_order`` says otherwise.

    Counts, sizes and coefficient indices are checked; points are trusted to be
    valid (on their curves, coordinates below q): they come from our own arithmetic.
    """
    return b"".join(encode_binfile(ZKEY_MAGIC, ZKEY_VERSION, _sections(zkey, section_order, "zkey")))


def write_zkey(
    path: str | os.PathLike[str], zkey: Groth16ZKey, *, section_order: Sequence[int] = ZKEY_SECTION_ORDER
) -> None:
    """Write a ``.zkey`` file atomically (sections 1..10 in id order by default)."""
    write_binfile(path, ZKEY_MAGIC, ZKEY_VERSION, _sections(zkey, section_order, str(path)))


# --- decoding -------------------------------------------------------------------------


def _check_section_ids(section_ids: Sequence[int], what: str) -> None:
    unknown = sorted(set(section_ids) - set(ZKEY_SECTION_ORDER))
    if unknown:
        raise FormatError(f"{what}: unknown section id(s) {unknown}")


def _decode_protocol(payload: bytes, what: str) -> None:
    cur = Cursor(payload, f"{what}: header section")
    protocol = cur.u32()
    cur.done()
    if protocol != PROTOCOL_GROTH16:
        name = _PROTOCOL_NAMES.get(protocol, "unknown")
        raise FormatError(
            f"{what}: header: protocol {protocol} ({name}) is not supported, "
            f"only groth16 ({PROTOCOL_GROTH16})"
        )


def _decode_groth16_header(payload: bytes, what: str) -> ZKeyHeader:
    """Section 2 (with ``ic`` empty and ``n_coeffs`` 0: the caller fills them)."""
    w = f"{what}: groth16 header section"
    if len(payload) != _GROTH16_HEADER_BYTES:
        raise FormatError(f"{w}: has {len(payload)} bytes, expected {_GROTH16_HEADER_BYTES}")
    cur = Cursor(payload, w)
    for label, prime in (("q", Q), ("r", R)):
        n8 = cur.u32()
        if n8 != n8_for_prime(prime):
            raise FormatError(f"{w}: n8{label} = {n8}, expected {n8_for_prime(prime)} (BN254)")
        value = cur.int_le(n8)
        if value != prime:
            raise FormatError(f"{w}: {label} = {value} is not BN254's (the zkey is for another curve)")
    n_vars, n_public, domain_size = cur.u32(), cur.u32(), cur.u32()
    _check_sizes(n_vars, n_public, domain_size, w)
    alpha1 = decode_g1_lem(cur.take(G1_BYTES), f"{w}: alpha1")
    beta1 = decode_g1_lem(cur.take(G1_BYTES), f"{w}: beta1")
    beta2 = decode_g2_lem(cur.take(G2_BYTES), f"{w}: beta2")
    gamma2 = decode_g2_lem(cur.take(G2_BYTES), f"{w}: gamma2")
    delta1 = decode_g1_lem(cur.take(G1_BYTES), f"{w}: delta1")
    delta2 = decode_g2_lem(cur.take(G2_BYTES), f"{w}: delta2")
    cur.done()
    return ZKeyHeader(n_vars, n_public, domain_size, alpha1, beta1, beta2, gamma2, delta1, delta2, [], 0)


def _points_section(
    binfile: BinFile, section_id: int, name: str, count: int, point_bytes: int, what: str
) -> bytes:
    payload = binfile.section(section_id, name)
    if len(payload) != count * point_bytes:
        raise FormatError(
            f"{what}: {name} section (id {section_id}) has {len(payload)} bytes, "
            f"expected {count} points of {point_bytes} bytes ({count * point_bytes} bytes)"
        )
    return payload


def _decode_coeffs(payload: bytes, n_vars: int, domain_size: int, what: str) -> list[ZKeyCoeff]:
    w = f"{what}: coefficients section"
    if len(payload) < 4:
        raise FormatError(f"{w}: truncated (no count)")
    (count,) = struct.unpack_from("<I", payload, 0)
    if len(payload) != 4 + count * _COEFF_BYTES:
        raise FormatError(
            f"{w}: has {len(payload)} bytes, expected 4 + {count} coefficients of {_COEFF_BYTES} bytes"
        )
    coeffs = []
    for i in range(count):
        pos = 4 + i * _COEFF_BYTES
        matrix, constraint, signal = struct.unpack_from("<III", payload, pos)
        value = decode_zkey_coeff(payload[pos + 12 : pos + _COEFF_BYTES], w)
        k = ZKeyCoeff(matrix, constraint, signal, value)
        _check_coeff(k, n_vars, domain_size, f"{w}: coefficient {i}")
        coeffs.append(k)
    return coeffs


def decode_zkey(data: bytes, what: str = "zkey") -> Groth16ZKey:
    """Decode and validate a Groth16 ``.zkey``; ``what`` (the file name) prefixes errors."""
    return _decode(parse_binfile(data, ZKEY_MAGIC, what), what)


def read_zkey(path: str | os.PathLike[str]) -> Groth16ZKey:
    return _decode(read_binfile(path, ZKEY_MAGIC), str(path))


def _check_version(version: int, what: str) -> None:
    if version != ZKEY_VERSION:
        raise FormatError(f"{what}: unsupported zkey version {version} (expected {ZKEY_VERSION})")


def _decode(binfile: BinFile, what: str) -> Groth16ZKey:
    _check_version(binfile.version, what)
    _decode_protocol(binfile.section(ZKEY_SECTION_HEADER, "header"), what)
    _check_section_ids(binfile.order, what)
    hdr = _decode_groth16_header(binfile.section(ZKEY_SECTION_GROTH16_HEADER, "groth16 header"), what)
    n_vars, n_public, domain_size = hdr.n_vars, hdr.n_public, hdr.domain_size
    n_private = n_vars - n_public - 1

    def g1s(section_id: int, name: str, count: int) -> list[G1Point]:
        payload = _points_section(binfile, section_id, name, count, G1_BYTES, what)
        return decode_g1_lem_many(payload, f"{what}: {name}")

    ic = g1s(ZKEY_SECTION_IC, "IC", n_public + 1)
    coeffs = _decode_coeffs(binfile.section(ZKEY_SECTION_COEFFS, "coefficients"), n_vars, domain_size, what)
    a = g1s(ZKEY_SECTION_A, "A", n_vars)
    b1 = g1s(ZKEY_SECTION_B1, "B1", n_vars)
    b2_payload = _points_section(binfile, ZKEY_SECTION_B2, "B2", n_vars, G2_BYTES, what)
    b2 = decode_g2_lem_many(b2_payload, f"{what}: B2")
    c = g1s(ZKEY_SECTION_C, "C", n_private)
    h = g1s(ZKEY_SECTION_H, "H", domain_size)
    mpc = decode_mpc_params(binfile.section(ZKEY_SECTION_MPC, "MPC params"), what)
    return Groth16ZKey(
        n_vars=n_vars,
        n_public=n_public,
        domain_size=domain_size,
        alpha1=hdr.alpha1,
        beta1=hdr.beta1,
        beta2=hdr.beta2,
        gamma2=hdr.gamma2,
        delta1=hdr.delta1,
        delta2=hdr.delta2,
        ic=ic,
        coeffs=coeffs,
        a=a,
        b1=b1,
        b2=b2,
        c=c,
        h=h,
        mpc=mpc,
    )


def read_zkey_header(path: str | os.PathLike[str]) -> ZKeyHeader:
    """Sizes and verification-key points (alpha1 .. delta2, IC) without reading the big sections.

    Opens the file lazily (see ``ptau.MappedBinFile``): only sections 1, 2, 3 and
    the coefficient count are read; the other sections' sizes are still checked.
    """
    return read_zkey_layout(path)[0]


def read_zkey_layout(path: str | os.PathLike[str]) -> tuple[ZKeyHeader, dict[int, tuple[int, int]]]:
    """:func:`read_zkey_header` and where each section's payload lies: ``{id: (offset, length)}``.

    A reader can then take one big section at a time from the file (the
    native prover's ``prove_file`` does) instead of holding the whole key.
    """
    what = str(path)
    with MappedBinFile(path, ZKEY_MAGIC) as f:
        _check_version(f.version, what)
        _decode_protocol(f.section_bytes(ZKEY_SECTION_HEADER, "header"), what)
        _check_section_ids(list(f.sections), what)
        hdr = _decode_groth16_header(f.section_bytes(ZKEY_SECTION_GROTH16_HEADER, "groth16 header"), what)
        n_private = hdr.n_vars - hdr.n_public - 1
        sizes = {
            ZKEY_SECTION_IC: ("IC", (hdr.n_public + 1) * G1_BYTES),
            ZKEY_SECTION_A: ("A", hdr.n_vars * G1_BYTES),
            ZKEY_SECTION_B1: ("B1", hdr.n_vars * G1_BYTES),
            ZKEY_SECTION_B2: ("B2", hdr.n_vars * G2_BYTES),
            ZKEY_SECTION_C: ("C", n_private * G1_BYTES),
            ZKEY_SECTION_H: ("H", hdr.domain_size * G1_BYTES),
        }
        for section_id, (name, size) in sizes.items():
            got = f.section_size(section_id, name)
            if got != size:
                raise FormatError(
                    f"{what}: {name} section (id {section_id}) has {got} bytes, expected {size}"
                )
        coeff_head = f.section_slice(ZKEY_SECTION_COEFFS, "coefficients", 0, 4)
        (n_coeffs,) = struct.unpack("<I", coeff_head)
        if f.section_size(ZKEY_SECTION_COEFFS, "coefficients") != 4 + n_coeffs * _COEFF_BYTES:
            raise FormatError(f"{what}: coefficients section size does not match its count {n_coeffs}")
        f.section_size(ZKEY_SECTION_MPC, "MPC params")
        ic = decode_g1_lem_many(f.section_bytes(ZKEY_SECTION_IC, "IC"), f"{what}: IC")
        layout = dict(f.sections)
    return replace(hdr, ic=ic, n_coeffs=n_coeffs), layout


# --- raw sections (the native prover's view) ------------------------------------------

#: Sections whose payload is a run of LEM points, and the size of one point.
_RAW_POINT_SECTIONS = {
    ZKEY_SECTION_IC: G1_BYTES,
    ZKEY_SECTION_A: G1_BYTES,
    ZKEY_SECTION_B1: G1_BYTES,
    ZKEY_SECTION_B2: G2_BYTES,
    ZKEY_SECTION_C: G1_BYTES,
    ZKEY_SECTION_H: G1_BYTES,
}


@dataclass(frozen=True)
class ZKeyRaw:
    """A Groth16 ``.zkey`` with its header decoded and every section's payload as it lies in the file.

    ``sections[id]`` is the payload of section ``id`` (1..10): LEM points,
    the coefficient section with its ``c * R^2`` values, etc. Nothing but the
    header, IC and the MPC parameters is decoded, so this is what a native
    backend reads (zero-copy views into one buffer when read from a file).
    """

    header: ZKeyHeader
    mpc: MPCParams
    sections: dict[int, bytes | memoryview]

    def section(self, section_id: int) -> bytes | memoryview:
        return self.sections[section_id]


def encode_groth16_header(
    n_vars: int,
    n_public: int,
    domain_size: int,
    alpha1: G1Point,
    beta1: G1Point,
    beta2: G2Point,
    gamma2: G2Point,
    delta1: G1Point,
    delta2: G2Point,
) -> bytes:
    """The payload of section 2 from its fields (sizes checked)."""
    _check_sizes(n_vars, n_public, domain_size, "zkey")
    return (
        struct.pack("<I", N8)
        + int_to_le(Q, N8)
        + struct.pack("<I", N8)
        + int_to_le(R, N8)
        + struct.pack("<III", n_vars, n_public, domain_size)
        + encode_g1_lem(alpha1)
        + encode_g1_lem(beta1)
        + encode_g2_lem(beta2)
        + encode_g2_lem(gamma2)
        + encode_g1_lem(delta1)
        + encode_g2_lem(delta2)
    )


def _raw_from_payloads(payloads: dict[int, bytes | memoryview], version: int, what: str) -> ZKeyRaw:
    """Check the header and every section's size; decode the header, IC and MPC params only."""
    _check_version(version, what)
    _check_section_ids(list(payloads), what)

    def get(section_id: int, name: str) -> bytes | memoryview:
        try:
            return payloads[section_id]
        except KeyError:
            raise FormatError(f"{what}: no {name} section (id {section_id})") from None

    _decode_protocol(bytes(get(ZKEY_SECTION_HEADER, "header")), what)
    hdr = _decode_groth16_header(bytes(get(ZKEY_SECTION_GROTH16_HEADER, "groth16 header")), what)
    counts = {
        ZKEY_SECTION_IC: ("IC", hdr.n_public + 1),
        ZKEY_SECTION_A: ("A", hdr.n_vars),
        ZKEY_SECTION_B1: ("B1", hdr.n_vars),
        ZKEY_SECTION_B2: ("B2", hdr.n_vars),
        ZKEY_SECTION_C: ("C", hdr.n_vars - hdr.n_public - 1),
        ZKEY_SECTION_H: ("H", hdr.domain_size),
    }
    for section_id, (name, count) in counts.items():
        size = len(get(section_id, name))
        want = count * _RAW_POINT_SECTIONS[section_id]
        if size != want:
            raise FormatError(f"{what}: {name} section (id {section_id}) has {size} bytes, expected {want}")
    coeffs = get(ZKEY_SECTION_COEFFS, "coefficients")
    if len(coeffs) < 4:
        raise FormatError(f"{what}: coefficients section: truncated (no count)")
    (n_coeffs,) = struct.unpack_from("<I", coeffs, 0)
    if len(coeffs) != 4 + n_coeffs * _COEFF_BYTES:
        raise FormatError(f"{what}: coefficients section size does not match its count {n_coeffs}")
    ic = decode_g1_lem_many(bytes(payloads[ZKEY_SECTION_IC]), f"{what}: IC")
    mpc = decode_mpc_params(bytes(get(ZKEY_SECTION_MPC, "MPC params")), what)
    header = replace(hdr, ic=ic, n_coeffs=n_coeffs)
    return ZKeyRaw(header, mpc, dict(payloads))


def decode_zkey_raw(data: bytes, what: str = "zkey") -> ZKeyRaw:
    """Split ``.zkey`` bytes into section payloads (zero-copy views of ``data``) and check them."""
    view = memoryview(data)
    if len(view) < 12:
        raise FormatError(f"{what}: too short to be a zkey file")
    if bytes(view[:4]) != ZKEY_MAGIC:
        raise FormatError(f"{what}: not a zkey file (magic {bytes(view[:4])!r})")
    version, n_sections = struct.unpack_from("<II", view, 4)
    pos = 12
    payloads: dict[int, bytes | memoryview] = {}
    for _ in range(n_sections):
        if pos + 12 > len(view):
            raise FormatError(f"{what}: truncated section header at byte {pos}")
        section_id, size = struct.unpack_from("<IQ", view, pos)
        pos += 12
        if pos + size > len(view):
            raise FormatError(f"{what}: section {section_id} runs past the end of the file")
        if section_id in payloads:
            raise FormatError(f"{what}: section {section_id} appears twice")
        payloads[section_id] = view[pos : pos + size]
        pos += size
    if pos != len(view):
        raise FormatError(f"{what}: {len(view) - pos} trailing bytes after the last section")
    return _raw_from_payloads(payloads, version, what)


def read_zkey_raw(path: str | os.PathLike[str]) -> ZKeyRaw:
    """Read a ``.zkey`` once into memory and view its sections without decoding the points."""
    with open(path, "rb") as f:
        data = f.read()
    return decode_zkey_raw(data, str(path))


def zkey_raw_from_zkey(zkey: Groth16ZKey) -> ZKeyRaw:
    """The raw sections of a decoded key (encodes every point: per-element Python work)."""
    payloads: dict[int, bytes | memoryview] = dict(_sections(zkey, ZKEY_SECTION_ORDER, "zkey"))
    return _raw_from_payloads(payloads, ZKEY_VERSION, "zkey")


def _raw_items(raw: ZKeyRaw, section_order: Sequence[int]) -> list[tuple[int, bytes]]:
    if sorted(section_order) != sorted(raw.sections):
        raise ValueError(f"section_order must be a permutation of {sorted(raw.sections)}: {section_order}")
    return [(section_id, bytes(raw.sections[section_id])) for section_id in section_order]


def encode_zkey_raw(raw: ZKeyRaw, *, section_order: Sequence[int] = ZKEY_SECTION_ORDER) -> bytes:
    """The ``.zkey`` bytes of raw sections, in id order unless ``section_order`` says otherwise."""
    return b"".join(encode_binfile(ZKEY_MAGIC, ZKEY_VERSION, _raw_items(raw, section_order)))


def write_zkey_raw(
    path: str | os.PathLike[str], raw: ZKeyRaw, *, section_order: Sequence[int] = ZKEY_SECTION_ORDER
) -> None:
    """Write raw sections as a ``.zkey`` file atomically (sections 1..10 in id order by default)."""
    write_binfile(path, ZKEY_MAGIC, ZKEY_VERSION, _raw_items(raw, section_order))


def zkey_raw_from_sections(payloads: dict[int, bytes | memoryview], what: str = "zkey") -> ZKeyRaw:
    """Raw sections assembled in memory (e.g. by a native setup), checked like a file's."""
    return _raw_from_payloads(payloads, ZKEY_VERSION, what)
