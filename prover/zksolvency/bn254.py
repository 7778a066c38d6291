"""BN254 (alt_bn128) constants and point types, checked at import.

The curve is ``y^2 = x^3 + 3`` over ``Fq``; G2 lives on the sextic twist
``y^2 = x^3 + 3 / (9 + u)`` over ``Fq2 = Fq[u] / (u^2 + 1)``. The scalar field
``Fr`` has 2-adicity 28, so radix-2 FFT domains go up to ``2^28``.

Point types used everywhere in the package (normal form, never Montgomery):

* ``G1Point``: ``(x, y)`` affine with ``x, y`` in ``[0, Q)``, or ``None`` for infinity.
* ``Fq2``: ``(c0, c1)`` meaning ``c0 + c1 * u``.
* ``G2Point``: ``(x, y)`` with ``x, y`` of type ``Fq2``, or ``None`` for infinity.
"""

from __future__ import annotations

#: Order of the prime subgroup; circuits compute in ``Fr``.
R = 21888242871839275222246405745257275088548364400416034343698204186575808495617
#: Base field modulus.
Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583

#: The BN parameter: ``q = 36x^4 + 36x^3 + 24x^2 + 6x + 1`` and ``r = 36x^4 + 36x^3 + 18x^2 + 6x + 1``.
BN_X = 4965661367192848881

#: Byte length of one field element in every iden3 binary format.
N8 = 32

#: Coefficient ``b`` of the G1 curve equation.
B1 = 3

Fq2 = tuple[int, int]
G1Point = tuple[int, int] | None
G2Point = tuple[Fq2, Fq2] | None

#: Generator of G1.
G1_GENERATOR: G1Point = (1, 2)

#: Generator of G2 (the one used by snarkjs, py_ecc and the EIP-197 precompile).
G2_GENERATOR: G2Point = (
    (
        10857046999023057135944570762232829481370756359578518086990519993285655852781,
        11559732032986387107991004021392285783925812861821192530917403151452391805634,
    ),
    (
        8495653923123431417604973247489272438418190587263600148770280649306958101930,
        4082367875863433681332203403145435568316851327593401208105741076214120093531,
    ),
)

#: ``b / (9 + u)``, the coefficient ``b`` of the twisted curve G2 lives on.
B2: Fq2 = (
    19485874751759354771024239261021720505790618469301721065564631296452457478373,
    266929791119991161246907387137283842545076965332900288569378510910307636690,
)

#: ``2^28`` divides ``R - 1``: the largest radix-2 FFT domain.
FR_TWO_ADICITY = 28
#: Smallest quadratic non-residue of ``Fr``; ffjavascript derives its roots of unity from it.
FR_NON_RESIDUE = 5

#: Cofactor of G2 in the twist's group of points (the value ffjavascript uses).
G2_COFACTOR = 0x30644E72E131A029B85045B68181585E06CEECDA572A2489345F2299C0F9FA8D

#: Montgomery radix for 32-byte elements, as used by the iden3 formats.
MONTGOMERY_R_BITS = 256


def _fq2_mul(a: Fq2, b: Fq2) -> Fq2:
    return ((a[0] * b[0] - a[1] * b[1]) % Q, (a[0] * b[1] + a[1] * b[0]) % Q)


def _check_constants() -> None:
    """Refuse to import with a wrong constant: every later result would be wrong."""
    u = BN_X
    assert 36 * u**4 + 36 * u**3 + 24 * u**2 + 6 * u + 1 == Q
    assert 36 * u**4 + 36 * u**3 + 18 * u**2 + 6 * u + 1 == R
    assert pow(2, R - 1, R) == 1 and pow(3, Q - 1, Q) == 1
    assert (R - 1) % (1 << FR_TWO_ADICITY) == 0 and ((R - 1) >> FR_TWO_ADICITY) % 2 == 1
    assert pow(FR_NON_RESIDUE, (R - 1) // 2, R) == R - 1
    assert G1_GENERATOR is not None
    gx, gy = G1_GENERATOR
    assert (gy * gy - gx * gx * gx - B1) % Q == 0
    # b2 * (9 + u) == 3
    assert _fq2_mul(B2, (9, 1)) == (3, 0)
    assert G2_GENERATOR is not None
    x, y = G2_GENERATOR
    lhs = _fq2_mul(y, y)
    x3 = _fq2_mul(_fq2_mul(x, x), x)
    assert lhs == ((x3[0] + B2[0]) % Q, (x3[1] + B2[1]) % Q)


_check_constants()
