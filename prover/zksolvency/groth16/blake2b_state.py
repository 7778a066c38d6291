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
from zksolvency.hashing.blake_tables import IV, LANES, SIGMA

STATE_BYTES = 216
_BLOCK = 128
_MASK = (1 << 64) - 1


def _rotr(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & _MASK


class Blake2bState:
    """An unkeyed BLAKE2b-512 computation that can be saved (:meth:`save`) and resumed."""

    def __init__(self) -> None:
        self.h = list(IV)
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
        v = [*self.h, *IV]
        v[12] ^= self.compressed & _MASK
        v[13] ^= self.compressed >> 64
        if last:
            v[14] ^= _MASK
        for round_ in range(12):
            s = SIGMA[round_ % 10]
            for i, (a, b, c, d) in enumerate(LANES):
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
