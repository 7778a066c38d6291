//! Byte layout at the Python boundary, in one place.
//!
//! * Points are LEM, as in snarkjs's `.zkey` and `.ptau` files: each base-field
//!   coordinate is 32 little-endian bytes holding `x * 2^256 mod q` (Montgomery
//!   form with `R = 2^256`); G1 is `x || y` (64 bytes), G2 is
//!   `x.c0 || x.c1 || y.c0 || y.c1` (128 bytes); all zero bytes encode the point
//!   at infinity (`(0, 0)` is on neither curve, so the code is unambiguous).
//!   arkworks keeps BN254's `Fq` in Montgomery form with the same `R = 2^256`
//!   (four 64-bit limbs), so a coordinate is read by copying its limbs: no
//!   multiplication happens at the boundary.
//! * Scalars (witness values, MSM scalars, FFT inputs) are 32 little-endian
//!   bytes in normal form, as in `.wtns` files, each below `r`.
//! * The U encoding (transcript hashing only) is big-endian normal form, G2 as
//!   `x.c1 || x.c0 || y.c1 || y.c0`; infinity is zero bytes.

use ark_bn254::{g1, g2, Fq, Fq2, Fr};
use ark_ec::short_weierstrass::Affine;

type G1Affine = Affine<g1::Config>;
type G2Affine = Affine<g2::Config>;
use ark_ff::{BigInt, BigInteger, PrimeField};

/// Bytes per field element.
pub const FE: usize = 32;
pub const G1_LEN: usize = 2 * FE;
pub const G2_LEN: usize = 4 * FE;

pub type Res<T> = Result<T, String>;

/// Four little-endian 64-bit limbs from 32 bytes.
pub fn limbs(b: &[u8]) -> BigInt<4> {
    let mut l = [0u64; 4];
    for (i, limb) in l.iter_mut().enumerate() {
        *limb = u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    }
    BigInt::new(l)
}

pub fn put_limbs(x: &BigInt<4>, out: &mut Vec<u8>) {
    for l in x.0 {
        out.extend_from_slice(&l.to_le_bytes());
    }
}

fn fq_mont(b: &[u8], what: &str) -> Res<Fq> {
    let x = limbs(b);
    if x >= Fq::MODULUS {
        return Err(format!("{what}: coordinate is not below q"));
    }
    Ok(Fq::new_unchecked(x))
}

/// A point type with its LEM and U encodings.
pub trait PointCodec: Sized + Copy + Send + Sync {
    const LEN: usize;
    fn from_lem(b: &[u8], check: bool, what: &str) -> Res<Self>;
    fn to_lem(&self, out: &mut Vec<u8>);
    fn to_u(&self, out: &mut Vec<u8>);
}

fn put_be(x: &Fq, out: &mut Vec<u8>) {
    out.extend_from_slice(&x.into_bigint().to_bytes_be());
}

impl PointCodec for G1Affine {
    const LEN: usize = G1_LEN;

    fn from_lem(b: &[u8], check: bool, what: &str) -> Res<Self> {
        if b.iter().all(|&v| v == 0) {
            return Ok(G1Affine::identity());
        }
        let p = G1Affine::new_unchecked(fq_mont(&b[..FE], what)?, fq_mont(&b[FE..2 * FE], what)?);
        if check && !p.is_on_curve() {
            return Err(format!("{what}: point is not on the G1 curve"));
        }
        Ok(p)
    }

    fn to_lem(&self, out: &mut Vec<u8>) {
        if self.infinity {
            out.extend_from_slice(&[0u8; G1_LEN]);
        } else {
            put_limbs(&self.x.0, out);
            put_limbs(&self.y.0, out);
        }
    }

    fn to_u(&self, out: &mut Vec<u8>) {
        if self.infinity {
            out.extend_from_slice(&[0u8; G1_LEN]);
        } else {
            put_be(&self.x, out);
            put_be(&self.y, out);
        }
    }
}

impl PointCodec for G2Affine {
    const LEN: usize = G2_LEN;

    fn from_lem(b: &[u8], check: bool, what: &str) -> Res<Self> {
        if b.iter().all(|&v| v == 0) {
            return Ok(G2Affine::identity());
        }
        let c: Vec<Fq> = (0..4)
            .map(|i| fq_mont(&b[i * FE..(i + 1) * FE], what))
            .collect::<Res<_>>()?;
        let p = G2Affine::new_unchecked(Fq2::new(c[0], c[1]), Fq2::new(c[2], c[3]));
        if check && !p.is_on_curve() {
            return Err(format!("{what}: point is not on the G2 twist curve"));
        }
        Ok(p)
    }

    fn to_lem(&self, out: &mut Vec<u8>) {
        if self.infinity {
            out.extend_from_slice(&[0u8; G2_LEN]);
        } else {
            for c in [self.x.c0, self.x.c1, self.y.c0, self.y.c1] {
                put_limbs(&c.0, out);
            }
        }
    }

    fn to_u(&self, out: &mut Vec<u8>) {
        if self.infinity {
            out.extend_from_slice(&[0u8; G2_LEN]);
        } else {
            for c in [self.x.c1, self.x.c0, self.y.c1, self.y.c0] {
                put_be(&c, out);
            }
        }
    }
}

/// All points of a LEM section.
pub fn points<P: PointCodec>(b: &[u8], check: bool, what: &str) -> Res<Vec<P>> {
    use rayon::prelude::*;
    if !b.len().is_multiple_of(P::LEN) {
        return Err(format!(
            "{what}: {} bytes is not a whole number of {}-byte points",
            b.len(),
            P::LEN
        ));
    }
    (0..b.len() / P::LEN)
        .into_par_iter()
        .map(|i| point_at(b, i, check, what))
        .collect()
}

/// Point `i` of a LEM section, called `what[i]` in an error.
///
/// The name is formatted only when the point is refused: formatting it for every point
/// cost more than decoding and checking the point.
pub fn point_at<P: PointCodec>(section: &[u8], i: usize, check: bool, what: &str) -> Res<P> {
    let b = &section[i * P::LEN..(i + 1) * P::LEN];
    P::from_lem(b, check, what).map_err(|_| {
        P::from_lem(b, check, &format!("{what}[{i}]"))
            .err()
            .unwrap_or_default()
    })
}

pub fn encode_points<P: PointCodec>(pts: &[P]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pts.len() * P::LEN);
    for p in pts {
        p.to_lem(&mut out);
    }
    out
}

/// Normal-form scalars, each checked to be below `r`.
pub fn scalars(b: &[u8], what: &str) -> Res<Vec<BigInt<4>>> {
    if !b.len().is_multiple_of(FE) {
        return Err(format!(
            "{what}: {} bytes is not a whole number of 32-byte scalars",
            b.len()
        ));
    }
    let out: Vec<BigInt<4>> = b.chunks(FE).map(limbs).collect();
    if let Some(i) = out.iter().position(|x| *x >= Fr::MODULUS) {
        return Err(format!(
            "{what}[{i}]: value is not below the field modulus r"
        ));
    }
    Ok(out)
}

/// Normal-form scalars as field elements.
pub fn fr_vec(b: &[u8], what: &str) -> Res<Vec<Fr>> {
    Ok(scalars(b, what)?
        .into_iter()
        .map(|x| Fr::from_bigint(x).expect("checked below r"))
        .collect())
}

pub fn fr_bytes(v: &[Fr]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * FE);
    for x in v {
        put_limbs(&x.into_bigint(), &mut out);
    }
    out
}

/// One normal-form scalar.
pub fn fr_one(b: &[u8], what: &str) -> Res<Fr> {
    if b.len() != FE {
        return Err(format!("{what}: expected {FE} bytes, got {}", b.len()));
    }
    Ok(fr_vec(b, what)?[0])
}
