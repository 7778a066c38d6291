//! Reading a circom witness out of a wasmtime instance in one native loop.
//!
//! circom's witness calculator hands out signal `i` only through the export
//! `getWitness(i)`, which copies it (normal form, `n8` little-endian bytes)
//! into a fixed window of linear memory. From Python each call costs a few
//! microseconds even through wasmtime's unchecked C entry point; a batch of
//! 314,000 signals spent about a second there. This loop makes the same calls
//! from Rust through the same C function (`wasmtime_func_call_unchecked`, whose
//! address, store context, function and memory base the Python side passes in:
//! `zksolvency.circuit.wasm_fastcall`) and copies each window into one buffer,
//! which is exactly the data section of a `.wtns` file.
//!
//! Safety rests on the caller: the pointers must come from a live store whose
//! memory does not grow during the calls (`getWitness` allocates nothing), and
//! `start + n8` must lie inside that memory. The Python side checks the result
//! against wasmtime's checked calls on a few signals.

use std::ffi::c_void;

/// `wasmtime_val_raw_t`: a 16-byte union; an `i32` argument sits in its first four bytes.
#[repr(C, align(16))]
#[derive(Clone, Copy)]
pub struct ValRaw([u8; 16]);

/// `wasmtime_func_call_unchecked(context, func, args_and_results, len, trap) -> error`.
pub type CallUnchecked = unsafe extern "C" fn(
    *mut c_void,
    *const c_void,
    *mut ValRaw,
    usize,
    *mut *mut c_void,
) -> *mut c_void;

/// Call `getWitness(i)` for `i < count` and append each `n8`-byte window at `base + start`.
///
/// # Safety
/// `call` must be wasmtime's `wasmtime_func_call_unchecked`, `context` and `func`
/// a live store context and a `getWitness` function of it, and `base + start .. + n8`
/// readable linear memory of the same instance for the whole loop.
pub unsafe fn read_witness(
    call: CallUnchecked,
    context: *mut c_void,
    func: *const c_void,
    base: *const u8,
    start: usize,
    n8: usize,
    count: usize,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(count * n8);
    let mut args = [ValRaw([0u8; 16])];
    for i in 0..count {
        args[0] = ValRaw([0u8; 16]);
        args[0].0[..4].copy_from_slice(&(i as i32).to_le_bytes());
        let mut trap: *mut c_void = std::ptr::null_mut();
        let error = call(context, func, args.as_mut_ptr(), 1, &mut trap);
        if !error.is_null() || !trap.is_null() {
            return Err(format!("getWitness({i}) failed"));
        }
        out.extend_from_slice(std::slice::from_raw_parts(base.add(start), n8));
    }
    Ok(out)
}
