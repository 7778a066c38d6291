"""BLAKE2b-512 (RFC 7693) whose state can be saved and resumed: phase-1 response hashes.

A phase-1 contribution's response hash is BLAKE2b-512 over the previous
challenge, every new point in compressed form, then the contributor's public
key. The points are gone by the time a file is verified, so snarkjs stores the
hash state reached after the points (``partialHash``, 216 bytes) and the
verifier finishes it with the public key. ``hashlib`` cannot resume a state,
so this module implements the compression function itself (short and slow:
it is meant for a few blocks; ``_native.blake2b_absorb`` is the fast twin).

The saved layout (``blake2b-wasm``'s context, as snarkjs writes it):

    bytes   0..128  the block buffer
    bytes 128..192  the chaining words h[0..8], each u64 little-endian
    bytes 192..200  t: bytes already compressed, u64 LE
    bytes 200..208  bytes waiting in the buffer, u64 LE (1..128 once anything was absorbed)
    bytes 208..216  zero

A full buffer is compressed only when more input arrives, so the last block
can still get the final flag.
"""

from __future__ import annotations

import struct

from zksolvency.errors import FormatError

STATE_BYTES = 216
_BLOCK = 128
_MASK = (1 << 64) - 1
_IV = (
    0x6A09E667F3BCC908,
    0xBB67AE8584CAA73B,
    0x3C6EF372FE94F82B,
    0xA54FF53A5F1D36F1,
    0x510E527FADE682D1,
    0x9B05688C2B3E6C1F,
    0x1F83D9ABFB41BD6B,
    0x5BE0CD19137E2179,
)
_SIGMA = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
    (14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3),
    (11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4),
    (7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8),
    (9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13),
    (2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9),
    (12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11),
    (13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10),
    (6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5),
    (10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0),
)
#: The columns then the diagonals of the 4x4 working matrix.
_MIX = (
    (0, 4, 8, 12),
    (1, 5, 9, 13),
    (2, 6, 10, 14),
    (3, 7, 11, 15),
    (0, 5, 10, 15),
    (1, 6, 11, 12),
    (2, 7, 8, 13),
    (3, 4, 9, 14),
)


def _rotr(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & _MASK


class Blake2bState:
    """An unkeyed BLAKE2b-512 computation that can be saved (:meth:`save`) and resumed."""

    def __init__(self) -> None:
        self.h = list(_IV)
        self.h[0] ^= 0x01010040  # parameter block: 64-byte digest, no key, fanout = depth = 1
        self.compressed = 0
        self.buffer = bytearray(_BLOCK)
        self.pos = 0

    @classmethod
    def restore(cls, state: bytes, what: str = "BLAKE2b state") -> Blake2bState:
        """The state saved in ``state`` (216 bytes, see the module docstring)."""
        if len(state) != STATE_BYTES:
            raise FormatError(f"{what}: {len(state)} bytes, expected {STATE_BYTES}")
        words = struct.unpack_from("<11Q", state, _BLOCK)
        if words[9] > _BLOCK:
            raise FormatError(f"{what}: {words[9]} buffered bytes, at most {_BLOCK}")
        out = cls()
        out.buffer[:] = state[:_BLOCK]
        out.h = list(words[:8])
        out.compressed = words[8]
        out.pos = words[9]
        return out

    def save(self) -> bytes:
        return bytes(self.buffer) + struct.pack("<11Q", *self.h, self.compressed, self.pos, 0)

    def _compress(self, last: bool) -> None:
        m = struct.unpack("<16Q", self.buffer)
        v = [*self.h, *_IV]
        v[12] ^= self.compressed & _MASK
        v[13] ^= self.compressed >> 64
        if last:
            v[14] ^= _MASK
        for round_ in range(12):
            s = _SIGMA[round_ % 10]
            for i, (a, b, c, d) in enumerate(_MIX):
                v[a] = (v[a] + v[b] + m[s[2 * i]]) & _MASK
                v[d] = _rotr(v[d] ^ v[a], 32)
                v[c] = (v[c] + v[d]) & _MASK
                v[b] = _rotr(v[b] ^ v[c], 24)
                v[a] = (v[a] + v[b] + m[s[2 * i + 1]]) & _MASK
                v[d] = _rotr(v[d] ^ v[a], 16)
                v[c] = (v[c] + v[d]) & _MASK
                v[b] = _rotr(v[b] ^ v[c], 63)
        self.h = [h ^ v[i] ^ v[i + 8] for i, h in enumerate(self.h)]

    def update(self, data: bytes | bytearray | memoryview) -> Blake2bState:
        view = memoryview(data).cast("B")
        while len(view):
            if self.pos == _BLOCK:
                self.compressed += _BLOCK
                self._compress(last=False)
                self.pos = 0
            take = min(_BLOCK - self.pos, len(view))
            self.buffer[self.pos : self.pos + take] = view[:take]
            self.pos += take
            view = view[take:]
        return self

    def digest(self) -> bytes:
        """The 64-byte digest (the state itself is left as it was)."""
        final = Blake2bState.restore(self.save())
        final.compressed += final.pos
        final.buffer[final.pos :] = bytes(_BLOCK - final.pos)
        final._compress(last=True)
        return struct.pack("<8Q", *final.h)


def blake2b_absorb(state: bytes, data: bytes | bytearray | memoryview) -> bytes:
    """Continue the saved ``state`` (empty bytes: a fresh hash) with ``data``; the new saved state."""
    current = Blake2bState.restore(state) if state else Blake2bState()
    return current.update(data).save()
