//! Sums of many groups of points with batch-affine additions.
//!
//! Adding `P + Q` in affine coordinates needs one field inversion; `n`
//! independent additions share one inversion with Montgomery's trick
//! (`3(n - 1)` multiplications replace `n - 1` inversions). An affine addition
//! then costs about 6 multiplications, against about 11 for a mixed Jacobian
//! addition.
//!
//! [`group_sums`] adds up each group in rounds: every round pairs neighbours
//! within each group, computes all the pairs of all the groups as one batch
//! into a fresh buffer (a group's odd point out is carried over), and halves
//! every group, until each group is one point. The caller lays the groups out
//! one after the other (the Pippenger reads its points in order and writes
//! each to its bucket's slot, a little faster than gathering them by index).

use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ff::{AdditiveGroup, Field, One, Zero};

use crate::fastmul::FastMul;

/// The slope's denominator for `P + Q`: `x_Q - x_P` for distinct x, `2 y_P` for `P = Q`
/// (`a = 0` on both BN254 curves), one where no slope is needed (infinity, `P = -Q`).
#[inline(always)]
fn denominator<C: SWCurveConfig<BaseField: FastMul>>(p: &Affine<C>, q: &Affine<C>) -> C::BaseField {
    if p.infinity || q.infinity {
        C::BaseField::one()
    } else if p.x != q.x {
        q.x - p.x
    } else if p.y == q.y && !p.y.is_zero() {
        p.y.double()
    } else {
        C::BaseField::one()
    }
}

/// `P + Q` given `1 / denominator(P, Q)`.
#[inline(always)]
fn finish<C: SWCurveConfig<BaseField: FastMul>>(
    p: &Affine<C>,
    q: &Affine<C>,
    den_inv: C::BaseField,
) -> Affine<C> {
    if p.infinity {
        *q
    } else if q.infinity {
        *p
    } else if p.x != q.x {
        let lambda = (q.y - p.y).fmul(&den_inv);
        let x3 = lambda.fsquare() - p.x - q.x;
        let y3 = lambda.fmul(&(p.x - x3)) - p.y;
        Affine::<C>::new_unchecked(x3, y3)
    } else if p.y == q.y && !p.y.is_zero() {
        let x2 = p.x.fsquare();
        let lambda = (x2.double() + x2).fmul(&den_inv);
        let x3 = lambda.fsquare() - p.x.double();
        let y3 = lambda.fmul(&(p.x - x3)) - p.y;
        Affine::<C>::new_unchecked(x3, y3)
    } else {
        Affine::<C>::identity() // P + (-P)
    }
}

/// One round: the groups of `cur` (contiguous, sizes `lens`) halved into `next` by adding
/// neighbours, an odd group's last point carried over; `lens` is updated.
fn halve<C: SWCurveConfig<BaseField: FastMul>>(
    cur: &[Affine<C>],
    lens: &mut [usize],
    next: &mut Vec<Affine<C>>,
    scratch: &mut Vec<C::BaseField>,
) {
    // 1. running products of the denominators, from the last pair back (a stack)
    scratch.clear();
    let mut acc = C::BaseField::one();
    let mut s = cur.len();
    for &len in lens.iter().rev() {
        s -= len;
        for k in (s..s + len - len % 2).step_by(2).rev() {
            scratch.push(acc);
            acc = acc.fmul(&denominator(&cur[k], &cur[k + 1]));
        }
    }
    let mut inv = acc.inverse().expect("denominators are non-zero");
    // 2. forward through the groups: each denominator's inverse, then the sum
    next.clear();
    for len in lens.iter_mut() {
        for k in (s..s + *len - *len % 2).step_by(2) {
            let (p, q) = (&cur[k], &cur[k + 1]);
            let den_inv = inv.fmul(&scratch.pop().expect("one product per pair"));
            inv = inv.fmul(&denominator(p, q));
            next.push(finish(p, q, den_inv));
        }
        if *len % 2 == 1 {
            next.push(cur[s + *len - 1]);
        }
        s += *len;
        *len = len.div_ceil(2);
    }
}

/// The sum of each group of `pts`: the groups lie one after the other, group `g` holding
/// `lens[g]` points; an empty group sums to the identity.
pub fn group_sums<C: SWCurveConfig<BaseField: FastMul>>(
    mut pts: Vec<Affine<C>>,
    mut lens: Vec<usize>,
) -> Vec<Affine<C>> {
    assert_eq!(
        lens.iter().sum::<usize>(),
        pts.len(),
        "group sizes add up to the points"
    );
    let mut next: Vec<Affine<C>> = Vec::with_capacity(pts.len() / 2 + lens.len());
    let mut scratch: Vec<C::BaseField> = Vec::with_capacity(pts.len() / 2);
    while lens.iter().any(|&l| l > 1) {
        halve(&pts, &mut lens, &mut next, &mut scratch);
        std::mem::swap(&mut pts, &mut next);
    }
    let mut sums = pts.into_iter();
    lens.iter()
        .map(|&l| {
            if l == 1 {
                sums.next().expect("one sum per non-empty group")
            } else {
                Affine::<C>::identity()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{g1, Fr};
    use ark_ec::short_weierstrass::Projective;
    use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
    use ark_ff::UniformRand;
    use ark_std::test_rng;

    #[test]
    fn group_sums_match_projective_sums() {
        let mut rng = test_rng();
        let g = Projective::<g1::Config>::generator();
        let mut pts: Vec<Affine<g1::Config>> = (0..30)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        // groups: empty, one point, a doubling, P + (-P), P and -P among others, a long one
        pts[2] = pts[1];
        pts[4] = -pts[3];
        pts[6] = -pts[5];
        let lens = vec![0, 1, 2, 2, 4, 0, 21];
        let sums = group_sums(pts.clone(), lens.clone());
        let mut start = 0;
        for (g, &len) in lens.iter().enumerate() {
            let want: Projective<g1::Config> =
                pts[start..start + len].iter().map(|p| p.into_group()).sum();
            assert_eq!(sums[g], want.into_affine(), "group {g}");
            start += len;
        }
        assert!(sums[0].is_zero() && sums[3].is_zero() && sums[5].is_zero());
        assert!(!sums[4].is_zero());
    }
}
