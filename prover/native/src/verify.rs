//! Groth16 verification: `e(-A, B) e(alpha, beta) e(vk_x, gamma) e(C, delta) = 1`.
//!
//! `vk_x = IC_0 + sum_i x_i IC_i`. The four Miller loops are multiplied and one
//! final exponentiation decides (arkworks' `multi_pairing`). Validation
//! (ranges, curves, subgroups) happens before, in the caller, with the same
//! rules as the py_ecc verifier; `g2_in_subgroup` is the expensive part of it
//! and lives here (`[p]P = [6x^2]P`, arkworks' endomorphism test).

use ark_bn254::{Bn254, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::One;

use crate::codec::{points, scalars, PointCodec, Res};

pub fn g2_in_subgroup(b: &[u8]) -> Res<bool> {
    let p = G2Affine::from_lem(b, true, "G2 point")?;
    Ok(p.is_in_correct_subgroup_assuming_on_curve())
}

#[allow(clippy::too_many_arguments)]
pub fn verify(
    alpha1: &[u8],
    beta2: &[u8],
    gamma2: &[u8],
    delta2: &[u8],
    ic: &[u8],
    public: &[u8],
    a: &[u8],
    b: &[u8],
    c: &[u8],
) -> Res<bool> {
    let ic: Vec<G1Affine> = points(ic, true, "IC")?;
    let x = scalars(public, "public input")?;
    if ic.len() != x.len() + 1 {
        return Err(format!(
            "{} IC points for {} public inputs",
            ic.len(),
            x.len()
        ));
    }
    let mut vk_x: G1Projective = ic[0].into_group();
    for (k, p) in x.iter().zip(&ic[1..]) {
        vk_x += p.mul_bigint(k.0);
    }
    let g1 = |b: &[u8], what: &str| G1Affine::from_lem(b, true, what);
    let g2 = |b: &[u8], what: &str| G2Affine::from_lem(b, true, what);
    let lhs = [
        -g1(a, "pi_a")?,
        g1(alpha1, "alpha1")?,
        vk_x.into_affine(),
        g1(c, "pi_c")?,
    ];
    let rhs = [
        g2(b, "pi_b")?,
        g2(beta2, "beta2")?,
        g2(gamma2, "gamma2")?,
        g2(delta2, "delta2")?,
    ];
    Ok(Bn254::multi_pairing(lhs, rhs).0.is_one())
}
