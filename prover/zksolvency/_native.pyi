"""Type stub of ``zksolvency._native``, the Rust extension built from ``prover/native`` (see docs/native.md).

Buffers: LEM points (``.zkey``/``.ptau`` layout: 32-byte little-endian
Montgomery coordinates, G1 64 bytes, G2 128 bytes, zero bytes = infinity);
scalars 32-byte little-endian normal form below ``r`` (``.wtns`` layout).
Every function raises ``ValueError`` with a one-line reason on bad input.
"""

from collections.abc import Sequence

from typing_extensions import Buffer

__version__: str
THREADS: int
#: Whether the MSMs use the AVX-512 IFMA path (x86-64 CPUs with it, unless ZKSOLVENCY_NO_IFMA is set).
IFMA: bool

def msm_g1(bases: Buffer, scalars: Buffer) -> bytes: ...
def msm_g2(bases: Buffer, scalars: Buffer) -> bytes: ...
def fft(values: Buffer) -> bytes: ...
def ifft(values: Buffer) -> bytes: ...
def coset_fft(values: Buffer, shift: Buffer) -> bytes: ...
def quotient(a: Buffer, b: Buffer, c: Buffer) -> bytes: ...
def root_of_unity(k: int) -> bytes: ...
def qap_evaluations(coeffs: Buffer, domain_size: int, witness: Buffer) -> tuple[bytes, bytes]: ...
def prove(
    n_vars: int,
    n_public: int,
    domain_size: int,
    header_g1: Buffer,
    header_g2: Buffer,
    coeffs: Buffer,
    a: Buffer,
    b1: Buffer,
    b2: Buffer,
    c: Buffer,
    h: Buffer,
    witness: Buffer,
    r: Buffer,
    s: Buffer,
) -> tuple[bytes, bytes, bytes]: ...
def prove_file(
    n_vars: int,
    n_public: int,
    domain_size: int,
    header_g1: Buffer,
    header_g2: Buffer,
    path: str,
    ranges: Sequence[tuple[int, int]],
    witness: Buffer,
    r: Buffer,
    s: Buffer,
) -> tuple[bytes, bytes, bytes]: ...
def zkey_points(
    domain_size: int,
    n_vars: int,
    n_public: int,
    a_index: Buffer,
    a_values: Buffer,
    b_index: Buffer,
    b_values: Buffer,
    c_index: Buffer,
    c_values: Buffer,
    lag_g1: Buffer,
    lag_g2: Buffer,
    lag_alpha: Buffer,
    lag_beta: Buffer,
) -> list[bytes]: ...
def difference_u_g1(low: Buffer, high: Buffer) -> bytes: ...
def lem_to_u_g1(section: Buffer) -> bytes: ...
def lem_to_u_g2(section: Buffer) -> bytes: ...
def scale_g1(section: Buffer, k: Buffer) -> bytes: ...
def dev_ptau(power: int, tau: Buffer, alpha: Buffer, beta: Buffer) -> list[bytes]: ...
def g2_in_subgroup(point: Buffer) -> bool: ...
def verify_groth16(
    alpha1: Buffer,
    beta2: Buffer,
    gamma2: Buffer,
    delta2: Buffer,
    ic: Buffer,
    public: Buffer,
    a: Buffer,
    b: Buffer,
    c: Buffer,
) -> bool: ...
def wasm_witness(call: int, context: int, func: int, base: int, start: int, n8: int, count: int) -> bytes: ...
def compressed_g1(section: Buffer) -> bytes: ...
def compressed_g2(section: Buffer) -> bytes: ...
def pairing_is_one(g1: Buffer, g2: Buffer) -> bool: ...
def blake2b_absorb(state: Buffer, data: Buffer) -> bytes: ...
