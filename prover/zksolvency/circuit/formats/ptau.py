"""Phase-1 powers of tau (``.ptau``, version 1), as written by snarkjs 0.7.6.

Layout inside the iden3 container (``binfile.py``), magic ``ptau``, version 1,
integers little-endian, points LEM (Montgomery, see ``codec.py``); sources:
snarkjs ``src/powersoftau_utils.js``, ``src/powersoftau_new.js``,
``src/powersoftau_preparephase2.js``. With ``n = 2^power``::

    section 1 (header)        n8 u32, q (n8 bytes LE), power u32, ceremonyPower u32
    section 2 (tauG1)         2n - 1 G1: tau^i * G1, i = 0 .. 2n - 2
    section 3 (tauG2)         n G2:      tau^i * G2
    section 4 (alphaTauG1)    n G1:      alpha * tau^i * G1
    section 5 (betaTauG1)     n G1:      beta * tau^i * G1
    section 6 (betaG2)        1 G2:      beta * G2
    section 7 (contributions) u32 count, then each contribution:
                              tauG1 G1, tauG2 G2, alphaG1 G1, betaG1 G1, betaG2 G2,
                              public key: tau.g1_s, tau.g1_sx, alpha.g1_s, alpha.g1_sx,
                                          beta.g1_s, beta.g1_sx (G1), tau.g2_spx,
                                          alpha.g2_spx, beta.g2_spx (G2),
                              partialHash 216 bytes (a BLAKE2b state), nextChallenge 64 bytes,
                              type u32, paramLength u32 + params (``codec.encode_contribution_params``)
    after ``snarkjs powersoftau prepare phase2`` also, Lagrange bases of every
    radix-2 domain of size 2^p, concatenated by increasing p:
    section 12 (tauG1)        p = 0 .. power + 1: 4n - 1 G1
    section 13 (tauG2)        p = 0 .. power:     2n - 1 G2
    section 14 (alphaTauG1)   p = 0 .. power:     2n - 1 G1
    section 15 (betaTauG1)    p = 0 .. power:     2n - 1 G1

The block of domain size ``N`` starts at point index ``N - 1``. The top block
of section 12 (``N = 2n``) is computed by snarkjs from the ``2n - 1`` tauG1
points padded with the point at infinity (there is no ``tau^(2n-1)``), so it is
exact for polynomials of degree ``< 2n - 1``; ``groth16 setup`` uses its
odd-indexed points as the zkey's H section. ``prepare phase2`` resets
ceremonyPower to power.

Real ceremony files are big (power 20: 1.2 GB prepared), so ``PTauFile``
maps the file and decodes points only on request. ``MappedBinFile`` (the lazy
container reader behind it) also serves ``zkey.read_zkey_header``.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO

from zksolvency.bn254 import FR_TWO_ADICITY, N8, G1Point, G2Point, Q
from zksolvency.circuit.formats.binfile import Cursor, encode_binfile, write_binfile
from zksolvency.circuit.formats.codec import (
    G1_BYTES,
    G2_BYTES,
    decode_contribution_params,
    decode_g1_lem,
    decode_g1_lem_many,
    decode_g2_lem,
    decode_g2_lem_many,
    encode_contribution_params,
    encode_g1_lem,
    encode_g1_lem_many,
    encode_g2_lem,
    encode_g2_lem_many,
    int_to_le,
    n8_for_prime,
)
from zksolvency.errors import FormatError, SetupError

PTAU_MAGIC = b"ptau"
PTAU_VERSION = 1

PTAU_SECTION_HEADER = 1
PTAU_SECTION_TAU_G1 = 2
PTAU_SECTION_TAU_G2 = 3
PTAU_SECTION_ALPHA_TAU_G1 = 4
PTAU_SECTION_BETA_TAU_G1 = 5
PTAU_SECTION_BETA_G2 = 6
PTAU_SECTION_CONTRIBUTIONS = 7
PTAU_SECTION_LAGRANGE_TAU_G1 = 12
PTAU_SECTION_LAGRANGE_TAU_G2 = 13
PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1 = 14
PTAU_SECTION_LAGRANGE_BETA_TAU_G1 = 15

_PHASE1_SECTIONS = (
    PTAU_SECTION_HEADER,
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    PTAU_SECTION_ALPHA_TAU_G1,
    PTAU_SECTION_BETA_TAU_G1,
    PTAU_SECTION_BETA_G2,
    PTAU_SECTION_CONTRIBUTIONS,
)
_LAGRANGE_SECTIONS = (
    PTAU_SECTION_LAGRANGE_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G2,
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1,
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1,
)
#: The order snarkjs writes and we write.
PTAU_SECTION_ORDER = _PHASE1_SECTIONS + _LAGRANGE_SECTIONS
#: The sections made of points (all but the header and the contributions), in file order.
PTAU_POINT_SECTIONS = tuple(
    s for s in PTAU_SECTION_ORDER if s not in (PTAU_SECTION_HEADER, PTAU_SECTION_CONTRIBUTIONS)
)

#: The largest power we accept: ``Fr`` has radix-2 domains up to ``2^28``.
MAX_PTAU_POWER = FR_TWO_ADICITY

PARTIAL_HASH_BYTES = 216
HASH_BYTES = 64
_HEADER_BYTES = 4 + N8 + 4 + 4
_U32_MAX = (1 << 32) - 1


# --- dataclasses ---------------------------------------------------------------------


@dataclass(frozen=True)
class PTauPublicKey:
    """A contributor's proof of knowledge of ``tau``, ``alpha`` and ``beta``."""

    tau_g1_s: G1Point
    tau_g1_sx: G1Point
    alpha_g1_s: G1Point
    alpha_g1_sx: G1Point
    beta_g1_s: G1Point
    beta_g1_sx: G1Point
    tau_g2_spx: G2Point
    alpha_g2_spx: G2Point
    beta_g2_spx: G2Point


@dataclass(frozen=True)
class PTauContribution:
    """One phase-1 contribution as section 7 records it."""

    tau_g1: G1Point
    tau_g2: G2Point
    alpha_g1: G1Point
    beta_g1: G1Point
    beta_g2: G2Point
    key: PTauPublicKey
    partial_hash: bytes
    next_challenge: bytes
    type: int = 0
    name: str | None = None
    num_iterations_exp: int | None = None
    beacon_hash: bytes | None = None


# --- the lazy container reader ---------------------------------------------------------


class MappedBinFile:
    """An iden3 container opened lazily: magic, version and section table up front, payloads on request.

    The file is memory-mapped read-only. ``section_view`` hands out zero-copy
    views; drop them before (or after) ``close()``: a view still alive keeps the
    mapping until it is garbage-collected.
    """

    def __init__(self, path: str | os.PathLike[str], magic: bytes) -> None:
        self.what = str(path)
        self._file: BinaryIO | None = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._mm: mmap.mmap | None = None
        try:
            self._open(magic)
        except BaseException:
            self.close()
            raise

    def _open(self, magic: bytes) -> None:
        assert self._file is not None
        size = os.fstat(self._file.fileno()).st_size
        if size < 12:
            raise FormatError(f"{self.what}: too short to be a {magic.decode()} file")
        self._mm = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        mm = self._mm
        if mm[:4] != magic:
            raise FormatError(f"{self.what}: not a {magic.decode()} file (magic {mm[:4]!r})")
        self.version, n_sections = struct.unpack_from("<II", mm, 4)
        self.sections: dict[int, tuple[int, int]] = {}
        pos = 12
        for _ in range(n_sections):
            if pos + 12 > size:
                raise FormatError(f"{self.what}: truncated section header at byte {pos}")
            section_id, length = struct.unpack_from("<IQ", mm, pos)
            pos += 12
            if pos + length > size:
                raise FormatError(f"{self.what}: section {section_id} runs past the end of the file")
            if section_id in self.sections:
                raise FormatError(f"{self.what}: section {section_id} appears twice")
            self.sections[section_id] = (pos, length)
            pos += length
        if pos != size:
            raise FormatError(f"{self.what}: {size - pos} trailing bytes after the last section")

    def _locate(self, section_id: int, name: str) -> tuple[int, int]:
        try:
            return self.sections[section_id]
        except KeyError:
            raise FormatError(f"{self.what}: no {name} section (id {section_id})") from None

    def _map(self) -> mmap.mmap:
        if self._mm is None:
            raise ValueError(f"{self.what}: file is closed")
        return self._mm

    def section_size(self, section_id: int, name: str) -> int:
        return self._locate(section_id, name)[1]

    def section_range(self, section_id: int, name: str) -> tuple[int, int]:
        """``(offset, length)`` of the payload in the file; ``FormatError`` naming the section if absent."""
        return self._locate(section_id, name)

    def section_view(self, section_id: int, name: str) -> memoryview:
        """The whole payload, zero-copy."""
        offset, length = self._locate(section_id, name)
        return memoryview(self._map())[offset : offset + length]

    def section_bytes(self, section_id: int, name: str) -> bytes:
        offset, length = self._locate(section_id, name)
        return self._map()[offset : offset + length]

    def _bounds(self, section_id: int, name: str, start: int, length: int) -> int:
        offset, size = self._locate(section_id, name)
        if start < 0 or length < 0 or start + length > size:
            raise FormatError(
                f"{self.what}: {name} section: bytes [{start}, {start + length}) are outside its {size} bytes"
            )
        return offset + start

    def section_slice(self, section_id: int, name: str, start: int, length: int) -> bytes:
        """``length`` bytes of the payload from ``start`` (bounds checked)."""
        begin = self._bounds(section_id, name, start, length)
        return self._map()[begin : begin + length]

    def read(self, section_id: int, name: str, start: int, length: int) -> bytes:
        """:meth:`section_slice` read with ``pread`` instead of the mapping.

        For streaming passes over big files: the bytes are copied into a fresh
        buffer, so nothing of the file stays resident once the caller drops it
        (pages touched through the mapping would count in the process's memory).
        """
        begin = self._bounds(section_id, name, start, length)
        if self._file is None:
            raise ValueError(f"{self.what}: file is closed")
        out = os.pread(self._file.fileno(), length, begin)
        if len(out) != length:
            raise FormatError(f"{self.what}: {name} section: short read at byte {begin}")
        return out

    def close(self) -> None:
        if self._mm is not None:
            # A section_view still alive keeps the mapping; it goes when the view does.
            with contextlib.suppress(BufferError):
                self._mm.close()
            self._mm = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> MappedBinFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# --- sizes ------------------------------------------------------------------------------


def point_counts(power: int) -> dict[int, int]:
    """Points per point section (2-6, 12-15) for a file of this power."""
    n = 1 << power
    return {
        PTAU_SECTION_TAU_G1: 2 * n - 1,
        PTAU_SECTION_TAU_G2: n,
        PTAU_SECTION_ALPHA_TAU_G1: n,
        PTAU_SECTION_BETA_TAU_G1: n,
        PTAU_SECTION_BETA_G2: 1,
        PTAU_SECTION_LAGRANGE_TAU_G1: 4 * n - 1,
        PTAU_SECTION_LAGRANGE_TAU_G2: 2 * n - 1,
        PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1: 2 * n - 1,
        PTAU_SECTION_LAGRANGE_BETA_TAU_G1: 2 * n - 1,
    }


_G2_SECTIONS = frozenset({PTAU_SECTION_TAU_G2, PTAU_SECTION_BETA_G2, PTAU_SECTION_LAGRANGE_TAU_G2})
_SECTION_NAMES = {
    PTAU_SECTION_HEADER: "header",
    PTAU_SECTION_TAU_G1: "tauG1",
    PTAU_SECTION_TAU_G2: "tauG2",
    PTAU_SECTION_ALPHA_TAU_G1: "alphaTauG1",
    PTAU_SECTION_BETA_TAU_G1: "betaTauG1",
    PTAU_SECTION_BETA_G2: "betaG2",
    PTAU_SECTION_CONTRIBUTIONS: "contributions",
    PTAU_SECTION_LAGRANGE_TAU_G1: "lagrange tauG1",
    PTAU_SECTION_LAGRANGE_TAU_G2: "lagrange tauG2",
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1: "lagrange alphaTauG1",
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1: "lagrange betaTauG1",
}


def _point_bytes(section_id: int) -> int:
    return G2_BYTES if section_id in _G2_SECTIONS else G1_BYTES


def _check_power(power: int, ceremony_power: int, what: str) -> None:
    if not 0 <= power <= MAX_PTAU_POWER:
        raise FormatError(f"{what}: power {power} is outside [0, {MAX_PTAU_POWER}]")
    if not power <= ceremony_power <= MAX_PTAU_POWER:
        raise FormatError(
            f"{what}: ceremonyPower {ceremony_power} is outside [power = {power}, {MAX_PTAU_POWER}]"
        )


# --- contributions (section 7) --------------------------------------------------------------


def _check_hash(value: bytes, size: int, what: str) -> None:
    if len(value) != size:
        raise FormatError(f"{what}: expected {size} bytes, got {len(value)}")


def encode_ptau_contributions(contributions: Sequence[PTauContribution]) -> bytes:
    """The payload of section 7."""
    out = bytearray(struct.pack("<I", len(contributions)))
    for i, c in enumerate(contributions):
        what = f"ptau contribution {i}"
        _check_hash(c.partial_hash, PARTIAL_HASH_BYTES, f"{what}: partial_hash")
        _check_hash(c.next_challenge, HASH_BYTES, f"{what}: next_challenge")
        if not 0 <= c.type <= _U32_MAX:
            raise FormatError(f"{what}: type {c.type} does not fit in a u32")
        k = c.key
        out += encode_g1_lem(c.tau_g1) + encode_g2_lem(c.tau_g2)
        out += encode_g1_lem(c.alpha_g1) + encode_g1_lem(c.beta_g1) + encode_g2_lem(c.beta_g2)
        out += encode_g1_lem_many(
            [k.tau_g1_s, k.tau_g1_sx, k.alpha_g1_s, k.alpha_g1_sx, k.beta_g1_s, k.beta_g1_sx]
        )
        out += encode_g2_lem_many([k.tau_g2_spx, k.alpha_g2_spx, k.beta_g2_spx])
        out += c.partial_hash + c.next_challenge + struct.pack("<I", c.type)
        out += encode_contribution_params(c.name, c.num_iterations_exp, c.beacon_hash, what)
    return bytes(out)


def _decode_contribution(cur: Cursor, what: str) -> PTauContribution:
    def g1(name: str) -> G1Point:
        return decode_g1_lem(cur.take(G1_BYTES), f"{what}: {name}")

    def g2(name: str) -> G2Point:
        return decode_g2_lem(cur.take(G2_BYTES), f"{what}: {name}")

    # Keyword arguments are evaluated left to right: this is the file order.
    tau_g1, tau_g2, alpha_g1, beta_g1, beta_g2 = (
        g1("tauG1"),
        g2("tauG2"),
        g1("alphaG1"),
        g1("betaG1"),
        g2("betaG2"),
    )
    key = PTauPublicKey(
        tau_g1_s=g1("tau.g1_s"),
        tau_g1_sx=g1("tau.g1_sx"),
        alpha_g1_s=g1("alpha.g1_s"),
        alpha_g1_sx=g1("alpha.g1_sx"),
        beta_g1_s=g1("beta.g1_s"),
        beta_g1_sx=g1("beta.g1_sx"),
        tau_g2_spx=g2("tau.g2_spx"),
        alpha_g2_spx=g2("alpha.g2_spx"),
        beta_g2_spx=g2("beta.g2_spx"),
    )
    partial_hash = bytes(cur.take(PARTIAL_HASH_BYTES))
    next_challenge = bytes(cur.take(HASH_BYTES))
    kind = cur.u32()
    name, iterations, beacon = decode_contribution_params(cur, what)
    return PTauContribution(
        tau_g1=tau_g1,
        tau_g2=tau_g2,
        alpha_g1=alpha_g1,
        beta_g1=beta_g1,
        beta_g2=beta_g2,
        key=key,
        partial_hash=partial_hash,
        next_challenge=next_challenge,
        type=kind,
        name=name,
        num_iterations_exp=iterations,
        beacon_hash=beacon,
    )


def decode_ptau_contributions(data: bytes, what: str = "ptau") -> list[PTauContribution]:
    """Decode the payload of section 7 (points checked on their curves)."""
    cur = Cursor(data, f"{what}: contributions section")
    contributions = [_decode_contribution(cur, f"{what}: contribution {i}") for i in range(cur.u32())]
    cur.done()
    return contributions


# --- the reader --------------------------------------------------------------------------


class PTauFile:
    """A ``.ptau`` file opened lazily: header, section table and contributions up front, points on request.

    Every point getter decodes with on-curve checks and returns a list.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.what = str(path)
        self._bin = MappedBinFile(path, PTAU_MAGIC)
        try:
            self._validate()
        except BaseException:
            self._bin.close()
            raise

    def _validate(self) -> None:
        b, what = self._bin, self.what
        if b.version != PTAU_VERSION:
            raise FormatError(f"{what}: unsupported ptau version {b.version} (expected {PTAU_VERSION})")
        unknown = sorted(set(b.sections) - set(PTAU_SECTION_ORDER))
        if unknown:
            raise FormatError(f"{what}: unknown section id(s) {unknown}")
        header = Cursor(b.section_bytes(PTAU_SECTION_HEADER, "header"), f"{what}: header section")
        n8 = header.u32()
        if n8 != n8_for_prime(Q):
            raise FormatError(f"{what}: header: field size n8 = {n8}, expected {n8_for_prime(Q)} (BN254)")
        q = header.int_le(n8)
        if q != Q:
            raise FormatError(f"{what}: header: q = {q} is not BN254's base field (ptau for another curve)")
        self.power: int = header.u32()
        self.ceremony_power: int = header.u32()
        header.done()
        _check_power(self.power, self.ceremony_power, f"{what}: header")

        present = [s for s in _LAGRANGE_SECTIONS if s in b.sections]
        if present and len(present) != len(_LAGRANGE_SECTIONS):
            missing = [s for s in _LAGRANGE_SECTIONS if s not in b.sections]
            raise FormatError(f"{what}: Lagrange sections {present} present but {missing} missing")
        self.prepared: bool = bool(present)

        counts = point_counts(self.power)
        expected_ids = [s for s in counts if s in _PHASE1_SECTIONS or self.prepared]
        for section_id in expected_ids:
            name = _SECTION_NAMES[section_id]
            size = b.section_size(section_id, name)
            want = counts[section_id] * _point_bytes(section_id)
            if size != want:
                raise FormatError(
                    f"{what}: {name} section (id {section_id}) has {size} bytes, expected "
                    f"{counts[section_id]} points ({want} bytes) for power {self.power}"
                )
        self.contributions: list[PTauContribution] = decode_ptau_contributions(
            b.section_bytes(PTAU_SECTION_CONTRIBUTIONS, "contributions"), what
        )

    # --- raw access

    def raw_section(self, section_id: int) -> memoryview:
        """The payload of one section, zero-copy (LEM points, as in the file)."""
        return self._bin.section_view(section_id, _SECTION_NAMES.get(section_id, "such"))

    def section_size(self, section_id: int) -> int:
        return self._bin.section_size(section_id, _SECTION_NAMES.get(section_id, "such"))

    def section_offset(self, section_id: int) -> int:
        """Where section ``section_id``'s payload starts in the file."""
        return self._bin.section_range(section_id, _SECTION_NAMES.get(section_id, "such"))[0]

    def read_points(self, section_id: int, start: int, count: int) -> bytes:
        """Points ``[start, start + count)`` of a point section as LEM bytes, read (not mapped), not decoded.

        The streaming reader of the ceremony checks: each call reads only what it
        asks for (see ``MappedBinFile.read``).
        """
        name = _SECTION_NAMES[section_id]
        total = point_counts(self.power)[section_id]
        if start < 0 or count < 0 or start + count > total:
            raise SetupError(
                f"{self.what}: {name}: points [{start}, {start + count}) are outside the {total} "
                f"points of a power-{self.power} file"
            )
        size = _point_bytes(section_id)
        return self._bin.read(section_id, name, start * size, count * size)

    def _slice(self, section_id: int, start: int, count: int | None) -> tuple[bytes, str]:
        """The bytes of points ``[start, start + count)`` and the name to report errors under."""
        name = _SECTION_NAMES[section_id]
        total = point_counts(self.power)[section_id]
        if count is None:
            count = total - start
        if start < 0 or count < 0 or start + count > total:
            raise SetupError(
                f"{self.what}: {name}: points [{start}, {start + count}) are outside the {total} "
                f"points of a power-{self.power} file"
            )
        size = _point_bytes(section_id)
        data = self._bin.section_slice(section_id, name, start * size, count * size)
        # Errors name the point as an index into the slice read: "tauG1[8:][3]" is point 11.
        return data, f"{self.what}: {name}" + (f"[{start}:]" if start else "")

    def _g1(self, section_id: int, start: int, count: int | None) -> list[G1Point]:
        return decode_g1_lem_many(*self._slice(section_id, start, count))

    def _g2(self, section_id: int, start: int, count: int | None) -> list[G2Point]:
        return decode_g2_lem_many(*self._slice(section_id, start, count))

    # --- monomial (phase-1) points

    def tau_g1(self, start: int = 0, count: int | None = None) -> list[G1Point]:
        """``tau^i * G1`` for ``i`` in ``[start, start + count)`` (``i < 2^(power+1) - 1``)."""
        return self._g1(PTAU_SECTION_TAU_G1, start, count)

    def tau_g2(self, start: int = 0, count: int | None = None) -> list[G2Point]:
        return self._g2(PTAU_SECTION_TAU_G2, start, count)

    def alpha_tau_g1(self, start: int = 0, count: int | None = None) -> list[G1Point]:
        return self._g1(PTAU_SECTION_ALPHA_TAU_G1, start, count)

    def beta_tau_g1(self, start: int = 0, count: int | None = None) -> list[G1Point]:
        return self._g1(PTAU_SECTION_BETA_TAU_G1, start, count)

    def beta_g2(self) -> G2Point:
        return self._g2(PTAU_SECTION_BETA_G2, 0, 1)[0]

    # --- Lagrange (phase-2-ready) points

    def _lagrange_start(self, section_id: int, domain_size: int) -> int:
        max_log = self.power + 1 if section_id == PTAU_SECTION_LAGRANGE_TAU_G1 else self.power
        name = _SECTION_NAMES[section_id]
        if domain_size <= 0 or domain_size & (domain_size - 1):
            raise SetupError(f"{self.what}: {name}: domain size {domain_size} is not a power of two")
        if domain_size > 1 << max_log:
            raise SetupError(
                f"{self.what}: {name}: domain size {domain_size} = 2^{domain_size.bit_length() - 1} is too "
                f"big for this power-{self.power} ptau (at most 2^{max_log}); use a ptau of a higher power"
            )
        if not self.prepared:
            raise SetupError(
                f"{self.what}: not prepared for phase 2 (no Lagrange sections); "
                "run `snarkjs powersoftau prepare phase2` on it first"
            )
        return domain_size - 1

    def lagrange_g1(self, domain_size: int) -> list[G1Point]:
        """``L_i(tau) * G1`` for the domain of size ``domain_size`` (up to ``2^(power+1)``)."""
        start = self._lagrange_start(PTAU_SECTION_LAGRANGE_TAU_G1, domain_size)
        return self._g1(PTAU_SECTION_LAGRANGE_TAU_G1, start, domain_size)

    def lagrange_g2(self, domain_size: int) -> list[G2Point]:
        start = self._lagrange_start(PTAU_SECTION_LAGRANGE_TAU_G2, domain_size)
        return self._g2(PTAU_SECTION_LAGRANGE_TAU_G2, start, domain_size)

    def lagrange_alpha_g1(self, domain_size: int) -> list[G1Point]:
        start = self._lagrange_start(PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1, domain_size)
        return self._g1(PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1, start, domain_size)

    def lagrange_beta_g1(self, domain_size: int) -> list[G1Point]:
        start = self._lagrange_start(PTAU_SECTION_LAGRANGE_BETA_TAU_G1, domain_size)
        return self._g1(PTAU_SECTION_LAGRANGE_BETA_TAU_G1, start, domain_size)

    # --- lifetime

    def close(self) -> None:
        self._bin.close()

    def __enter__(self) -> PTauFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# --- the writer --------------------------------------------------------------------------


def _sections(
    power: int,
    ceremony_power: int,
    tau_g1: Sequence[G1Point],
    tau_g2: Sequence[G2Point],
    alpha_tau_g1: Sequence[G1Point],
    beta_tau_g1: Sequence[G1Point],
    beta_g2: G2Point,
    contributions: Sequence[PTauContribution],
    lagrange: tuple[Sequence[G1Point], Sequence[G2Point], Sequence[G1Point], Sequence[G1Point]] | None,
    what: str,
) -> list[tuple[int, bytes]]:
    _check_power(power, ceremony_power, what)
    counts = point_counts(power)
    given: dict[int, Sequence[G1Point] | Sequence[G2Point]] = {
        PTAU_SECTION_TAU_G1: tau_g1,
        PTAU_SECTION_TAU_G2: tau_g2,
        PTAU_SECTION_ALPHA_TAU_G1: alpha_tau_g1,
        PTAU_SECTION_BETA_TAU_G1: beta_tau_g1,
    }
    if lagrange is not None:
        given.update(zip(_LAGRANGE_SECTIONS, lagrange, strict=True))
    for section_id, points in given.items():
        if len(points) != counts[section_id]:
            raise FormatError(
                f"{what}: {_SECTION_NAMES[section_id]} has {len(points)} points, "
                f"expected {counts[section_id]} for power {power}"
            )
    header = struct.pack("<I", N8) + int_to_le(Q, N8) + struct.pack("<II", power, ceremony_power)

    def encode(section_id: int) -> bytes:
        points = given[section_id]
        if section_id in _G2_SECTIONS:
            return encode_g2_lem_many(list(points))  # type: ignore[arg-type]
        return encode_g1_lem_many(list(points))  # type: ignore[arg-type]

    sections = [
        (PTAU_SECTION_HEADER, header),
        (PTAU_SECTION_TAU_G1, encode(PTAU_SECTION_TAU_G1)),
        (PTAU_SECTION_TAU_G2, encode(PTAU_SECTION_TAU_G2)),
        (PTAU_SECTION_ALPHA_TAU_G1, encode(PTAU_SECTION_ALPHA_TAU_G1)),
        (PTAU_SECTION_BETA_TAU_G1, encode(PTAU_SECTION_BETA_TAU_G1)),
        (PTAU_SECTION_BETA_G2, encode_g2_lem(beta_g2)),
        (PTAU_SECTION_CONTRIBUTIONS, encode_ptau_contributions(contributions)),
    ]
    if lagrange is not None:
        sections += [(section_id, encode(section_id)) for section_id in _LAGRANGE_SECTIONS]
    return sections


def encode_ptau(
    power: int,
    ceremony_power: int,
    tau_g1: Sequence[G1Point],
    tau_g2: Sequence[G2Point],
    alpha_tau_g1: Sequence[G1Point],
    beta_tau_g1: Sequence[G1Point],
    beta_g2: G2Point,
    contributions: Sequence[PTauContribution],
    lagrange: tuple[Sequence[G1Point], Sequence[G2Point], Sequence[G1Point], Sequence[G1Point]] | None = None,
) -> bytes:
    """The ``.ptau`` bytes; ``lagrange`` is the content of sections 12..15 for a prepared file.

    Counts are checked against ``power``; points are trusted to be valid.
    """
    sections = _sections(
        power,
        ceremony_power,
        tau_g1,
        tau_g2,
        alpha_tau_g1,
        beta_tau_g1,
        beta_g2,
        contributions,
        lagrange,
        "ptau",
    )
    return b"".join(encode_binfile(PTAU_MAGIC, PTAU_VERSION, sections))


def write_ptau(
    path: str | os.PathLike[str],
    power: int,
    ceremony_power: int,
    tau_g1: Sequence[G1Point],
    tau_g2: Sequence[G2Point],
    alpha_tau_g1: Sequence[G1Point],
    beta_tau_g1: Sequence[G1Point],
    beta_g2: G2Point,
    contributions: Sequence[PTauContribution],
    lagrange: tuple[Sequence[G1Point], Sequence[G2Point], Sequence[G1Point], Sequence[G1Point]] | None = None,
) -> None:
    """Write a ``.ptau`` atomically, sections 1..7 then (if ``lagrange``) 12..15."""
    sections = _sections(
        power,
        ceremony_power,
        tau_g1,
        tau_g2,
        alpha_tau_g1,
        beta_tau_g1,
        beta_g2,
        contributions,
        lagrange,
        str(path),
    )
    write_binfile(path, PTAU_MAGIC, PTAU_VERSION, sections)


def write_ptau_sections(
    path: str | os.PathLike[str],
    power: int,
    ceremony_power: int,
    points: dict[int, bytes],
    contributions: Sequence[PTauContribution],
) -> None:
    """Write a ``.ptau`` from point sections already in LEM (e.g. computed natively), atomically.

    ``points`` maps section ids 2..6 (and 12..15 for a prepared file) to their
    payloads; each size is checked against ``power``, the points themselves are trusted.
    """
    what = str(path)
    _check_power(power, ceremony_power, what)
    counts = point_counts(power)
    ids = [s for s in PTAU_SECTION_ORDER if s not in (PTAU_SECTION_HEADER, PTAU_SECTION_CONTRIBUTIONS)]
    prepared = any(s in points for s in _LAGRANGE_SECTIONS)
    wanted = [s for s in ids if s in _PHASE1_SECTIONS or prepared]
    if sorted(points) != sorted(wanted):
        raise FormatError(f"{what}: point sections {sorted(points)} given, expected {sorted(wanted)}")
    for section_id in wanted:
        want = counts[section_id] * _point_bytes(section_id)
        if len(points[section_id]) != want:
            raise FormatError(
                f"{what}: {_SECTION_NAMES[section_id]} has {len(points[section_id])} bytes, "
                f"expected {want} for power {power}"
            )
    header = struct.pack("<I", N8) + int_to_le(Q, N8) + struct.pack("<II", power, ceremony_power)
    sections = [(PTAU_SECTION_HEADER, header)]
    sections += [(s, points[s]) for s in _PHASE1_SECTIONS if s in points]
    sections.append((PTAU_SECTION_CONTRIBUTIONS, encode_ptau_contributions(contributions)))
    sections += [(s, points[s]) for s in _LAGRANGE_SECTIONS if s in points]
    write_binfile(path, PTAU_MAGIC, PTAU_VERSION, sections)
