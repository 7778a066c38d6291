"""Start a phase-2 ceremony: the initial key of a circuit from a checked phase-1 file.

1. The R1CS's domain (``phase2.domain_power``) must fit the ``.ptau``: a file of
   power ``p`` serves domains up to ``2^p``; the error names the power needed.
2. The ``.ptau`` is checked (``phase1_check``): its own contribution chain, its
   points, and the Lagrange blocks this circuit's key is built from. A dev
   ptau (one party, toxic waste known) is refused unless the caller allows it.
3. The initial key (snarkjs's ``zkey new``: no contribution, ``delta = G1``)
   is written atomically; its circuit hash (``csHash``) names the circuit and
   the phase-1 points, and every contribution's transcript starts from it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from zksolvency.ceremony.phase1_check import Phase1Summary, check_phase1, key_lagrange_blocks
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.zkey import write_zkey_raw
from zksolvency.errors import SetupError
from zksolvency.groth16.backends import Backend, get_backend
from zksolvency.groth16.phase2 import phase2_domain_power
from zksolvency.groth16.setup import new_zkey_raw

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CeremonyStart:
    """What ``ceremony new`` made: the circuit hash to publish, the domain, the checked phase-1 file."""

    circuit_hash: bytes
    domain_power: int
    constraints: int
    phase1: Phase1Summary


def start_ceremony(
    r1cs_path: str | os.PathLike[str],
    ptau_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    backend: str | Backend | None = None,
    allow_dev_ptau: bool = False,
    progress: Progress | None = None,
) -> CeremonyStart:
    """Steps 1-3 of the module docstring; nothing is written unless all pass.

    Raises ``SetupError`` (too small, not prepared, a dev ptau not allowed),
    ``InvalidLink`` (the phase-1 file does not verify) or ``FormatError``.
    """
    chosen = get_backend(backend)
    r1cs = read_r1cs(r1cs_path)
    with PTauFile(ptau_path) as ptau:
        power = phase2_domain_power(r1cs, ptau)
        phase1 = check_phase1(ptau, chosen.sections, key_lagrange_blocks(1 << power), progress)
        if phase1.unsafe_dev and not allow_dev_ptau:
            raise SetupError(
                f"{ptau.what} is an UNSAFE single-party dev ptau: whoever made it can forge proofs whatever "
                "phase 2 does; use a real ceremony file (pass --allow-dev-ptau only for development)"
            )
        raw = new_zkey_raw(r1cs, ptau, chosen, progress)
    write_zkey_raw(out, raw)
    return CeremonyStart(raw.mpc.cs_hash, power, r1cs.n_constraints, phase1)
