"""The one place that knows how field elements and points are laid out in bytes.

Three encodings appear in the circom/snarkjs files (ffjavascript names them):

* **LE** (normal form, little-endian): ``x`` as 32 little-endian bytes. Used for
  witness values, R1CS coefficients and primes in headers.
* **LEM** (Montgomery form, little-endian): ``x * 2^256 mod p`` as 32
  little-endian bytes. Used for every curve point in ``.zkey`` and ``.ptau``.
  A G1 point is ``x || y`` (64 bytes); a G2 point is ``x.c0 || x.c1 || y.c0 || y.c1``
  (128 bytes). The point at infinity is all zero bytes.
* **U** (uncompressed, big-endian normal form): the byte reversal of each
  coordinate's LE encoding, so a G2 coordinate is ``c1 (BE) || c0 (BE)``. Used
  only as input to the BLAKE2b transcripts of the setup ceremonies. Infinity
  is all zero bytes.

The ``.zkey`` coefficient section stores ``c * R^2 mod r`` (``R = 2^256``), the
Montgomery form of ``c * R``; :func:`encode_zkey_coeff` and
:func:`decode_zkey_coeff` hide that extra factor.

Decoders validate: a field element must be ``< p``, and a point must be on its
curve (G2 subgroup membership is the verifier's job, not the codec's).

Also here, because ``.zkey`` and ``.ptau`` share it: the typed parameter list
(name, numIterationsExp, beaconHash) that ends each ceremony contribution.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from zksolvency.bn254 import B1, B2, N8, Fq2, G1Point, G2Point, Q, R
from zksolvency.circuit.formats.binfile import Cursor
from zksolvency.errors import FormatError

#: Montgomery radix ``2^256`` reduced modulo the base and the scalar field.
MONT_Q = (1 << 256) % Q
MONT_R = (1 << 256) % R
MONT_Q_INV = pow(MONT_Q, -1, Q)
MONT_R_INV = pow(MONT_R, -1, R)
#: The zkey coefficient factor ``R^2 mod r`` and its inverse.
ZKEY_COEFF_FACTOR = MONT_R * MONT_R % R
ZKEY_COEFF_FACTOR_INV = pow(ZKEY_COEFF_FACTOR, -1, R)

G1_BYTES = 2 * N8
G2_BYTES = 4 * N8


# --- integers -------------------------------------------------------------


def int_to_le(value: int, size: int = N8) -> bytes:
    """``value`` as ``size`` little-endian bytes (``value`` must fit)."""
    return int(value).to_bytes(size, "little")


def le_to_int(data: bytes) -> int:
    return int.from_bytes(data, "little")


def decode_fe(data: bytes, modulus: int, what: str) -> int:
    """A normal-form LE field element; ``FormatError`` if it is ``>= modulus``."""
    value = int.from_bytes(data, "little")
    if value >= modulus:
        raise FormatError(f"{what}: field element {value} is not below the modulus")
    return value


def n8_for_prime(prime: int) -> int:
    """Bytes per element as the iden3 tools size them: whole 64-bit limbs (32 for BN254)."""
    return ((prime.bit_length() - 1) // 64 + 1) * 8


def encode_fe(value: int, modulus: int, what: str, n8: int = N8) -> bytes:
    """A normal-form LE field element; ``FormatError`` unless ``0 <= value < modulus``."""
    if not 0 <= value < modulus:
        raise FormatError(f"{what}: {value} is not a field element (not in [0, modulus))")
    return value.to_bytes(n8, "little")


def encode_fe_many(values: Iterable[int], modulus: int, what: str, n8: int = N8) -> bytes:
    """Concatenated normal-form LE field elements, each checked to lie in ``[0, modulus)``."""
    out = bytearray()
    for i, value in enumerate(values):
        if not 0 <= value < modulus:
            raise FormatError(f"{what}[{i}]: {value} is not a field element (not in [0, modulus))")
        out += value.to_bytes(n8, "little")
    return bytes(out)


def decode_fe_many(data: bytes, modulus: int, what: str, n8: int = N8) -> list[int]:
    """Split ``data`` into ``n8``-byte LE field elements, each checked to be ``< modulus``."""
    if len(data) % n8:
        raise FormatError(f"{what}: length {len(data)} is not a multiple of {n8}")
    values = [int.from_bytes(data[i : i + n8], "little") for i in range(0, len(data), n8)]
    if values and max(values) >= modulus:
        bad = next(i for i, v in enumerate(values) if v >= modulus)
        raise FormatError(f"{what}[{bad}]: field element {values[bad]} is not below the modulus")
    return values


# --- Montgomery -------------------------------------------------------------


def to_montgomery_q(x: int) -> int:
    return x * MONT_Q % Q


def from_montgomery_q(x: int) -> int:
    return x * MONT_Q_INV % Q


def encode_fq_lem(x: int) -> bytes:
    return (x * MONT_Q % Q).to_bytes(N8, "little")


def decode_fq_lem(data: bytes, what: str) -> int:
    raw = int.from_bytes(data, "little")
    if raw >= Q:
        raise FormatError(f"{what}: Montgomery coordinate is not below q")
    return raw * MONT_Q_INV % Q


def encode_fr_lem(x: int) -> bytes:
    return (x * MONT_R % R).to_bytes(N8, "little")


def decode_fr_lem(data: bytes, what: str) -> int:
    raw = int.from_bytes(data, "little")
    if raw >= R:
        raise FormatError(f"{what}: Montgomery scalar is not below r")
    return raw * MONT_R_INV % R


def encode_zkey_coeff(c: int) -> bytes:
    """A constraint coefficient as the zkey stores it: ``c * R^2 mod r``, LE."""
    return (c * ZKEY_COEFF_FACTOR % R).to_bytes(N8, "little")


def decode_zkey_coeff(data: bytes, what: str = "zkey coefficient") -> int:
    return decode_fe(data, R, what) * ZKEY_COEFF_FACTOR_INV % R


# --- curve checks -------------------------------------------------------------


def g1_on_curve(p: G1Point) -> bool:
    if p is None:
        return True
    x, y = p
    return 0 <= x < Q and 0 <= y < Q and (y * y - x * x * x - B1) % Q == 0


def _fq2_mul(a: Fq2, b: Fq2) -> Fq2:
    return ((a[0] * b[0] - a[1] * b[1]) % Q, (a[0] * b[1] + a[1] * b[0]) % Q)


def g2_on_curve(p: G2Point) -> bool:
    if p is None:
        return True
    x, y = p
    if not all(0 <= c < Q for c in (*x, *y)):
        return False
    y2 = _fq2_mul(y, y)
    x3 = _fq2_mul(_fq2_mul(x, x), x)
    return y2 == ((x3[0] + B2[0]) % Q, (x3[1] + B2[1]) % Q)


# --- points, LEM ------------------------------------------------------------

_ZERO_G1 = bytes(G1_BYTES)
_ZERO_G2 = bytes(G2_BYTES)


def encode_g1_lem(p: G1Point) -> bytes:
    if p is None:
        return _ZERO_G1
    return encode_fq_lem(p[0]) + encode_fq_lem(p[1])


def decode_g1_lem(data: bytes, what: str = "G1 point", check: bool = True) -> G1Point:
    """Decode one G1 point; ``check`` verifies it lies on the curve."""
    if len(data) != G1_BYTES:
        raise FormatError(f"{what}: expected {G1_BYTES} bytes, got {len(data)}")
    if data == _ZERO_G1:
        return None
    p = (decode_fq_lem(data[:N8], what), decode_fq_lem(data[N8:], what))
    if check and not g1_on_curve(p):
        raise FormatError(f"{what}: point is not on the G1 curve")
    return p


def encode_g2_lem(p: G2Point) -> bytes:
    if p is None:
        return _ZERO_G2
    (x0, x1), (y0, y1) = p
    return encode_fq_lem(x0) + encode_fq_lem(x1) + encode_fq_lem(y0) + encode_fq_lem(y1)


def decode_g2_lem(data: bytes, what: str = "G2 point", check: bool = True) -> G2Point:
    if len(data) != G2_BYTES:
        raise FormatError(f"{what}: expected {G2_BYTES} bytes, got {len(data)}")
    if data == _ZERO_G2:
        return None
    c = [decode_fq_lem(data[i * N8 : (i + 1) * N8], what) for i in range(4)]
    p = ((c[0], c[1]), (c[2], c[3]))
    if check and not g2_on_curve(p):
        raise FormatError(f"{what}: point is not on the G2 curve")
    return p


def encode_g1_lem_many(points: list[G1Point]) -> bytes:
    return b"".join(encode_g1_lem(p) for p in points)


def decode_g1_lem_many(data: bytes, what: str, check: bool = True) -> list[G1Point]:
    if len(data) % G1_BYTES:
        raise FormatError(f"{what}: length {len(data)} is not a multiple of {G1_BYTES}")
    return [
        decode_g1_lem(data[i : i + G1_BYTES], f"{what}[{i // G1_BYTES}]", check)
        for i in range(0, len(data), G1_BYTES)
    ]


def encode_g2_lem_many(points: list[G2Point]) -> bytes:
    return b"".join(encode_g2_lem(p) for p in points)


def decode_g2_lem_many(data: bytes, what: str, check: bool = True) -> list[G2Point]:
    if len(data) % G2_BYTES:
        raise FormatError(f"{what}: length {len(data)} is not a multiple of {G2_BYTES}")
    return [
        decode_g2_lem(data[i : i + G2_BYTES], f"{what}[{i // G2_BYTES}]", check)
        for i in range(0, len(data), G2_BYTES)
    ]


# --- points, U (transcript hashing only) -----------------------------------------


def encode_g1_u(p: G1Point) -> bytes:
    if p is None:
        return _ZERO_G1
    return p[0].to_bytes(N8, "big") + p[1].to_bytes(N8, "big")


def encode_g2_u(p: G2Point) -> bytes:
    if p is None:
        return _ZERO_G2
    (x0, x1), (y0, y1) = p
    return b"".join(c.to_bytes(N8, "big") for c in (x1, x0, y1, y0))


# --- setup contribution parameters (.zkey and .ptau alike) ---------------------------

#: Typed parameters ending a ceremony contribution, in the order they must appear.
PARAM_NAME = 1
PARAM_NUM_ITERATIONS_EXP = 2
PARAM_BEACON_HASH = 3
_U8_MAX = 255


def encode_contribution_params(
    name: str | None, num_iterations_exp: int | None, beacon_hash: bytes | None, what: str
) -> bytes:
    """``paramLength u32`` then the typed parameters that are not ``None``, sorted by type.

    Each parameter is a type byte and its value: ``1`` name (u8 length + UTF-8),
    ``2`` numIterationsExp (u8), ``3`` beaconHash (u8 length + bytes). snarkjs writes
    a name only when it is non-empty (cut to 64 UTF-16 code units first) and the
    two beacon parameters only for ``type == 1``; we write exactly what we are
    given, so that decoding and re-encoding any file gives back the same bytes.
    """
    params = bytearray()
    if name is not None:
        data = name.encode("utf-8")
        if len(data) > _U8_MAX:
            raise FormatError(f"{what}: name is {len(data)} bytes of UTF-8, at most {_U8_MAX} fit")
        params += bytes([PARAM_NAME, len(data)]) + data
    if num_iterations_exp is not None:
        if not 0 <= num_iterations_exp <= _U8_MAX:
            raise FormatError(f"{what}: num_iterations_exp = {num_iterations_exp} does not fit in a u8")
        params += bytes([PARAM_NUM_ITERATIONS_EXP, num_iterations_exp])
    if beacon_hash is not None:
        if len(beacon_hash) > _U8_MAX:
            raise FormatError(f"{what}: beacon hash is {len(beacon_hash)} bytes, at most {_U8_MAX} fit")
        params += bytes([PARAM_BEACON_HASH, len(beacon_hash)]) + beacon_hash
    return struct.pack("<I", len(params)) + bytes(params)


def decode_contribution_params(cur: Cursor, what: str) -> tuple[str | None, int | None, bytes | None]:
    """Read ``paramLength`` and the parameters: ``(name, num_iterations_exp, beacon_hash)``."""
    length = cur.u32()
    params = Cursor(cur.take(length), f"{what}: params")
    name: str | None = None
    num_iterations_exp: int | None = None
    beacon_hash: bytes | None = None
    last = 0
    while params.pos < len(params.data):
        kind = params.take(1)[0]
        if kind <= last:
            raise FormatError(f"{what}: params are not sorted by type (type {kind} after {last})")
        last = kind
        if kind == PARAM_NAME:
            raw = params.take(params.take(1)[0])
            try:
                name = bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                raise FormatError(f"{what}: name is not valid UTF-8") from None
        elif kind == PARAM_NUM_ITERATIONS_EXP:
            num_iterations_exp = params.take(1)[0]
        elif kind == PARAM_BEACON_HASH:
            beacon_hash = bytes(params.take(params.take(1)[0]))
        else:
            raise FormatError(f"{what}: unknown parameter type {kind}")
    return name, num_iterations_exp, beacon_hash
