"""The iden3 binary container shared by ``.r1cs``, ``.wtns``, ``.zkey`` and ``.ptau``.

Layout (all integers little-endian), as written by iden3's ``binfileutils``::

    magic      4 bytes, ASCII ("r1cs", "wtns", "zkey", "ptau")
    version    u32
    nSections  u32
    nSections times:
        sectionId    u32
        sectionSize  u64
        payload      sectionSize bytes

Readers look sections up by id; the order in the file is free, and an id may
in principle repeat (we refuse that: no format here uses it).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.errors import FormatError
from zksolvency.util.atomic import atomic_write_bytes


@dataclass(frozen=True)
class BinFile:
    """A decoded container: its magic, version and the payload of each section."""

    magic: bytes
    version: int
    sections: dict[int, bytes]
    order: tuple[int, ...]

    def section(self, section_id: int, name: str) -> bytes:
        try:
            return self.sections[section_id]
        except KeyError:
            raise FormatError(f"{self.magic.decode()} file has no {name} section (id {section_id})") from None


def parse_binfile(data: bytes, magic: bytes, what: str) -> BinFile:
    """Split ``data`` into sections; ``what`` (usually the file name) prefixes errors."""
    if len(data) < 12:
        raise FormatError(f"{what}: too short to be a {magic.decode()} file")
    if data[:4] != magic:
        raise FormatError(f"{what}: not a {magic.decode()} file (magic {data[:4]!r})")
    version, n_sections = struct.unpack_from("<II", data, 4)
    pos = 12
    sections: dict[int, bytes] = {}
    order: list[int] = []
    for _ in range(n_sections):
        if pos + 12 > len(data):
            raise FormatError(f"{what}: truncated section header at byte {pos}")
        section_id, size = struct.unpack_from("<IQ", data, pos)
        pos += 12
        if pos + size > len(data):
            raise FormatError(f"{what}: section {section_id} runs past the end of the file")
        if section_id in sections:
            raise FormatError(f"{what}: section {section_id} appears twice")
        sections[section_id] = data[pos : pos + size]
        order.append(section_id)
        pos += size
    if pos != len(data):
        raise FormatError(f"{what}: {len(data) - pos} trailing bytes after the last section")
    return BinFile(magic, version, sections, tuple(order))


def read_binfile(path: str | os.PathLike[str], magic: bytes) -> BinFile:
    return parse_binfile(Path(path).read_bytes(), magic, str(path))


def encode_binfile(magic: bytes, version: int, sections: Iterable[tuple[int, bytes]]) -> Iterable[bytes]:
    """Yield the container's bytes, sections in the given order."""
    items = list(sections)
    yield magic + struct.pack("<II", version, len(items))
    for section_id, payload in items:
        yield struct.pack("<IQ", section_id, len(payload))
        yield payload


def write_binfile(
    path: str | os.PathLike[str], magic: bytes, version: int, sections: Iterable[tuple[int, bytes]]
) -> None:
    """Write the container atomically."""
    atomic_write_bytes(path, encode_binfile(magic, version, sections))


#: A section to stream out: its id, its size in bytes, and the chunks that make it up.
StreamedSection = tuple[int, int, Iterable[bytes]]


def _streamed(magic: bytes, version: int, sections: Sequence[StreamedSection], what: str) -> Iterator[bytes]:
    yield magic + struct.pack("<II", version, len(sections))
    for section_id, size, chunks in sections:
        yield struct.pack("<IQ", section_id, size)
        written = 0
        for chunk in chunks:
            written += len(chunk)
            yield chunk
        if written != size:
            raise FormatError(f"{what}: section {section_id} announced {size} bytes but {written} came")


def write_binfile_streamed(
    path: str | os.PathLike[str], magic: bytes, version: int, sections: Sequence[StreamedSection]
) -> None:
    """Write the container atomically from sections whose payloads arrive in chunks.

    Each section's size is announced up front (its header precedes it) and
    checked once its chunks are done; nothing is kept in memory but one chunk.
    """
    atomic_write_bytes(path, _streamed(magic, version, sections, str(path)))


class Cursor:
    """Sequential little-endian reads over one section payload, with named errors."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.pos = 0
        self.what = what

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise FormatError(f"{self.what}: truncated (needed {n} bytes at offset {self.pos})")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack("<Q", self.take(8))[0])

    def int_le(self, n: int) -> int:
        return int.from_bytes(self.take(n), "little")

    def done(self) -> None:
        if self.pos != len(self.data):
            raise FormatError(f"{self.what}: {len(self.data) - self.pos} unexpected trailing bytes")
