//! Trusted-setup ceremonies: what checking and writing `.ptau` / `.zkey` transcripts needs in bulk.
//!
//! * `compressed_points`: the C encoding of a LEM section, ffjavascript's
//!   compressed form that phase-1 response hashes are taken over: the
//!   x-coordinate in big-endian normal form (G2: `x.c1 || x.c0`), with bit
//!   `0x80` of the first byte set when `y` is "negative" (its normal form is
//!   above `(q - 1) / 2`; for `Fq2` the sign of `c1`, or of `c0` when `c1 = 0`),
//!   and infinity as `0x40` followed by zero bytes.
//! * `pairing_is_one`: `prod_i e(P_i, Q_i) == 1` with one final
//!   exponentiation; `sameRatio(a, b, c, d)` (`e(a, d) = e(b, c)`) is
//!   `pairing_is_one([a, -b], [d, c])`.
//! * `Blake2b`: BLAKE2b-512 (RFC 7693) whose state can be saved and resumed in
//!   the 216-byte layout snarkjs stores as a contribution's `partialHash`:
//!   the 128-byte block buffer, the eight chaining words `h` (u64 LE), the
//!   number of bytes already compressed (u64 LE), the number of bytes in the
//!   buffer (u64 LE), then 8 zero bytes. A full buffer is compressed only
//!   when more input arrives, so the last block can carry the final flag.

use ark_bn254::{g1, g2, Bn254, Fq, Fq2};
use ark_ec::pairing::Pairing;
use ark_ec::short_weierstrass::Affine;
use ark_ff::{BigInteger, One, PrimeField};
use rayon::prelude::*;

use crate::codec::{points, PointCodec, Res, FE};

type G1Affine = Affine<g1::Config>;
type G2Affine = Affine<g2::Config>;

/// A point type with ffjavascript's compressed encoding.
pub trait Compressed: PointCodec {
    const C_LEN: usize;
    fn to_c(&self, out: &mut [u8]);
}

fn fq_negative(x: &Fq) -> bool {
    x.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO
}

fn fq2_negative(x: &Fq2) -> bool {
    if x.c1 != Fq::from(0u64) {
        fq_negative(&x.c1)
    } else {
        fq_negative(&x.c0)
    }
}

fn put_be(x: &Fq, out: &mut [u8]) {
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
}

impl Compressed for G1Affine {
    const C_LEN: usize = FE;

    fn to_c(&self, out: &mut [u8]) {
        if self.infinity {
            out.fill(0);
            out[0] = 0x40;
            return;
        }
        put_be(&self.x, out);
        if fq_negative(&self.y) {
            out[0] |= 0x80;
        }
    }
}

impl Compressed for G2Affine {
    const C_LEN: usize = 2 * FE;

    fn to_c(&self, out: &mut [u8]) {
        if self.infinity {
            out.fill(0);
            out[0] = 0x40;
            return;
        }
        put_be(&self.x.c1, &mut out[..FE]);
        put_be(&self.x.c0, &mut out[FE..]);
        if fq2_negative(&self.y) {
            out[0] |= 0x80;
        }
    }
}

/// The C encoding of every point of a LEM section (points checked on their curve).
pub fn compressed_points<P: Compressed>(section: &[u8], what: &str) -> Res<Vec<u8>> {
    let pts: Vec<P> = points(section, true, what)?;
    let mut out = vec![0u8; pts.len() * P::C_LEN];
    out.par_chunks_mut(P::C_LEN)
        .zip(pts.par_iter())
        .for_each(|(o, p)| p.to_c(o));
    Ok(out)
}

/// `prod_i e(g1[i], g2[i]) == 1` for LEM points checked on their curves.
pub fn pairing_is_one(g1: &[u8], g2: &[u8]) -> Res<bool> {
    let a: Vec<G1Affine> = points(g1, true, "pairing G1 points")?;
    let b: Vec<G2Affine> = points(g2, true, "pairing G2 points")?;
    if a.len() != b.len() {
        return Err(format!(
            "pairing: {} G1 points but {} G2 points",
            a.len(),
            b.len()
        ));
    }
    Ok(Bn254::multi_pairing(a, b).0.is_one())
}

const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// Bytes in a saved state (snarkjs's `partialHash`).
pub const STATE_LEN: usize = 216;
const BLOCK: usize = 128;

/// A BLAKE2b-512 computation in progress (unkeyed, 64-byte digest).
pub struct Blake2b {
    h: [u64; 8],
    compressed: u64,
    buf: [u8; BLOCK],
    pos: usize,
}

impl Default for Blake2b {
    fn default() -> Self {
        let mut h = IV;
        h[0] ^= 0x0101_0000 ^ 64; // parameter block: digest length 64, no key, fanout = depth = 1
        Blake2b {
            h,
            compressed: 0,
            buf: [0; BLOCK],
            pos: 0,
        }
    }
}

impl Blake2b {
    /// The state saved by `save` (or by snarkjs as `partialHash`).
    pub fn restore(state: &[u8]) -> Res<Self> {
        if state.len() != STATE_LEN {
            return Err(format!(
                "BLAKE2b state: {} bytes, expected {STATE_LEN}",
                state.len()
            ));
        }
        let word = |i: usize| u64::from_le_bytes(state[i..i + 8].try_into().expect("8 bytes"));
        let mut h = [0u64; 8];
        for (k, w) in h.iter_mut().enumerate() {
            *w = word(BLOCK + 8 * k);
        }
        let pos = word(BLOCK + 72);
        if pos > BLOCK as u64 {
            return Err(format!(
                "BLAKE2b state: {pos} buffered bytes, at most {BLOCK}"
            ));
        }
        let mut buf = [0u8; BLOCK];
        buf.copy_from_slice(&state[..BLOCK]);
        Ok(Blake2b {
            h,
            compressed: word(BLOCK + 64),
            buf,
            pos: pos as usize,
        })
    }

    pub fn save(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(STATE_LEN);
        out.extend_from_slice(&self.buf);
        for w in self.h {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&self.compressed.to_le_bytes());
        out.extend_from_slice(&(self.pos as u64).to_le_bytes());
        out.extend_from_slice(&[0u8; 8]);
        out
    }

    fn compress(&mut self, last: bool) {
        let mut m = [0u64; 16];
        for (i, w) in m.iter_mut().enumerate() {
            *w = u64::from_le_bytes(self.buf[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        }
        let mut v = [0u64; 16];
        v[..8].copy_from_slice(&self.h);
        v[8..].copy_from_slice(&IV);
        v[12] ^= self.compressed; // the counter's high word is zero below 2^64 bytes
        if last {
            v[14] = !v[14];
        }
        fn g(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
            v[d] = (v[d] ^ v[a]).rotate_right(32);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(24);
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
            v[d] = (v[d] ^ v[a]).rotate_right(16);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(63);
        }
        for round in 0..12 {
            let s = &SIGMA[round % 10];
            g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for i in 0..8 {
            self.h[i] ^= v[i] ^ v[i + 8];
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.pos == BLOCK {
                self.compressed += BLOCK as u64;
                self.compress(false);
                self.pos = 0;
            }
            let take = (BLOCK - self.pos).min(data.len());
            self.buf[self.pos..self.pos + take].copy_from_slice(&data[..take]);
            self.pos += take;
            data = &data[take..];
        }
    }

    pub fn digest(mut self) -> [u8; 64] {
        self.compressed += self.pos as u64;
        self.buf[self.pos..].fill(0);
        self.compress(true);
        let mut out = [0u8; 64];
        for (i, w) in self.h.iter().enumerate() {
            out[8 * i..8 * i + 8].copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

/// Continue a saved BLAKE2b state (empty: a fresh one) with `data`; the new saved state.
pub fn blake2b_absorb(state: &[u8], data: &[u8]) -> Res<Vec<u8>> {
    let mut h = if state.is_empty() {
        Blake2b::default()
    } else {
        Blake2b::restore(state)?
    };
    h.update(data);
    Ok(h.save())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn blake2b_matches_rfc_7693_abc() {
        let mut h = Blake2b::default();
        h.update(b"abc");
        assert_eq!(
            hex(&h.digest()),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1\
             7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        );
    }

    #[test]
    fn saved_state_resumes_at_every_split() {
        let data: Vec<u8> = (0..600u32).map(|i| (i * 7 + 3) as u8).collect();
        let mut whole = Blake2b::default();
        whole.update(&data);
        let want = whole.digest();
        for split in [0, 1, 127, 128, 129, 256, 599, 600] {
            let state = blake2b_absorb(&[], &data[..split]).unwrap();
            let mut resumed = Blake2b::restore(&state).unwrap();
            resumed.update(&data[split..]);
            assert_eq!(resumed.digest(), want, "split at {split}");
        }
        let mut other = Blake2b::default();
        other.update(&data[1..]);
        assert_ne!(other.digest(), want);
    }
}
