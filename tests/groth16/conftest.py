"""Shared artifacts for the Groth16 tests: both example circuits, ptaus from snarkjs and from us.

Everything is built once per session in a temporary folder; tests copy before
they modify, so none of them shares mutable state with another.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import R1CS, read_r1cs
from zksolvency.circuit.formats.snarkjs_json import write_vkey
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.formats.zkey import Groth16ZKey, write_zkey
from zksolvency.circuit.witness import calculate_witness
from zksolvency.groth16.ptau_dev import DevSecrets, generate_dev_ptau
from zksolvency.groth16.setup import contribute, new_zkey
from zksolvency.groth16.vkey import export_vkey

from ..snarkjs_tool import snarkjs_cmd, snarkjs_ok

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "circuits" / "examples"
CIRCUITS = ("multiplier", "poseidon_range")
#: Enough for both examples (poseidon_range needs a domain of 2^9).
PTAU_POWER = 9
#: Pinned toxic waste for the dev ptau used in tests (never for anything real).
TEST_SECRETS = DevSecrets(tau=0x1234567, alpha=0x89ABCDEF, beta=0xFEDCBA98)


@dataclass(frozen=True)
class Circuit:
    name: str
    r1cs_path: Path
    wasm: Path
    r1cs: R1CS
    witness: list[int]
    wtns: Path


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("groth16")


@pytest.fixture(scope="session")
def circuits(work: Path) -> dict[str, Circuit]:
    out: dict[str, Circuit] = {}
    for name in CIRCUITS:
        compiled = compile_circuit(EXAMPLES / name / f"{name}.circom", out_dir=work / name)
        inputs = json.loads((EXAMPLES / name / "input.json").read_text())
        witness = calculate_witness(compiled.wasm, inputs)
        wtns = work / name / "witness.wtns"
        write_wtns(wtns, witness)
        out[name] = Circuit(name, compiled.r1cs, compiled.wasm, read_r1cs(compiled.r1cs), witness, wtns)
    return out


@pytest.fixture(scope="session")
def snarkjs_ptau(work: Path) -> Path:
    """A prepared ptau made entirely by snarkjs (new, one contribution, prepare phase2)."""
    snarkjs_cmd()
    raw0, raw1, prepared = work / "pot_0.ptau", work / "pot_1.ptau", work / "pot_snarkjs.ptau"
    snarkjs_ok("powersoftau", "new", "bn128", str(PTAU_POWER), raw0)
    snarkjs_ok("powersoftau", "contribute", raw0, raw1, "--name=tests", "-e=zksolvency tests")
    snarkjs_ok("powersoftau", "prepare", "phase2", raw1, prepared)
    return prepared


@pytest.fixture(scope="session")
def dev_ptau(work: Path) -> Path:
    path = work / f"pot{PTAU_POWER}_unsafe.ptau"
    generate_dev_ptau(path, PTAU_POWER, TEST_SECRETS)
    return path


@pytest.fixture(scope="session", params=["snarkjs-ptau", "dev-ptau"])
def ptau_path(request: pytest.FixtureRequest, snarkjs_ptau: Path, dev_ptau: Path) -> Path:
    return snarkjs_ptau if request.param == "snarkjs-ptau" else dev_ptau


@dataclass(frozen=True)
class Keys:
    """One circuit's keys: ours (setup + pinned contribution) and snarkjs's."""

    circuit: Circuit
    ptau: Path
    ours: Groth16ZKey
    ours_path: Path
    ours_vkey: Path
    snarkjs_path: Path
    snarkjs_vkey: Path


@pytest.fixture(scope="session")
def keys(work: Path, circuits: dict[str, Circuit], snarkjs_ptau: Path) -> Iterator[dict[str, Keys]]:
    out: dict[str, Keys] = {}
    for name, circuit in circuits.items():
        folder = work / name
        with PTauFile(snarkjs_ptau) as ptau:
            ours = contribute(new_zkey(circuit.r1cs, ptau), 0xD17A, 0x5EED, "tests")
        ours_path = folder / "ours.zkey"
        write_zkey(ours_path, ours)
        ours_vkey = folder / "ours_vkey.json"
        write_vkey(ours_vkey, export_vkey(ours))
        s0, s1, svk = folder / "snarkjs_0.zkey", folder / "snarkjs_1.zkey", folder / "snarkjs_vkey.json"
        snarkjs_ok("groth16", "setup", circuit.r1cs_path, snarkjs_ptau, s0)
        snarkjs_ok("zkey", "contribute", s0, s1, "--name=snarkjs tests", "-e=entropy")
        snarkjs_ok("zkey", "export", "verificationkey", s1, svk)
        out[name] = Keys(circuit, snarkjs_ptau, ours, ours_path, ours_vkey, s1, svk)
    yield out


def copy_to(src: Path, dest: Path) -> Path:
    shutil.copyfile(src, dest)
    return dest
