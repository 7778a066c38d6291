//! Multi-scalar multiplication `sum_i k_i P_i` that exploits sparse witnesses.
//!
//! Circuit witnesses are full of `0` and `1` (bits, flags, selectors) and of
//! small negative values, which the field holds as `r - x`. Each scalar is
//! first written as the shorter of `k` and `-(r - k)` (on curves whose group
//! has prime order `r`, where `k P = -(r - k) P` for every point; BN254's G1):
//! a 254-bit `r - x` becomes `x` times `-P`. Then the terms are split three
//! ways. `k = 0` terms are dropped before their points are even decoded;
//! `k = 1` and `k = -1` terms are summed in one batch-affine bucket
//! (`pippenger::signed_sum`: about 6 multiplications a point, instead of 11 for
//! a mixed Jacobian addition); the rest go to our signed-digit Pippenger with
//! batch-affine bucket sums (`pippenger.rs`), about `(b / c) (m + 2^c)`
//! additions for `m` points of at most `b` bits, where a point pays only for its
//! scalar's non-zero digits. Points at infinity are dropped too. The parts run
//! side by side on rayon.

use std::borrow::Cow;

use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::{BigInt, BigInteger, PrimeField};
use rayon::prelude::*;

use crate::codec::{point_at, PointCodec, Res};
use crate::fastmul::FastMul;
use crate::pippenger::{msm_vec, signed_sum};

/// Whether the curve's group has prime order `r` (cofactor 1), so that `k P = -(r - k) P`
/// for every point on it: BN254's G1. G2's points are checked on the twist curve only, and a
/// point outside its order-`r` subgroup would not obey it, so G2 keeps its scalars as given.
pub fn prime_order<C: SWCurveConfig>() -> bool {
    C::COFACTOR
        .iter()
        .enumerate()
        .all(|(i, &limb)| limb == u64::from(i == 0))
}

/// `(k, false)`, or `(r - k, true)` when `r - k` is the shorter (`0 < k < r`).
///
/// `r` has 254 bits and `2^252 < r - 2^253 < 2^253`: for `k >= 2^253` (254 bits) `r - k` has
/// at most 253, and for `k < 2^253` it has 253, never fewer than `k`. So `r - k` is shorter
/// exactly when bit 253 of `k` is set.
pub fn shorter(k: &BigInt<4>) -> (BigInt<4>, bool) {
    if k.0[3] >> 61 == 0 {
        return (*k, false);
    }
    let mut minus = Fr::MODULUS;
    minus.sub_with_borrow(k);
    (minus, true)
}

/// `sum_i scalars[i] * bases[i]`, `bases` a LEM section, `scalars` normal-form limbs below `r`.
///
/// The points are decoded first and `bases` is dropped before the additions: a section
/// read from a file for this MSM alone (`Cow::Owned`) is freed while the MSM runs.
pub fn sparse_msm<C>(bases: Cow<'_, [u8]>, scalars: &[BigInt<4>], what: &str) -> Res<Projective<C>>
where
    C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>,
    Affine<C>: PointCodec,
{
    let len = <Affine<C> as PointCodec>::LEN;
    if bases.len() != scalars.len() * len {
        return Err(format!(
            "{what}: {} points for {} scalars",
            bases.len() / len,
            scalars.len()
        ));
    }
    let fold = prime_order::<C>();
    let one = BigInt::<4>::from(1u64);
    // (index, negative) of the terms of scalar +-1; (index, |k|, negative) of the others
    let mut units: Vec<(usize, bool)> = Vec::new();
    let mut others: Vec<(usize, BigInt<4>, bool)> = Vec::new();
    for (i, k) in scalars.iter().enumerate() {
        if k.is_zero() {
            continue;
        }
        let (magnitude, negative) = if fold { shorter(k) } else { (*k, false) };
        if magnitude == one {
            units.push((i, negative));
        } else {
            others.push((i, magnitude, negative));
        }
    }
    let decode = |i: usize| point_at::<Affine<C>>(&bases, i, true, what);
    let unit_terms: Vec<(Affine<C>, bool)> = units
        .par_iter()
        .map(|&(i, negative)| Ok((decode(i)?, negative)))
        .filter(|t: &Res<(Affine<C>, bool)>| !matches!(t, Ok((p, _)) if p.infinity))
        .collect::<Res<_>>()?;
    // a negative term's point is negated here: the Pippenger sees |k| and -P
    let other_terms: Vec<(Affine<C>, BigInt<4>)> = others
        .par_iter()
        .map(|&(i, k, negative)| {
            let p = decode(i)?;
            Ok((if negative { -p } else { p }, k))
        })
        .filter(|t: &Res<(Affine<C>, BigInt<4>)>| !matches!(t, Ok((p, _)) if p.infinity))
        .collect::<Res<_>>()?;
    drop(bases);
    let (unit_points, unit_signs): (Vec<Affine<C>>, Vec<bool>) = unit_terms.into_iter().unzip();
    let (pts, ks): (Vec<Affine<C>>, Vec<BigInt<4>>) = other_terms.into_iter().unzip();
    let (sum_units, sum_others) = rayon::join(
        || signed_sum(&unit_points, &unit_signs),
        || msm_vec(pts, &ks),
    );
    Ok(sum_units + sum_others)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encode_points;
    use ark_bn254::{g1, g2, Fq2};
    use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
    use ark_ff::{Field, UniformRand};
    use ark_std::test_rng;

    fn r_minus(x: u64) -> BigInt<4> {
        let mut k = Fr::MODULUS;
        k.sub_with_borrow(&BigInt::from(x));
        k
    }

    fn two_to(e: u32) -> BigInt<4> {
        let mut k = BigInt::<4>::zero();
        k.0[(e / 64) as usize] = 1 << (e % 64);
        k
    }

    /// `r - k` is taken exactly from bit 253 up, and the pair always stands for `k`.
    #[test]
    fn shorter_folds_from_bit_253() {
        let below = {
            let mut k = two_to(253);
            k.sub_with_borrow(&BigInt::from(1u64));
            k
        };
        assert_eq!(shorter(&below), (below, false));
        let mut r_less_top = Fr::MODULUS;
        r_less_top.sub_with_borrow(&two_to(253));
        assert_eq!(shorter(&two_to(253)), (r_less_top, true));
        assert_eq!(shorter(&r_minus(1)), (BigInt::from(1u64), true));
        assert_eq!(shorter(&r_minus(77)), (BigInt::from(77u64), true));
        assert_eq!(shorter(&BigInt::from(1u64)), (BigInt::from(1u64), false));
        let mut rng = test_rng();
        for _ in 0..1000 {
            let k = Fr::rand(&mut rng).into_bigint();
            let (m, negative) = shorter(&k);
            let value = Fr::from_bigint(m).expect("below r");
            assert_eq!((if negative { -value } else { value }).into_bigint(), k);
            let mut other = Fr::MODULUS;
            other.sub_with_borrow(&k);
            // never longer than k, nor than r - k
            assert!(m.num_bits() <= k.num_bits() && m.num_bits() <= other.num_bits());
        }
    }

    #[test]
    fn only_g1_has_prime_order() {
        assert!(prime_order::<g1::Config>());
        assert!(!prime_order::<g2::Config>());
    }

    /// Scalars of every kind: zero, `1`, `r - 1`, small and small negative, both sides of
    /// `2^253`, dense; `SMALL` or more of each kind so that every part runs its real path.
    fn witness_like(m: usize) -> Vec<BigInt<4>> {
        let mut rng = test_rng();
        (0..m)
            .map(|i| match i % 10 {
                0..=2 => BigInt::zero(),
                3 => BigInt::from(1u64),
                4 => r_minus(1),
                5 => BigInt::from((i as u64) << 20 | 3),
                6 => r_minus((i as u64) << 9 | 5),
                7 => two_to(253),
                8 => {
                    let mut k = two_to(253);
                    k.sub_with_borrow(&BigInt::from(i as u64));
                    k
                }
                _ => Fr::rand(&mut rng).into_bigint(),
            })
            .collect()
    }

    fn random_points<C: SWCurveConfig<ScalarField = Fr>>(m: usize) -> Vec<Affine<C>> {
        let mut rng = test_rng();
        let g = Projective::<C>::generator();
        let mut pts: Vec<Affine<C>> = (0..m)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        pts[13] = Affine::<C>::identity(); // a unit's point at infinity
        pts[14] = Affine::<C>::identity(); // a -1's point at infinity
        pts[16] = Affine::<C>::identity(); // a small negative's point at infinity
        pts[24] = pts[23]; // the same point with 1 and with -1: they cancel in the unit sum
        pts
    }

    fn check_against_arkworks<C>(m: usize)
    where
        C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>,
        Affine<C>: PointCodec,
    {
        let pts = random_points::<C>(m);
        let mut ks = witness_like(m);
        let bytes = encode_points(&pts);
        let want = Projective::<C>::msm_bigint(&pts, &ks);
        assert_eq!(
            sparse_msm::<C>(Cow::Borrowed(&bytes), &ks, "t"),
            Ok(want),
            "m = {m}"
        );
        // twin: a -1 turned into 1 moves the sum by 2 P
        ks[4] = BigInt::from(1u64);
        let moved = sparse_msm::<C>(Cow::Borrowed(&bytes), &ks, "t").unwrap();
        assert_ne!(moved, want);
        assert_eq!(moved, want + pts[4] + pts[4]);
    }

    #[test]
    fn sparse_msm_matches_arkworks_g1() {
        for m in [30, 700, 20_000] {
            check_against_arkworks::<g1::Config>(m);
        }
    }

    #[test]
    fn sparse_msm_matches_arkworks_g2() {
        for m in [30, 1500] {
            check_against_arkworks::<g2::Config>(m);
        }
    }

    /// A point on G2's twist curve outside the order-`r` subgroup: `(r - 1) P != -P` there,
    /// and the MSM gives `(r - 1) P` as the python reference does (no sign folding in G2).
    #[test]
    fn g2_points_outside_the_subgroup_keep_their_scalars() {
        let mut x = Fq2::ONE;
        let p = loop {
            if let Some(p) = Affine::<g2::Config>::get_point_from_x_unchecked(x, true) {
                if !p.is_in_correct_subgroup_assuming_on_curve() {
                    break p;
                }
            }
            x += Fq2::ONE;
        };
        let m = 200;
        let pts = vec![p; m];
        let ks = vec![r_minus(1); m];
        let bytes = encode_points(&pts);
        let exact = Projective::<g2::Config>::msm_bigint(&pts, &ks);
        // the folded sum would be m (-P): not the same point here
        assert_ne!(exact, -(p.into_group() * Fr::from(m as u64)));
        assert_eq!(
            sparse_msm::<g2::Config>(Cow::Borrowed(&bytes), &ks, "B2"),
            Ok(exact)
        );
    }

    #[test]
    fn a_bad_point_is_named_with_its_index() {
        let pts = random_points::<g1::Config>(100);
        let bytes = encode_points(&pts);
        let ks = witness_like(100);
        for i in [73, 74, 79] {
            // a unit, a -1, a dense term
            let mut bad = bytes.clone();
            bad[64 * i] ^= 1;
            assert_eq!(
                sparse_msm::<g1::Config>(Cow::Borrowed(&bad), &ks, "A"),
                Err(format!("A[{i}]: point is not on the G1 curve"))
            );
            // a point whose scalar is 0 is never read
            let mut zero = ks.clone();
            zero[i] = BigInt::zero();
            assert!(sparse_msm::<g1::Config>(Cow::Borrowed(&bad), &zero, "A").is_ok());
        }
    }
}
