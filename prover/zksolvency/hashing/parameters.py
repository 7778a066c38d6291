"""Poseidon parameters for BN254's ``Fr``, generated the way the Poseidon paper prescribes.

Reference: L. Grassi, D. Khovratovich, C. Rechberger, A. Roy, M. Schofnegger,
"Poseidon: A New Hash Function for Zero-Knowledge Proof Systems", USENIX Security
2021 (ePrint 2019/458), the appendix on generating round constants and the MDS
matrix, and the authors' reference script ``generate_parameters_grain.sage``
(repository ``hadeshash``). circomlib 2.0.5 ships the output of that script,
called as ``generate_parameters_grain.sage 1 0 254 t 8 R_P p``; we regenerate the
same numbers here instead of copying circomlib's (GPL-3.0, generated) tables.

The procedure, for a state of ``t`` field elements:

1. **Grain LFSR.** An 80-bit register ``s_0 .. s_79`` is initialised, most
   significant bit first, with ``field`` (2 bits, 1 = prime field), ``sbox``
   (4 bits, 0 = ``x^alpha``), ``n`` (12 bits, the field's bit size, 254),
   ``t`` (12 bits), ``R_F`` (10 bits), ``R_P`` (10 bits) and thirty 1 bits. It is
   clocked by ``s_{i+80} = s_{i+62} + s_{i+51} + s_{i+38} + s_{i+23} + s_{i+13} + s_i``
   (mod 2); the first 160 produced bits are discarded.
2. **Self-shrinking.** The remaining bits are read in pairs ``(a, b)``; ``b`` is
   output when ``a = 1`` and the pair is dropped when ``a = 0``.
3. **Round constants.** ``t * (R_F + R_P)`` samples of ``n`` output bits each, read
   as big-endian integers; a sample ``>= p`` is discarded and replaced by the next
   (rejection sampling, so every constant is uniform in ``[0, p)``).
4. **MDS matrix.** ``2t`` further ``n``-bit samples, each reduced mod ``p``
   (no rejection here), are split into ``x_0 .. x_{t-1}`` and ``y_0 .. y_{t-1}``;
   if any two coincide, ``2t`` fresh samples are drawn. The matrix is the Cauchy
   matrix ``M[i][j] = 1 / (x_i + y_j)`` (drawn again if some ``x_i + y_j = 0``).
   The reference script then runs the paper's checks against infinitely long
   invariant subspace trails and would draw again if one failed; for every
   ``t`` used here the first matrix is the one circomlib ships (our tests
   compare all of them), so the checks are not re-implemented.

Round counts: ``R_F = 8`` full rounds and circomlib's ``R_P`` (the paper's
128-bit-security numbers for ``alpha = 5``, rounded up) in ``PARTIAL_ROUNDS``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from zksolvency.bn254 import R

#: Number of full rounds (4 before and 4 after the partial rounds).
FULL_ROUNDS = 8
#: The S-box is ``x -> x^ALPHA``.
ALPHA = 5
#: Bit size of the field's elements as the parameter generator sees it (``R < 2^254``).
FIELD_BITS = 254
#: Partial rounds for ``t = 2 .. 17`` (circomlib's ``N_ROUNDS_P``, indexed by ``t - 2``).
PARTIAL_ROUNDS: tuple[int, ...] = (56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68)
#: Smallest and largest supported state width.
MIN_T = 2
MAX_T = MIN_T + len(PARTIAL_ROUNDS) - 1

#: Grain's feedback taps, as offsets from the oldest of the 80 register bits.
_TAPS = (62, 51, 38, 23, 13, 0)
#: Bits the recurrence can produce at once: each new bit needs ``s_{i+62}``, so at most 80 - 62.
_STEP = 80 - max(_TAPS)
#: Register bits clocked out and thrown away before the first use.
_DISCARD = 160
#: The recurrence is also run "spread" by ``2^_SPREAD`` (see ``GrainBits``).
_SPREAD = 5
_WIDE = 80 << _SPREAD
_WIDE_STEP = _STEP << _SPREAD
#: LFSR bits produced per refill of the output buffer (about).
_BLOCK = 1 << 14


def _bits_lsb_first(value: int, count: int) -> str:
    """Bits ``0 .. count-1`` of ``value``, bit 0 first, as ``'0'``/``'1'`` characters."""
    return format(value, f"0{count}b")[::-1]


@dataclass(frozen=True)
class PoseidonParameters:
    """The raw (unoptimised) parameters of Poseidon with a state of ``t`` elements.

    ``round_constants[r * t + i]`` is added to lane ``i`` at the start of round
    ``r`` (``0 <= r < full_rounds + partial_rounds``); ``mds[i][j]`` is the
    coefficient of input lane ``j`` in output lane ``i`` (``out = M * in``).
    """

    t: int
    full_rounds: int
    partial_rounds: int
    alpha: int
    round_constants: tuple[int, ...]
    mds: tuple[tuple[int, ...], ...]

    @property
    def rounds(self) -> int:
        """``R_F + R_P``."""
        return self.full_rounds + self.partial_rounds


class GrainBits:
    """The self-shrinking Grain LFSR bit stream of steps 1-2 (see the module docstring).

    ``take(k)`` returns the next ``k`` output bits as a string of ``'0'``/``'1'``.

    Speed: over GF(2), ``p(x)^(2^k) = p(x^(2^k))`` for the feedback polynomial
    ``p(x) = x^80 + x^62 + x^51 + x^38 + x^23 + x^13 + 1``, so the sequence also obeys
    ``s_{i + 80 m} = s_{i + 62 m} + s_{i + 51 m} + s_{i + 38 m} + s_{i + 23 m} + s_{i + 13 m} + s_i``
    for ``m = 2^_SPREAD``. Kept as an integer whose bit ``j`` is ``s_{base + j}``, a register
    of ``80 m`` bits yields ``18 m`` new bits per six shifts and xors. The first ``80 m``
    bits come from the plain recurrence, 18 at a time.
    """

    def __init__(self, field: int, sbox: int, n: int, t: int, full_rounds: int, partial_rounds: int) -> None:
        fields = ((field, 2), (sbox, 4), (n, 12), (t, 12), (full_rounds, 10), (partial_rounds, 10))
        if any(not 0 <= value < 1 << width for value, width in fields):
            raise ValueError(f"Grain initialisation value out of range: {fields}")
        init = "".join(format(value, f"0{width}b") for value, width in fields) + "1" * 30
        # init[0] is s_0, the oldest bit: it becomes bit 0.
        seq, length = int(init[::-1], 2), 80
        mask = (1 << _STEP) - 1
        while length < _WIDE:  # the plain recurrence on the newest 80 bits
            s = seq >> (length - 80)
            seq |= (((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & mask) << length
            length += _STEP
        self._register = seq & ((1 << _WIDE) - 1)  # s_0 .. s_{80m - 1}
        # The produced bits are s_80, s_81, ...; the first _DISCARD of them are thrown away.
        self._raw = _bits_lsb_first(self._register >> (80 + _DISCARD), _WIDE - 80 - _DISCARD)
        self._out = ""
        self._pos = 0

    def _clock(self) -> str:
        """The next ``_WIDE_STEP`` LFSR bits, oldest first (the spread recurrence)."""
        s = self._register
        m = 1 << _SPREAD
        new = (
            (s >> (62 * m)) ^ (s >> (51 * m)) ^ (s >> (38 * m)) ^ (s >> (23 * m)) ^ (s >> (13 * m)) ^ s
        ) & ((1 << _WIDE_STEP) - 1)
        self._register = (s >> _WIDE_STEP) | (new << (_WIDE - _WIDE_STEP))
        return _bits_lsb_first(new, _WIDE_STEP)

    def take(self, k: int) -> str:
        """The next ``k`` output bits of the self-shrinking generator."""
        while len(self._out) - self._pos < k:
            raw = self._raw + "".join(self._clock() for _ in range(_BLOCK // _WIDE_STEP + 1))
            even = len(raw) & ~1
            # Self-shrinking: of each pair (a, b), keep b when a = 1 (numpy does the selection).
            pairs = np.frombuffer(raw[:even].encode("ascii"), dtype=np.uint8).reshape(-1, 2)
            kept = pairs[pairs[:, 0] == ord("1"), 1].tobytes().decode("ascii")
            self._raw = raw[even:]
            self._out = self._out[self._pos :] + kept
            self._pos = 0
        bits = self._out[self._pos : self._pos + k]
        self._pos += k
        return bits

    def sample(self, bits: int = FIELD_BITS) -> int:
        """The next ``bits`` output bits read as a big-endian integer."""
        return int(self.take(bits), 2)


def _check_t(t: int) -> None:
    if isinstance(t, bool) or not isinstance(t, int) or not MIN_T <= t <= MAX_T:
        raise ValueError(f"Poseidon state width t must be an integer in {MIN_T}..{MAX_T}, not {t!r}")


def partial_rounds(t: int) -> int:
    """circomlib's number of partial rounds for state width ``t``."""
    _check_t(t)
    return PARTIAL_ROUNDS[t - MIN_T]


@functools.cache
def poseidon_parameters(t: int) -> PoseidonParameters:
    """The raw parameters of circomlib's ``Poseidon(t - 1)``, generated (and cached) on first use.

    Raises ``ValueError`` for ``t`` outside ``2 .. 17``.
    """
    _check_t(t)
    rp = PARTIAL_ROUNDS[t - MIN_T]
    grain = GrainBits(1, 0, FIELD_BITS, t, FULL_ROUNDS, rp)
    constants: list[int] = []
    while len(constants) < t * (FULL_ROUNDS + rp):
        c = grain.sample()
        if c < R:  # step 3: rejection sampling
            constants.append(c)
    mds = _cauchy_mds(grain, t)
    return PoseidonParameters(
        t=t,
        full_rounds=FULL_ROUNDS,
        partial_rounds=rp,
        alpha=ALPHA,
        round_constants=tuple(constants),
        mds=mds,
    )


def _cauchy_mds(grain: GrainBits, t: int) -> tuple[tuple[int, ...], ...]:
    """Step 4: ``M[i][j] = 1 / (x_i + y_j)`` from ``2t`` distinct samples reduced mod ``R``."""
    while True:
        samples = [grain.sample() % R for _ in range(2 * t)]
        while len(set(samples)) != 2 * t:
            samples = [grain.sample() % R for _ in range(2 * t)]
        xs, ys = samples[:t], samples[t:]
        if all((x + y) % R for x in xs for y in ys):
            return tuple(tuple(pow(x + y, -1, R) for y in ys) for x in xs)
