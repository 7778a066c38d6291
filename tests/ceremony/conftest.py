"""Shared artifacts of the ceremony tests, built once per session in a temporary folder.

* ``phase1``: a real phase-1 chain made by snarkjs alone (``powersoftau new``,
  contributions by alice and bob, a beacon, ``prepare phase2``) at power 4.
* ``circuits``: the example multiplier (domain 2^3), ``cube4`` (another
  circuit, domain 2^4) and ``cube20`` (domain 2^6: too big for power 4).
* ``ours``: a three-party ceremony plus beacon run with our code on the
  multiplier, with pinned secrets (tests only), each intermediate key kept.

Tests copy a file before changing it; nothing here is mutated.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from zksolvency.ceremony.contribute import beacon_key, contribute_key
from zksolvency.ceremony.start import start_ceremony
from zksolvency.circuit.compile import compile_circuit
from zksolvency.groth16.kernels import get_section_kernels

from ..snarkjs_tool import snarkjs_cmd, snarkjs_ok

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PHASE1_POWER = 4
#: The beacons of the tests (public values, as a real ceremony would announce them).
PHASE1_BEACON = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
PHASE2_BEACON = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
BEACON_ITERATIONS = 10
#: Pinned contribution secrets ``(d, g1_s scalar)`` of the three parties (tests only).
PARTIES = {"alice": (0xA11CE, 0x5EED1), "bob": (0xB0B, 0x5EED2), "carol": (0xCA201, 0x5EED3)}


@dataclass(frozen=True)
class Circuits:
    multiplier: Path
    cube4: Path
    cube20: Path


@dataclass(frozen=True)
class Ceremony:
    """Our three-party ceremony on the multiplier: ``keys[0]`` the initial key, ``keys[-1]`` the final."""

    r1cs: Path
    ptau: Path
    keys: list[Path]
    hashes: list[bytes]

    @property
    def final(self) -> Path:
        return self.keys[-1]


@pytest.fixture(scope="session")
def ceremony_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ceremony")


@pytest.fixture(scope="session")
def phase1(ceremony_work: Path) -> Path:
    """A prepared power-4 ``.ptau`` whose chain (alice, bob, a beacon) snarkjs made alone."""
    snarkjs_cmd()
    w = ceremony_work
    snarkjs_ok("powersoftau", "new", "bn128", str(PHASE1_POWER), w / "pot_0.ptau")
    snarkjs_ok(
        "powersoftau", "contribute", w / "pot_0.ptau", w / "pot_1.ptau", "--name=alice", "-e=alice's noise"
    )
    snarkjs_ok(
        "powersoftau", "contribute", w / "pot_1.ptau", w / "pot_2.ptau", "--name=bob", "-e=bob's noise"
    )
    snarkjs_ok(
        "powersoftau",
        "beacon",
        w / "pot_2.ptau",
        w / "pot_3.ptau",
        PHASE1_BEACON,
        str(BEACON_ITERATIONS),
        "-n=beacon",
    )
    snarkjs_ok("powersoftau", "prepare", "phase2", w / "pot_3.ptau", w / "pot4_final.ptau")
    return w / "pot4_final.ptau"


@pytest.fixture(scope="session")
def circuits(ceremony_work: Path) -> Circuits:
    out = ceremony_work / "circuits"
    multiplier = compile_circuit(REPO / "circuits/examples/multiplier/multiplier.circom", out_dir=out / "m")
    cube4 = compile_circuit(HERE / "circuits/cube4.circom", out_dir=out / "c4")
    cube20 = compile_circuit(HERE / "circuits/cube20.circom", out_dir=out / "c20")
    return Circuits(multiplier.r1cs, cube4.r1cs, cube20.r1cs)


def run_ceremony(
    r1cs: Path, ptau: Path, folder: Path, parties: dict[str, tuple[int, int]], allow_dev_ptau: bool = False
) -> Ceremony:
    """New, one contribution per party (pinned secrets), then the test beacon; every key kept."""
    folder.mkdir(parents=True, exist_ok=True)
    sections = get_section_kernels()
    keys = [folder / "key_0.zkey"]
    start_ceremony(r1cs, ptau, keys[0], allow_dev_ptau=allow_dev_ptau)
    hashes = []
    for i, (name, secrets) in enumerate(parties.items(), start=1):
        keys.append(folder / f"key_{i}.zkey")
        hashes.append(contribute_key(keys[-2], keys[-1], name, secrets, sections)[1])
    keys.append(folder / "final.zkey")
    beacon = bytes.fromhex(PHASE2_BEACON)
    hashes.append(beacon_key(keys[-2], keys[-1], beacon, BEACON_ITERATIONS, "beacon", sections)[1])
    return Ceremony(r1cs, ptau, keys, hashes)


@pytest.fixture(scope="session")
def ours(ceremony_work: Path, circuits: Circuits, phase1: Path) -> Ceremony:
    return run_ceremony(circuits.multiplier, phase1, ceremony_work / "ours", PARTIES)


def copy_to(src: Path, dest: Path) -> Path:
    shutil.copyfile(src, dest)
    return dest
