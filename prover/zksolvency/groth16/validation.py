"""Groth16 verification, the part every backend shares: what makes an input well-formed.

Order of business (arkworks' convention): malformed input raises
:class:`MalformedInput` with the reason; a well-formed proof that does not
satisfy the equation is answered ``Verification(valid=False, reason=...)``.

Well-formed means:

* every public input is an integer in ``[0, r)``: ``x + r`` would satisfy the
  same equation (the alias attack), so it is refused, not reduced;
* there are exactly ``nPublic`` of them and ``nPublic + 1`` IC points;
* every coordinate is below ``q`` and every point lies on its curve;
* every G2 point (proof B, vk beta, gamma, delta) lies in the order-``r``
  subgroup; py_ecc's pairing checks the curve but not the subgroup.

The pairing check itself is the backend's (``python_verify``, ``native_verify``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from zksolvency.bn254 import G1Point, G2Point, Q, R
from zksolvency.circuit.formats.codec import g1_on_curve, g2_on_curve
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.errors import ZkSolvencyError
from zksolvency.groth16.curve import g2_in_subgroup

#: What a wrong (but well-formed) proof is answered with.
EQUATION_FAILS = "the pairing equation does not hold: proof and inputs do not match the key"
EQUATION_HOLDS = "the pairing equation holds"


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
