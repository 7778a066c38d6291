//! The Groth16 prover on snarkjs's `.zkey` sections, all in one call.
//!
//! For the witness `w` (`w_0 = 1`, public signals `w_1 .. w_l`) and blinding
//! scalars `r, s`:
//!
//! ```text
//! A_eval[j] = sum_s A[j][s] w_s,  B_eval[j] = sum_s B[j][s] w_s,  C_eval = A_eval * B_eval
//! h   = quotient(A_eval, B_eval, C_eval)              (A*B - C on the odd coset)
//! pi_A = alpha1 + sum_s w_s A_s  + r delta1
//! pi_B = beta2  + sum_s w_s B2_s + s delta2
//! B1   = beta1  + sum_s w_s B1_s + s delta1
//! pi_C = sum_{s > l} w_s C_s + sum_i h_i H_i + s pi_A + r B1 - r s delta1
//! ```
//!
//! The coefficient section stores `c * R^2 mod r` (`R = 2^256`), i.e. the
//! Montgomery representation of `c R`. Reading the normal-form witness value
//! `w` as a Montgomery representation gives `w / R`; the product of the two
//! is `c w`, exactly, with no conversion of either side (snarkjs's own trick).

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use ark_bn254::{g1, g2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInt, BigInteger, PrimeField, Zero};
use rayon::prelude::*;

use crate::codec::{limbs, scalars, PointCodec, Res, FE};
use crate::fft::quotient;
use crate::msm::sparse_msm;

/// Bytes per coefficient record: matrix, constraint, signal (u32 each), value.
pub const COEFF_LEN: usize = 12 + FE;

/// Where one big section's bytes come from.
///
/// `File` is a byte range of the `.zkey`, read when the prover reaches that
/// section and dropped when it is done with it: a proof from a file holds one
/// section at a time instead of the whole key.
pub enum Section<'a> {
    Bytes(&'a [u8]),
    File {
        path: &'a Path,
        offset: u64,
        len: usize,
    },
}

impl Section<'_> {
    pub fn load(&self, what: &str) -> Res<Cow<'_, [u8]>> {
        match self {
            Section::Bytes(b) => Ok(Cow::Borrowed(b)),
            Section::File { path, offset, len } => {
                let fail = |e: std::io::Error| format!("{what} section of {}: {e}", path.display());
                let mut f = File::open(path).map_err(fail)?;
                f.seek(SeekFrom::Start(*offset)).map_err(fail)?;
                let mut out = vec![0u8; *len];
                f.read_exact(&mut out).map_err(fail)?;
                Ok(Cow::Owned(out))
            }
        }
    }
}

/// The zkey's header points (LEM) and its big sections as they lie in the file.
pub struct ZkeySections<'a> {
    pub n_vars: usize,
    pub n_public: usize,
    pub domain_size: usize,
    /// alpha1 || beta1 || delta1 (G1) and beta2 || delta2 (G2), LEM.
    pub alpha1: &'a [u8],
    pub beta1: &'a [u8],
    pub delta1: &'a [u8],
    pub beta2: &'a [u8],
    pub delta2: &'a [u8],
    pub coeffs: Section<'a>,
    pub a: Section<'a>,
    pub b1: Section<'a>,
    pub b2: Section<'a>,
    pub c: Section<'a>,
    pub h: Section<'a>,
}

fn u32_at(b: &[u8], pos: usize) -> usize {
    u32::from_le_bytes(b[pos..pos + 4].try_into().expect("4 bytes")) as usize
}

/// The witness: normal-form limbs, checked below `r`, `w_0 = 1`, the expected length.
pub fn witness(b: &[u8], n_vars: usize) -> Res<Vec<BigInt<4>>> {
    let w = scalars(b, "witness")?;
    if w.len() != n_vars {
        return Err(format!(
            "witness has {} values, the proving key expects {n_vars}",
            w.len()
        ));
    }
    if w.first() != Some(&BigInt::from(1u64)) {
        return Err("witness[0] must be 1 (the constant signal)".to_string());
    }
    Ok(w)
}

/// `A_eval, B_eval` on the domain of size `n` from the coefficient section (count u32 first).
pub fn qap_evaluations(coeffs: &[u8], n: usize, w: &[BigInt<4>]) -> Res<(Vec<Fr>, Vec<Fr>)> {
    if coeffs.len() < 4 {
        return Err("coefficients section: truncated (no count)".to_string());
    }
    let count = u32_at(coeffs, 0);
    if coeffs.len() != 4 + count * COEFF_LEN {
        return Err(format!(
            "coefficients section: {} bytes for {count} coefficients",
            coeffs.len()
        ));
    }
    let w_mont: Vec<Fr> = w.par_iter().map(|x| Fr::new_unchecked(*x)).collect();
    let records = &coeffs[4..];
    let eval = |matrix: usize| -> Res<Vec<Fr>> {
        let mut out = vec![Fr::zero(); n];
        for (i, rec) in records.chunks_exact(COEFF_LEN).enumerate() {
            let m = u32_at(rec, 0);
            if m > 1 {
                return Err(format!(
                    "coefficient {i}: matrix {m} is neither A (0) nor B (1)"
                ));
            }
            if m != matrix {
                continue;
            }
            let (j, s) = (u32_at(rec, 4), u32_at(rec, 8));
            if j >= n || s >= w.len() {
                return Err(format!(
                    "coefficient {i}: constraint {j} or signal {s} out of range"
                ));
            }
            let raw = limbs(&rec[12..]);
            if raw >= Fr::MODULUS {
                return Err(format!("coefficient {i}: value is not below r"));
            }
            if !w[s].is_zero() {
                out[j] += Fr::new_unchecked(raw) * w_mont[s];
            }
        }
        Ok(out)
    };
    let (a, b) = rayon::join(|| eval(0), || eval(1));
    Ok((a?, b?))
}

fn fr_of(x: &BigInt<4>) -> Fr {
    Fr::from_bigint(*x).expect("checked below r")
}

/// The proof `(pi_A, pi_B, pi_C)` for blinding scalars `r, s` (normal-form limbs below `r`).
pub fn prove(
    z: &ZkeySections,
    w_bytes: &[u8],
    r: &BigInt<4>,
    s: &BigInt<4>,
) -> Res<(G1Affine, G2Affine, G1Affine)> {
    let n = z.domain_size;
    let w = witness(w_bytes, z.n_vars)?;
    let (r, s) = (fr_of(r), fr_of(s));
    let g1 = |b: &[u8], what: &str| G1Affine::from_lem(b, true, what);
    let g2 = |b: &[u8], what: &str| G2Affine::from_lem(b, true, what);
    let (alpha1, beta1, delta1) = (
        g1(z.alpha1, "alpha1")?,
        g1(z.beta1, "beta1")?,
        g1(z.delta1, "delta1")?,
    );
    let (beta2, delta2) = (g2(z.beta2, "beta2")?, g2(z.delta2, "delta2")?);
    if z.n_vars < z.n_public + 1 {
        return Err("nVars is smaller than nPublic + 1".to_string());
    }

    let (a_eval, b_eval) = qap_evaluations(&z.coeffs.load("coefficients")?, n, &w)?;
    let c_eval: Vec<Fr> = a_eval
        .par_iter()
        .zip(b_eval.par_iter())
        .map(|(a, b)| *a * b)
        .collect();
    let h = quotient(a_eval, b_eval, c_eval)?;
    let h: Vec<BigInt<4>> = h.par_iter().map(|x| x.into_bigint()).collect();

    // H first, so that h is freed before the other MSMs
    let msm_h = sparse_msm::<g1::Config>(z.h.load("H")?, &h, "H")?;
    drop(h);
    let msm_a = sparse_msm::<g1::Config>(z.a.load("A")?, &w, "A")?;
    let msm_b1 = sparse_msm::<g1::Config>(z.b1.load("B1")?, &w, "B1")?;
    let msm_b2 = sparse_msm::<g2::Config>(z.b2.load("B2")?, &w, "B2")?;
    let msm_c = sparse_msm::<g1::Config>(z.c.load("C")?, &w[z.n_public + 1..], "C")?;

    let pi_a: G1Projective = alpha1.into_group() + msm_a + delta1 * r;
    let b1: G1Projective = beta1.into_group() + msm_b1 + delta1 * s;
    let pi_b: G2Projective = beta2.into_group() + msm_b2 + delta2 * s;
    let pi_c: G1Projective = msm_c + msm_h + pi_a * s + b1 * r - delta1 * (r * s);
    Ok((pi_a.into_affine(), pi_b.into_affine(), pi_c.into_affine()))
}
