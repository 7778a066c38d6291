"""Groth16 phase 2, the entry point: the proving key of an R1CS from a prepared ``.ptau``, and contributions.

What is computed is defined in ``phase2`` and ``python_setup`` (the
reference); the backend that computes it is chosen by ``backends``: native
(Rust) by default, python when asked. Every function here is the same for
both, byte for byte.

* :func:`new_zkey_raw` / :func:`new_zkey`: snarkjs's ``groth16 setup`` (``zkey
  new``), deterministic: the initial key with ``gamma = delta = 1``.
* :func:`contribute_raw` / :func:`contribute`: one phase-2 contribution with
  secret ``d`` (delta times ``d``, C and H divided by it, a record whose proof
  of knowledge chains to every earlier one). ``g1_s_secret`` picks the random
  G1 point of the proof; both secrets are parameters so that tests can pin them.
* :func:`setup_raw` / :func:`setup`: the initial key plus one contribution
  with fresh OS randomness, discarded on return.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from zksolvency.bn254 import R
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import R1CS
from zksolvency.circuit.formats.zkey import (
    Groth16ZKey,
    ZKeyRaw,
    decode_zkey,
    encode_zkey_raw,
    zkey_raw_from_zkey,
)
from zksolvency.groth16.backends import Backend, get_backend
from zksolvency.groth16.kernels import Kernels
from zksolvency.groth16.phase2 import (
    contribution_record,
    domain_power,
    phase2_domain_power,
    random_g1_s,
    start_circuit_hash,
)

Progress = Callable[[str], None]
BackendChoice = str | Kernels | Backend | None


def _decoded(raw: ZKeyRaw) -> Groth16ZKey:
    return decode_zkey(encode_zkey_raw(raw))


def new_zkey_raw(
    r1cs: R1CS, ptau: PTauFile, backend: BackendChoice = None, progress: Progress | None = None
) -> ZKeyRaw:
    """The initial (zero-contribution) key as raw sections, identical to snarkjs's ``zkey new``."""
    return get_backend(backend).new_zkey(r1cs, ptau, progress)


def new_zkey(
    r1cs: R1CS, ptau: PTauFile, kernels: BackendChoice = None, progress: Progress | None = None
) -> Groth16ZKey:
    """:func:`new_zkey_raw`, decoded."""
    return _decoded(new_zkey_raw(r1cs, ptau, kernels, progress))


def contribute_raw(
    raw: ZKeyRaw, delta_secret: int, g1_s_secret: int, name: str | None, backend: BackendChoice = None
) -> ZKeyRaw:
    """Deterministic core of a phase-2 contribution with secret ``d = delta_secret``."""
    hdr = raw.header
    record, _, _ = contribution_record(
        raw.mpc, hdr.delta1, hdr.delta2, delta_secret, random_g1_s(g1_s_secret), name
    )
    return get_backend(backend).apply_contribution(raw, record, delta_secret)


def contribute(
    zkey: Groth16ZKey, delta_secret: int, g1_s_secret: int, name: str | None, backend: BackendChoice = None
) -> Groth16ZKey:
    """:func:`contribute_raw` on a decoded key."""
    return _decoded(contribute_raw(zkey_raw_from_zkey(zkey), delta_secret, g1_s_secret, name, backend))


def _fresh() -> int:
    return 1 + secrets.randbelow(R - 1)


def contribute_random_raw(raw: ZKeyRaw, name: str | None, backend: BackendChoice = None) -> ZKeyRaw:
    """A contribution with fresh secrets from the OS; they are discarded on return."""
    return contribute_raw(raw, _fresh(), _fresh(), name, backend)


def contribute_random(zkey: Groth16ZKey, name: str | None, backend: BackendChoice = None) -> Groth16ZKey:
    """:func:`contribute_random_raw` on a decoded key."""
    return contribute(zkey, _fresh(), _fresh(), name, backend)


def setup_raw(
    r1cs: R1CS,
    ptau: PTauFile,
    contribution_name: str = "zksolvency setup",
    backend: BackendChoice = None,
    progress: Progress | None = None,
) -> ZKeyRaw:
    """Initial key plus one random contribution: a key nobody but this run could forge with."""
    chosen = get_backend(backend)
    return contribute_random_raw(new_zkey_raw(r1cs, ptau, chosen, progress), contribution_name, chosen)


def setup(
    r1cs: R1CS,
    ptau: PTauFile,
    contribution_name: str = "zksolvency setup",
    kernels: BackendChoice = None,
    progress: Progress | None = None,
) -> Groth16ZKey:
    """:func:`setup_raw`, decoded."""
    return _decoded(setup_raw(r1cs, ptau, contribution_name, kernels, progress))


__all__ = [
    "contribute",
    "contribute_random",
    "contribute_random_raw",
    "contribute_raw",
    "domain_power",
    "new_zkey",
    "new_zkey_raw",
    "phase2_domain_power",
    "setup",
    "setup_raw",
    "start_circuit_hash",
]
