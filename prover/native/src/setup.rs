//! Phase-2 setup and the UNSAFE dev phase-1 points, natively.
//!
//! `zkey_points`: with `L_j` the Lagrange points of the domain at tau (ptau
//! sections 12-15) and the R1CS terms `(matrix, constraint j, signal s, v)`,
//!
//! ```text
//! A_s  = sum_{A[j][s]} v L_j G1          B1_s = sum_{B[j][s]} v L_j G1     B2_s = sum_{B[j][s]} v L_j G2
//! K_s  = sum_{A[j][s]} v beta L_j G1 + sum_{B[j][s]} v alpha L_j G1 + sum_{C[j][s]} v L_j G1
//! ```
//!
//! (`K_s` is IC for public signals and C for the others). A coefficient `v`
//! with `v` or `r - v` below `2^64` (`1`, `-1`, powers of two) costs a short
//! double-and-add. Full-size coefficients (Poseidon's linear layers fill whole
//! constraints with them) are computed base by base: a base `L_j` with several
//! of them gets its doubling ladder `2^i L_j` once, and each `v L_j` is a sum of
//! ladder points over the NAF of `v`, added up in batch-affine rounds.
//!
//! `dev_ptau`: every point of a phase-1 file is a known scalar times a
//! generator when one party knows `tau, alpha, beta`; fixed-base tables make
//! each multiplication a few dozen mixed additions.

use ark_bn254::{g1, g2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Field, PrimeField, Zero};
use rayon::prelude::*;

use crate::batch_affine::group_sums;
use crate::codec::{encode_points, points, scalars, PointCodec, Res};
use crate::fastmul::FastMul;
use crate::fft::ifft;

/// R1CS terms of one matrix: parallel arrays.
pub struct Terms {
    pub constraint: Vec<usize>,
    pub signal: Vec<usize>,
    pub value: Vec<BigInt<4>>,
}

impl Terms {
    /// From `(constraint u32, signal u32)` pairs and 32-byte normal-form values.
    pub fn parse(index: &[u8], values: &[u8], what: &str) -> Res<Self> {
        let value = scalars(values, what)?;
        if index.len() != 8 * value.len() {
            return Err(format!(
                "{what}: {} index bytes for {} values",
                index.len(),
                value.len()
            ));
        }
        let u = |c: &[u8]| u32::from_le_bytes(c.try_into().expect("4 bytes")) as usize;
        let constraint = index.chunks_exact(8).map(|c| u(&c[..4])).collect();
        let signal = index.chunks_exact(8).map(|c| u(&c[4..])).collect();
        Ok(Terms {
            constraint,
            signal,
            value,
        })
    }

    /// Term indices grouped by signal (CSR): `starts[s] .. starts[s + 1]` in `order`.
    fn by_signal(&self, n_vars: usize, n: usize, what: &str) -> Res<(Vec<usize>, Vec<usize>)> {
        let mut starts = vec![0usize; n_vars + 1];
        for (i, (&s, &j)) in self.signal.iter().zip(&self.constraint).enumerate() {
            if s >= n_vars || j >= n {
                return Err(format!(
                    "{what}: term {i}: signal {s} or constraint {j} out of range"
                ));
            }
            starts[s + 1] += 1;
        }
        for s in 0..n_vars {
            starts[s + 1] += starts[s];
        }
        let mut fill = starts.clone();
        let mut order = vec![0usize; self.signal.len()];
        for (i, &s) in self.signal.iter().enumerate() {
            order[fill[s]] = i;
            fill[s] += 1;
        }
        Ok((starts, order))
    }
}

/// `k P` with `k < 2^64`, by double-and-add.
fn mul_u64<C: SWCurveConfig>(p: &Affine<C>, k: u64) -> Projective<C> {
    let mut acc = Projective::<C>::zero();
    for bit in (0..64 - k.leading_zeros()).rev() {
        acc.double_in_place();
        if (k >> bit) & 1 == 1 {
            acc += p;
        }
    }
    acc
}

/// `Some((k, negate))` when `v = k` or `v = r - k` with `k < 2^64`; `None` for a full-size `v`.
fn small(v: &BigInt<4>) -> Option<(u64, bool)> {
    if v.0[1..].iter().all(|&l| l == 0) {
        return Some((v.0[0], false));
    }
    let mut neg = Fr::MODULUS;
    neg.sub_with_borrow(v);
    if neg.0[1..].iter().all(|&l| l == 0) {
        return Some((neg.0[0], true));
    }
    None
}

/// `v P` for a coefficient `v` in normal form, cheap when `v` or `-v` is small.
pub fn mul_coeff<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    p: &Affine<C>,
    v: &BigInt<4>,
) -> Projective<C> {
    match small(v) {
        Some((k, false)) => mul_u64(p, k),
        Some((k, true)) => -mul_u64(p, k),
        None => p.mul_bigint(v.0),
    }
}

/// The non-adjacent form of `k < 2^255` as two bit masks over digit positions
/// `0..256`: `(nonzero, positive)`. With `h = 3k`, digit `i` is
/// `bit(h, i + 1) - bit(k, i + 1)` (Hankerson, Menezes, Vanstone, 3.31).
fn naf(k: &BigInt<4>) -> ([u64; 4], [u64; 4]) {
    let k = k.0;
    // h = 3k = k + 2k, 256 bits suffice for k < 2^254 (below r).
    let mut h = [0u64; 4];
    let mut carry = 0u128;
    for i in 0..4 {
        let twice = (k[i] << 1) | if i > 0 { k[i - 1] >> 63 } else { 0 };
        let t = k[i] as u128 + twice as u128 + carry;
        h[i] = t as u64;
        carry = t >> 64;
    }
    let shr1 = |x: [u64; 4]| -> [u64; 4] {
        let mut y = [0u64; 4];
        for i in 0..4 {
            y[i] = (x[i] >> 1) | if i < 3 { x[i + 1] << 63 } else { 0 };
        }
        y
    };
    let (h1, k1) = (shr1(h), shr1(k));
    let mut nonzero = [0u64; 4];
    let mut positive = [0u64; 4];
    for i in 0..4 {
        nonzero[i] = h1[i] ^ k1[i];
        positive[i] = h1[i] & !k1[i];
    }
    (nonzero, positive)
}

fn weight(mask: &[u64; 4]) -> u32 {
    mask.iter().map(|l| l.count_ones()).sum()
}

/// Highest set bit position plus one (0 for an all-zero mask).
fn length(mask: &[u64; 4]) -> usize {
    (0..4)
        .rev()
        .find(|&i| mask[i] != 0)
        .map_or(0, |i| 64 * i + 64 - mask[i].leading_zeros() as usize)
}

/// Projective to affine, serially, with one inversion (Montgomery's trick).
fn normalize_serial<C: SWCurveConfig>(v: &[Projective<C>]) -> Vec<Affine<C>> {
    let mut prefix = Vec::with_capacity(v.len());
    let mut acc = C::BaseField::ONE;
    for p in v {
        prefix.push(acc);
        if !p.z.is_zero() {
            acc *= p.z;
        }
    }
    let mut inv = acc.inverse().expect("a product of nonzero z");
    let mut out = vec![Affine::<C>::identity(); v.len()];
    for (i, p) in v.iter().enumerate().rev() {
        if p.z.is_zero() {
            continue;
        }
        let z_inv = inv * prefix[i];
        inv *= p.z;
        let z2 = z_inv.square();
        out[i] = Affine::new_unchecked(p.x * z2, p.y * z2 * z_inv);
    }
    out
}

/// Below this many full-size coefficients on one base, a GLV (or plain) scalar
/// multiplication per term is cheaper than building the base's doubling ladder.
const LADDER_MIN_TERMS: usize = 3;

/// `v_t * bases[j_t]` for every term `t` of `terms` with a full-size coefficient,
/// computed base by base (in parallel over bases). `slot[t]` is the index of
/// term `t`'s product in `value`, `u32::MAX` for a small coefficient.
struct Products<C: SWCurveConfig> {
    slot: Vec<u32>,
    value: Vec<Affine<C>>,
}

/// `v_t * base` for the terms `ts` (full-size coefficients) of one base, into `out`.
///
/// The doubling ladder `2^i base` is normalised with one inversion; each
/// product is the sum of `+-ladder[i]` over the NAF of `v` (or of `r - v`,
/// negated, whichever is sparser: about 80 points). All the terms' sums are
/// added up together in batch-affine rounds (pairs within each term, one
/// inversion per round).
fn base_products<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    base: &Affine<C>,
    values: impl Iterator<Item = BigInt<4>> + Clone,
    out: &mut [Affine<C>],
) {
    if out.len() < LADDER_MIN_TERMS {
        for (v, o) in values.zip(out.iter_mut()) {
            *o = base.mul_bigint(v.0).into_affine();
        }
        return;
    }
    // Each term as +-k with the sparser NAF of v and r - v.
    let nafs: Vec<([u64; 4], [u64; 4], bool)> = values
        .map(|v| {
            let mut neg = Fr::MODULUS;
            neg.sub_with_borrow(&v);
            let (a, b) = (naf(&v), naf(&neg));
            if weight(&b.0) < weight(&a.0) {
                (b.0, b.1, true)
            } else {
                (a.0, a.1, false)
            }
        })
        .collect();
    let len = nafs.iter().map(|(nz, _, _)| length(nz)).max().unwrap_or(0);
    let mut ladder = Vec::with_capacity(len);
    let mut p = base.into_group();
    for _ in 0..len {
        ladder.push(p);
        p.double_in_place();
    }
    let ladder = normalize_serial(&ladder);
    // term t is its signed ladder points, one term after the other
    let total: usize = nafs.iter().map(|(nz, _, _)| weight(nz) as usize).sum();
    let mut pts: Vec<Affine<C>> = Vec::with_capacity(total);
    let mut lens = Vec::with_capacity(nafs.len());
    for (nonzero, positive, negate) in &nafs {
        let start = pts.len();
        for limb in 0..4 {
            let mut bits = nonzero[limb];
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let point = &ladder[64 * limb + b];
                let plus = ((positive[limb] >> b) & 1 == 1) != *negate;
                pts.push(if plus { *point } else { -*point });
            }
        }
        lens.push(pts.len() - start);
    }
    out.copy_from_slice(&group_sums(pts, lens));
}

/// One base's work: its index, its terms' indices, their output slots.
type Job<'a, C> = (usize, &'a [usize], &'a mut [Affine<C>]);

fn products<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    terms: &Terms,
    bases: &[Affine<C>],
) -> Res<Products<C>> {
    let n = bases.len();
    let big: Vec<bool> = terms.value.par_iter().map(|v| small(v).is_none()).collect();
    // CSR of the big terms by constraint: slots are contiguous per base.
    let mut starts = vec![0usize; n + 1];
    for (&j, _) in terms.constraint.iter().zip(&big).filter(|(_, &b)| b) {
        starts[j + 1] += 1;
    }
    for j in 0..n {
        starts[j + 1] += starts[j];
    }
    let n_big = starts[n];
    if n_big >= u32::MAX as usize {
        return Err(format!("{n_big} full-size coefficients: too many"));
    }
    let mut fill = starts.clone();
    let mut slot = vec![u32::MAX; terms.value.len()];
    let mut order = vec![0usize; n_big];
    for (t, (&j, &b)) in terms.constraint.iter().zip(&big).enumerate() {
        if b {
            slot[t] = fill[j] as u32;
            order[fill[j]] = t;
            fill[j] += 1;
        }
    }
    let mut value = vec![Affine::<C>::identity(); n_big];
    let mut jobs: Vec<Job<C>> = Vec::new();
    let mut rest: &mut [Affine<C>] = &mut value;
    for j in 0..n {
        let len = starts[j + 1] - starts[j];
        if len > 0 {
            let (head, tail) = rest.split_at_mut(len);
            jobs.push((j, &order[starts[j]..starts[j + 1]], head));
            rest = tail;
        }
    }
    jobs.into_par_iter()
        .for_each(|(j, ts, out)| base_products(&bases[j], ts.iter().map(|&t| terms.value[t]), out));
    Ok(Products { slot, value })
}

/// `out[s] = sum over the terms of signal s of v * bases[j]`.
///
/// The products with full-size coefficients are computed first, grouped by
/// base, in parallel over the bases (`base_products`). Then each signal, in
/// parallel, sums its products and its small-coefficient terms (a short
/// double-and-add each). Affine results do not depend on the order of the sums.
fn combine<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>(
    terms: &[(&Terms, &[Affine<C>])],
    n_vars: usize,
    n: usize,
) -> Res<Vec<Affine<C>>> {
    let groups: Vec<(Vec<usize>, Vec<usize>)> = terms
        .iter()
        .map(|(t, _)| t.by_signal(n_vars, n, "r1cs terms"))
        .collect::<Res<_>>()?;
    let prods: Vec<Products<C>> = terms
        .iter()
        .map(|(t, bases)| products(t, bases))
        .collect::<Res<_>>()?;
    let sums: Vec<Projective<C>> = (0..n_vars)
        .into_par_iter()
        .map(|s| {
            let mut acc = Projective::<C>::zero();
            for (((t, bases), (starts, order)), prod) in terms.iter().zip(&groups).zip(&prods) {
                for &i in &order[starts[s]..starts[s + 1]] {
                    match prod.slot[i] {
                        u32::MAX => acc += mul_coeff(&bases[t.constraint[i]], &t.value[i]),
                        k => acc += &prod.value[k as usize],
                    }
                }
            }
            acc
        })
        .collect();
    Ok(Projective::normalize_batch(&sums))
}

/// The zkey points before any contribution: `(A, B1, B2, IC, C)` as LEM sections.
#[allow(clippy::too_many_arguments)]
pub fn zkey_points(
    n: usize,
    n_vars: usize,
    n_public: usize,
    a: &Terms,
    b: &Terms,
    c: &Terms,
    lag_g1: &[u8],
    lag_g2: &[u8],
    lag_alpha: &[u8],
    lag_beta: &[u8],
) -> Res<[Vec<u8>; 5]> {
    if n_vars < n_public + 1 {
        return Err("nVars is smaller than nPublic + 1".to_string());
    }
    let l1: Vec<G1Affine> = points(lag_g1, true, "lagrange tauG1")?;
    let l2: Vec<G2Affine> = points(lag_g2, true, "lagrange tauG2")?;
    let la: Vec<G1Affine> = points(lag_alpha, true, "lagrange alphaTauG1")?;
    let lb: Vec<G1Affine> = points(lag_beta, true, "lagrange betaTauG1")?;
    for (len, name) in [
        (l1.len(), "tauG1"),
        (l2.len(), "tauG2"),
        (la.len(), "alphaTauG1"),
        (lb.len(), "betaTauG1"),
    ] {
        if len != n {
            return Err(format!("lagrange {name}: {len} points for a domain of {n}"));
        }
    }
    let pa = combine::<g1::Config>(&[(a, &l1)], n_vars, n)?;
    let pb1 = combine::<g1::Config>(&[(b, &l1)], n_vars, n)?;
    let pb2 = combine::<g2::Config>(&[(b, &l2)], n_vars, n)?;
    let k = combine::<g1::Config>(&[(a, &lb), (b, &la), (c, &l1)], n_vars, n)?;
    Ok([
        encode_points(&pa),
        encode_points(&pb1),
        encode_points(&pb2),
        encode_points(&k[..n_public + 1]),
        encode_points(&k[n_public + 1..]),
    ])
}

/// U encoding of `high_i - low_i` (the H section in monomial form, `tau^(i+n) - tau^i`).
pub fn difference_u(low: &[u8], high: &[u8]) -> Res<Vec<u8>> {
    let lo: Vec<G1Affine> = points(low, true, "tauG1")?;
    let hi: Vec<G1Affine> = points(high, true, "tauG1")?;
    if lo.len() != hi.len() {
        return Err("difference: lengths differ".to_string());
    }
    let d: Vec<G1Projective> = lo
        .par_iter()
        .zip(hi.par_iter())
        .map(|(l, h)| h.into_group() - l)
        .collect();
    Ok(u_points(&G1Projective::normalize_batch(&d)))
}

pub fn u_points<P: PointCodec>(pts: &[P]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pts.len() * P::LEN);
    for p in pts {
        p.to_u(&mut out);
    }
    out
}

/// `k P_i` for every point of a LEM section (a contribution dividing C and H by delta).
pub fn scale<C>(section: &[u8], k: &Fr, what: &str) -> Res<Vec<u8>>
where
    C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>,
    Affine<C>: PointCodec,
{
    let pts: Vec<Affine<C>> = points(section, true, what)?;
    let k = k.into_bigint();
    let scaled: Vec<Projective<C>> = pts.par_iter().map(|p| p.mul_bigint(k)).collect();
    Ok(encode_points(&Projective::normalize_batch(&scaled)))
}

fn batch_g1(scalars: &[Fr]) -> Vec<G1Affine> {
    BatchMulPreprocessing::new(G1Projective::generator(), scalars.len()).batch_mul(scalars)
}

fn batch_g2(scalars: &[Fr]) -> Vec<G2Affine> {
    BatchMulPreprocessing::new(G2Projective::generator(), scalars.len()).batch_mul(scalars)
}

/// The point sections of an UNSAFE dev ptau of `power`, LEM, in file order:
/// tauG1, tauG2, alphaTauG1, betaTauG1, betaG2, then Lagrange sections 12, 13, 14, 15.
pub fn dev_ptau(power: u32, tau: Fr, alpha: Fr, beta: Fr) -> Res<Vec<Vec<u8>>> {
    if !(1..=27).contains(&power) {
        return Err(format!("dev ptau power {power} is out of range"));
    }
    let n = 1usize << power;
    let mut pows = vec![Fr::ONE; 2 * n];
    for i in 1..2 * n {
        pows[i] = pows[i - 1] * tau;
    }
    let times = |k: Fr, v: &[Fr]| -> Vec<Fr> { v.par_iter().map(|x| k * x).collect() };
    let mut lag: Vec<Fr> = Vec::with_capacity(2 * n);
    for k in 0..=power {
        lag.extend(ifft(pows[..1 << k].to_vec())?);
    }
    let mut top = pows[..2 * n - 1].to_vec();
    top.push(Fr::zero());
    let mut lag12 = lag.clone();
    lag12.extend(ifft(top)?);

    let tau_g1 = batch_g1(&pows[..2 * n - 1]);
    let tau_g2 = batch_g2(&pows[..n]);
    let alpha_tau = batch_g1(&times(alpha, &pows[..n]));
    let beta_tau = batch_g1(&times(beta, &pows[..n]));
    let beta_g2 = batch_g2(&[beta]);
    let l12 = batch_g1(&lag12);
    let l13 = batch_g2(&lag);
    let l14 = batch_g1(&times(alpha, &lag));
    let l15 = batch_g1(&times(beta, &lag));
    Ok(vec![
        encode_points(&tau_g1),
        encode_points(&tau_g2),
        encode_points(&alpha_tau),
        encode_points(&beta_tau),
        encode_points(&beta_g2),
        encode_points(&l12),
        encode_points(&l13),
        encode_points(&l14),
        encode_points(&l15),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use ark_std::test_rng;

    fn big(x: Fr) -> BigInt<4> {
        x.into_bigint()
    }

    /// Full-size and edge coefficients: `2^64`, `r - 2^64`, `r - 2^64 - 1`, `(r - 1) / 2`, `2^253`, random.
    fn values(m: usize) -> Vec<BigInt<4>> {
        let mut rng = test_rng();
        let two64 = Fr::from(u64::MAX) + Fr::ONE;
        let mut v = vec![
            big(two64),
            big(-two64),
            big(-two64 - Fr::ONE),
            big(-Fr::ONE / Fr::from(2u64)),
            big(Fr::from(2u64).pow([253u64])),
        ];
        while v.len() < m {
            v.push(big(Fr::rand(&mut rng)));
        }
        v.truncate(m);
        v
    }

    fn check_base<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>() {
        let mut rng = test_rng();
        let base = (Projective::<C>::generator() * Fr::rand(&mut rng)).into_affine();
        for m in [1, 2, LADDER_MIN_TERMS, 7, 40] {
            let vs = values(m);
            let mut out = vec![Affine::<C>::identity(); m];
            base_products(&base, vs.iter().copied(), &mut out);
            for (v, o) in vs.iter().zip(&out) {
                assert_eq!(*o, base.mul_bigint(v.0).into_affine(), "m = {m}, v = {v}");
            }
        }
        let mut out = vec![Affine::<C>::identity(); 4];
        base_products(&Affine::<C>::identity(), values(4).into_iter(), &mut out);
        assert!(out.iter().all(|p| p.is_zero()));
    }

    #[test]
    fn base_products_match_scalar_multiplication() {
        check_base::<g1::Config>();
        check_base::<g2::Config>();
    }

    #[test]
    fn naf_digits_sum_to_the_scalar() {
        let mut rng = test_rng();
        for _ in 0..200 {
            let k = big(Fr::rand(&mut rng));
            let (nonzero, positive) = naf(&k);
            let mut sum = Fr::ZERO;
            for i in (0..256).rev() {
                sum.double_in_place();
                if (nonzero[i / 64] >> (i % 64)) & 1 == 1 {
                    let digit_is_plus = (positive[i / 64] >> (i % 64)) & 1 == 1;
                    sum += if digit_is_plus { Fr::ONE } else { -Fr::ONE };
                }
            }
            assert_eq!(sum.into_bigint(), k);
            for i in 0..255 {
                let adjacent =
                    (nonzero[i / 64] >> (i % 64)) & (nonzero[(i + 1) / 64] >> ((i + 1) % 64)) & 1;
                assert_eq!(adjacent, 0, "NAF digits {i} and {} both nonzero", i + 1);
            }
        }
    }

    fn check_combine<C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>>() {
        let mut rng = test_rng();
        let (n, n_vars) = (6usize, 9usize);
        let g = Projective::<C>::generator();
        let bases: Vec<Affine<C>> = (0..n)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        let mut t = Terms {
            constraint: vec![],
            signal: vec![],
            value: vec![],
        };
        let vs = values(60);
        for (i, v) in vs.iter().enumerate() {
            // base 0 gets many full-size terms, base 5 one; small ones in between
            let j = if i < 30 { 0 } else { 1 + i % (n - 1) };
            let v = if i % 4 == 3 {
                big(Fr::from(i as u64))
            } else {
                *v
            };
            let v = if i % 8 == 7 {
                big(-Fr::from(i as u64))
            } else {
                v
            };
            t.constraint.push(j);
            t.signal.push((i * 7) % n_vars);
            t.value.push(v);
        }
        let got = combine::<C>(&[(&t, &bases)], n_vars, n).unwrap();
        let mut want = vec![Projective::<C>::zero(); n_vars];
        for ((&j, &s), v) in t.constraint.iter().zip(&t.signal).zip(&t.value) {
            want[s] += bases[j].mul_bigint(v.0);
        }
        assert_eq!(got, Projective::normalize_batch(&want));
    }

    #[test]
    fn combine_matches_the_naive_sums() {
        check_combine::<g1::Config>();
        check_combine::<g2::Config>();
    }
}
