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
"""

from __future__ import annotations

from zksolvency.bn254 import B1, B2, N8, Q, R, Fq2, G1Point, G2Point
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
