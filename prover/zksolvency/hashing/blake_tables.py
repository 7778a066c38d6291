"""The tables BLAKE-512 and BLAKE2b share: SHA-512's initial value, the ten message permutations
``sigma`` and the order of the ``G`` mixes over the 4x4 working matrix.

Both hashes come from one design (BLAKE2b is BLAKE-512 with fewer rounds and without the constants
xored into the message words), so these are written once, from the BLAKE specification
("SHA-3 proposal BLAKE", v1.3, section 2.1) and RFC 7693 (section 2.7), which give the same values.
"""

from __future__ import annotations

#: SHA-512's initial value (fractional parts of the square roots of the first 8 primes).
IV: tuple[int, ...] = (
    0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
    0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
)  # fmt: skip

#: The ten message permutations ``sigma``; round ``i`` uses ``SIGMA[i mod 10]``.
SIGMA: tuple[tuple[int, ...], ...] = (
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

#: ``(a, b, c, d)`` lanes of ``G_0 .. G_7``: four columns, then four diagonals.
LANES: tuple[tuple[int, int, int, int], ...] = (
    (0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
    (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14),
)  # fmt: skip
