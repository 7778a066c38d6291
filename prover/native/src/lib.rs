//! `zksolvency._native`: BN254 Groth16 kernels on arkworks, for the Python package.
//!
//! Every function takes buffers (bytes, bytearray, memoryview, mmap, numpy
//! `uint8` arrays) laid out as `codec` describes, reads them in place, and
//! releases the GIL while it computes. Errors come back as `ValueError` with a
//! one-line reason. The Python side (`zksolvency.groth16.native_*`, the
//! `native` kernels) turns them into the package's own exceptions.

pub mod batch_affine;
pub mod ceremony;
pub mod codec;
pub mod fastmul;
pub mod fft;
#[cfg(all(target_arch = "x86_64", zks_ifma))]
pub mod ifma;
pub mod msm;
pub mod pippenger;
pub mod prove;
pub mod setup;
pub mod verify;
pub mod wasm_witness;

use crate::fastmul::FastMul;
use ark_bn254::{g1, g2, Fr, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::CurveGroup;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use codec::{encode_points, fr_bytes, fr_one, fr_vec, scalars, PointCodec, Res};

/// A read-only view of a C-contiguous byte buffer, valid while `buf` lives.
fn view(buf: &PyBuffer<u8>) -> PyResult<&[u8]> {
    if !buf.is_c_contiguous() {
        return Err(PyValueError::new_err("buffer is not C-contiguous"));
    }
    let len = buf.len_bytes();
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: the exporter keeps `len` bytes alive at `buf_ptr` until `buf` is
    // released; we only read them, and `buf` outlives the returned slice.
    Ok(unsafe { std::slice::from_raw_parts(buf.buf_ptr() as *const u8, len) })
}

fn err(e: String) -> PyErr {
    PyValueError::new_err(e)
}

fn bytes<'py>(py: Python<'py>, v: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, v)
}

fn one_point<P: PointCodec>(p: P) -> Vec<u8> {
    encode_points(&[p])
}

/// Run `work` with the GIL released; its bytes to Python, its error as `ValueError`.
fn released<'py, F>(py: Python<'py>, work: F) -> PyResult<Bound<'py, PyBytes>>
where
    F: FnOnce() -> Res<Vec<u8>> + Send,
{
    let out = py.allow_threads(work).map_err(err)?;
    Ok(bytes(py, &out))
}

/// `sum_i k_i P_i` as one LEM point, in the group of `C`.
fn msm_point<C>(bases: &[u8], scalars: &[u8]) -> Res<Vec<u8>>
where
    C: SWCurveConfig<ScalarField = Fr, BaseField: FastMul>,
    Affine<C>: PointCodec,
{
    let k = codec::scalars(scalars, "scalars")?;
    let p = msm::sparse_msm::<C>(std::borrow::Cow::Borrowed(bases), &k, "bases")?;
    Ok(one_point(p.into_affine()))
}

/// U encoding of every point of a LEM section of `P` points.
fn lem_to_u<P: PointCodec>(section: &[u8], what: &str) -> Res<Vec<u8>> {
    Ok(setup::u_points(&codec::points::<P>(section, true, what)?))
}

/// `sum_i k_i P_i` in G1: `bases` LEM points, `scalars` 32-byte normal-form values below `r`.
#[pyfunction]
fn msm_g1<'py>(
    py: Python<'py>,
    bases: PyBuffer<u8>,
    scalars: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (b, s) = (view(&bases)?, view(&scalars)?);
    released(py, || msm_point::<g1::Config>(b, s))
}

/// `sum_i k_i P_i` in G2.
#[pyfunction]
fn msm_g2<'py>(
    py: Python<'py>,
    bases: PyBuffer<u8>,
    scalars: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (b, s) = (view(&bases)?, view(&scalars)?);
    released(py, || msm_point::<g2::Config>(b, s))
}

/// Evaluations on the domain of the vector's length (a power of two).
#[pyfunction]
#[pyo3(name = "fft")]
fn py_fft<'py>(py: Python<'py>, values: PyBuffer<u8>) -> PyResult<Bound<'py, PyBytes>> {
    let v = view(&values)?;
    released(py, || Ok(fr_bytes(&fft::fft(fr_vec(v, "values")?)?)))
}

/// Coefficients from evaluations on the domain.
#[pyfunction]
fn ifft<'py>(py: Python<'py>, values: PyBuffer<u8>) -> PyResult<Bound<'py, PyBytes>> {
    let v = view(&values)?;
    released(py, || Ok(fr_bytes(&fft::ifft(fr_vec(v, "values")?)?)))
}

/// Evaluations on the coset `shift * H`.
#[pyfunction]
fn coset_fft<'py>(
    py: Python<'py>,
    values: PyBuffer<u8>,
    shift: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (v, g) = (view(&values)?, view(&shift)?);
    released(py, || {
        Ok(fr_bytes(&fft::coset_fft(
            fr_vec(v, "values")?,
            fr_one(g, "shift")?,
        )?))
    })
}

/// `(A*B - C)` on the odd points of the doubled domain, from evaluations on the domain.
#[pyfunction]
fn quotient<'py>(
    py: Python<'py>,
    a: PyBuffer<u8>,
    b: PyBuffer<u8>,
    c: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (a, b, c) = (view(&a)?, view(&b)?, view(&c)?);
    released(py, || {
        Ok(fr_bytes(&fft::quotient(
            fr_vec(a, "a")?,
            fr_vec(b, "b")?,
            fr_vec(c, "c")?,
        )?))
    })
}

/// The generator of the domain of size `2^k`, normal form.
#[pyfunction]
fn root_of_unity<'py>(py: Python<'py>, k: u32) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(py, &fr_bytes(&[fft::root_of_unity(k).map_err(err)?])))
}

/// `(A_eval, B_eval)` from the zkey's coefficient section and the witness (both as in their files).
#[pyfunction]
fn qap_evaluations<'py>(
    py: Python<'py>,
    coeffs: PyBuffer<u8>,
    domain_size: usize,
    witness: PyBuffer<u8>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let (k, w) = (view(&coeffs)?, view(&witness)?);
    let (a, b) = py
        .allow_threads(|| -> Res<(Vec<u8>, Vec<u8>)> {
            fft::log2(domain_size)?;
            let w = scalars(w, "witness")?;
            let (a, b) = prove::qap_evaluations(k, domain_size, &w)?;
            Ok((fr_bytes(&a), fr_bytes(&b)))
        })
        .map_err(err)?;
    Ok((bytes(py, &a), bytes(py, &b)))
}

type ProofBytes<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// The proof for the zkey `z` (header points checked here), GIL released.
fn prove_released<'py>(
    py: Python<'py>,
    z: prove::ZkeySections,
    witness: &[u8],
    r: &[u8],
    s: &[u8],
) -> PyResult<ProofBytes<'py>> {
    let (pa, pb, pc) = py
        .allow_threads(|| -> Res<(Vec<u8>, Vec<u8>, Vec<u8>)> {
            fft::log2(z.domain_size)?;
            let rs = scalars(&[r, s].concat(), "r, s")?;
            if rs.len() != 2 {
                return Err("r and s must be 32 bytes each".to_string());
            }
            let (pa, pb, pc) = prove::prove(&z, witness, &rs[0], &rs[1])?;
            Ok((one_point(pa), one_point(pb), one_point(pc)))
        })
        .map_err(err)?;
    Ok((bytes(py, &pa), bytes(py, &pb), bytes(py, &pc)))
}

/// The key for `prove::prove`: the header points out of the two header buffers
/// (`alpha1 || beta1 || delta1`, `beta2 || delta2`) and the six big sections in the order
/// coefficients, A, B1, B2, C, H.
fn zkey_sections<'a>(
    (n_vars, n_public, domain_size): (usize, usize, usize),
    hg1: &'a [u8],
    hg2: &'a [u8],
    [coeffs, a, b1, b2, c, h]: [prove::Section<'a>; 6],
) -> PyResult<prove::ZkeySections<'a>> {
    if hg1.len() != 3 * codec::G1_LEN || hg2.len() != 2 * codec::G2_LEN {
        return Err(PyValueError::new_err(
            "header points: expected 3 G1 and 2 G2 points",
        ));
    }
    Ok(prove::ZkeySections {
        n_vars,
        n_public,
        domain_size,
        alpha1: &hg1[..64],
        beta1: &hg1[64..128],
        delta1: &hg1[128..],
        beta2: &hg2[..128],
        delta2: &hg2[128..],
        coeffs,
        a,
        b1,
        b2,
        c,
        h,
    })
}

/// A whole Groth16 proof from the zkey's sections in memory: `(pi_a, pi_b, pi_c)` LEM.
///
/// `header_g1` is alpha1 || beta1 || delta1, `header_g2` beta2 || delta2.
#[pyfunction]
#[pyo3(name = "prove")]
#[allow(clippy::too_many_arguments)]
fn py_prove<'py>(
    py: Python<'py>,
    n_vars: usize,
    n_public: usize,
    domain_size: usize,
    header_g1: PyBuffer<u8>,
    header_g2: PyBuffer<u8>,
    coeffs: PyBuffer<u8>,
    a: PyBuffer<u8>,
    b1: PyBuffer<u8>,
    b2: PyBuffer<u8>,
    c: PyBuffer<u8>,
    h: PyBuffer<u8>,
    witness: PyBuffer<u8>,
    r: PyBuffer<u8>,
    s: PyBuffer<u8>,
) -> PyResult<ProofBytes<'py>> {
    let mut views: [&[u8]; 6] = [&[]; 6];
    for (v, buf) in views.iter_mut().zip([&coeffs, &a, &b1, &b2, &c, &h]) {
        *v = view(buf)?;
    }
    let sections = views.map(prove::Section::Bytes);
    let z = zkey_sections(
        (n_vars, n_public, domain_size),
        view(&header_g1)?,
        view(&header_g2)?,
        sections,
    )?;
    prove_released(py, z, view(&witness)?, view(&r)?, view(&s)?)
}

/// [`py_prove`] reading the big sections from the `.zkey` at `path` one at a time.
///
/// `ranges` are the `(offset, length)` of the coefficient, A, B1, B2, C and H
/// sections in the file, in that order; each is read when the prover reaches
/// it and freed after, so the key is never in memory whole.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn prove_file<'py>(
    py: Python<'py>,
    n_vars: usize,
    n_public: usize,
    domain_size: usize,
    header_g1: PyBuffer<u8>,
    header_g2: PyBuffer<u8>,
    path: std::path::PathBuf,
    ranges: Vec<(u64, usize)>,
    witness: PyBuffer<u8>,
    r: PyBuffer<u8>,
    s: PyBuffer<u8>,
) -> PyResult<ProofBytes<'py>> {
    let ranges: [(u64, usize); 6] = ranges
        .try_into()
        .map_err(|_| PyValueError::new_err("ranges: expected 6 (offset, length) pairs"))?;
    let sections = ranges.map(|(offset, len)| prove::Section::File {
        path: &path,
        offset,
        len,
    });
    let z = zkey_sections(
        (n_vars, n_public, domain_size),
        view(&header_g1)?,
        view(&header_g2)?,
        sections,
    )?;
    prove_released(py, z, view(&witness)?, view(&r)?, view(&s)?)
}

/// The zkey points `(A, B1, B2, IC, C)` of the initial key, LEM.
///
/// Each matrix comes as `(constraint u32, signal u32)` pairs and 32-byte
/// normal-form values; the Lagrange sections are the domain's blocks of ptau
/// sections 12-15.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn zkey_points<'py>(
    py: Python<'py>,
    domain_size: usize,
    n_vars: usize,
    n_public: usize,
    a_index: PyBuffer<u8>,
    a_values: PyBuffer<u8>,
    b_index: PyBuffer<u8>,
    b_values: PyBuffer<u8>,
    c_index: PyBuffer<u8>,
    c_values: PyBuffer<u8>,
    lag_g1: PyBuffer<u8>,
    lag_g2: PyBuffer<u8>,
    lag_alpha: PyBuffer<u8>,
    lag_beta: PyBuffer<u8>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let v = [
        &a_index, &a_values, &b_index, &b_values, &c_index, &c_values, &lag_g1, &lag_g2,
        &lag_alpha, &lag_beta,
    ]
    .into_iter()
    .map(view)
    .collect::<PyResult<Vec<&[u8]>>>()?;
    let out = py
        .allow_threads(|| -> Res<[Vec<u8>; 5]> {
            let a = setup::Terms::parse(v[0], v[1], "A terms")?;
            let b = setup::Terms::parse(v[2], v[3], "B terms")?;
            let c = setup::Terms::parse(v[4], v[5], "C terms")?;
            setup::zkey_points(
                domain_size,
                n_vars,
                n_public,
                &a,
                &b,
                &c,
                v[6],
                v[7],
                v[8],
                v[9],
            )
        })
        .map_err(err)?;
    Ok(out.iter().map(|o| bytes(py, o)).collect())
}

/// U encoding of `high_i - low_i` for two LEM G1 sections of equal length.
#[pyfunction]
fn difference_u_g1<'py>(
    py: Python<'py>,
    low: PyBuffer<u8>,
    high: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (lo, hi) = (view(&low)?, view(&high)?);
    released(py, || setup::difference_u(lo, hi))
}

/// U encoding (big-endian, normal form) of a LEM G1 section.
#[pyfunction]
fn lem_to_u_g1<'py>(py: Python<'py>, section: PyBuffer<u8>) -> PyResult<Bound<'py, PyBytes>> {
    let s = view(&section)?;
    released(py, || lem_to_u::<G1Affine>(s, "G1 section"))
}

/// U encoding of a LEM G2 section.
#[pyfunction]
fn lem_to_u_g2<'py>(py: Python<'py>, section: PyBuffer<u8>) -> PyResult<Bound<'py, PyBytes>> {
    let s = view(&section)?;
    released(py, || lem_to_u::<G2Affine>(s, "G2 section"))
}

/// `k P_i` for every point of a LEM G1 section.
#[pyfunction]
fn scale_g1<'py>(
    py: Python<'py>,
    section: PyBuffer<u8>,
    k: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (s, k) = (view(&section)?, view(&k)?);
    released(py, || {
        setup::scale::<g1::Config>(s, &fr_one(k, "scalar")?, "G1 section")
    })
}

/// The nine point sections of an UNSAFE dev ptau (2-6, 12-15), LEM.
#[pyfunction]
fn dev_ptau<'py>(
    py: Python<'py>,
    power: u32,
    tau: PyBuffer<u8>,
    alpha: PyBuffer<u8>,
    beta: PyBuffer<u8>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let (t, a, b) = (view(&tau)?, view(&alpha)?, view(&beta)?);
    let out = py
        .allow_threads(|| -> Res<Vec<Vec<u8>>> {
            let f = |x: &[u8], w: &str| -> Res<Fr> { fr_one(x, w) };
            setup::dev_ptau(power, f(t, "tau")?, f(a, "alpha")?, f(b, "beta")?)
        })
        .map_err(err)?;
    Ok(out.iter().map(|o| bytes(py, o)).collect())
}

/// Whether a LEM G2 point (on the curve) lies in the order-r subgroup.
#[pyfunction]
fn g2_in_subgroup(py: Python<'_>, point: PyBuffer<u8>) -> PyResult<bool> {
    let p = view(&point)?;
    py.allow_threads(|| verify::g2_in_subgroup(p)).map_err(err)
}

/// The Groth16 pairing check on validated LEM points and normal-form public inputs.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn verify_groth16(
    py: Python<'_>,
    alpha1: PyBuffer<u8>,
    beta2: PyBuffer<u8>,
    gamma2: PyBuffer<u8>,
    delta2: PyBuffer<u8>,
    ic: PyBuffer<u8>,
    public: PyBuffer<u8>,
    a: PyBuffer<u8>,
    b: PyBuffer<u8>,
    c: PyBuffer<u8>,
) -> PyResult<bool> {
    let v = [&alpha1, &beta2, &gamma2, &delta2, &ic, &public, &a, &b, &c]
        .into_iter()
        .map(view)
        .collect::<PyResult<Vec<&[u8]>>>()?;
    py.allow_threads(|| verify::verify(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]))
        .map_err(err)
}

/// The witness of a circom wasm instance as `.wtns` data bytes (see `wasm_witness`).
///
/// The arguments are raw addresses handed over by `zksolvency.circuit.wasm_fastcall`.
#[pyfunction]
#[pyo3(name = "wasm_witness")]
#[allow(clippy::too_many_arguments)]
fn py_wasm_witness<'py>(
    py: Python<'py>,
    call: usize,
    context: usize,
    func: usize,
    base: usize,
    start: usize,
    n8: usize,
    count: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    if call == 0 || context == 0 || func == 0 || base == 0 {
        return Err(err("a null pointer for the wasm witness reader".into()));
    }
    // SAFETY: the Python caller passes the addresses of a live wasmtime store, its
    // getWitness function, wasmtime's own unchecked-call entry point and the
    // instance's memory base; see `wasm_witness::read_witness`.
    let data = unsafe {
        let call: wasm_witness::CallUnchecked =
            std::mem::transmute::<usize, wasm_witness::CallUnchecked>(call);
        wasm_witness::read_witness(
            call,
            context as *mut std::ffi::c_void,
            func as *const std::ffi::c_void,
            base as *const u8,
            start,
            n8,
            count,
        )
    }
    .map_err(err)?;
    Ok(bytes(py, &data))
}

/// ffjavascript's compressed encoding of every point of a LEM G1 section (phase-1 response hashes).
#[pyfunction]
fn compressed_g1<'py>(py: Python<'py>, section: PyBuffer<u8>) -> PyResult<Bound<'py, PyBytes>> {
    let s = view(&section)?;
    released(py, || {
        ceremony::compressed_points::<Affine<g1::Config>>(s, "G1 section")
    })
}

/// The compressed encoding of every point of a LEM G2 section.
#[pyfunction]
fn compressed_g2<'py>(py: Python<'py>, section: PyBuffer<u8>) -> PyResult<Bound<'py, PyBytes>> {
    let s = view(&section)?;
    released(py, || {
        ceremony::compressed_points::<Affine<g2::Config>>(s, "G2 section")
    })
}

/// `prod_i e(P_i, Q_i) == 1` for LEM G1 points `g1` and G2 points `g2` (pairwise).
#[pyfunction]
fn pairing_is_one(py: Python<'_>, g1: PyBuffer<u8>, g2: PyBuffer<u8>) -> PyResult<bool> {
    let (a, b) = (view(&g1)?, view(&g2)?);
    py.allow_threads(|| ceremony::pairing_is_one(a, b))
        .map_err(err)
}

/// Continue a saved 216-byte BLAKE2b-512 state (empty: a fresh hash) with `data`; the new state.
#[pyfunction]
fn blake2b_absorb<'py>(
    py: Python<'py>,
    state: PyBuffer<u8>,
    data: PyBuffer<u8>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (s, d) = (view(&state)?, view(&data)?);
    released(py, || ceremony::blake2b_absorb(s, d))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("THREADS", rayon::current_num_threads())?;
    #[cfg(all(target_arch = "x86_64", zks_ifma))]
    m.add("IFMA", ifma::available())?;
    #[cfg(not(all(target_arch = "x86_64", zks_ifma)))]
    m.add("IFMA", false)?;
    m.add_function(wrap_pyfunction!(msm_g1, m)?)?;
    m.add_function(wrap_pyfunction!(msm_g2, m)?)?;
    m.add_function(wrap_pyfunction!(py_fft, m)?)?;
    m.add_function(wrap_pyfunction!(ifft, m)?)?;
    m.add_function(wrap_pyfunction!(coset_fft, m)?)?;
    m.add_function(wrap_pyfunction!(quotient, m)?)?;
    m.add_function(wrap_pyfunction!(root_of_unity, m)?)?;
    m.add_function(wrap_pyfunction!(qap_evaluations, m)?)?;
    m.add_function(wrap_pyfunction!(py_prove, m)?)?;
    m.add_function(wrap_pyfunction!(prove_file, m)?)?;
    m.add_function(wrap_pyfunction!(zkey_points, m)?)?;
    m.add_function(wrap_pyfunction!(difference_u_g1, m)?)?;
    m.add_function(wrap_pyfunction!(lem_to_u_g1, m)?)?;
    m.add_function(wrap_pyfunction!(lem_to_u_g2, m)?)?;
    m.add_function(wrap_pyfunction!(scale_g1, m)?)?;
    m.add_function(wrap_pyfunction!(dev_ptau, m)?)?;
    m.add_function(wrap_pyfunction!(g2_in_subgroup, m)?)?;
    m.add_function(wrap_pyfunction!(verify_groth16, m)?)?;
    m.add_function(wrap_pyfunction!(py_wasm_witness, m)?)?;
    m.add_function(wrap_pyfunction!(compressed_g1, m)?)?;
    m.add_function(wrap_pyfunction!(compressed_g2, m)?)?;
    m.add_function(wrap_pyfunction!(pairing_is_one, m)?)?;
    m.add_function(wrap_pyfunction!(blake2b_absorb, m)?)?;
    Ok(())
}
