//! Multi-scalar multiplication `sum_i k_i P_i` that exploits sparse witnesses.
//!
//! Circuit witnesses are full of `0` and `1` (bits, flags, selectors). The
//! scalars are split three ways: `k = 0` terms are dropped before their points
//! are even decoded; `k = 1` terms are summed with plain mixed additions (one
//! addition each, instead of a share of every Pippenger window); the rest go
//! to our signed-digit Pippenger with batch-affine bucket sums (`pippenger.rs`),
//! about `(b / c) (m + 2^c)` additions for `m` points of at most `b` bits.
//! Points at infinity are dropped too. The parts run side by side on rayon.

use std::borrow::Cow;

use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::{BigInt, BigInteger, Zero};
use rayon::prelude::*;

use crate::codec::{PointCodec, Res};
use crate::fastmul::FastMul;

/// `sum` of affine points with mixed additions, in parallel chunks.
pub fn sum_points<C: SWCurveConfig>(pts: &[Affine<C>]) -> Projective<C> {
    pts.par_chunks(1 << 12)
        .map(|chunk| {
            let mut acc = Projective::<C>::zero();
            for p in chunk {
                acc += p;
            }
            acc
        })
        .reduce(Projective::<C>::zero, |a, b| a + b)
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
    let one = BigInt::<4>::from(1u64);
    let mut ones = Vec::new();
    let mut others = Vec::new();
    for (i, k) in scalars.iter().enumerate() {
        if k.is_zero() {
            continue;
        }
        if *k == one {
            ones.push(i);
        } else {
            others.push(i);
        }
    }
    let decode = |i: &usize| {
        Affine::<C>::from_lem(
            &bases[i * len..(i + 1) * len],
            true,
            &format!("{what}[{i}]"),
        )
    };
    let finite = |p: &Res<Affine<C>>| !matches!(p, Ok(q) if q.infinity);
    let one_points: Vec<Affine<C>> = ones
        .par_iter()
        .map(decode)
        .filter(finite)
        .collect::<Res<_>>()?;
    let other_points: Vec<Affine<C>> = others.par_iter().map(decode).collect::<Res<_>>()?;
    drop(bases);
    let (pts, ks): (Vec<Affine<C>>, Vec<BigInt<4>>) = other_points
        .into_iter()
        .zip(others.iter().map(|&i| scalars[i]))
        .filter(|(p, _)| !p.infinity)
        .unzip();
    let (sum_ones, sum_others) = rayon::join(
        || sum_points(&one_points),
        || crate::pippenger::msm_vec(pts, &ks),
    );
    Ok(sum_ones + sum_others)
}
