"""``.ptau``: round trips through the lazy reader, the Lagrange layout, refusals."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zksolvency.bn254 import Q
from zksolvency.circuit.formats.codec import encode_g1_lem, encode_g1_lem_many
from zksolvency.circuit.formats.ptau import (
    PTAU_MAGIC,
    PTAU_SECTION_BETA_G2,
    PTAU_SECTION_CONTRIBUTIONS,
    PTAU_SECTION_HEADER,
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G1,
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    MappedBinFile,
    PTauContribution,
    PTauFile,
    decode_ptau_contributions,
    encode_ptau,
    encode_ptau_contributions,
    write_ptau,
)
from zksolvency.errors import FormatError, SetupError

from .conftest import (
    G1_OFF_CURVE,
    G1_POOL,
    G2_POOL,
    add_section,
    g1_points,
    g2_points,
    ptau_contributions,
    replace_section,
    section,
    set_version,
)


def _distinct_g1(n: int, offset: int = 0) -> list[Any]:
    """``n`` points, distinguishable by position (the pool cycles, shifted by ``offset``)."""
    return [G1_POOL[(i + offset) % len(G1_POOL)] for i in range(n)]


def _distinct_g2(n: int, offset: int = 0) -> list[Any]:
    return [G2_POOL[(i + offset) % len(G2_POOL)] for i in range(n)]


def _args(power: int, prepared: bool = True) -> dict[str, Any]:
    n = 1 << power
    return {
        "power": power,
        "ceremony_power": power,
        "tau_g1": _distinct_g1(2 * n - 1),
        "tau_g2": _distinct_g2(n),
        "alpha_tau_g1": _distinct_g1(n, 1),
        "beta_tau_g1": _distinct_g1(n, 2),
        "beta_g2": G2_POOL[2],
        "contributions": [],
        "lagrange": (
            _distinct_g1(4 * n - 1, 3),
            _distinct_g2(2 * n - 1, 1),
            _distinct_g1(2 * n - 1, 4),
            _distinct_g1(2 * n - 1, 5),
        )
        if prepared
        else None,
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@st.composite
def ptau_args(draw: Any) -> dict[str, Any]:
    power = draw(st.integers(0, 2))
    n = 1 << power

    def g1s(k: int) -> list[Any]:
        return draw(st.lists(g1_points, min_size=k, max_size=k))  # type: ignore[no-any-return]

    def g2s(k: int) -> list[Any]:
        return draw(st.lists(g2_points, min_size=k, max_size=k))  # type: ignore[no-any-return]

    prepared = draw(st.booleans())
    return {
        "power": power,
        "ceremony_power": power + draw(st.integers(0, 2)),
        "tau_g1": g1s(2 * n - 1),
        "tau_g2": g2s(n),
        "alpha_tau_g1": g1s(n),
        "beta_tau_g1": g1s(n),
        "beta_g2": draw(g2_points),
        "contributions": draw(st.lists(ptau_contributions, max_size=2)),
        "lagrange": (g1s(4 * n - 1), g2s(2 * n - 1), g1s(2 * n - 1), g1s(2 * n - 1)) if prepared else None,
    }


def _read_back(p: PTauFile) -> dict[str, Any]:
    lagrange = None
    if p.prepared:
        sizes = [1 << k for k in range(p.power + 2)]
        lagrange = (
            [pt for size in sizes for pt in p.lagrange_g1(size)],
            [pt for size in sizes[:-1] for pt in p.lagrange_g2(size)],
            [pt for size in sizes[:-1] for pt in p.lagrange_alpha_g1(size)],
            [pt for size in sizes[:-1] for pt in p.lagrange_beta_g1(size)],
        )
    return {
        "power": p.power,
        "ceremony_power": p.ceremony_power,
        "tau_g1": p.tau_g1(),
        "tau_g2": p.tau_g2(),
        "alpha_tau_g1": p.alpha_tau_g1(),
        "beta_tau_g1": p.beta_tau_g1(),
        "beta_g2": p.beta_g2(),
        "contributions": p.contributions,
        "lagrange": lagrange,
    }


@settings(max_examples=40, deadline=None)
@given(args=ptau_args())
def test_ptau_round_trip(args: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    path = _write(tmp_path_factory.mktemp("ptau") / "x.ptau", encode_ptau(**args))
    with PTauFile(path) as p:
        assert p.prepared == (args["lagrange"] is not None)
        assert _read_back(p) == args


@given(st.lists(ptau_contributions, max_size=3))
def test_ptau_contributions_round_trip(contributions: list[PTauContribution]) -> None:
    assert decode_ptau_contributions(encode_ptau_contributions(contributions), "x.ptau") == contributions


def test_write_ptau_is_encode_ptau_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "x.ptau"
    write_ptau(path, **_args(1))
    assert path.read_bytes() == encode_ptau(**_args(1))
    assert [p.name for p in tmp_path.iterdir()] == ["x.ptau"]


def test_ptau_lagrange_blocks_start_at_domain_size_minus_one(tmp_path: Path) -> None:
    args = _args(2)
    path = _write(tmp_path / "x.ptau", encode_ptau(**args))
    with PTauFile(path) as p:
        assert p.section_size(PTAU_SECTION_LAGRANGE_TAU_G1) == (2**4 - 1) * 64
        assert p.section_size(PTAU_SECTION_LAGRANGE_BETA_TAU_G1) == (2**3 - 1) * 64
        for size in (1, 2, 4, 8):
            assert p.lagrange_g1(size) == args["lagrange"][0][size - 1 : 2 * size - 1]
        for size in (1, 2, 4):
            assert p.lagrange_g2(size) == args["lagrange"][1][size - 1 : 2 * size - 1]
            assert p.lagrange_beta_g1(size) == args["lagrange"][3][size - 1 : 2 * size - 1]


def test_ptau_partial_reads_and_raw_sections(tmp_path: Path) -> None:
    args = _args(2)
    path = _write(tmp_path / "x.ptau", encode_ptau(**args))
    with PTauFile(path) as p:
        assert p.tau_g1(3, 2) == args["tau_g1"][3:5]
        assert p.tau_g2(1) == args["tau_g2"][1:]
        assert bytes(p.raw_section(PTAU_SECTION_TAU_G1)) == encode_g1_lem_many(args["tau_g1"])
        with pytest.raises(SetupError, match=r"tauG1: points \[6, 8\) are outside the 7 points"):
            p.tau_g1(6, 2)
        with pytest.raises(FormatError, match=r"no such section \(id 9\)"):
            p.raw_section(9)


def test_ptau_refuses_a_domain_too_big_for_its_power(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.ptau", encode_ptau(**_args(2)))
    with PTauFile(path) as p:
        assert len(p.lagrange_g1(8)) == 8  # section 12 goes one power further
        with pytest.raises(SetupError, match=r"domain size 16 = 2\^4 is too big for this power-2 ptau"):
            p.lagrange_g1(16)
        assert len(p.lagrange_alpha_g1(4)) == 4
        with pytest.raises(SetupError, match=r"lagrange alphaTauG1: domain size 8 = 2\^3 is too big"):
            p.lagrange_alpha_g1(8)
        with pytest.raises(SetupError, match="domain size 3 is not a power of two"):
            p.lagrange_g2(3)


def test_ptau_refuses_lagrange_reads_when_not_prepared(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.ptau", encode_ptau(**_args(2, prepared=False)))
    with PTauFile(path) as p:
        assert not p.prepared
        assert len(p.tau_g1()) == 7
        with pytest.raises(SetupError, match="not prepared for phase 2"):
            p.lagrange_g1(4)


def test_ptau_refuses_some_lagrange_sections_without_the_others(tmp_path: Path) -> None:
    data = replace_section(encode_ptau(**_args(1)), PTAU_MAGIC, PTAU_SECTION_LAGRANGE_BETA_TAU_G1, None)
    with pytest.raises(FormatError, match=r"Lagrange sections \[12, 13, 14\] present but \[15\] missing"):
        PTauFile(_write(tmp_path / "x.ptau", data))


def test_ptau_refuses_a_section_of_the_wrong_size(tmp_path: Path) -> None:
    data = encode_ptau(**_args(1))
    short = section(data, PTAU_MAGIC, PTAU_SECTION_TAU_G2)[:-128]
    data = replace_section(data, PTAU_MAGIC, PTAU_SECTION_TAU_G2, short)
    with pytest.raises(FormatError, match=r"tauG2 section \(id 3\) has 128 bytes, expected 2 points"):
        PTauFile(_write(tmp_path / "x.ptau", data))


def test_ptau_finds_a_point_off_the_curve_when_it_is_read(tmp_path: Path) -> None:
    data = encode_ptau(**_args(1))
    bad = encode_g1_lem(G1_POOL[1]) + encode_g1_lem(G1_OFF_CURVE) + encode_g1_lem(G1_POOL[1])
    path = _write(tmp_path / "x.ptau", replace_section(data, PTAU_MAGIC, PTAU_SECTION_TAU_G1, bad))
    with PTauFile(path) as p:
        assert p.tau_g1(0, 1) == [G1_POOL[1]]
        with pytest.raises(FormatError, match=r"x.ptau: tauG1\[1\]: point is not on the G1 curve"):
            p.tau_g1()
        with pytest.raises(FormatError, match=r"x.ptau: tauG1\[1:\]\[0\]: point is not on the G1 curve"):
            p.tau_g1(1, 2)


def _header(power: int, ceremony_power: int, q: int = Q) -> bytes:
    return struct.pack("<I", 32) + q.to_bytes(32, "little") + struct.pack("<II", power, ceremony_power)


def test_ptau_header_layout() -> None:
    assert section(encode_ptau(**_args(1)), PTAU_MAGIC, PTAU_SECTION_HEADER) == _header(1, 1)


def test_ptau_refuses_a_bad_header(tmp_path: Path) -> None:
    data = encode_ptau(**_args(1))

    def open_with(header: bytes) -> None:
        PTauFile(_write(tmp_path / "x.ptau", replace_section(data, PTAU_MAGIC, PTAU_SECTION_HEADER, header)))

    with pytest.raises(FormatError, match=r"header: q = .* is not BN254's base field"):
        open_with(_header(1, 1, Q - 2))
    with pytest.raises(FormatError, match=r"header: ceremonyPower 0 is outside \[power = 1, 28\]"):
        open_with(_header(1, 0))
    with pytest.raises(FormatError, match=r"header: power 29 is outside \[0, 28\]"):
        open_with(_header(29, 29))
    with pytest.raises(FormatError, match="header section: 4 unexpected trailing bytes"):
        open_with(_header(1, 1) + bytes(4))


def test_ptau_refuses_wrong_magic_version_and_unknown_sections(tmp_path: Path) -> None:
    data = encode_ptau(**_args(1))
    with pytest.raises(FormatError, match="not a ptau file"):
        PTauFile(_write(tmp_path / "a.ptau", b"zkey" + data[4:]))
    with pytest.raises(FormatError, match="unsupported ptau version 2"):
        PTauFile(_write(tmp_path / "b.ptau", set_version(data, 2)))
    with pytest.raises(FormatError, match=r"unknown section id\(s\) \[8\]"):
        PTauFile(_write(tmp_path / "c.ptau", add_section(data, PTAU_MAGIC, 8, b"")))
    with pytest.raises(FormatError, match="section 7 runs past the end of the file"):
        PTauFile(_write(tmp_path / "d.ptau", encode_ptau(**_args(1, prepared=False))[:-1]))
    with pytest.raises(FormatError, match="too short to be a ptau file"):
        PTauFile(_write(tmp_path / "e.ptau", b""))


def test_ptau_refuses_a_truncated_contribution(tmp_path: Path) -> None:
    data = encode_ptau(**_args(1))
    truncated = struct.pack("<I", 1) + bytes(100)
    path = _write(
        tmp_path / "x.ptau", replace_section(data, PTAU_MAGIC, PTAU_SECTION_CONTRIBUTIONS, truncated)
    )
    with pytest.raises(FormatError, match=r"x.ptau: contributions section: truncated"):
        PTauFile(path)


def test_ptau_writer_refuses_wrong_point_counts() -> None:
    args = _args(2)
    args["tau_g1"] = args["tau_g1"][:-1]
    with pytest.raises(FormatError, match="tauG1 has 6 points, expected 7 for power 2"):
        encode_ptau(**args)
    args = _args(2)
    args["lagrange"] = (args["lagrange"][0][:-1], *args["lagrange"][1:])
    with pytest.raises(FormatError, match="lagrange tauG1 has 14 points, expected 15"):
        encode_ptau(**args)


def test_ptau_file_closes(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.ptau", encode_ptau(**_args(1)))
    p = PTauFile(path)
    view = p.raw_section(PTAU_SECTION_BETA_G2)
    p.close()  # a live view does not make close() fail
    assert len(view) == 128
    with pytest.raises(ValueError, match="closed"):
        p.tau_g1()


def test_mapped_binfile_reads_slices(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.ptau", encode_ptau(**_args(1)))
    with MappedBinFile(path, PTAU_MAGIC) as f:
        assert f.version == 1
        assert f.section_slice(PTAU_SECTION_HEADER, "header", 0, 4) == struct.pack("<I", 32)
        with pytest.raises(FormatError, match=r"header section: bytes \[40, 48\) are outside its 44 bytes"):
            f.section_slice(PTAU_SECTION_HEADER, "header", 40, 8)
