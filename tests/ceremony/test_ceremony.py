"""A phase-2 ceremony end to end, checked here and by snarkjs, and every way a transcript can be wrong.

Each accepted transcript has refused twins: a contribution altered in a byte, a
link removed, a link from another ceremony, a key for another circuit, a
phase-1 file too small, a key with no secret in it.
"""

from __future__ import annotations

import re
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from zksolvency.bn254 import R
from zksolvency.ceremony.contribute import beacon_key, contribute_key, read_key_chain
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.start import start_ceremony
from zksolvency.ceremony.verify import verify_ceremony
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES
from zksolvency.circuit.formats.ptau import MappedBinFile
from zksolvency.circuit.formats.r1cs import read_r1cs, write_r1cs
from zksolvency.circuit.formats.zkey import (
    ZKEY_MAGIC,
    ZKEY_SECTION_A,
    ZKEY_SECTION_C,
    ZKEY_SECTION_H,
    ZKEY_SECTION_MPC,
    MPCParams,
    encode_mpc_params,
    read_zkey_raw,
    write_zkey_raw,
    zkey_raw_from_sections,
)
from zksolvency.errors import FormatError, SetupError
from zksolvency.groth16.kernels import get_section_kernels
from zksolvency.groth16.phase2 import contribution_hash

from ..snarkjs_tool import snarkjs, snarkjs_ok
from .conftest import BEACON_ITERATIONS, PARTIES, PHASE2_BEACON, Ceremony, Circuits, run_ceremony

pytestmark = pytest.mark.snarkjs

#: Byte ranges of one MPC contribution record, relative to its start, and their names.
RECORD_FIELDS = {
    "deltaAfter": (0, G1_BYTES),
    "g1_s": (G1_BYTES, G1_BYTES),
    "g1_sx": (2 * G1_BYTES, G1_BYTES),
    "g2_spx": (3 * G1_BYTES, G2_BYTES),
    "transcript": (3 * G1_BYTES + G2_BYTES, 64),
    "type": (3 * G1_BYTES + G2_BYTES + 64, 4),
}


def record_offset(key: Path, index: int) -> int:
    """Where contribution ``index`` (1-based) starts in the file."""
    with MappedBinFile(key, ZKEY_MAGIC) as f:
        offset, _ = f.section_range(ZKEY_SECTION_MPC, "MPC params")
        data = f.section_bytes(ZKEY_SECTION_MPC, "MPC params")
    pos = 64 + 4
    for _ in range(index - 1):
        pos += 3 * G1_BYTES + G2_BYTES + 64 + 4
        (params,) = struct.unpack_from("<I", data, pos)
        pos += 4 + params
    return offset + pos


def flip(src: Path, dest: Path, offset: int) -> Path:
    data = bytearray(src.read_bytes())
    data[offset] ^= 0x01
    dest.write_bytes(bytes(data))
    return dest


def with_contributions(src: Path, dest: Path, contributions: list[object]) -> Path:
    """``src`` with its MPC section's contribution list replaced."""
    raw = read_zkey_raw(src)
    sections = dict(raw.sections)
    sections[ZKEY_SECTION_MPC] = encode_mpc_params(MPCParams(raw.mpc.cs_hash, contributions))  # type: ignore[arg-type]
    write_zkey_raw(dest, zkey_raw_from_sections(sections))
    return dest


def refused(key: Path, ceremony: Ceremony, r1cs: Path | None = None) -> InvalidLink:
    with pytest.raises(InvalidLink) as caught:
        verify_ceremony(key, ceremony.ptau, r1cs or ceremony.r1cs)
    return caught.value


def snarkjs_verifies(r1cs: Path, ptau: Path, key: Path) -> tuple[bool, str]:
    done = snarkjs("zkey", "verify", r1cs, ptau, key)
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    return done.returncode == 0 and "ZKey Ok!" in output, output


def words(digest: bytes) -> str:
    """A hash as snarkjs prints it, whitespace removed."""
    return digest.hex()


def printed_hashes(output: str) -> str:
    return re.sub(r"\s+", "", output)


# --- the accepted transcripts ------------------------------------------------------------------


def test_three_party_ceremony_with_beacon_verifies_here_and_in_snarkjs(ours: Ceremony) -> None:
    report = verify_ceremony(ours.final, ours.ptau, ours.r1cs)
    assert [c.name for c in report.chain.contributions] == [*PARTIES, "beacon"]
    assert [c.hash for c in report.chain.contributions] == ours.hashes
    assert report.chain.contributions[-1].beacon == bytes.fromhex(PHASE2_BEACON)
    assert [c.name for c in report.phase1.contributions] == ["alice", "bob", "beacon"]
    assert report.circuit_checked and report.phase1.points_hash is not None
    ok, output = snarkjs_verifies(ours.r1cs, ours.ptau, ours.final)
    assert ok, output
    for digest in ours.hashes:  # snarkjs prints the same contribution hashes
        assert words(digest) in printed_hashes(output)


def test_every_intermediate_key_verifies_and_the_initial_one_has_no_secret(ours: Ceremony) -> None:
    for key in ours.keys[1:]:
        assert verify_ceremony(key, ours.ptau, ours.r1cs).chain.contributions
    error = refused(ours.keys[0], ours)
    assert error.link == "phase 2" and "no contribution with a secret" in error.reason
    ok, _ = snarkjs_verifies(ours.r1cs, ours.ptau, ours.keys[0])
    assert ok  # snarkjs accepts a key nobody contributed to; we do not (docs/setup.md)


def test_we_verify_a_chain_made_by_snarkjs_alone(
    circuits: Circuits, phase1: Path, ceremony_work: Path
) -> None:
    w = ceremony_work / "snarkjs-only"
    w.mkdir(exist_ok=True)
    snarkjs_ok("zkey", "new", circuits.cube4, phase1, w / "k0.zkey")
    snarkjs_ok("zkey", "contribute", w / "k0.zkey", w / "k1.zkey", "--name=dave", "-e=dave's noise")
    snarkjs_ok("zkey", "contribute", w / "k1.zkey", w / "k2.zkey", "--name=erin", "-e=erin's noise")
    snarkjs_ok(
        "zkey", "beacon", w / "k2.zkey", w / "k3.zkey", PHASE2_BEACON, str(BEACON_ITERATIONS), "-n=beacon"
    )
    report = verify_ceremony(w / "k3.zkey", phase1, circuits.cube4)
    assert [c.name for c in report.chain.contributions] == ["dave", "erin", "beacon"]
    _, output = snarkjs_verifies(circuits.cube4, phase1, w / "k3.zkey")
    for c in report.chain.contributions:
        assert words(c.hash) in printed_hashes(output)
    # The twin: erin's proof of knowledge changed in one byte of g1_sx.
    bad = flip(w / "k3.zkey", w / "bad.zkey", record_offset(w / "k3.zkey", 2) + 2 * G1_BYTES + 5)
    with pytest.raises((InvalidLink, FormatError)):
        verify_ceremony(bad, phase1, circuits.cube4)


def test_a_chain_mixing_our_links_and_snarkjs_links_verifies_in_both(
    ours: Ceremony, ceremony_work: Path
) -> None:
    w = ceremony_work / "mixed"
    w.mkdir(exist_ok=True)
    sections = get_section_kernels()
    snarkjs_ok("zkey", "contribute", ours.keys[1], w / "k2.zkey", "--name=snarkjs dave", "-e=noise")
    contribute_key(w / "k2.zkey", w / "k3.zkey", "zksolvency erin", (0xE21, 0x5EED4), sections)
    snarkjs_ok("zkey", "contribute", w / "k3.zkey", w / "k4.zkey", "--name=snarkjs frank", "-e=noise")
    beacon_key(
        w / "k4.zkey", w / "k5.zkey", bytes.fromhex(PHASE2_BEACON), BEACON_ITERATIONS, "beacon", sections
    )
    report = verify_ceremony(w / "k5.zkey", ours.ptau, ours.r1cs)
    names = ["alice", "snarkjs dave", "zksolvency erin", "snarkjs frank", "beacon"]
    assert [c.name for c in report.chain.contributions] == names
    ok, output = snarkjs_verifies(ours.r1cs, ours.ptau, w / "k5.zkey")
    assert ok, output


def test_our_beacon_is_snarkjs_beacon_byte_for_byte(ours: Ceremony, ceremony_work: Path) -> None:
    theirs = ceremony_work / "snarkjs_beacon.zkey"
    snarkjs_ok("zkey", "beacon", ours.keys[-2], theirs, PHASE2_BEACON, str(BEACON_ITERATIONS), "-n=beacon")
    assert theirs.read_bytes() == ours.final.read_bytes()
    other = ceremony_work / "other_beacon.zkey"
    beacon_key(
        ours.keys[-2], other, bytes.fromhex("ff" * 32), BEACON_ITERATIONS, "beacon", get_section_kernels()
    )
    assert other.read_bytes() != ours.final.read_bytes()


def test_contribution_hashes_are_the_published_ones(ours: Ceremony) -> None:
    _, mpc = read_key_chain(ours.final)
    assert [contribution_hash(c) for c in mpc.contributions] == ours.hashes


# --- the refused ones --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "where"), [*((f, "first") for f in RECORD_FIELDS), ("g2_spx", "last"), ("type", "last")]
)
def test_a_contribution_altered_in_any_byte_is_refused_here_and_by_snarkjs(
    ours: Ceremony, tmp_path: Path, field: str, where: str
) -> None:
    start, length = RECORD_FIELDS[field]
    offset = record_offset(ours.final, 2) + start + (0 if where == "first" else length - 1)
    bad = flip(ours.final, tmp_path / "bad.zkey", offset)
    with pytest.raises((InvalidLink, FormatError)) as caught:
        verify_ceremony(bad, ours.ptau, ours.r1cs)
    if isinstance(caught.value, InvalidLink):
        assert caught.value.link in ("contribution #2 (bob)", "contribution #3 (carol)", "final key")
    # snarkjs reads any type but 1 as a random contribution: it accepts type 2^24, we do not.
    lenient = field == "type" and where == "last"
    assert snarkjs_verifies(ours.r1cs, ours.ptau, bad)[0] == lenient


@pytest.mark.slow
def test_every_byte_of_every_record_is_covered(ours: Ceremony, tmp_path: Path) -> None:
    """The exhaustive sweep behind the sampled test above: no byte of a record is free (but its name)."""
    end = 3 * G1_BYTES + G2_BYTES + 64 + 4
    for index in range(1, len(ours.hashes) + 1):
        base = record_offset(ours.final, index)
        for offset in range(base, base + end):
            bad = flip(ours.final, tmp_path / "bad.zkey", offset)
            with pytest.raises((InvalidLink, FormatError)):
                verify_ceremony(bad, ours.ptau, ours.r1cs)


@pytest.mark.parametrize(
    ("section_id", "link"),
    [(ZKEY_SECTION_A, "circuit"), (ZKEY_SECTION_C, "final key"), (ZKEY_SECTION_H, "final key")],
)
def test_a_key_section_altered_is_refused(ours: Ceremony, tmp_path: Path, section_id: int, link: str) -> None:
    raw = read_zkey_raw(ours.final)
    sections = dict(raw.sections)
    points = bytearray(sections[section_id])
    points[G1_BYTES : 2 * G1_BYTES], points[2 * G1_BYTES : 3 * G1_BYTES] = (
        points[2 * G1_BYTES : 3 * G1_BYTES],
        points[G1_BYTES : 2 * G1_BYTES],
    )  # two points swapped: still on the curve
    sections[section_id] = bytes(points)
    bad = tmp_path / "bad.zkey"
    write_zkey_raw(bad, zkey_raw_from_sections(sections))
    assert refused(bad, ours).link == link
    assert not snarkjs_verifies(ours.r1cs, ours.ptau, bad)[0]


def test_a_chain_with_one_link_removed_is_refused(ours: Ceremony, tmp_path: Path) -> None:
    _, mpc = read_key_chain(ours.final)
    bad = with_contributions(
        ours.final, tmp_path / "removed.zkey", [mpc.contributions[0], *mpc.contributions[2:]]
    )
    error = refused(bad, ours)
    assert error.link == "contribution #2 (carol)" and "transcript" in error.reason
    assert not snarkjs_verifies(ours.r1cs, ours.ptau, bad)[0]


def test_a_link_from_another_ceremony_is_refused(ours: Ceremony, ceremony_work: Path, tmp_path: Path) -> None:
    other = run_ceremony(ours.r1cs, ours.ptau, ceremony_work / "other", {"mallory": (0x3A11, 0x5EED9)})
    _, mine = read_key_chain(ours.keys[2])
    _, theirs = read_key_chain(other.final)
    # alice's link, then the other ceremony's beacon (it answers mallory, not alice): on the other key.
    bad = with_contributions(
        other.final, tmp_path / "spliced.zkey", [mine.contributions[0], theirs.contributions[1]]
    )
    error = refused(bad, ours)
    assert error.link == "contribution #2 (beacon)" and "another ceremony" in error.reason
    assert not snarkjs_verifies(ours.r1cs, ours.ptau, bad)[0]
    assert verify_ceremony(other.final, ours.ptau, ours.r1cs).chain.contributions[0].name == "mallory"


def test_a_zkey_for_another_circuit_is_refused(ours: Ceremony, circuits: Circuits) -> None:
    error = refused(ours.final, ours, r1cs=circuits.cube4)
    assert error.link == "circuit" and "another circuit" in error.reason
    assert not snarkjs_verifies(circuits.cube4, ours.ptau, ours.final)[0]


def test_a_circuit_of_the_same_size_with_another_coefficient_is_refused_by_its_hash(
    ours: Ceremony, tmp_path: Path
) -> None:
    r1cs = read_r1cs(ours.r1cs)
    (a, b, c), *rest = r1cs.constraints
    changed = replace(r1cs, constraints=[(a, b, [(w, 2 * v % R) for w, v in c]), *rest])
    write_r1cs(tmp_path / "changed.r1cs", changed)
    error = refused(ours.final, ours, r1cs=tmp_path / "changed.r1cs")
    assert error.link == "circuit" and "circuit hash" in error.reason


def test_without_the_r1cs_the_circuit_link_is_reported_unchecked(ours: Ceremony) -> None:
    report = verify_ceremony(ours.final, ours.ptau)
    assert not report.circuit_checked and report.r1cs_sha256 is None


def test_a_phase1_file_too_small_is_refused_naming_the_power(
    circuits: Circuits, phase1: Path, tmp_path: Path
) -> None:
    out = tmp_path / "too_big.zkey"
    with pytest.raises(SetupError, match=r"use a phase-1 file of power 6 or more"):
        start_ceremony(circuits.cube20, phase1, out)
    assert not out.exists()
    start_ceremony(circuits.cube4, phase1, out)  # the twin: a circuit that fits
    assert out.exists()


def test_a_ceremony_on_another_phase1_file_is_refused(ours: Ceremony, tmp_path: Path) -> None:
    from zksolvency.groth16.ptau_dev import generate_dev_ptau

    dev = tmp_path / "pot4_unsafe.ptau"
    generate_dev_ptau(dev, 4)
    with pytest.raises(InvalidLink) as caught:
        verify_ceremony(ours.final, dev, ours.r1cs)
    assert caught.value.link == "key" and "alpha1" in caught.value.reason


def test_a_tampered_beacon_record_is_refused(ours: Ceremony, tmp_path: Path) -> None:
    _, mpc = read_key_chain(ours.final)
    beacon = replace(mpc.contributions[-1], beacon_hash=bytes.fromhex("ee" * 32))
    bad = with_contributions(ours.final, tmp_path / "beacon.zkey", [*mpc.contributions[:-1], beacon])
    error = refused(bad, ours)
    assert error.link == "contribution #4 (beacon)" and "beacon derives" in error.reason
