"""Install a ceremony's final key for a shipped circuit, so that ``round prove --ptau`` proves with it.

A round's keys live in the key store (``round.circuits``), one folder per
circuit, compiled ``.r1cs`` and phase-1 file. Installing verifies the final
key end to end against the circuit as the key store compiles it and the
phase-1 file (``ceremony.verify``: phase-1 chain, circuit, every
contribution, final sections), then puts it in that folder with its
provenance record, replacing whatever single-party key was there. ``round
prove --ptau`` with the same phase-1 file then uses it, and the bundle
records the ceremony's transcript hash and contributors.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zksolvency.ceremony.contribute import read_key_chain
from zksolvency.ceremony.provenance import SetupProvenance, provenance_from_report
from zksolvency.ceremony.verify import verify_ceremony
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.zkey import read_zkey_header
from zksolvency.errors import SetupError
from zksolvency.families import MANIFEST
from zksolvency.groth16.setup import domain_power
from zksolvency.groth16.vkey import export_vkey
from zksolvency.round.circuits import (
    CircuitEntry,
    compiled_circuit,
    key_folder,
    load_manifest,
    write_key_folder,
)

Say = Callable[[str], None]


@dataclass(frozen=True)
class InstalledKey:
    entry: CircuitEntry
    folder: Path
    provenance: SetupProvenance


def find_circuit(name: str) -> CircuitEntry:
    """The circuit called ``name`` in ``circuits/manifest.json``, of any family (a solvency batch,
    node or root circuit, or a trade batch circuit)."""
    from zksolvency.trades.circuits import trade_circuits

    manifest = load_manifest()
    shipped = (*manifest.batches, *manifest.nodes, *manifest.roots, *(c.entry for c in trade_circuits()))
    for entry in shipped:
        if entry.name == name:
            return entry
    names = ", ".join(e.name for e in shipped)
    raise SetupError(f"no circuit {name!r} in {MANIFEST.name} (choose from: {names})")


def circuit_r1cs(name: str) -> Path:
    """The ``.r1cs`` of shipped circuit ``name``, compiled as the key store compiles it."""
    return compiled_circuit(find_circuit(name))[0].r1cs


def install_ceremony_key(
    name: str, zkey: Path, ptau: Path, backend: str | None = None, say: Say = lambda _m: None
) -> InstalledKey:
    """Verify ``zkey`` as circuit ``name``'s final key from ``ptau``, then install it (module docstring).

    ``InvalidLink`` (nothing installed) when a link of the ceremony does not verify.
    """
    entry = find_circuit(name)
    compiled, r1cs_sha = compiled_circuit(entry)
    report = verify_ceremony(zkey, ptau, compiled.r1cs, backend, say)
    _, mpc = read_key_chain(zkey)
    record = provenance_from_report(report, mpc, export_vkey(read_zkey_header(zkey)))
    r1cs = read_r1cs(compiled.r1cs)
    folder = key_folder(entry, r1cs_sha, ptau)

    def fill(tmp: Path) -> dict[str, object]:
        shutil.copyfile(zkey, tmp / "circuit.zkey")
        return {
            "circuit": entry.name,
            "constraints": r1cs.n_constraints,
            "domain_power": domain_power(r1cs),
            "r1cs_sha256": r1cs_sha,
            "unsafe": report.phase1.unsafe_dev,
            "ptau": ptau.name,
            "provenance": record.to_json(),
        }

    write_key_folder(folder, fill, replace=True)
    return InstalledKey(entry, folder, record)
