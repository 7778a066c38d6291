"""Verify a ceremony end to end: from the phase-1 file, through every contribution, to the final key.

The links, in the order they are checked (the first that fails is named):

1. **phase 1**: the ``.ptau``'s own chain, its points, and the Lagrange blocks
   this key is built from (``phase1_check``);
2. **key**: the key's ``alpha1, beta1, beta2`` are the phase-1 file's and
   ``gamma2 = G2``, as every snarkjs setup makes them;
3. **circuit** (with the R1CS): the initial key is recomputed from the R1CS and
   the ``.ptau`` (``setup.new_zkey_raw``, snarkjs's ``zkey new``). Its circuit
   hash is the key's, and the sections no contribution touches (IC, the
   coefficients, A, B1, B2) are byte for byte the key's. Without the R1CS this
   link is not checked, and the report says so;
4. **contribution #1 .. #n**: ``phase2_chain`` (transcripts, proofs of
   knowledge, delta after delta, beacons), then the key's delta. At least one
   contribution must be a random one (a key with none, or with a beacon only,
   has a public delta: snarkjs accepts it, we do not);
5. **final key**: H holds ``L^{2n}_{2j+1}(tau) / delta``: with random ``r``
   (``r_{n-1} = 0``) and ``p(X) = sum_i r_i X^i (X^n - 1)`` (degree below
   ``2n - 1``, zero on the even points of the doubled domain),
   ``p(tau) G1 = sum_i r_i (tau^(i+n) - tau^i) G1`` from the ``.ptau``'s monomials
   and ``p(tau) / delta = sum_j p(w^(2j+1)) H_j`` with ``p(w^(2j+1)) = -2
   sum_i r_i (w_{2n} w_n^j)^i`` (a coset FFT), so ``e(p(tau) G1, G2) =
   e(sum_j ..., delta2)``; and (with the R1CS) C is the initial C divided by
   delta: one random linear combination of each, ``same_ratio`` with
   ``(G2, delta2)``.

This is what ``snarkjs zkey verify R1CS PTAU KEY`` checks, plus the phase-1
file's own chain (snarkjs checks that with ``powersoftau verify``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import G2_GENERATOR, R
from zksolvency.ceremony.contribute import read_key_chain
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.phase1_check import Phase1Summary, check_phase1, key_lagrange_blocks
from zksolvency.ceremony.phase2_chain import Phase2Chain, check_chain
from zksolvency.ceremony.streams import combination_g1, random_scalars, same_ratio
from zksolvency.circuit.formats.codec import G1_BYTES
from zksolvency.circuit.formats.ptau import PTAU_SECTION_TAU_G1, MappedBinFile, PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.zkey import (
    ZKEY_MAGIC,
    ZKEY_SECTION_A,
    ZKEY_SECTION_B1,
    ZKEY_SECTION_B2,
    ZKEY_SECTION_C,
    ZKEY_SECTION_COEFFS,
    ZKEY_SECTION_H,
    ZKEY_SECTION_IC,
    ZKeyHeader,
    ZKeyRaw,
)
from zksolvency.errors import SetupError
from zksolvency.groth16 import curve
from zksolvency.groth16.backends import Backend, get_backend
from zksolvency.groth16.fields import root_of_unity
from zksolvency.groth16.kernels.interface import SectionKernels
from zksolvency.groth16.phase2 import CONTRIBUTION_RANDOM, domain_power
from zksolvency.groth16.setup import new_zkey_raw

Progress = Callable[[str], None]

#: The sections no contribution changes, compared with the recomputed initial key.
_UNCHANGED = (
    (ZKEY_SECTION_IC, "IC"),
    (ZKEY_SECTION_COEFFS, "coefficients"),
    (ZKEY_SECTION_A, "A"),
    (ZKEY_SECTION_B1, "B1"),
    (ZKEY_SECTION_B2, "B2"),
)
_COMPARE = 4 << 20


@dataclass(frozen=True)
class CeremonyReport:
    """A verified ceremony: the phase-1 chain, the phase-2 chain and what was tied to what."""

    key: str
    domain_size: int
    phase1: Phase1Summary
    chain: Phase2Chain
    #: The R1CS's SHA-256 when the circuit link was checked; ``None`` when no R1CS was given.
    r1cs_sha256: str | None

    @property
    def circuit_checked(self) -> bool:
        return self.r1cs_sha256 is not None


def _file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _check_against_phase1(header: ZKeyHeader, ptau: PTauFile) -> None:
    """Link 2."""
    expected = {
        "alpha1": (header.alpha1, ptau.alpha_tau_g1(0, 1)[0]),
        "beta1": (header.beta1, ptau.beta_tau_g1(0, 1)[0]),
        "beta2": (header.beta2, ptau.beta_g2()),
        "gamma2": (header.gamma2, G2_GENERATOR),
    }
    for name, (found, want) in expected.items():
        if found != want:
            raise InvalidLink("key", f"its {name} is not the one a setup from this phase-1 file gives")


def _check_circuit(key: MappedBinFile, header: ZKeyHeader, cs_hash: bytes, init: ZKeyRaw) -> None:
    """Link 3: the recomputed initial key against the key's untouched sections."""
    h = init.header
    if (h.n_vars, h.n_public, h.domain_size) != (header.n_vars, header.n_public, header.domain_size):
        raise InvalidLink(
            "circuit",
            f"the key has {header.n_vars} signals, {header.n_public} public, domain {header.domain_size}; "
            f"the R1CS gives {h.n_vars}, {h.n_public}, {h.domain_size}: a key for another circuit",
        )
    if init.mpc.cs_hash != cs_hash:
        raise InvalidLink(
            "circuit",
            f"the key's circuit hash {cs_hash.hex()[:16]}... is not the R1CS's "
            f"{init.mpc.cs_hash.hex()[:16]}...: a key for another circuit (or another phase-1 file)",
        )
    for section_id, name in _UNCHANGED:
        ours = memoryview(init.section(section_id))
        size = key.section_size(section_id, name)
        if size != len(ours):
            raise InvalidLink("circuit", f"the {name} section has {size} bytes, the R1CS gives {len(ours)}")
        for start in range(0, size, _COMPARE):
            n = min(_COMPARE, size - start)
            if key.read(section_id, name, start, n) != ours[start : start + n]:
                raise InvalidLink(
                    "circuit", f"the {name} section is not the one the R1CS and phase-1 file give"
                )


def _check_h(sections: SectionKernels, key: MappedBinFile, ptau: PTauFile, header: ZKeyHeader) -> None:
    """Link 5, H: ``p(tau) G1`` from the monomials against ``sum_j p(w^(2j+1)) H_j`` and delta2."""
    n = header.domain_size
    r = random_scalars(n - 1) + bytes(32)

    def tau(start: int, count: int) -> bytes:
        return ptau.read_points(PTAU_SECTION_TAU_G1, start, count)

    high = combination_g1(sections, tau, n, n - 1, r, "tauG1")
    low = combination_g1(sections, tau, 0, n - 1, r, "tauG1")
    p_tau = curve.g1_to_affine(
        curve.g1_add(curve.g1_from_affine(high), curve.g1_neg(curve.g1_from_affine(low)))
    )
    evaluations = sections.coset_fft(r, root_of_unity(n.bit_length()))

    def h(start: int, count: int) -> bytes:
        return key.read(ZKEY_SECTION_H, "H", start * G1_BYTES, count * G1_BYTES)

    p_over_delta = curve.g1_mul(combination_g1(sections, h, 0, n, evaluations, "H"), R - 2)
    if not same_ratio(sections, p_over_delta, p_tau, G2_GENERATOR, header.delta2):
        raise InvalidLink("final key", "its H section is not the phase-1 file's H points divided by delta")


def _check_c(sections: SectionKernels, key: MappedBinFile, header: ZKeyHeader, init: ZKeyRaw) -> None:
    """Link 5, C: one random linear combination of the initial C and of the key's C."""
    count = header.n_vars - header.n_public - 1
    if count == 0:
        return
    r = random_scalars(count)
    initial = memoryview(init.section(ZKEY_SECTION_C))

    def before(start: int, n: int) -> bytes:
        return bytes(initial[start * G1_BYTES : (start + n) * G1_BYTES])

    def after(start: int, n: int) -> bytes:
        return key.read(ZKEY_SECTION_C, "C", start * G1_BYTES, n * G1_BYTES)

    r_before = combination_g1(sections, before, 0, count, r, "initial C")
    r_after = combination_g1(sections, after, 0, count, r, "C")
    if not same_ratio(sections, r_after, r_before, G2_GENERATOR, header.delta2):
        raise InvalidLink("final key", "its C section is not the circuit's C divided by delta")


def verify_ceremony(
    zkey: str | os.PathLike[str],
    ptau_path: str | os.PathLike[str],
    r1cs_path: str | os.PathLike[str] | None = None,
    backend: str | Backend | None = None,
    progress: Progress | None = None,
) -> CeremonyReport:
    """Links 1-5 of the module docstring; :class:`InvalidLink` names the first that fails.

    Malformed files raise ``FormatError``; a phase-1 file too small for the key ``SetupError``.
    """
    say = progress or (lambda _m: None)
    chosen = get_backend(backend)
    sections = chosen.sections
    header, mpc = read_key_chain(zkey)
    r1cs = read_r1cs(r1cs_path) if r1cs_path is not None else None
    n = header.domain_size
    with PTauFile(ptau_path) as ptau, MappedBinFile(zkey, ZKEY_MAGIC) as key:
        if n > 1 << ptau.power:
            power = n.bit_length() - 1
            raise SetupError(
                f"{ptau.what} has power {ptau.power}; the key's domain 2^{power} needs a phase-1 file of "
                f"power {power} or more"
            )
        phase1 = check_phase1(ptau, sections, key_lagrange_blocks(n), say)
        _check_against_phase1(header, ptau)
        init: ZKeyRaw | None = None
        if r1cs is not None:
            sizes = (r1cs.n_wires, r1cs.n_public, 1 << domain_power(r1cs))
            if sizes != (header.n_vars, header.n_public, n):
                raise InvalidLink(
                    "circuit",
                    f"the key has {header.n_vars} signals, {header.n_public} public, domain {n}; the R1CS "
                    f"has {sizes[0]}, {sizes[1]}, domain {sizes[2]}: a key for another circuit",
                )
            say("circuit: recomputing the initial key from the R1CS and the phase-1 file")
            init = new_zkey_raw(r1cs, ptau, chosen)
            _check_circuit(key, header, mpc.cs_hash, init)
        say(f"phase 2: {len(mpc.contributions)} contributions")
        chain = check_chain(sections, mpc, header.delta1, header.delta2)
        if not any(c.type == CONTRIBUTION_RANDOM for c in mpc.contributions):
            raise InvalidLink(
                "phase 2", "no contribution with a secret: delta is public, anyone could forge proofs"
            )
        say("final key: H and C sections")
        _check_h(sections, key, ptau, header)
        if init is not None:
            _check_c(sections, key, header, init)
    return CeremonyReport(
        key=str(zkey),
        domain_size=n,
        phase1=phase1,
        chain=chain,
        r1cs_sha256=_file_sha256(Path(r1cs_path)) if r1cs_path is not None else None,
    )


__all__ = ["CeremonyReport", "verify_ceremony"]
