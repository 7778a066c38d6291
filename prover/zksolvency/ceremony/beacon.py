"""A public random beacon as the last contribution, snarkjs's way.

A beacon contribution's secret is not chosen by anyone: it is derived from a
public value announced after every other contribution (e.g. a future block
hash), so nobody could have adapted their own contribution to it. snarkjs
(``src/misc.js``, ``rngFromBeaconParams``) derives it as follows, and we
re-implement that from its description:

1. ``h = beacon``; apply SHA-256 ``2^N`` times (``N``, the iterations
   exponent, is 10..63; the work makes precomputing many beacons expensive);
2. seed ffjavascript's ChaCha generator with ``h`` read as eight big-endian
   ``u32`` words (``groth16.transcript.ChaChaRng``);
3. phase 2 (``zkey beacon``): ``d = Fr.fromRng``, then ``g1_s = G1.fromRng``;
   phase 1 (``powersoftau beacon``): the secrets ``tau, alpha, beta`` (three
   ``Fr.fromRng``), then one ``G1.fromRng`` for each proof of knowledge.
"""

from __future__ import annotations

import hashlib
import struct

from zksolvency.bn254 import G1Point
from zksolvency.errors import InputError
from zksolvency.groth16.transcript import ChaChaRng, g1_from_rng

#: The iterations exponents snarkjs accepts.
MIN_ITERATIONS_EXP = 10
MAX_ITERATIONS_EXP = 63
#: The longest beacon snarkjs's parameter encoding can hold (a u8 length).
MAX_BEACON_BYTES = 255


def parse_beacon(text: str, iterations_exp: int) -> bytes:
    """The beacon's bytes from hex (``0x`` optional); ``InputError`` naming what is wrong."""
    digits = text[2:] if text.lower().startswith("0x") else text
    try:
        beacon = bytes.fromhex(digits)
    except ValueError:
        raise InputError(f"--beacon {text!r} is not a hexadecimal byte string") from None
    if not 1 <= len(beacon) <= MAX_BEACON_BYTES:
        raise InputError(f"--beacon must be 1 to {MAX_BEACON_BYTES} bytes, got {len(beacon)}")
    if not MIN_ITERATIONS_EXP <= iterations_exp <= MAX_ITERATIONS_EXP:
        raise InputError(
            f"--iterations must be between {MIN_ITERATIONS_EXP} and {MAX_ITERATIONS_EXP} "
            f"(2^N SHA-256 rounds), got {iterations_exp}"
        )
    return beacon


def beacon_rng(beacon: bytes, iterations_exp: int) -> ChaChaRng:
    """Steps 1-2 of the module docstring."""
    h = beacon
    for _ in range(1 << iterations_exp):
        h = hashlib.sha256(h).digest()
    return ChaChaRng(struct.unpack(">8I", h))


def beacon_delta_key(beacon: bytes, iterations_exp: int) -> tuple[int, G1Point]:
    """A phase-2 beacon's secret ``d`` and the random point ``g1_s`` of its proof of knowledge."""
    rng = beacon_rng(beacon, iterations_exp)
    d = rng.next_fr()
    return d, g1_from_rng(rng)


def beacon_ptau_keys(beacon: bytes, iterations_exp: int) -> list[tuple[int, G1Point]]:
    """A phase-1 beacon's secret and proof point ``(x, g1_s)`` for tau, alpha and beta, in that order."""
    rng = beacon_rng(beacon, iterations_exp)
    secrets = [rng.next_fr() for _ in range(3)]
    return [(x, g1_from_rng(rng)) for x in secrets]
