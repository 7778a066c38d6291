//! G1 bucket sums with AVX-512 IFMA: eight batch-affine additions at once.
//!
//! The same rounds as `batch_affine::group_sums` (pair neighbours within each
//! bucket, one shared inversion per round, halve), with the arithmetic of
//! eight pairs in the eight 64-bit lanes of 512-bit registers. The
//! `vpmadd52luq`/`vpmadd52huq` instructions multiply the low 52 bits of each
//! lane and add the low or high half of the 104-bit product, so a field
//! element is five 52-bit limbs (`x = sum_i x_i 2^(52 i)`) and products are
//! Montgomery products with `R' = 2^260` (CIOS, as in `fastmul.rs`, one
//! 52-bit digit at a time).
//!
//! Representation: a coordinate `x` is held as `x R' mod q`, from arkworks'
//! `x 2^256` by one multiplication by 16 (and back by 1/16). Points are five
//! limbs of x then five of y (80 bytes); the lanes gather and scatter them.
//!
//! Only the generic case is vectorised: every pair must have distinct x. A
//! pair with equal x (a doubling or `P + (-P)`) makes [`bucket_sums`] return
//! `None`, and the caller redoes the window with the scalar code. Used only
//! when the CPU has `avx512f` and `avx512ifma` (checked at run time).

use std::arch::x86_64::*;
use std::sync::OnceLock;

use ark_bn254::{Fq, G1Affine};
use ark_ff::{BigInt, Field, PrimeField};

const M52: u64 = (1 << 52) - 1;
/// Limbs (u64) per point: five of x, five of y.
const PT: usize = 10;

type Fe8 = [__m512i; 5];

/// Whether this CPU runs the vector path (`ZKSOLVENCY_NO_IFMA` set turns it off).
pub fn available() -> bool {
    static YES: OnceLock<bool> = OnceLock::new();
    *YES.get_or_init(|| {
        std::env::var_os("ZKSOLVENCY_NO_IFMA").is_none()
            && is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512ifma")
    })
}

fn to52(x: &[u64; 4]) -> [u64; 5] {
    let mut o = [0u64; 5];
    for (i, limb) in o.iter_mut().enumerate() {
        let k = 52 * i;
        let (l, s) = (k / 64, k % 64);
        let mut v = x[l] >> s;
        if s + 52 > 64 && l + 1 < 4 {
            v |= x[l + 1] << (64 - s);
        }
        *limb = v & M52;
    }
    o
}

fn from52(x: &[u64]) -> [u64; 4] {
    let mut o = [0u64; 4];
    for (i, &limb) in x.iter().enumerate().take(5) {
        let k = 52 * i;
        let (l, s) = (k / 64, k % 64);
        o[l] |= limb << s;
        if s + 52 > 64 && l + 1 < 4 {
            o[l + 1] |= limb >> (64 - s);
        }
    }
    o
}

/// Constants as vectors: `q`, `-q^-1 mod 2^52`, the limb mask.
struct Consts {
    q: Fe8,
    n0: __m512i,
    mask: __m512i,
}

impl Consts {
    #[target_feature(enable = "avx512f,avx512ifma")]
    fn new() -> Consts {
        let q52 = to52(&Fq::MODULUS.0);
        // -q^-1 mod 2^64 by Newton's iteration, then mod 2^52
        let mut x: u64 = 1;
        for _ in 0..6 {
            x = x.wrapping_mul(2u64.wrapping_sub(Fq::MODULUS.0[0].wrapping_mul(x)));
        }
        let mut q = [_mm512_setzero_si512(); 5];
        for (v, &limb) in q.iter_mut().zip(&q52) {
            *v = _mm512_set1_epi64(limb as i64);
        }
        Consts {
            q,
            n0: _mm512_set1_epi64((x.wrapping_neg() & M52) as i64),
            mask: _mm512_set1_epi64(M52 as i64),
        }
    }
}

/// `a b / 2^260 mod q` lane by lane, for `a, b < q` with 52-bit limbs.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
#[allow(clippy::needless_range_loop)] // limb j of several arrays at once
fn mul(a: &Fe8, b: &Fe8, c: &Consts) -> Fe8 {
    let z = _mm512_setzero_si512();
    let mut t = [z; 6];
    for &bi in b {
        for j in 0..5 {
            t[j] = _mm512_madd52lo_epu64(t[j], a[j], bi);
        }
        for j in 0..5 {
            t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], a[j], bi);
        }
        let m = _mm512_madd52lo_epu64(z, t[0], c.n0);
        for j in 0..5 {
            t[j] = _mm512_madd52lo_epu64(t[j], m, c.q[j]);
        }
        for j in 0..5 {
            t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], m, c.q[j]);
        }
        // t_0 is now 0 mod 2^52: carry its top into t_1 and shift down a limb
        let carry = _mm512_srli_epi64::<52>(t[0]);
        t = [_mm512_add_epi64(t[1], carry), t[2], t[3], t[4], t[5], z];
    }
    // carry the limbs down to 52 bits (the value is below 2q), then subtract q if not below it
    let mut r = [z; 5];
    let mut carry = z;
    for j in 0..5 {
        let v = _mm512_add_epi64(t[j], carry);
        r[j] = _mm512_and_si512(v, c.mask);
        carry = _mm512_srli_epi64::<52>(v);
    }
    let mut s = [z; 5];
    let mut borrow = z;
    for j in 0..5 {
        let v = _mm512_sub_epi64(_mm512_sub_epi64(r[j], c.q[j]), borrow);
        s[j] = _mm512_and_si512(v, c.mask);
        borrow = _mm512_srli_epi64::<63>(v);
    }
    let below_q = _mm512_test_epi64_mask(borrow, borrow);
    for j in 0..5 {
        r[j] = _mm512_mask_blend_epi64(below_q, s[j], r[j]);
    }
    r
}

/// `a - b mod q` lane by lane, for `a, b < q` with 52-bit limbs.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
#[allow(clippy::needless_range_loop)] // limb j of several arrays at once
fn sub(a: &Fe8, b: &Fe8, c: &Consts) -> Fe8 {
    let z = _mm512_setzero_si512();
    let mut d = [z; 5];
    let mut carry = z; // 0 or -1
    for j in 0..5 {
        let v = _mm512_add_epi64(_mm512_sub_epi64(a[j], b[j]), carry);
        d[j] = _mm512_and_si512(v, c.mask);
        carry = _mm512_srai_epi64::<52>(v);
    }
    // a < b: the limbs hold a - b + 2^260; adding q and dropping the carry out gives a - b + q
    let negative = _mm512_test_epi64_mask(carry, carry);
    let mut up = z;
    for j in 0..5 {
        let v = _mm512_add_epi64(
            _mm512_add_epi64(d[j], _mm512_maskz_mov_epi64(negative, c.q[j])),
            up,
        );
        d[j] = _mm512_and_si512(v, c.mask);
        up = _mm512_srli_epi64::<52>(v);
    }
    d
}

/// Limbs `first..first + 5` of the eight points whose first limbs are at `idx` (`PT` times the
/// point index): x for `first = 0`, y for `first = 5`.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn gather(pts: &[u64], idx: __m512i, first: usize) -> Fe8 {
    let base = idx;
    let mut out = [_mm512_setzero_si512(); 5];
    for (l, v) in out.iter_mut().enumerate() {
        let at = _mm512_add_epi64(base, _mm512_set1_epi64((first + l) as i64));
        // SAFETY: every lane's point is a point of `pts` (the caller's pairs), so it reads
        // inside `pts`.
        *v = unsafe { _mm512_i64gather_epi64::<8>(at, pts.as_ptr() as *const i64) };
    }
    out
}

#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn scatter(pts: &mut [u64], idx: __m512i, first: usize, v: &Fe8, lanes: __mmask8) {
    let base = idx;
    for (l, limb) in v.iter().enumerate() {
        let at = _mm512_add_epi64(base, _mm512_set1_epi64((first + l) as i64));
        // SAFETY: every active lane's index is an output slot of `pts`.
        unsafe {
            _mm512_mask_i64scatter_epi64::<8>(pts.as_mut_ptr() as *mut i64, lanes, at, *limb)
        };
    }
}

#[inline]
#[target_feature(enable = "avx512f")]
fn load(v: &[u64]) -> Fe8 {
    assert!(v.len() >= 40);
    let mut out = [_mm512_setzero_si512(); 5];
    for (l, x) in out.iter_mut().enumerate() {
        // SAFETY: `v` holds at least 5 * 8 values (one vector of 8 per limb).
        *x = unsafe { _mm512_loadu_si512(v[8 * l..].as_ptr() as *const _) };
    }
    out
}

#[inline]
#[target_feature(enable = "avx512f")]
fn load8(v: &[i64; 8]) -> __m512i {
    // SAFETY: eight i64.
    unsafe { _mm512_loadu_si512(v.as_ptr() as *const _) }
}

#[inline]
#[target_feature(enable = "avx512f")]
fn store(v: &mut [u64], x: &Fe8) {
    assert!(v.len() >= 40);
    for (l, limb) in x.iter().enumerate() {
        // SAFETY: `v` holds at least 5 * 8 values.
        unsafe { _mm512_storeu_si512(v[8 * l..].as_mut_ptr() as *mut _, *limb) };
    }
}

/// The bases with their negations, 52-bit limbs times `R'`: point `2i` is `P_i`, `2i + 1` is `-P_i`.
pub struct Bases(Vec<u64>);

/// `x 2^256` (arkworks) to the limbs of `x 2^260`.
fn limbs_in(x: &Fq, sixteen: &Fq) -> [u64; 5] {
    to52(&(*x * sixteen).0 .0)
}

pub fn prepare(bases: &[G1Affine]) -> Bases {
    use rayon::prelude::*;
    let sixteen = Fq::from(16u64);
    let mut out = vec![0u64; 2 * PT * bases.len()];
    out.par_chunks_mut(2 * PT)
        .zip(bases.par_iter())
        .for_each(|(o, p)| {
            let (x, y, ny) = (
                limbs_in(&p.x, &sixteen),
                limbs_in(&p.y, &sixteen),
                limbs_in(&-p.y, &sixteen),
            );
            o[..5].copy_from_slice(&x);
            o[5..10].copy_from_slice(&y);
            o[10..15].copy_from_slice(&x);
            o[15..20].copy_from_slice(&ny);
        });
    Bases(out)
}

/// `v` with `len` values: the buffers only shrink after the first round, and every value
/// is written before it is read, so old values are left in place rather than zeroed.
fn resize(v: &mut Vec<u64>, len: usize) {
    if v.len() < len {
        v.resize(len, 0);
    } else {
        v.truncate(len);
    }
}

/// One halving round over `cur` (groups of sizes `lens`) into `next`; `None` if a pair has equal x.
#[target_feature(enable = "avx512f,avx512ifma")]
fn halve(
    cur: &[u64],
    lens: &mut [usize],
    next: &mut Vec<u64>,
    plan: &mut Vec<(i64, i64)>,
    scratch: &mut Vec<u64>,
    c: &Consts,
) -> Option<()> {
    let total: usize = lens.iter().map(|l| l.div_ceil(2)).sum();
    resize(next, PT * total);
    plan.clear();
    let (mut s, mut o) = (0, 0);
    for len in lens.iter_mut() {
        for k in (s..s + *len - *len % 2).step_by(2) {
            plan.push(((PT * k) as i64, (PT * o) as i64));
            o += 1;
        }
        if *len % 2 == 1 {
            let k = s + *len - 1;
            next[PT * o..PT * (o + 1)].copy_from_slice(&cur[PT * k..PT * (k + 1)]);
            o += 1;
        }
        s += *len;
        *len = len.div_ceil(2);
    }
    let n = plan.len();
    if n == 0 {
        return Some(());
    }
    // vectors of eight pairs; the last is padded with copies of pair 0, whose sums are not stored
    let vectors = n.div_ceil(8);
    let lanes = |v: usize| -> ([i64; 8], [i64; 8], __mmask8) {
        let pick = |l: usize| plan.get(8 * v + l).copied().unwrap_or(plan[0]);
        let k: [i64; 8] = std::array::from_fn(|l| pick(l).0);
        let o: [i64; 8] = std::array::from_fn(|l| pick(l).1);
        let live = n - 8 * v;
        let mask = if live >= 8 {
            0xff
        } else {
            ((1u16 << live) - 1) as u8
        };
        (k, o, mask)
    };
    let next_point = _mm512_set1_epi64(PT as i64);
    // 1. running products of the denominators, last vector first (lane by lane)
    resize(scratch, 40 * vectors);
    let z = _mm512_setzero_si512();
    let mut acc: Fe8 = limbs_of_one(c);
    for v in (0..vectors).rev() {
        let k = load8(&lanes(v).0);
        let den = sub(
            &gather(cur, _mm512_add_epi64(k, next_point), 0),
            &gather(cur, k, 0),
            c,
        );
        let mut any = z;
        for limb in &den {
            any = _mm512_or_si512(any, *limb);
        }
        if _mm512_test_epi64_mask(any, any) != 0xff {
            return None; // equal x: a doubling or P + (-P)
        }
        store(&mut scratch[40 * v..40 * (v + 1)], &acc);
        acc = mul(&acc, &den, c);
    }
    // 2. the eight lanes' inverses, with arkworks: lane value a' = a 2^260 gives a^-1 2^260
    let mut lane_vals = [0u64; 40];
    store(&mut lane_vals, &acc);
    let mut invs: Vec<Fq> = (0..8)
        .map(|l| {
            let limbs: [u64; 5] = std::array::from_fn(|j| lane_vals[8 * j + l]);
            Fq::new_unchecked(BigInt(from52(&limbs)))
        })
        .collect();
    ark_ff::batch_inversion(&mut invs);
    let scale = Fq::from(256u64);
    for (l, inv) in invs.iter().enumerate() {
        let limbs = to52(&(*inv * scale).0 .0);
        for j in 0..5 {
            lane_vals[8 * j + l] = limbs[j];
        }
    }
    let mut inv = load(&lane_vals);
    // 3. forward: each denominator's inverse, then the sum
    for v in 0..vectors {
        let (k, o, mask) = lanes(v);
        let (k, o) = (load8(&k), load8(&o));
        let k1 = _mm512_add_epi64(k, next_point);
        let (px, py) = (gather(cur, k, 0), gather(cur, k, 5));
        let (qx, qy) = (gather(cur, k1, 0), gather(cur, k1, 5));
        let den = sub(&qx, &px, c);
        let d = mul(&inv, &load(&scratch[40 * v..40 * (v + 1)]), c);
        inv = mul(&inv, &den, c);
        let lambda = mul(&sub(&qy, &py, c), &d, c);
        let x3 = sub(&sub(&mul(&lambda, &lambda, c), &px, c), &qx, c);
        let y3 = sub(&mul(&lambda, &sub(&px, &x3, c), c), &py, c);
        scatter(next, o, 0, &x3, mask);
        scatter(next, o, 5, &y3, mask);
    }
    Some(())
}

/// `1 R' mod q` in every lane.
#[target_feature(enable = "avx512f,avx512ifma")]
fn limbs_of_one(_c: &Consts) -> Fe8 {
    let one = to52(&(Fq::from(16u64)).0 .0); // 1 * 2^260 = 16 * 2^256
    let mut out = [_mm512_setzero_si512(); 5];
    for (v, &limb) in out.iter_mut().zip(&one) {
        *v = _mm512_set1_epi64(limb as i64);
    }
    out
}

/// The sum of each bucket (`None` if a pair of points with equal x turns up): bucket `b` holds
/// the points `members` lists for it, `2i` for `P_i` and `2i + 1` for `-P_i`, `lens[b]` of them.
pub fn bucket_sums(bases: &Bases, members: &[u32], lens: Vec<usize>) -> Option<Vec<G1Affine>> {
    // SAFETY: `available()` is checked by the caller before any call here.
    unsafe { bucket_sums_ifma(bases, members, lens) }
}

#[target_feature(enable = "avx512f,avx512ifma")]
fn bucket_sums_ifma(bases: &Bases, members: &[u32], mut lens: Vec<usize>) -> Option<Vec<G1Affine>> {
    let c = Consts::new();
    let mut cur = Vec::with_capacity(PT * members.len());
    for &m in members {
        let at = PT * m as usize;
        cur.extend_from_slice(&bases.0[at..at + PT]);
    }
    let (mut next, mut plan, mut scratch) = (Vec::new(), Vec::new(), Vec::new());
    while lens.iter().any(|&l| l > 1) {
        halve(&cur, &mut lens, &mut next, &mut plan, &mut scratch, &c)?;
        std::mem::swap(&mut cur, &mut next);
    }
    let sixteenth = Fq::from(16u64).inverse().expect("16 is invertible");
    let mut at = 0;
    Some(
        lens.iter()
            .map(|&l| {
                if l == 0 {
                    return G1Affine::identity();
                }
                let p = &cur[PT * at..PT * (at + 1)];
                at += 1;
                let coord = |limbs: &[u64]| Fq::new_unchecked(BigInt(from52(limbs))) * sixteenth;
                G1Affine::new_unchecked(coord(&p[..5]), coord(&p[5..]))
            })
            .collect(),
    )
}
