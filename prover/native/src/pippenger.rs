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

/// The cost of one bucket (its share of the two running sums, the sorting and the
/// bookkeeping) over the cost of one bucket addition, as `(addition, bucket)` weights.
///
/// Portable path: about 6 multiplications per batch-affine addition against 22 for the
/// running sums' two Jacobian additions. AVX-512 IFMA path: the additions run eight to a
/// vector while the running sums stay scalar, so a bucket weighs about 11 additions
/// (fitted to single-thread sweeps of `c` over dense MSMs of 2,000 to 131,072 points in G1
/// and G2, `docs/native.md`; the weight of 22/6 picked windows one or two bits too wide
/// there, 5% to 26% slower).
const fn bucket_weight(vector: bool) -> (usize, usize) {
    if vector {
        (1, 11)
    } else {
        (6, 22)
    }
}

/// The window minimising `windows * (m * addition + 2^(c-1) * bucket)` (see [`bucket_weight`]).
fn window_bits(m: usize, bits: usize, vector: bool) -> usize {
    let (add, bucket) = bucket_weight(vector);
    (4..=15usize)
        .min_by_key(|&c| window_count(bits, c) * (add * m + bucket * (1usize << (c - 1))))
        .expect("non-empty range")
}

/// Signed digits, scalar-major: `digits[i * windows + w]` is scalar `i`'s digit in window `w`.
fn signed_digits(scalars: &[BigInt<4>], c: usize, windows: usize) -> Vec<i16> {
    assert!(c <= 15, "digits up to 2^(c-1) fit an i16");
    let mut digits = vec![0i16; windows * scalars.len()];
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
                *slot = d as i16;
            }
            debug_assert_eq!(carry, 0, "the top window absorbs the last carry");
        });
    digits
}

/// `S = sum_d d * B_d` for window `w` (digits scalar-major, `windows` per scalar).
fn window_sum<C: SWCurveConfig<BaseField: FastMul>>(
    bases: Option<&[Affine<C>]>,
    simd: Option<&Simd>,
    all: &[i16],
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
    let fill: Vec<usize> = lens
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
    let buckets = match simd.and_then(|simd| simd.bucket_sums::<C>(digits.clone(), &lens, &fill)) {
        Some(buckets) => buckets,
        None => match bases {
            Some(bases) => scalar_bucket_sums(bases, digits, lens, fill),
            // the points were dropped for the vector form: rebuild them (a rare fallback)
            None => {
                let simd = simd.expect("no points without their vector form");
                scalar_bucket_sums(&simd.points::<C>(), digits, lens, fill)
            }
        },
    };
    // S = sum_d d * B_d with two running sums, from the top bucket down
    let mut running = Projective::<C>::zero();
    let mut sum = Projective::<C>::zero();
    for bucket in buckets.iter().rev() {
        running += bucket;
        sum += &running;
    }
    sum
}

/// The bucket sums: each point (negated for a negative digit) written to its bucket's next
/// slot (`fill`), then `group_sums`.
fn scalar_bucket_sums<'a, C: SWCurveConfig<BaseField: FastMul>>(
    bases: &[Affine<C>],
    digits: impl Iterator<Item = &'a i16>,
    lens: Vec<usize>,
    mut fill: Vec<usize>,
) -> Vec<Affine<C>> {
    let total: usize = lens.iter().sum();
    let mut pts = vec![Affine::<C>::identity(); total];
    for (p, &d) in bases.iter().zip(digits) {
        if d != 0 {
            let b = d.unsigned_abs() as usize - 1;
            pts[fill[b]] = if d > 0 { *p } else { -*p };
            fill[b] += 1;
        }
    }
    group_sums(pts, lens)
}

/// The vector path's view of the bases (BN254 G1 or G2 on a CPU with AVX-512 IFMA; see `ifma`).
#[cfg(all(target_arch = "x86_64", zks_ifma))]
enum Simd {
    G1(crate::ifma::Bases<1>),
    G2(crate::ifma::Bases<2>),
}

#[cfg(all(target_arch = "x86_64", zks_ifma))]
impl Simd {
    /// Whether [`Simd::new`] gives a vector form for points of `C`.
    fn supports<C: SWCurveConfig>() -> bool {
        use ark_bn254::{g1, g2};
        use std::any::TypeId;
        crate::ifma::available()
            && [TypeId::of::<g1::Config>(), TypeId::of::<g2::Config>()].contains(&TypeId::of::<C>())
    }

    /// `Some` when `C` is BN254's G1 or G2 and the CPU has the instructions.
    fn new<C: SWCurveConfig>(bases: &[Affine<C>]) -> Option<Simd> {
        use ark_bn254::{g1, g2, G1Affine, G2Affine};
        use std::any::TypeId;
        if !crate::ifma::available() {
            return None;
        }
        let n = bases.len();
        if TypeId::of::<C>() == TypeId::of::<g1::Config>() {
            // SAFETY: C is g1::Config, so Affine<C> is G1Affine.
            let g1: &[G1Affine] =
                unsafe { std::slice::from_raw_parts(bases.as_ptr() as *const G1Affine, n) };
            Some(Simd::G1(crate::ifma::prepare(n, |i| {
                ([g1[i].x], [g1[i].y])
            })))
        } else if TypeId::of::<C>() == TypeId::of::<g2::Config>() {
            // SAFETY: C is g2::Config, so Affine<C> is G2Affine.
            let g2: &[G2Affine] =
                unsafe { std::slice::from_raw_parts(bases.as_ptr() as *const G2Affine, n) };
            Some(Simd::G2(crate::ifma::prepare(n, |i| {
                let p = &g2[i];
                ([p.x.c0, p.x.c1], [p.y.c0, p.y.c1])
            })))
        } else {
            None
        }
    }

    /// The points, rebuilt from the vector form.
    fn points<C: SWCurveConfig>(&self) -> Vec<Affine<C>> {
        use ark_bn254::{Fq2, G1Affine, G2Affine};
        // SAFETY (both arms): as in `bucket_sums`.
        match self {
            Simd::G1(b) => {
                let pts: Vec<G1Affine> = crate::ifma::points(b)
                    .into_iter()
                    .map(|(x, y)| G1Affine::new_unchecked(x[0], y[0]))
                    .collect();
                unsafe { cast_vec(pts) }
            }
            Simd::G2(b) => {
                let pts: Vec<G2Affine> = crate::ifma::points(b)
                    .into_iter()
                    .map(|(x, y)| {
                        G2Affine::new_unchecked(Fq2::new(x[0], x[1]), Fq2::new(y[0], y[1]))
                    })
                    .collect();
                unsafe { cast_vec(pts) }
            }
        }
    }

    /// The bucket sums (`None`: a pair with equal x turned up, use the scalar path).
    fn bucket_sums<'a, C: SWCurveConfig>(
        &self,
        digits: impl Iterator<Item = &'a i16>,
        lens: &[usize],
        fill: &[usize],
    ) -> Option<Vec<Affine<C>>> {
        use ark_bn254::{Fq2, G1Affine, G2Affine};
        let mut fill = fill.to_vec();
        let places: Vec<u32> = digits
            .map(|&d| {
                if d == 0 {
                    return crate::ifma::NOWHERE;
                }
                let b = d.unsigned_abs() as usize - 1;
                fill[b] += 1;
                2 * (fill[b] - 1) as u32 + u32::from(d < 0)
            })
            .collect();
        // SAFETY (both arms): `Simd::G1` exists only for C = g1::Config and `Simd::G2` only
        // for C = g2::Config, so the vector's element type is Affine<C>.
        match self {
            Simd::G1(b) => {
                let sums: Vec<G1Affine> = crate::ifma::bucket_sums(b, &places, lens.to_vec())?
                    .into_iter()
                    .map(|s| {
                        s.map_or(G1Affine::identity(), |(x, y)| {
                            G1Affine::new_unchecked(x[0], y[0])
                        })
                    })
                    .collect();
                Some(unsafe { cast_vec(sums) })
            }
            Simd::G2(b) => {
                let sums: Vec<G2Affine> = crate::ifma::bucket_sums(b, &places, lens.to_vec())?
                    .into_iter()
                    .map(|s| {
                        s.map_or(G2Affine::identity(), |(x, y)| {
                            G2Affine::new_unchecked(Fq2::new(x[0], x[1]), Fq2::new(y[0], y[1]))
                        })
                    })
                    .collect();
                Some(unsafe { cast_vec(sums) })
            }
        }
    }
}

/// `Vec<A>` as `Vec<B>`; the caller guarantees `A` and `B` are the same type.
#[cfg(all(target_arch = "x86_64", zks_ifma))]
unsafe fn cast_vec<A, B>(v: Vec<A>) -> Vec<B> {
    assert_eq!(std::any::type_name::<A>(), std::any::type_name::<B>());
    let mut v = std::mem::ManuallyDrop::new(v);
    // SAFETY: same type (the caller's guarantee, checked by name above).
    unsafe { Vec::from_raw_parts(v.as_mut_ptr() as *mut B, v.len(), v.capacity()) }
}

/// No vector path off x86-64 (or with a compiler older than Rust 1.89).
#[cfg(not(all(target_arch = "x86_64", zks_ifma)))]
struct Simd;

#[cfg(not(all(target_arch = "x86_64", zks_ifma)))]
impl Simd {
    fn supports<C: SWCurveConfig>() -> bool {
        false
    }

    fn new<C: SWCurveConfig>(_bases: &[Affine<C>]) -> Option<Simd> {
        None
    }

    fn bucket_sums<'a, C: SWCurveConfig>(
        &self,
        _digits: impl Iterator<Item = &'a i16>,
        _lens: &[usize],
        _fill: &[usize],
    ) -> Option<Vec<Affine<C>>> {
        None
    }

    fn points<C: SWCurveConfig>(&self) -> Vec<Affine<C>> {
        Vec::new()
    }
}

/// Points per part at most on the vector path: a larger MSM is cut into parts of at most this
/// many points, each a Pippenger of its own, and the parts' sums are added.
///
/// One Pippenger over all the points does fewer additions, but its passes over the points and
/// the buckets leave the caches: on the AVX-512 IFMA path a G1 MSM of 2^19 dense scalars ran
/// 27% faster as eight parts of 2^16 (single thread, `docs/native.md`). The portable path,
/// whose additions wait on the multiplier rather than on memory, measured no gain (within
/// the noise, 3% either way) and keeps one Pippenger.
const PART: usize = 1 << 16;

/// The length of the parts of `m` points: as few parts as [`PART`] allows, all of that
/// length but the last, which is shorter by less than the number of parts.
fn part_len(m: usize) -> usize {
    m.div_ceil(m.div_ceil(PART).max(1)).max(1)
}

/// [`part_len`] where the vector path takes points of `C`, else one part.
fn part_len_for<C: SWCurveConfig>(m: usize) -> usize {
    if Simd::supports::<C>() {
        part_len(m)
    } else {
        m
    }
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
    msm_in_parts(&bases[..m], &scalars[..m], part_len_for::<C>(m))
}

/// [`msm`] as a sum of Pippengers over parts of `len` points.
fn msm_in_parts<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    bases: &[Affine<C>],
    scalars: &[BigInt<4>],
    len: usize,
) -> Projective<C> {
    bases
        .par_chunks(len)
        .zip(scalars.par_chunks(len))
        .map(|(b, k)| msm_sized(Some(b), Simd::new(b).as_ref(), k))
        .reduce(Projective::<C>::zero, |a, b| a + b)
}

/// [`msm`] that frees `bases` once it has their vector form (the IFMA path), while the
/// additions run.
pub fn msm_vec<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    bases: Vec<Affine<C>>,
    scalars: &[BigInt<4>],
) -> Projective<C> {
    let m = bases.len().min(scalars.len());
    if m < SMALL {
        return msm(&bases, scalars);
    }
    let mut bases = bases;
    bases.truncate(m);
    vec_in_parts(bases, &scalars[..m], part_len_for::<C>(m))
}

/// [`msm_vec`] over parts of `len` points (`scalars` as many as the points).
fn vec_in_parts<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    bases: Vec<Affine<C>>,
    scalars: &[BigInt<4>],
    len: usize,
) -> Projective<C> {
    let Some(simd) = bases
        .par_chunks(len)
        .map(Simd::new)
        .collect::<Option<Vec<Simd>>>()
    else {
        return msm_in_parts(&bases, scalars, len);
    };
    drop(bases);
    simd.par_iter()
        .zip(scalars.par_chunks(len))
        .map(|(v, k)| msm_sized(None, Some(v), k))
        .reduce(Projective::<C>::zero, |a, b| a + b)
}

/// Points per slice of [`signed_sum`] at least: a slice's batch-affine rounds end with a few
/// rounds of few pairs, each paying a whole inversion.
const UNIT_SLICE: usize = 1 << 12;

/// `sum_i s_i P_i` for signs `s_i = -1` where `negative[i]`, else `+1`: the terms of scalars
/// `1` and `-1`.
///
/// It is a one-bucket Pippenger: a window of `c = 1` bit whose digits are the signs, so
/// every point lands in bucket 1 and the sum is that bucket's batch-affine sum (eight
/// additions to a vector on AVX-512 IFMA), about 6 multiplications a point against 11 for
/// a mixed Jacobian addition. The points are cut into slices summed in parallel.
pub fn signed_sum<C: SWCurveConfig<BaseField: FastMul>>(
    bases: &[Affine<C>],
    negative: &[bool],
) -> Projective<C> {
    assert_eq!(bases.len(), negative.len(), "one sign per point");
    if bases.len() < SMALL {
        return bases
            .iter()
            .zip(negative)
            .map(|(p, &neg)| if neg { -*p } else { *p })
            .fold(Projective::<C>::zero(), |acc, p| acc + p);
    }
    let slice = bases
        .len()
        .div_ceil(2 * rayon::current_num_threads())
        .max(UNIT_SLICE);
    bases
        .par_chunks(slice)
        .zip(negative.par_chunks(slice))
        .map(|(pts, neg)| slice_sum(pts, neg, Simd::new(pts).as_ref()))
        .reduce(Projective::<C>::zero, |a, b| a + b)
}

/// One slice of [`signed_sum`]: the window of the signs' digits, on the vector path when
/// `simd` (the slice's vector form) is given.
fn slice_sum<C: SWCurveConfig<BaseField: FastMul>>(
    pts: &[Affine<C>],
    negative: &[bool],
    simd: Option<&Simd>,
) -> Projective<C> {
    let digits: Vec<i16> = negative.iter().map(|&n| if n { -1 } else { 1 }).collect();
    window_sum(Some(pts), simd, &digits, 1, 0, 1)
}

/// [`msm_windowed`] with the window chosen for these scalars (as many as there are points).
fn msm_sized<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    bases: Option<&[Affine<C>]>,
    simd: Option<&Simd>,
    scalars: &[BigInt<4>],
) -> Projective<C> {
    // Windows above the largest scalar's top bit would be empty: small witness values cost less.
    let bits = scalars
        .iter()
        .map(|k| k.num_bits() as usize)
        .max()
        .unwrap_or(0)
        .max(1);
    let c = window_bits(scalars.len(), bits, simd.is_some());
    msm_windowed(bases, simd, scalars, c, window_count(bits, c))
}

/// [`msm`] with `windows` windows of `c` bits.
fn msm_windowed<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    bases: Option<&[Affine<C>]>,
    simd: Option<&Simd>,
    scalars: &[BigInt<4>],
    c: usize,
    windows: usize,
) -> Projective<C> {
    let digits = signed_digits(scalars, c, windows);
    let sums: Vec<Projective<C>> = (0..windows)
        .into_par_iter()
        .map(|w| window_sum(bases, simd, &digits, windows, w, c))
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
    use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
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
        for c in 4..=15 {
            let w = window_count(254, c);
            assert_eq!(
                msm_windowed(Some(&bases), None, &scalars, c, w),
                want,
                "c = {c}"
            );
            // one window fewer drops the top digits: the sum is wrong
            assert_ne!(
                msm_windowed(Some(&bases), None, &scalars, c, w - 1),
                want,
                "c = {c}"
            );
        }
    }

    /// Whether this build on this CPU takes the vector path.
    fn vector_path_expected() -> bool {
        #[cfg(all(target_arch = "x86_64", zks_ifma))]
        {
            std::env::var_os("ZKSOLVENCY_NO_IFMA").is_none()
                && std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512ifma")
        }
        #[cfg(not(all(target_arch = "x86_64", zks_ifma)))]
        {
            false
        }
    }

    /// The AVX-512 IFMA path against the scalar one, on random points, with equal points
    /// (a window falls back) and without. Where the CPU lacks IFMA, `Simd::new` is `None`
    /// and only that is checked.
    fn vector_path_check<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(m: usize) {
        let mut rng = test_rng();
        let g = Projective::<C>::generator();
        let mut bases: Vec<Affine<C>> = (0..m)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        let scalars: Vec<BigInt<4>> = (0..m)
            .map(|i| {
                if i % 5 == 0 {
                    BigInt::from(i as u64)
                } else {
                    Fr::rand(&mut rng).into_bigint()
                }
            })
            .collect();
        let Some(simd) = Simd::new(&bases) else {
            assert!(!vector_path_expected());
            return;
        };
        for c in [8, 12] {
            let w = window_count(254, c);
            let scalar = msm_windowed(Some(&bases), None, &scalars, c, w);
            assert_eq!(
                msm_windowed(Some(&bases), Some(&simd), &scalars, c, w),
                scalar,
                "c = {c}"
            );
            assert_eq!(
                msm_windowed(None, Some(&simd), &scalars, c, w),
                scalar,
                "c = {c}"
            );
            assert_eq!(scalar, Projective::<C>::msm_bigint(&bases, &scalars));
        }
        // equal and opposite points: some windows pair them and fall back
        for i in 0..200 {
            bases[2 * i + 1] = if i % 2 == 0 {
                bases[2 * i]
            } else {
                -bases[2 * i]
            };
        }
        let simd = Simd::new(&bases).expect("still available");
        let w = window_count(254, 4);
        let want = Projective::<C>::msm_bigint(&bases, &scalars);
        assert_eq!(
            msm_windowed(Some(&bases), Some(&simd), &scalars, 4, w),
            want
        );
        // the fallback windows rebuild the points from the vector form
        assert_eq!(msm_windowed(None, Some(&simd), &scalars, 4, w), want);
    }

    #[test]
    fn vector_path_matches_the_scalar_one_g1() {
        vector_path_check::<g1::Config>(3000);
    }

    #[test]
    fn vector_path_matches_the_scalar_one_g2() {
        vector_path_check::<g2::Config>(1000);
    }

    #[test]
    fn matches_arkworks_g2() {
        for m in [70, 500] {
            check::<g2::Config>(m, false);
            check::<g2::Config>(m, true);
        }
    }

    fn random_bases<C: SWCurveConfig<ScalarField = Fr>>(m: usize) -> Vec<Affine<C>> {
        let mut rng = test_rng();
        let g = Projective::<C>::generator();
        let pts: Vec<Projective<C>> = (0..m).map(|_| g * Fr::rand(&mut rng)).collect();
        Projective::<C>::normalize_batch(&pts)
    }

    /// The sum of signed points, on the scalar path and (where the CPU has IFMA) the vector
    /// one, with equal and opposite points among them (doublings, `P + (-P)`: the vector
    /// path falls back); from one slice to several.
    fn signed_sum_check<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(sizes: &[usize]) {
        for &m in sizes {
            let mut pts = random_bases::<C>(m);
            let mut negative: Vec<bool> = (0..m).map(|i| i % 3 == 1).collect();
            if m > 8 {
                pts[1] = pts[0]; // P + P
                negative[1] = negative[0];
                pts[3] = pts[2]; // P - P
                negative[3] = !negative[2];
            }
            let want: Projective<C> = pts
                .iter()
                .zip(&negative)
                .map(|(p, &n)| if n { -p.into_group() } else { p.into_group() })
                .sum();
            assert_eq!(signed_sum(&pts, &negative), want, "m = {m}");
            assert_eq!(slice_sum(&pts, &negative, None), want, "m = {m}");
            if let Some(simd) = Simd::new(&pts) {
                assert_eq!(slice_sum(&pts, &negative, Some(&simd)), want, "m = {m}");
            }
            // twin: one sign flipped moves the sum by twice that point
            let mut flipped = negative.clone();
            flipped[m - 1] = !flipped[m - 1];
            let moved = signed_sum(&pts, &flipped);
            let p = pts[m - 1].into_group();
            assert_eq!(
                moved,
                if negative[m - 1] {
                    want + p + p
                } else {
                    want - p - p
                }
            );
            assert_ne!(moved, want);
        }
    }

    #[test]
    fn signed_sums_match_naive_sums_g1() {
        signed_sum_check::<g1::Config>(&[1, 9, 63, 64, 65, 3000, 2 * UNIT_SLICE + 5]);
    }

    #[test]
    fn signed_sums_match_naive_sums_g2() {
        signed_sum_check::<g2::Config>(&[9, 64, 700]);
    }

    /// Parts of every length add up to the whole MSM, the last part shorter or not.
    #[test]
    fn msm_in_parts_adds_up() {
        let m = 2500;
        let bases = random_bases::<g1::Config>(m);
        let mut rng = test_rng();
        let scalars: Vec<BigInt<4>> = (0..m).map(|_| Fr::rand(&mut rng).into_bigint()).collect();
        let want = Projective::<g1::Config>::msm_bigint(&bases, &scalars);
        for len in [SMALL, 100, 834, 1250, 2499, m] {
            assert_eq!(msm_in_parts(&bases, &scalars, len), want, "parts of {len}");
            assert_eq!(
                vec_in_parts(bases.clone(), &scalars, len),
                want,
                "parts of {len}"
            );
        }
        // twin: a part left out is missed
        assert_ne!(msm_in_parts(&bases[..2400], &scalars[..2400], 100), want);
    }

    #[test]
    fn parts_cover_the_points_within_the_limit() {
        for m in [1, 2, PART - 1, PART, PART + 1, 3 * PART + 7, 8 * PART] {
            let len = part_len(m);
            let parts = m.div_ceil(len);
            assert!(len <= PART && parts == m.div_ceil(PART), "m = {m}");
            assert!(m - (parts - 1) * len < len + parts, "m = {m}: even parts");
        }
        assert_eq!(part_len(8 * PART), PART);
        assert_eq!(part_len(PART + 1), PART / 2 + 1);
    }

    /// The window of the cost model against the fastest window measured for dense G1 MSMs
    /// on one thread (`docs/native.md`): within one bit on each path. The portable weights
    /// on the vector path miss by two bits or more at some sizes.
    #[test]
    fn window_model_follows_the_measured_optima() {
        let ifma = [(2000, 8), (8000, 8), (21000, 9), (65536, 11), (131072, 12)];
        let portable = [(8000, 10), (21000, 11), (65536, 12), (131072, 13)];
        for (m, best) in ifma {
            assert!(
                window_bits(m, 254, true).abs_diff(best) <= 1,
                "IFMA, m = {m}"
            );
        }
        for (m, best) in portable {
            assert!(
                window_bits(m, 254, false).abs_diff(best) <= 1,
                "portable, m = {m}"
            );
        }
        assert!(ifma
            .iter()
            .any(|&(m, best)| window_bits(m, 254, false).abs_diff(best) >= 2));
    }
}
