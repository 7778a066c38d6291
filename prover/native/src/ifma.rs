//! G1 and G2 bucket sums with AVX-512 IFMA: eight batch-affine additions at once.
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
//! `x 2^256` by one multiplication by 16 (and back by 1/16). A coordinate has
//! `K` components: one in G1 (`Fq`), two in G2 (`Fq2 = Fq[u] / (u^2 + 1)`,
//! multiplied as `(a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) u`).
//! A point is the `5K` limbs of x then the `5K` of y; the lanes gather and
//! scatter them.
//!
//! Only the generic case is vectorised: every pair must have distinct x. A
//! pair with equal x (a doubling or `P + (-P)`) makes [`bucket_sums`] return
//! `None`, and the caller redoes the window with the scalar code. Used only
//! when the CPU has `avx512f` and `avx512ifma` (checked at run time).

// Compiled only with Rust 1.89 or newer (`cfg(zks_ifma)`, set by build.rs), where these
// intrinsics are stable; the crate's rust-version stays 1.87 for the portable path.
#![allow(clippy::incompatible_msrv)]

use std::arch::x86_64::*;
use std::sync::OnceLock;

use ark_bn254::{Fq, Fq2};
use ark_ff::{BigInt, Field, PrimeField};

const M52: u64 = (1 << 52) - 1;

/// Eight field elements, limb `j` of each in lane order in vector `j`.
type Fe8 = [__m512i; 5];
/// Eight coordinates of `K` components.
type Co8<const K: usize> = [Fe8; K];

/// u64 limbs per point: `5K` of x, `5K` of y.
const fn point_limbs(k: usize) -> usize {
    10 * k
}

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
    reduce_once(&[t[0], t[1], t[2], t[3], t[4]], c)
}

/// The value of limbs `t` (each below 2^63, the value below `2q`) carried down to 52-bit
/// limbs and reduced below `q` by one conditional subtraction.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
#[allow(clippy::needless_range_loop)] // limb j of several arrays at once
fn reduce_once(t: &Fe8, c: &Consts) -> Fe8 {
    let z = _mm512_setzero_si512();
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

/// `a + b mod q` lane by lane, for `a, b < q` with 52-bit limbs.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
#[allow(clippy::needless_range_loop)] // limb j of several arrays at once
fn add(a: &Fe8, b: &Fe8, c: &Consts) -> Fe8 {
    let mut t = *a;
    for j in 0..5 {
        t[j] = _mm512_add_epi64(a[j], b[j]);
    }
    reduce_once(&t, c) // a + b < 2q
}

/// Coordinates: `a - b`.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn csub<const K: usize>(a: &Co8<K>, b: &Co8<K>, c: &Consts) -> Co8<K> {
    let mut out = [[_mm512_setzero_si512(); 5]; K];
    for i in 0..K {
        out[i] = sub(&a[i], &b[i], c);
    }
    out
}

/// Coordinates: `a b` (in `Fq2` with three products).
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn cmul<const K: usize>(a: &Co8<K>, b: &Co8<K>, c: &Consts) -> Co8<K> {
    let mut out = [[_mm512_setzero_si512(); 5]; K];
    if K == 1 {
        out[0] = mul(&a[0], &b[0], c);
    } else {
        let v0 = mul(&a[0], &b[0], c);
        let v1 = mul(&a[1], &b[1], c);
        let cross = mul(&add(&a[0], &a[1], c), &add(&b[0], &b[1], c), c);
        out[0] = sub(&v0, &v1, c);
        out[1] = sub(&sub(&cross, &v0, c), &v1, c);
    }
    out
}

/// Limbs `first..first + 5` of the eight points whose first limbs are at `idx` (the point index times
/// `point_limbs(K)`): x for `first = 0`, y for `first = 5`.
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

/// Coordinate `first / 5K` (x at 0, y at `5K`) of the eight points at `idx`.
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn cgather<const K: usize>(pts: &[u64], idx: __m512i, first: usize) -> Co8<K> {
    let mut out = [[_mm512_setzero_si512(); 5]; K];
    for (i, o) in out.iter_mut().enumerate() {
        *o = gather(pts, idx, first + 5 * i);
    }
    out
}

#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn cscatter<const K: usize>(
    pts: &mut [u64],
    idx: __m512i,
    first: usize,
    v: &Co8<K>,
    lanes: __mmask8,
) {
    for (i, x) in v.iter().enumerate() {
        scatter(pts, idx, first + 5 * i, x, lanes);
    }
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

/// The bases, 52-bit limbs times `R'`, `K` components per coordinate.
pub struct Bases<const K: usize>(Vec<u64>);

/// 16 and 1/16: `x 2^256` (arkworks) times 16 is `x 2^260` (ours).
fn sixteen() -> &'static (Fq, Fq) {
    static S: OnceLock<(Fq, Fq)> = OnceLock::new();
    S.get_or_init(|| {
        let s = Fq::from(16u64);
        (s, s.inverse().expect("16 is invertible"))
    })
}

/// `x 2^256` (arkworks) to the limbs of `x 2^260`.
fn limbs_in(x: &Fq, out: &mut [u64]) {
    out.copy_from_slice(&to52(&(*x * sixteen().0).0 .0));
}

/// The limbs of `x 2^260` back to arkworks' `x 2^256`.
fn fq_out(limbs: &[u64]) -> Fq {
    Fq::new_unchecked(BigInt(from52(limbs))) * sixteen().1
}

/// The vector form of `n` points whose coordinates' components `point(i)` gives.
pub fn prepare<const K: usize>(
    n: usize,
    point: impl Fn(usize) -> ([Fq; K], [Fq; K]) + Sync,
) -> Bases<K> {
    use rayon::prelude::*;
    let pt = point_limbs(K);
    let mut out = vec![0u64; pt * n];
    out.par_chunks_mut(pt).enumerate().for_each(|(i, o)| {
        let (x, y) = point(i);
        for j in 0..K {
            limbs_in(&x[j], &mut o[5 * j..5 * j + 5]);
            limbs_in(&y[j], &mut o[5 * (K + j)..5 * (K + j) + 5]);
        }
    });
    Bases(out)
}

/// The points of `bases` back in arkworks' form: the components of x and y.
#[allow(clippy::type_complexity)]
pub fn points<const K: usize>(bases: &Bases<K>) -> Vec<([Fq; K], [Fq; K])> {
    bases
        .0
        .chunks_exact(point_limbs(K))
        .map(|p| {
            (
                std::array::from_fn(|j| fq_out(&p[5 * j..5 * j + 5])),
                std::array::from_fn(|j| fq_out(&p[5 * (K + j)..5 * (K + j) + 5])),
            )
        })
        .collect()
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

/// One halving round of `cur` (groups of sizes `lens`), in place; `None` if a pair has equal x
/// (found before anything is written).
///
/// The sum of a pair goes to its output slot `o`, and `o <= k` for its first point `k` (each
/// earlier output used up at least one earlier point), so a slot is written only after every
/// pair reading it was gathered: each vector gathers before it scatters, and later vectors read
/// higher points. A group's odd point out is saved first and put in its slot last, since a pair
/// of a later group may write over where it was.
#[target_feature(enable = "avx512f,avx512ifma")]
fn halve<const K: usize>(
    cur: &mut Vec<u64>,
    lens: &mut [usize],
    plan: &mut Vec<(i64, i64)>,
    scratch: &mut Vec<u64>,
    carried: &mut Vec<(usize, usize)>,
    c: &Consts,
) -> Option<()> {
    let pt = point_limbs(K);
    let total: usize = lens.iter().map(|l| l.div_ceil(2)).sum();
    plan.clear();
    carried.clear();
    let (mut s, mut o) = (0, 0);
    for len in lens.iter_mut() {
        for k in (s..s + *len - *len % 2).step_by(2) {
            plan.push(((pt * k) as i64, (pt * o) as i64));
            o += 1;
        }
        if *len % 2 == 1 {
            carried.push((s + *len - 1, o));
            o += 1;
        }
        s += *len;
        *len = len.div_ceil(2);
    }
    let saved: Vec<u64> = carried
        .iter()
        .flat_map(|&(k, _)| cur[pt * k..pt * (k + 1)].iter().copied())
        .collect();
    let n = plan.len();
    if n > 0 {
        pairs::<K>(cur, plan, scratch, c)?;
    }
    for (i, &(_, o)) in carried.iter().enumerate() {
        cur[pt * o..pt * (o + 1)].copy_from_slice(&saved[pt * i..pt * (i + 1)]);
    }
    cur.truncate(pt * total);
    Some(())
}

/// The sums of the pairs of `plan` (first limb of the first point, first limb of the slot),
/// written into `cur` (see [`halve`]).
#[target_feature(enable = "avx512f,avx512ifma")]
fn pairs<const K: usize>(
    cur: &mut [u64],
    plan: &[(i64, i64)],
    scratch: &mut Vec<u64>,
    c: &Consts,
) -> Option<()> {
    let pt = point_limbs(K);
    let n = plan.len();
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
    let next_point = _mm512_set1_epi64(pt as i64);
    // 1. running products of the denominators, last vector first (lane by lane)
    let sv = 40 * K; // scratch values per vector
    resize(scratch, sv * vectors);
    let z = _mm512_setzero_si512();
    let mut acc: Co8<K> = [limbs_of_one(c); K];
    if K == 2 {
        acc[1] = [z; 5];
    }
    for v in (0..vectors).rev() {
        let k = load8(&lanes(v).0);
        let den: Co8<K> = csub(
            &cgather(&*cur, _mm512_add_epi64(k, next_point), 0),
            &cgather(&*cur, k, 0),
            c,
        );
        let mut any = z;
        for limb in den.iter().flatten() {
            any = _mm512_or_si512(any, *limb);
        }
        if _mm512_test_epi64_mask(any, any) != 0xff {
            return None; // equal x: a doubling or P + (-P)
        }
        for (i, a) in acc.iter().enumerate() {
            store(&mut scratch[sv * v + 40 * i..sv * v + 40 * (i + 1)], a);
        }
        acc = cmul(&acc, &den, c);
    }
    // 2. the eight lanes' inverses, with arkworks: lane value a' = a 2^260 gives a^-1 2^260
    //    (a scalar factor, so the same for each component of an Fq2 value)
    let mut lane_vals = [[0u64; 40]; K];
    for (vals, a) in lane_vals.iter_mut().zip(&acc) {
        store(vals, a);
    }
    let component = |vals: &[u64; 40], l: usize| {
        let limbs: [u64; 5] = std::array::from_fn(|j| vals[8 * j + l]);
        Fq::new_unchecked(BigInt(from52(&limbs)))
    };
    let mut invs: Vec<Fq2> = (0..8)
        .map(|l| {
            let c0 = component(&lane_vals[0], l);
            Fq2::new(
                c0,
                if K == 2 {
                    component(&lane_vals[1], l)
                } else {
                    Fq::from(0u64)
                },
            )
        })
        .collect();
    ark_ff::batch_inversion(&mut invs);
    let scale = Fq::from(256u64);
    for (l, inv) in invs.iter().enumerate() {
        let parts = [inv.c0 * scale, inv.c1 * scale];
        for (vals, part) in lane_vals.iter_mut().zip(&parts) {
            let limbs = to52(&part.0 .0);
            for j in 0..5 {
                vals[8 * j + l] = limbs[j];
            }
        }
    }
    let mut inv: Co8<K> = [[z; 5]; K];
    for (i, vals) in lane_vals.iter().enumerate() {
        inv[i] = load(vals);
    }
    // 3. forward: each denominator's inverse, then the sum
    for v in 0..vectors {
        let (k, o, mask) = lanes(v);
        let (k, o) = (load8(&k), load8(&o));
        let k1 = _mm512_add_epi64(k, next_point);
        let (px, py): (Co8<K>, Co8<K>) = (cgather(&*cur, k, 0), cgather(&*cur, k, 5 * K));
        let (qx, qy): (Co8<K>, Co8<K>) = (cgather(&*cur, k1, 0), cgather(&*cur, k1, 5 * K));
        let den = csub(&qx, &px, c);
        let mut prefix: Co8<K> = [[z; 5]; K];
        for (i, p) in prefix.iter_mut().enumerate() {
            *p = load(&scratch[sv * v + 40 * i..sv * v + 40 * (i + 1)]);
        }
        let d = cmul(&inv, &prefix, c);
        inv = cmul(&inv, &den, c);
        let lambda = cmul(&csub(&qy, &py, c), &d, c);
        let x3 = csub(&csub(&cmul(&lambda, &lambda, c), &px, c), &qx, c);
        let y3 = csub(&cmul(&lambda, &csub(&px, &x3, c), c), &py, c);
        cscatter(cur, o, 0, &x3, mask);
        cscatter(cur, o, 5 * K, &y3, mask);
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
/// `lens[b]` points, laid out one bucket after the other; `places[i]` is where point `i` goes,
/// `2 s` for `P_i` in slot `s` and `2 s + 1` for `-P_i`, or [`NOWHERE`] (digit 0).
/// A sum is its coordinates' components, `None` for an empty bucket.
#[allow(clippy::type_complexity)]
pub fn bucket_sums<const K: usize>(
    bases: &Bases<K>,
    places: &[u32],
    lens: Vec<usize>,
) -> Option<Vec<Option<([Fq; K], [Fq; K])>>> {
    assert!(available(), "the caller checks available() first");
    // SAFETY: the CPU has avx512f and avx512ifma (available()).
    unsafe { bucket_sums_ifma(bases, places, lens) }
}

/// The place of a point that goes in no bucket.
pub const NOWHERE: u32 = u32::MAX;

#[target_feature(enable = "avx512f,avx512ifma")]
#[allow(clippy::type_complexity)]
fn bucket_sums_ifma<const K: usize>(
    bases: &Bases<K>,
    places: &[u32],
    mut lens: Vec<usize>,
) -> Option<Vec<Option<([Fq; K], [Fq; K])>>> {
    let c = Consts::new();
    let pt = point_limbs(K);
    let q52 = to52(&Fq::MODULUS.0);
    // The points are read in order and written to their slots: reading them in slot order
    // instead (a gather over all the bases) made MSMs of 2^19 points half as slow again.
    let mut cur = vec![0u64; pt * lens.iter().sum::<usize>()];
    for (p, &place) in bases.0.chunks_exact(pt).zip(places) {
        if place == NOWHERE {
            continue;
        }
        let at = pt * (place >> 1) as usize;
        let slot = &mut cur[at..at + pt];
        if place & 1 == 0 {
            slot.copy_from_slice(p);
        } else {
            // -P = (x, q - y), each component of y below q and not zero
            slot[..5 * K].copy_from_slice(&p[..5 * K]);
            for (out, component) in slot[5 * K..]
                .chunks_exact_mut(5)
                .zip(p[5 * K..].chunks_exact(5))
            {
                let mut borrow = 0u64;
                for ((o, &qj), &yj) in out.iter_mut().zip(&q52).zip(component) {
                    let v = qj.wrapping_sub(yj).wrapping_sub(borrow);
                    *o = v & M52;
                    borrow = v >> 63;
                }
            }
        }
    }
    let (mut plan, mut scratch, mut carried) = (Vec::new(), Vec::new(), Vec::new());
    while lens.iter().any(|&l| l > 1) {
        halve::<K>(
            &mut cur,
            &mut lens,
            &mut plan,
            &mut scratch,
            &mut carried,
            &c,
        )?;
    }
    let mut at = 0;
    Some(
        lens.iter()
            .map(|&l| {
                if l == 0 {
                    return None;
                }
                let p = &cur[pt * at..pt * (at + 1)];
                at += 1;
                Some((
                    std::array::from_fn(|j| fq_out(&p[5 * j..5 * j + 5])),
                    std::array::from_fn(|j| fq_out(&p[5 * (K + j)..5 * (K + j) + 5])),
                ))
            })
            .collect(),
    )
}
