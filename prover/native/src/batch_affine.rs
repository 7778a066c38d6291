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
//! every group, until each group is one point. The first round reads the
//! points straight from the caller's array through signed indices, so nothing
//! is copied before the first addition.

use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ff::{AdditiveGroup, Field, One, Zero};

/// Set in a member index: take the point negated.
pub const NEG: u32 = 1 << 31;

/// The slope's denominator for `P + Q`: `x_Q - x_P` for distinct x, `2 y_P` for `P = Q`
/// (`a = 0` on both BN254 curves), one where no slope is needed (infinity, `P = -Q`).
#[inline(always)]
fn denominator<C: SWCurveConfig>(p: &Affine<C>, q: &Affine<C>) -> C::BaseField {
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
fn finish<C: SWCurveConfig>(p: &Affine<C>, q: &Affine<C>, den_inv: C::BaseField) -> Affine<C> {
    if p.infinity {
        *q
    } else if q.infinity {
        *p
    } else if p.x != q.x {
        let lambda = (q.y - p.y) * den_inv;
        let x3 = lambda.square() - p.x - q.x;
        let y3 = lambda * (p.x - x3) - p.y;
        Affine::<C>::new_unchecked(x3, y3)
    } else if p.y == q.y && !p.y.is_zero() {
        let x2 = p.x.square();
        let lambda = (x2.double() + x2) * den_inv;
        let x3 = lambda.square() - p.x.double();
        let y3 = lambda * (p.x - x3) - p.y;
        Affine::<C>::new_unchecked(x3, y3)
    } else {
        Affine::<C>::identity() // P + (-P)
    }
}

/// The point a member index names: `points[i]`, negated when [`NEG`] is set.
#[inline(always)]
fn signed<C: SWCurveConfig>(points: &[Affine<C>], i: u32) -> Affine<C> {
    let p = points[(i & !NEG) as usize];
    if i & NEG == 0 {
        p
    } else {
        -p
    }
}

/// One round: the groups of `cur` (contiguous, sizes `lens`) halved into `next` by adding
/// neighbours, an odd group's last point carried over; `lens` is updated.
fn halve<C: SWCurveConfig>(
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
            acc *= denominator(&cur[k], &cur[k + 1]);
        }
    }
    let mut inv = acc.inverse().expect("denominators are non-zero");
    // 2. forward through the groups: each denominator's inverse, then the sum
    next.clear();
    for len in lens.iter_mut() {
        for k in (s..s + *len - *len % 2).step_by(2) {
            let (p, q) = (&cur[k], &cur[k + 1]);
            let den_inv = inv * scratch.pop().expect("one product per pair");
            inv *= denominator(p, q);
            next.push(finish(p, q, den_inv));
        }
        if *len % 2 == 1 {
            next.push(cur[s + *len - 1]);
        }
        s += *len;
        *len = len.div_ceil(2);
    }
}

/// The sum of each group: group `g` is the points named by `members[bounds[g]..bounds[g + 1]]`
/// (indices into `points`, [`NEG`] to negate); an empty group sums to the identity.
pub fn group_sums<C: SWCurveConfig>(
    points: &[Affine<C>],
    members: &[u32],
    bounds: &[usize],
) -> Vec<Affine<C>> {
    let mut lens: Vec<usize> = bounds.windows(2).map(|b| b[1] - b[0]).collect();
    // the members' points, gathered in order; then halving rounds
    let mut cur: Vec<Affine<C>> = members.iter().map(|&i| signed(points, i)).collect();
    let mut next: Vec<Affine<C>> = Vec::with_capacity(cur.len() / 2 + lens.len());
    let mut scratch: Vec<C::BaseField> = Vec::with_capacity(cur.len() / 2);
    while lens.iter().any(|&l| l > 1) {
        halve(&cur, &mut lens, &mut next, &mut scratch);
        std::mem::swap(&mut cur, &mut next);
    }
    let mut sums = cur.into_iter();
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
        let mut points: Vec<Affine<g1::Config>> = (0..40)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        points[7] = points[6];
        // groups: empty, one point, a doubling, P + (-P), a point and its negation among others, long
        let members: Vec<u32> = vec![
            3,
            6,
            7,
            9,
            9 | NEG,
            1,
            2 | NEG,
            2,
            5,
            0,
            10,
            11 | NEG,
            12,
            13,
            14,
            15,
            16,
            17,
            18 | NEG,
            19,
            20,
            21,
        ];
        let bounds = [0, 0, 1, 3, 5, 9, 22];
        let sums = group_sums(&points, &members, &bounds);
        for g in 0..bounds.len() - 1 {
            let want: Projective<g1::Config> = members[bounds[g]..bounds[g + 1]]
                .iter()
                .map(|&i| {
                    let p = points[(i & !NEG) as usize].into_group();
                    if i & NEG == 0 {
                        p
                    } else {
                        -p
                    }
                })
                .sum();
            assert_eq!(sums[g], want.into_affine(), "group {g}");
        }
        assert!(sums[0].is_zero() && sums[3].is_zero());
    }
}
