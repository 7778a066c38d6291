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
//! (`K_s` is IC for public signals and C for the others). Coefficients are
//! mostly small (`1`, `-1`, small powers of two): `v` or `r - v` below `2^64`
//! costs a short double-and-add, anything else a full scalar multiplication.
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

use crate::codec::{encode_points, points, scalars, PointCodec, Res};
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

/// `v P` for a coefficient `v` in normal form, cheap when `v` or `-v` is small.
pub fn mul_coeff<C: SWCurveConfig<ScalarField = Fr>>(
    p: &Affine<C>,
    v: &BigInt<4>,
) -> Projective<C> {
    if v.0[1..].iter().all(|&l| l == 0) {
        return mul_u64(p, v.0[0]);
    }
    let mut neg = Fr::MODULUS;
    neg.sub_with_borrow(v);
    if neg.0[1..].iter().all(|&l| l == 0) {
        return -mul_u64(p, neg.0[0]);
    }
    p.mul_bigint(v.0)
}

/// `out[s] = sum over the terms of signal s of v * bases[j]`.
fn combine<C: SWCurveConfig<ScalarField = Fr>>(
    terms: &[(&Terms, &[Affine<C>])],
    n_vars: usize,
    n: usize,
) -> Res<Vec<Affine<C>>> {
    let groups: Vec<(Vec<usize>, Vec<usize>)> = terms
        .iter()
        .map(|(t, _)| t.by_signal(n_vars, n, "r1cs terms"))
        .collect::<Res<_>>()?;
    let sums: Vec<Projective<C>> = (0..n_vars)
        .into_par_iter()
        .map(|s| {
            let mut acc = Projective::<C>::zero();
            for ((t, bases), (starts, order)) in terms.iter().zip(&groups) {
                for &i in &order[starts[s]..starts[s + 1]] {
                    acc += mul_coeff(&bases[t.constraint[i]], &t.value[i]);
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
    C: SWCurveConfig<ScalarField = Fr>,
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
