"""BLAKE-512 (the SHA-3 finalist, final round-3 version), as circomlibjs's key derivation uses it.

Written from the specification ("SHA-3 proposal BLAKE", Aumasson, Henzen, Meier, Phan,
version 1.3, 2010), not from any other implementation. Not BLAKE2b.

* Words are 64-bit, big-endian; the chain value ``h`` starts at SHA-512's IV, salt ``s = 0``.
* Padding: the message bits, a bit ``1``, zeros up to length ``= 895 (mod 1024)``, a bit ``1``,
  then the message length in bits as a 128-bit big-endian integer.
* Compression of a 16-word block ``m`` with counter ``t`` (message bits hashed so far, this
  block's included; 0 for a block that holds padding only):

      v[0..8)  = h,   v[8..12) = s ^ c[0..4),
      v[12] = t_lo ^ c[4], v[13] = t_lo ^ c[5], v[14] = t_hi ^ c[6], v[15] = t_hi ^ c[7]

  then 16 rounds; round ``i`` uses ``sigma = SIGMA[i mod 10]`` and applies ``G_0..G_3`` to the
  columns ``(0,4,8,12) .. (3,7,11,15)`` and ``G_4..G_7`` to the diagonals ``(0,5,10,15)``,
  ``(1,6,11,12)``, ``(2,7,8,13)``, ``(3,4,9,14)``, where ``G_j(a, b, c, d)`` is

      a += b + (m[sigma[2j]] ^ c[sigma[2j+1]]);  d = (d ^ a) >>> 32;  c += d;  b = (b ^ c) >>> 25
      a += b + (m[sigma[2j+1]] ^ c[sigma[2j]]);  d = (d ^ a) >>> 16;  c += d;  b = (b ^ c) >>> 11

  (all mod ``2^64``), and finally ``h'_i = h_i ^ s_{i mod 4} ^ v_i ^ v_{i+8}``.
* The digest is ``h`` after the last block, 8 words big-endian (64 bytes).
"""

from __future__ import annotations

from zksolvency.hashing.blake_tables import IV, LANES, SIGMA

_MASK = (1 << 64) - 1

#: The 16 constants ``c``: the first 1024 bits of the fractional part of pi.
C: tuple[int, ...] = (
    0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89,
    0x452821E638D01377, 0xBE5466CF34E90C6C, 0xC0AC29B7C97C50DD, 0x3F84D5B5B5470917,
    0x9216D5D98979FB1B, 0xD1310BA698DFB5AC, 0x2FFD72DBD01ADFB7, 0xB8E1AFED6A267E96,
    0xBA7C9045F12C7F99, 0x24A19947B3916CF7, 0x0801F2E2858EFC16, 0x636920D871574E69,
)  # fmt: skip

ROUNDS = 16
BLOCK_BYTES = 128
DIGEST_BYTES = 64


def _rotr(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & _MASK


def _compress(h: list[int], block: bytes, counter: int) -> list[int]:
    """The compression function ``h' = compress(h, m, s = 0, t)`` of the module docstring."""
    m = [int.from_bytes(block[8 * i : 8 * i + 8], "big") for i in range(16)]
    t_lo, t_hi = counter & _MASK, (counter >> 64) & _MASK
    v = [*h, *C[:4], t_lo ^ C[4], t_lo ^ C[5], t_hi ^ C[6], t_hi ^ C[7]]
    for rnd in range(ROUNDS):
        sigma = SIGMA[rnd % 10]
        for j, (a, b, c, d) in enumerate(LANES):
            x, y = sigma[2 * j], sigma[2 * j + 1]
            v[a] = (v[a] + v[b] + (m[x] ^ C[y])) & _MASK
            v[d] = _rotr(v[d] ^ v[a], 32)
            v[c] = (v[c] + v[d]) & _MASK
            v[b] = _rotr(v[b] ^ v[c], 25)
            v[a] = (v[a] + v[b] + (m[y] ^ C[x])) & _MASK
            v[d] = _rotr(v[d] ^ v[a], 16)
            v[c] = (v[c] + v[d]) & _MASK
            v[b] = _rotr(v[b] ^ v[c], 11)
    return [h[i] ^ v[i] ^ v[i + 8] for i in range(8)]


def _padded(message: bytes) -> bytes:
    """``message || 1 || 0* || 1 || len_128`` to a multiple of 1024 bits."""
    zeros = (BLOCK_BYTES - 17 - len(message)) % BLOCK_BYTES
    pad = bytearray(b"\x80" + b"\x00" * zeros)
    pad[-1] |= 0x01
    return message + bytes(pad) + (8 * len(message)).to_bytes(16, "big")


def blake512(message: bytes) -> bytes:
    """The 64-byte BLAKE-512 digest of ``message``."""
    data = _padded(bytes(message))
    bits = 8 * len(message)
    h = list(IV)
    for offset in range(0, len(data), BLOCK_BYTES):
        hashed = min(8 * (offset + BLOCK_BYTES), bits)
        # A block made of padding only (the message ended in an earlier block) counts 0 bits.
        counter = hashed if 8 * offset < bits else 0
        h = _compress(h, data[offset : offset + BLOCK_BYTES], counter)
    return b"".join(word.to_bytes(8, "big") for word in h)
