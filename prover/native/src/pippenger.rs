//! Pippenger's bucket method with batch-affine bucket sums.
//!
//! For `m` points and scalars below `2^b`, pick a window of `c` bits and write
//! every scalar in signed base-`2^c` digits `d_w` in `[-2^(c-1), 2^(c-1)]`
//! (`k = sum_w d_w 2^(cw)`; a digit above `2^(c-1)` becomes `d - 2^c` with a
//! carry into the next window). Then `sum_i k_i P_i = sum_w 2^(cw) S_w` with
//! `S_w = sum_d d * B_{w,d}` and `B_{w,d}` the sum of the points (negated for
//! negative digits) whose digit in window `w` has magnitude `d`.
//!
//! `W = ceil((b + 1) / c)` windows suffice: the top window then holds fewer
//! than `c - 1` bits of `k`, so its digit plus a carry is at most `2^(c-1)`
//! and never carries out.
//!
//! Bucket sums are where the time goes (about `m` additions per window). We
//! sort each window's points by bucket (a counting sort) and add each bucket
//! up with batch-affine additions (`batch_affine::group_sums`: about 6
//! multiplications per addition, against about 11 for a mixed Jacobian
//! addition). `S_w` then comes from two running sums over the buckets
//! (`2^(c-1)` mixed and as many full Jacobian additions), and the windows are
//! combined from the top with `c` doublings each. Windows run in parallel.
//!
//! The cost is about `W (m + 3.7 * 2^(c-1))` batch-affine additions; `c`
//! minimises it (12 or 13 for the 2^16 to 2^18 MSMs of a proof).

use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Zero};

use crate::batch_affine::group_sums;
use crate::fastmul::FastMul;
use rayon::prelude::*;

/// Below this many points arkworks' own MSM is as good.
const SMALL: usize = 64;

/// Windows of `c` bits for scalars of at most `bits` bits (see the module docs).
fn window_count(bits: usize, c: usize) -> usize {
    (bits + 1).div_ceil(c)
}

/// The window minimising the cost model: 6 multiplications per batch-affine addition,
/// 22 per bucket for the two running sums.
fn window_bits(m: usize, bits: usize) -> usize {
    (4..=20usize)
        .min_by_key(|&c| window_count(bits, c) * (6 * m + 22 * (1usize << (c - 1))))
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

/// `S = sum_d d * B_d` for window `w` (digits scalar-major, `windows` per scalar).
fn window_sum<C: SWCurveConfig<BaseField: FastMul>>(
    bases: &[Affine<C>],
    all: &[i32],
    windows: usize,
    w: usize,
    c: usize,
) -> Projective<C> {
    let digits = all.iter().skip(w).step_by(windows);
    let nb = 1usize << (c - 1);
    // counting sort of the points by |digit| into buckets 1..=nb (group b - 1), read in order
    let mut lens = vec![0usize; nb];
    for &d in digits.clone() {
        if d != 0 {
            lens[d.unsigned_abs() as usize - 1] += 1;
        }
    }
    let mut fill: Vec<usize> = lens
        .iter()
        .scan(0, |start, &len| {
            let at = *start;
            *start += len;
            Some(at)
        })
        .collect();
    let total: usize = lens.iter().sum();
    if total == 0 {
        return Projective::<C>::zero();
    }
    let mut pts = vec![Affine::<C>::identity(); total];
    for (p, &d) in bases.iter().zip(digits) {
        if d != 0 {
            let b = d.unsigned_abs() as usize - 1;
            pts[fill[b]] = if d > 0 { *p } else { -*p };
            fill[b] += 1;
        }
    }
    let buckets = group_sums(pts, lens);
    // S = sum_d d * B_d with two running sums, from the top bucket down
    let mut running = Projective::<C>::zero();
    let mut sum = Projective::<C>::zero();
    for bucket in buckets.iter().rev() {
        running += bucket;
        sum += &running;
    }
    sum
}

/// `sum_i scalars[i] * bases[i]` (scalars in normal form, below `r`).
pub fn msm<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
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
    msm_windowed(&bases[..m], &scalars[..m], c, window_count(bits, c))
}

/// [`msm`] with `windows` windows of `c` bits.
fn msm_windowed<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    bases: &[Affine<C>],
    scalars: &[BigInt<4>],
    c: usize,
    windows: usize,
) -> Projective<C> {
    let digits = signed_digits(scalars, c, windows);
    let sums: Vec<Projective<C>> = (0..windows)
        .into_par_iter()
        .map(|w| window_sum(bases, &digits, windows, w, c))
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

    fn check<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(m: usize, small: bool) {
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

    /// Every window width, with the largest scalars (`r - 1`, the top bits all set): the
    /// top window must absorb the last carry with no extra window.
    #[test]
    fn top_window_absorbs_the_carry() {
        let mut rng = test_rng();
        let g = Projective::<g1::Config>::generator();
        let bases: Vec<Affine<g1::Config>> = (0..80)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        let mut r_minus = Fr::MODULUS;
        r_minus.sub_with_borrow(&BigInt::from(1u64));
        let scalars: Vec<BigInt<4>> = (0..80u64)
            .map(|i| {
                let mut k = r_minus;
                k.sub_with_borrow(&BigInt::from(i * 0x1234_5678_9abc));
                k
            })
            .collect();
        let want = Projective::<g1::Config>::msm_bigint(&bases, &scalars);
        for c in 4..=20 {
            let w = window_count(254, c);
            assert_eq!(msm_windowed(&bases, &scalars, c, w), want, "c = {c}");
            // one window fewer drops the top digits: the sum is wrong
            assert_ne!(msm_windowed(&bases, &scalars, c, w - 1), want, "c = {c}");
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
