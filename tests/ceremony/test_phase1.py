"""Phase-1 files: we verify snarkjs's chains, snarkjs verifies ours, and every broken link is named."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.phase1_check import (
    Phase1Summary,
    all_lagrange_blocks,
    check_phase1,
    key_lagrange_blocks,
)
from zksolvency.ceremony.start import start_ceremony
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES
from zksolvency.circuit.formats.ptau import (
    PTAU_SECTION_CONTRIBUTIONS,
    PTAU_SECTION_LAGRANGE_TAU_G2,
    PTAU_SECTION_TAU_G1,
    PTauFile,
)
from zksolvency.errors import SetupError
from zksolvency.groth16.kernels import get_section_kernels
from zksolvency.groth16.ptau_dev import UNSAFE_NAME, DevSecrets, generate_dev_ptau

from ..snarkjs_tool import snarkjs
from .conftest import PHASE1_BEACON, Circuits

pytestmark = pytest.mark.snarkjs

#: Offsets inside one phase-1 contribution record.
POINTS = 3 * G1_BYTES + 2 * G2_BYTES
TAU_G1_SX = POINTS + G1_BYTES
PARTIAL_HASH = POINTS + 6 * G1_BYTES + 3 * G2_BYTES
NEXT_CHALLENGE = PARTIAL_HASH + 216


def record_offset(ptau: Path, index: int) -> int:
    """Where phase-1 contribution ``index`` (1-based) starts in the file."""
    with PTauFile(ptau) as p:
        offset = p.section_offset(PTAU_SECTION_CONTRIBUTIONS)
    data = ptau.read_bytes()[offset:]
    pos = 4
    for _ in range(index - 1):
        pos += NEXT_CHALLENGE + 64 + 4
        (params,) = struct.unpack_from("<I", data, pos)
        pos += 4 + params
    return offset + pos


def patched(src: Path, dest: Path, offset: int, data: bytes) -> Path:
    raw = bytearray(src.read_bytes())
    raw[offset : offset + len(data)] = data
    dest.write_bytes(bytes(raw))
    return dest


def check(path: Path, blocks: list[tuple[int, int]] | None = None) -> Phase1Summary:
    with PTauFile(path) as p:
        return check_phase1(
            p, get_section_kernels(), all_lagrange_blocks(p.power) if blocks is None else blocks
        )


def refused(path: Path) -> InvalidLink:
    with pytest.raises(InvalidLink) as caught:
        check(path)
    return caught.value


def test_we_verify_a_phase1_chain_made_by_snarkjs(phase1: Path) -> None:
    with PTauFile(phase1) as p:
        summary = check_phase1(p, get_section_kernels(), all_lagrange_blocks(p.power))
    assert [c.name for c in summary.contributions] == ["alice", "bob", "beacon"]
    assert summary.contributions[-1].beacon == bytes.fromhex(PHASE1_BEACON)
    assert not summary.unsafe_dev and summary.points_hash == p.contributions[-1].next_challenge
    assert len(summary.lagrange_blocks) == 4 * 5 + 1
    output = re.sub(r"\s+", "", snarkjs("powersoftau", "verify", phase1).stdout)
    for c in summary.contributions:  # snarkjs prints the same response hashes
        assert c.response_hash.hex() in output


def test_snarkjs_verifies_our_dev_file_and_we_flag_it(tmp_path: Path, circuits: Circuits) -> None:
    dev = tmp_path / "pot4_unsafe.ptau"
    generate_dev_ptau(dev, 4, DevSecrets(tau=3, alpha=5, beta=7))
    summary = check(dev)
    assert summary.unsafe_dev and [c.name for c in summary.contributions] == [UNSAFE_NAME]
    assert snarkjs("powersoftau", "verify", dev).returncode == 0
    with pytest.raises(SetupError, match="UNSAFE single-party dev ptau"):
        start_ceremony(circuits.multiplier, dev, tmp_path / "k.zkey")
    assert not (tmp_path / "k.zkey").exists()
    assert start_ceremony(
        circuits.multiplier, dev, tmp_path / "k.zkey", allow_dev_ptau=True
    ).phase1.unsafe_dev


def test_a_changed_proof_of_knowledge_is_refused_naming_the_contributor(phase1: Path, tmp_path: Path) -> None:
    alice, bob = record_offset(phase1, 1), record_offset(phase1, 2)
    other_point = phase1.read_bytes()[alice + TAU_G1_SX : alice + TAU_G1_SX + G1_BYTES]
    bad = patched(phase1, tmp_path / "bad.ptau", bob + TAU_G1_SX, other_point)
    error = refused(bad)
    assert error.link == "phase 1 contribution #2 (bob)" and "proof of knowledge of tau" in error.reason
    assert snarkjs("powersoftau", "verify", bad).returncode != 0


def test_a_changed_challenge_breaks_the_next_link(phase1: Path, tmp_path: Path) -> None:
    offset = record_offset(phase1, 2) + NEXT_CHALLENGE
    bad = patched(phase1, tmp_path / "bad.ptau", offset, bytes([phase1.read_bytes()[offset] ^ 1]))
    assert refused(bad).link == "phase 1 contribution #3 (beacon)"


def test_a_changed_response_state_breaks_the_hash_of_the_points(phase1: Path, tmp_path: Path) -> None:
    offset = record_offset(phase1, 3) + PARTIAL_HASH + 7
    bad = patched(phase1, tmp_path / "bad.ptau", offset, bytes([phase1.read_bytes()[offset] ^ 1]))
    error = refused(bad)
    assert error.link == "phase 1 points" and "next challenge" in error.reason


def test_a_point_out_of_its_place_is_refused(phase1: Path, tmp_path: Path) -> None:
    with PTauFile(phase1) as p:
        start = p.section_offset(PTAU_SECTION_TAU_G1) + 3 * G1_BYTES
    data = phase1.read_bytes()
    bad = patched(phase1, tmp_path / "bad.ptau", start, data[start + G1_BYTES : start + 2 * G1_BYTES])
    error = refused(bad)
    assert error.link == "phase 1 points" and "successive powers" in error.reason


def test_a_changed_lagrange_point_is_refused_when_its_block_is_used(phase1: Path, tmp_path: Path) -> None:
    with PTauFile(phase1) as p:
        block8 = p.section_offset(PTAU_SECTION_LAGRANGE_TAU_G2) + 7 * G2_BYTES  # domain 8 starts at point 7
    data = phase1.read_bytes()
    bad = patched(phase1, tmp_path / "bad.ptau", block8, data[block8 + G2_BYTES : block8 + 2 * G2_BYTES])
    error = refused(bad)
    assert error.link == "phase 1 Lagrange points" and "tauG2 block of domain 2^3" in error.reason
    assert check(bad, key_lagrange_blocks(4))  # a key of domain 4 does not use that block


@pytest.mark.slow
def test_python_and_native_section_kernels_agree_on_a_small_file(tmp_path: Path) -> None:
    dev = tmp_path / "pot2_unsafe.ptau"
    generate_dev_ptau(dev, 2, DevSecrets(tau=3, alpha=5, beta=7))
    with PTauFile(dev) as p:
        native = check_phase1(p, get_section_kernels("native"), key_lagrange_blocks(2))
        python = check_phase1(p, get_section_kernels("python"), key_lagrange_blocks(2))
    assert native == python
