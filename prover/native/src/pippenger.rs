//! Pippenger's bucket method with batch-affine bucket sums.
//!
//! For `m` points and scalars below `2^b`, pick a window of `c` bits and write
//! every scalar in signed base-`2^c` digits `d_w` in `[-2^(c-1), 2^(c-1)]`
//! (`k = sum_w d_w 2^(cw)`; a digit above `2^(c-1)` becomes `d - 2^c` with a
//! carry into the next window). Then `sum_i k_i P_i = sum_w 2^(cw) S_w` with
//! `S_w = sum_d d * B_{w,d}` and `B_{w,d}` the sum of the points (negated for
//! negative digits) whose digit in window `w` has magnitude `d`.
//!
//! Bucket sums are where the time goes (about `m` additions per window). We
//! sort each window's points by bucket (a counting sort) and add them up in
//! rounds, pairing neighbours within each bucket: all additions of a round are
//! independent, so they share one field inversion (Montgomery's trick) and
//! each costs about 6 multiplications in affine coordinates, against about 11
//! for a mixed Jacobian addition. `S_w` then comes from two running sums over
//! the buckets (`2^c` mixed additions), and the windows are combined from the
//! top with `c` doublings each. Windows run in parallel.

use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Field, One, Zero};
use rayon::prelude::*;

/// Below this many points arkworks' own MSM is as good.
const SMALL: usize = 64;

/// Cost model: about 6 multiplications per batch-affine addition, 11 per mixed addition.
fn window_bits(m: usize, bits: usize) -> usize {
    (4..=20usize)
        .min_by_key(|&c| {
            let windows = bits.div_ceil(c) + 1;
            windows * (6 * m + 22 * (1usize << (c - 1)))
        })
        .expect("non-empty range")
}

/// Signed digits, scalar-major: `digits[i * windows + w]` is scalar `i`'s digit in window `w`.
fn signed_digits(scalars: &[BigInt<4>], c: usize, windows: usize) -> Vec<i32> {
    let mut digits = vec![0i32; windows * scalars.len()];
    let half = 1i64 << (c - 1);
    let full = 1i64 << c;
    let mask = (1u64 << c) - 1;
    digits
        .par_chunks_mut(windows)
        .zip(scalars.par_iter())
        .for_each(|(out, k)| {
            let mut carry = 0i64;
            for (w, slot) in out.iter_mut().enumerate() {
                let bit = w * c;
                let limb = bit / 64;
                let shift = bit % 64;
                let mut v = if limb < 4 { k.0[limb] >> shift } else { 0 };
                if shift + c > 64 && limb + 1 < 4 {
                    v |= k.0[limb + 1] << (64 - shift);
                }
                let mut d = (v & mask) as i64 + carry;
                carry = 0;
                if d > half {
                    d -= full;
                    carry = 1;
                }
                *slot = d as i32;
            }
            debug_assert_eq!(carry, 0, "the top window absorbs the last carry");
        });
    digits
}

/// `P + Q` for each pair of indices into `pts`, into `out`, with one shared inversion.
///
/// Slopes: `(y_Q - y_P) / (x_Q - x_P)` for distinct x, `3 x_P^2 / (2 y_P)` for
/// `P = Q` (`a = 0` on both BN254 curves); `P = -Q` and the point at infinity
/// are settled without a slope.
pub(crate) fn batch_add<C: SWCurveConfig>(
    pts: &[Affine<C>],
    pairs: &[(u32, u32)],
    out: &mut Vec<Affine<C>>,
    scratch: &mut Vec<C::BaseField>,
) {
    out.clear();
    scratch.clear();
    // 1. denominators (one where no slope is needed) and their running products
    let mut acc = C::BaseField::one();
    for &(i, j) in pairs {
        let (p, q) = (&pts[i as usize], &pts[j as usize]);
        let den = if p.infinity || q.infinity {
            C::BaseField::one()
        } else if p.x != q.x {
            q.x - p.x
        } else if p.y == q.y && !p.y.is_zero() {
            p.y.double()
        } else {
            C::BaseField::one()
        };
        scratch.push(acc);
        acc *= den;
    }
    let mut inv = acc.inverse().expect("denominators are non-zero");
    // 2. walk back: inverse of each denominator, then the sum
    out.resize(pairs.len(), Affine::<C>::identity());
    for (i, &(a, b)) in pairs.iter().enumerate().rev() {
        let (p, q) = (&pts[a as usize], &pts[b as usize]);
        let sum = if p.infinity {
            *q
        } else if q.infinity {
            *p
        } else if p.x != q.x {
            let den = q.x - p.x;
            let den_inv = inv * scratch[i];
            inv *= den;
            let lambda = (q.y - p.y) * den_inv;
            let x3 = lambda.square() - p.x - q.x;
            let y3 = lambda * (p.x - x3) - p.y;
            Affine::<C>::new_unchecked(x3, y3)
        } else if p.y == q.y && !p.y.is_zero() {
            let den = p.y.double();
            let den_inv = inv * scratch[i];
            inv *= den;
            let x2 = p.x.square();
            let lambda = (x2.double() + x2) * den_inv;
            let x3 = lambda.square() - p.x.double();
            let y3 = lambda * (p.x - x3) - p.y;
            Affine::<C>::new_unchecked(x3, y3)
        } else {
            Affine::<C>::identity() // P + (-P)
        };
        out[i] = sum;
    }
}

/// `S = sum_d d * B_d` for window `w` (digits scalar-major, `windows` per scalar).
fn window_sum<C: SWCurveConfig>(
    bases: &[Affine<C>],
    all: &[i32],
    windows: usize,
    w: usize,
    c: usize,
) -> Projective<C> {
    let digits = all.iter().skip(w).step_by(windows);
    let nb = 1usize << (c - 1);
    // counting sort of the points by |digit| (bucket 1..=nb)
    let mut starts = vec![0usize; nb + 2];
    for &d in digits.clone() {
        if d != 0 {
            starts[d.unsigned_abs() as usize + 1] += 1;
        }
    }
    for b in 1..=nb + 1 {
        starts[b] += starts[b - 1];
    }
    let total = starts[nb + 1];
    if total == 0 {
        return Projective::<C>::zero();
    }
    let mut fill = starts.clone();
    let mut pts = vec![Affine::<C>::identity(); total];
    for (i, &d) in digits.enumerate() {
        if d != 0 {
            let b = d.unsigned_abs() as usize;
            pts[fill[b]] = if d > 0 { bases[i] } else { -bases[i] };
            fill[b] += 1;
        }
    }
    // pairwise rounds within each bucket: lens[b] points at pts[starts[b]..]
    let mut lens: Vec<usize> = (0..=nb).map(|b| starts[b + 1] - starts[b]).collect();
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(total / 2 + 1);
    let mut sums: Vec<Affine<C>> = Vec::with_capacity(total / 2 + 1);
    let mut scratch: Vec<C::BaseField> = Vec::with_capacity(total / 2 + 1);
    loop {
        pairs.clear();
        for b in 1..=nb {
            let (s, l) = (starts[b], lens[b]);
            for k in 0..l / 2 {
                pairs.push(((s + 2 * k) as u32, (s + 2 * k + 1) as u32));
            }
        }
        if pairs.is_empty() {
            break;
        }
        batch_add(&pts, &pairs, &mut sums, &mut scratch);
        let mut next = 0;
        for b in 1..=nb {
            let (s, l) = (starts[b], lens[b]);
            let half = l / 2;
            pts[s..s + half].copy_from_slice(&sums[next..next + half]);
            next += half;
            if l % 2 == 1 {
                pts[s + half] = pts[s + l - 1];
            }
            lens[b] = l.div_ceil(2);
        }
    }
    // S = sum_d d * B_d with two running sums, from the top bucket down
    let mut running = Projective::<C>::zero();
    let mut sum = Projective::<C>::zero();
    for b in (1..=nb).rev() {
        if lens[b] == 1 {
            running += &pts[starts[b]];
        }
        sum += &running;
    }
    sum
}

/// `sum_i scalars[i] * bases[i]` (scalars in normal form, below `r`).
pub fn msm<C: SWCurveConfig<ScalarField = Fr>>(
    bases: &[Affine<C>],
    scalars: &[BigInt<4>],
) -> Projective<C> {
    use ark_ec::VariableBaseMSM;
    let m = bases.len().min(scalars.len());
    if m < SMALL {
        return Projective::<C>::msm_bigint(&bases[..m], &scalars[..m]);
    }
    // Windows above the largest scalar's top bit would be empty: small witness values cost less.
    let bits = scalars[..m]
        .iter()
        .map(|k| k.num_bits() as usize)
        .max()
        .unwrap_or(0)
        .max(1);
    let c = window_bits(m, bits);
    let windows = bits.div_ceil(c) + 1;
    let digits = signed_digits(&scalars[..m], c, windows);
    let sums: Vec<Projective<C>> = (0..windows)
        .into_par_iter()
        .map(|w| window_sum(&bases[..m], &digits, windows, w, c))
        .collect();
    let mut acc = Projective::<C>::zero();
    for s in sums.iter().rev() {
        for _ in 0..c {
            acc.double_in_place();
        }
        acc += s;
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{g1, g2};
    use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
    use ark_ff::{PrimeField, UniformRand};
    use ark_std::test_rng;

    fn check<C: SWCurveConfig<ScalarField = Fr>>(m: usize, small: bool) {
        let mut rng = test_rng();
        let g = Projective::<C>::generator();
        let mut bases: Vec<Affine<C>> = (0..m)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        if m > 5 {
            bases[3] = bases[2]; // equal points in one bucket: the doubling path
            bases[5] = -bases[4]; // opposite points: the P + (-P) path
        }
        let scalars: Vec<BigInt<4>> = (0..m)
            .map(|i| {
                if small || i < 8 {
                    BigInt::from((i % 7 + 2) as u64)
                } else {
                    Fr::rand(&mut rng).into_bigint()
                }
            })
            .collect();
        assert_eq!(
            msm(&bases, &scalars),
            Projective::<C>::msm_bigint(&bases, &scalars)
        );
    }

    #[test]
    fn matches_arkworks_g1() {
        for m in [1, 70, 300, 2000] {
            check::<g1::Config>(m, false);
            check::<g1::Config>(m, true);
        }
    }

    #[test]
    fn matches_arkworks_g2() {
        for m in [70, 500] {
            check::<g2::Config>(m, false);
            check::<g2::Config>(m, true);
        }
    }
}
