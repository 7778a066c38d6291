"""Groth16 verification with py_ecc: validate everything, then one pairing-product check.

Order of business (arkworks' convention): malformed input raises
:class:`MalformedInput` with the reason; a well-formed proof that does not
satisfy the equation returns ``Verification(valid=False, reason=...)``.

Well-formed means:

* every public input is an integer in ``[0, r)``: ``x + r`` would satisfy the
  same equation (the alias attack), so it is refused, not reduced;
* there are exactly ``nPublic`` of them and ``nPublic + 1`` IC points;
* every coordinate is below ``q`` and every point lies on its curve;
* every G2 point (proof B, vk beta, gamma, delta) lies in the order-``r``
  subgroup — py_ecc's pairing checks the curve but not the subgroup.

The check, with ``vk_x = IC_0 + sum_i x_i IC_i``::

    e(-A, B) * e(alpha, beta) * e(vk_x, gamma) * e(C, delta) == 1

computed as four Miller loops multiplied together and one final exponentiation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from py_ecc import optimized_bn128 as bn

from zksolvency.bn254 import G1Point, G2Point, Q, R
from zksolvency.circuit.formats.codec import g1_on_curve, g2_on_curve
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.errors import ZkSolvencyError
from zksolvency.groth16.curve import g2_in_subgroup
from zksolvency.groth16.kernels import BACKENDS, DEFAULT_BACKEND


class MalformedInput(ZkSolvencyError):
    """The proof, public inputs or verification key cannot be verified at all."""


@dataclass(frozen=True)
class Verification:
    """The answer for a well-formed input: ``valid``, and in words why."""

    valid: bool
    reason: str

    def __bool__(self) -> bool:
        return self.valid


def _check_g1(p: G1Point, what: str) -> None:
    if p is not None and not all(0 <= c < Q for c in p):
        raise MalformedInput(f"{what}: coordinate not below the base field modulus q")
    if not g1_on_curve(p):
        raise MalformedInput(f"{what}: point is not on the G1 curve")


SubgroupCheck = Callable[[G2Point], bool]


def _check_g2(p: G2Point, what: str, in_subgroup: SubgroupCheck = g2_in_subgroup) -> None:
    if p is not None and not all(0 <= c < Q for xy in p for c in xy):
        raise MalformedInput(f"{what}: coordinate not below the base field modulus q")
    if not g2_on_curve(p):
        raise MalformedInput(f"{what}: point is not on the G2 twist curve")
    if not in_subgroup(p):
        raise MalformedInput(f"{what}: point is not in the order-r subgroup of G2")


def validate(
    vk: VerificationKey, public: Sequence[int], proof: Proof, in_subgroup: SubgroupCheck = g2_in_subgroup
) -> None:
    """Raise :class:`MalformedInput` naming the first thing that makes verification meaningless.

    ``in_subgroup`` decides G2 subgroup membership (the native backend passes arkworks' test).
    """
    if len(vk.ic) != vk.n_public + 1:
        raise MalformedInput(f"verification key: nPublic is {vk.n_public} but IC has {len(vk.ic)} points")
    if len(public) != vk.n_public:
        raise MalformedInput(f"public inputs: expected {vk.n_public} values, got {len(public)}")
    for i, x in enumerate(public):
        if not isinstance(x, int) or isinstance(x, bool) or x < 0:
            raise MalformedInput(f"public input {i}: not a non-negative integer")
        if x >= R:
            raise MalformedInput(
                f"public input {i}: {x} is not below the field modulus r (an input + r alias is refused)"
            )
    _check_g1(vk.alpha1, "verification key vk_alpha_1")
    for name, p2 in (("vk_beta_2", vk.beta2), ("vk_gamma_2", vk.gamma2), ("vk_delta_2", vk.delta2)):
        _check_g2(p2, f"verification key {name}", in_subgroup)
    for i, p in enumerate(vk.ic):
        _check_g1(p, f"verification key IC[{i}]")
    _check_g1(proof.a, "proof pi_a")
    _check_g2(proof.b, "proof pi_b", in_subgroup)
    _check_g1(proof.c, "proof pi_c")


def _py_g1(p: G1Point) -> tuple[bn.FQ, bn.FQ, bn.FQ]:
    if p is None:
        return bn.Z1
    return (bn.FQ(p[0]), bn.FQ(p[1]), bn.FQ.one())


def _py_g2(p: G2Point) -> tuple[bn.FQ2, bn.FQ2, bn.FQ2]:
    if p is None:
        return bn.Z2
    (x0, x1), (y0, y1) = p
    return (bn.FQ2([x0, x1]), bn.FQ2([y0, y1]), bn.FQ2.one())


def pairing_product_is_one(pairs: Sequence[tuple[G1Point, G2Point]]) -> bool:
    """``prod e(P_i, Q_i) == 1`` with one final exponentiation."""
    acc = bn.FQ12.one()
    for p, q in pairs:
        acc = acc * bn.pairing(_py_g2(q), _py_g1(p), final_exponentiate=False)
    return bool(bn.final_exponentiate(acc) == bn.FQ12.one())


def verify(
    vk: VerificationKey, public: Sequence[int], proof: Proof, backend: str | None = None
) -> Verification:
    """Check ``proof`` for ``public`` under ``vk``; raises :class:`MalformedInput` first if need be.

    ``backend``: ``"native"`` (arkworks, the default when built) or ``"python"`` (py_ecc);
    both apply the same validation and give the same answer.
    """
    if (backend or DEFAULT_BACKEND) == "native":
        from zksolvency.groth16.native_verify import verify_native

        return verify_native(vk, public, proof)
    if backend not in (None, "python"):
        raise ValueError(f"unknown verifier backend {backend!r} (choose from: {', '.join(BACKENDS)})")
    validate(vk, public, proof)
    vk_x = _py_g1(vk.ic[0])
    for x, ic in zip(public, vk.ic[1:], strict=True):
        vk_x = bn.add(vk_x, bn.multiply(_py_g1(ic), x))
    vk_x_affine = bn.normalize(vk_x)
    vk_x_point: G1Point = None if bn.is_inf(vk_x) else (int(vk_x_affine[0]), int(vk_x_affine[1]))
    neg_a: G1Point = None if proof.a is None else (proof.a[0], (-proof.a[1]) % Q)
    ok = pairing_product_is_one(
        [(neg_a, proof.b), (vk.alpha1, vk.beta2), (vk_x_point, vk.gamma2), (proof.c, vk.delta2)]
    )
    if ok:
        return Verification(True, "the pairing equation holds")
    return Verification(False, "the pairing equation does not hold: proof and inputs do not match the key")
