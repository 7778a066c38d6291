"""``.zkey`` (Groth16): round trips, the lazy header, refusals, decoding speed."""

from __future__ import annotations

import dataclasses
import struct
import time
from pathlib import Path

import pytest
from hypothesis import given, settings

from zksolvency.bn254 import R
from zksolvency.circuit.formats.binfile import parse_binfile
from zksolvency.circuit.formats.codec import encode_g1_lem
from zksolvency.circuit.formats.zkey import (
    MATRIX_A,
    MATRIX_B,
    SNARKJS_SETUP_ZKEY_SECTION_ORDER,
    ZKEY_MAGIC,
    ZKEY_SECTION_A,
    ZKEY_SECTION_COEFFS,
    ZKEY_SECTION_GROTH16_HEADER,
    ZKEY_SECTION_H,
    ZKEY_SECTION_HEADER,
    ZKEY_SECTION_MPC,
    ZKEY_SECTION_ORDER,
    Groth16ZKey,
    MPCParams,
    ZKeyCoeff,
    ZKeyContribution,
    decode_mpc_params,
    decode_zkey,
    encode_mpc_params,
    encode_zkey,
    read_zkey,
    read_zkey_header,
    write_zkey,
)
from zksolvency.errors import FormatError

from .conftest import (
    G1_OFF_CURVE,
    G1_POOL,
    G2_POOL,
    add_section,
    mpc_params,
    replace_section,
    section,
    set_version,
    zkeys,
)

P1, P2, P3 = G1_POOL[1], G1_POOL[2], G1_POOL[3]
Q1, Q2 = G2_POOL[1], G2_POOL[2]

# n_vars = 4 (1, out, a, b), one public signal, domain 4.
ZKEY = Groth16ZKey(
    n_vars=4,
    n_public=1,
    domain_size=4,
    alpha1=P1,
    beta1=P2,
    beta2=Q1,
    gamma2=Q2,
    delta1=P3,
    delta2=Q1,
    ic=[P1, P2],
    coeffs=[
        ZKeyCoeff(MATRIX_A, 0, 2, R - 1),
        ZKeyCoeff(MATRIX_B, 0, 3, 1),
        ZKeyCoeff(MATRIX_A, 1, 0, 1),
        ZKeyCoeff(MATRIX_A, 2, 1, 1),
    ],
    a=[P1, None, P2, P3],
    b1=[None, None, None, P1],
    b2=[None, None, None, Q2],
    c=[P2, P3],
    h=[P1, P2, P3, P1],
    mpc=MPCParams(
        cs_hash=bytes(range(64)),
        contributions=[ZKeyContribution(P3, P1, P2, Q2, bytes(64), 0, "alice")],
    ),
)


@settings(max_examples=60, deadline=None)
@given(zkeys())
def test_zkey_round_trip(zkey: Groth16ZKey) -> None:
    assert decode_zkey(encode_zkey(zkey), "x.zkey") == zkey


@given(mpc_params)
def test_mpc_params_round_trip(mpc: MPCParams) -> None:
    assert decode_mpc_params(encode_mpc_params(mpc), "x.zkey") == mpc


def test_zkey_file_round_trip_in_id_order(tmp_path: Path) -> None:
    path = tmp_path / "x.zkey"
    write_zkey(path, ZKEY)
    assert read_zkey(path) == ZKEY
    assert parse_binfile(path.read_bytes(), ZKEY_MAGIC, "x").order == ZKEY_SECTION_ORDER


def test_zkey_can_be_written_in_snarkjs_setup_order() -> None:
    data = encode_zkey(ZKEY, section_order=SNARKJS_SETUP_ZKEY_SECTION_ORDER)
    assert parse_binfile(data, ZKEY_MAGIC, "x").order == SNARKJS_SETUP_ZKEY_SECTION_ORDER
    assert decode_zkey(data) == ZKEY
    with pytest.raises(ValueError, match="permutation"):
        encode_zkey(ZKEY, section_order=ZKEY_SECTION_ORDER[:-1])


def test_read_zkey_header_matches_the_full_decode(tmp_path: Path) -> None:
    path = tmp_path / "x.zkey"
    write_zkey(path, ZKEY)
    header = read_zkey_header(path)
    assert (header.n_vars, header.n_public, header.domain_size, header.n_coeffs) == (4, 1, 4, 4)
    assert (header.alpha1, header.beta1, header.beta2, header.gamma2) == (P1, P2, Q1, Q2)
    assert (header.delta1, header.delta2, header.ic) == (P3, Q1, [P1, P2])


def test_read_zkey_header_checks_big_section_sizes(tmp_path: Path) -> None:
    path = tmp_path / "x.zkey"
    data = encode_zkey(ZKEY)
    path.write_bytes(
        replace_section(data, ZKEY_MAGIC, ZKEY_SECTION_H, section(data, ZKEY_MAGIC, ZKEY_SECTION_H)[:-64])
    )
    with pytest.raises(FormatError, match=r"x.zkey: H section \(id 9\) has 192 bytes, expected 256"):
        read_zkey_header(path)


def test_zkey_groth16_header_layout() -> None:
    header = section(encode_zkey(ZKEY), ZKEY_MAGIC, ZKEY_SECTION_GROTH16_HEADER)
    assert len(header) == 660
    assert struct.unpack_from("<III", header, 72) == (4, 1, 4)
    assert header[84:148] == encode_g1_lem(P1)  # alpha1 right after the sizes


# --- refusals -------------------------------------------------------------------------


def _decode_with(section_id: int, payload: bytes | None) -> Groth16ZKey:
    return decode_zkey(replace_section(encode_zkey(ZKEY), ZKEY_MAGIC, section_id, payload), "x.zkey")


def test_zkey_refuses_plonk_and_fflonk_by_name() -> None:
    with pytest.raises(FormatError, match=r"x.zkey: header: protocol 2 \(plonk\) is not supported"):
        _decode_with(ZKEY_SECTION_HEADER, struct.pack("<I", 2))
    with pytest.raises(FormatError, match=r"protocol 10 \(fflonk\) is not supported"):
        _decode_with(ZKEY_SECTION_HEADER, struct.pack("<I", 10))


def test_zkey_names_the_protocol_before_complaining_about_its_sections(tmp_path: Path) -> None:
    data = replace_section(encode_zkey(ZKEY), ZKEY_MAGIC, ZKEY_SECTION_HEADER, struct.pack("<I", 2))
    plonk = add_section(data, ZKEY_MAGIC, 14, b"")  # plonk zkeys have sections past 10
    with pytest.raises(FormatError, match=r"protocol 2 \(plonk\) is not supported"):
        decode_zkey(plonk, "x.zkey")
    path = tmp_path / "plonk.zkey"
    path.write_bytes(plonk)
    with pytest.raises(FormatError, match=r"protocol 2 \(plonk\) is not supported"):
        read_zkey_header(path)


def test_zkey_refuses_another_curve() -> None:
    header = bytearray(section(encode_zkey(ZKEY), ZKEY_MAGIC, ZKEY_SECTION_GROTH16_HEADER))
    header[4:36] = (2**254 + 1).to_bytes(32, "little")
    with pytest.raises(FormatError, match=r"groth16 header section: q = .* is not BN254's"):
        _decode_with(ZKEY_SECTION_GROTH16_HEADER, bytes(header))


def test_zkey_refuses_a_groth16_header_of_the_wrong_size() -> None:
    header = section(encode_zkey(ZKEY), ZKEY_MAGIC, ZKEY_SECTION_GROTH16_HEADER)
    with pytest.raises(FormatError, match="groth16 header section: has 659 bytes, expected 660"):
        _decode_with(ZKEY_SECTION_GROTH16_HEADER, header[:-1])


def _header_with_sizes(n_vars: int, n_public: int, domain_size: int) -> bytes:
    header = bytearray(section(encode_zkey(ZKEY), ZKEY_MAGIC, ZKEY_SECTION_GROTH16_HEADER))
    header[72:84] = struct.pack("<III", n_vars, n_public, domain_size)
    return bytes(header)


def test_zkey_refuses_a_domain_size_not_a_power_of_two() -> None:
    with pytest.raises(FormatError, match="domainSize = 6 is not a power of two"):
        _decode_with(ZKEY_SECTION_GROTH16_HEADER, _header_with_sizes(4, 1, 6))


def test_zkey_refuses_more_public_signals_than_variables() -> None:
    with pytest.raises(FormatError, match=r"nVars = 4 is smaller than nPublic \+ 1 = 5"):
        _decode_with(ZKEY_SECTION_GROTH16_HEADER, _header_with_sizes(4, 4, 8))


def test_zkey_refuses_a_point_section_of_the_wrong_size() -> None:
    with pytest.raises(FormatError, match=r"x.zkey: A section \(id 5\) has 192 bytes, expected 4 points"):
        _decode_with(ZKEY_SECTION_A, encode_g1_lem(P1) * 3)


def test_zkey_refuses_a_point_off_the_curve() -> None:
    bad = encode_g1_lem(P1) * 2 + encode_g1_lem(G1_OFF_CURVE) + encode_g1_lem(P1)
    with pytest.raises(FormatError, match=r"x.zkey: A\[2\]: point is not on the G1 curve"):
        _decode_with(ZKEY_SECTION_A, bad)


def _coeffs_payload(*coeffs: tuple[int, int, int, int]) -> bytes:
    return struct.pack("<I", len(coeffs)) + b"".join(
        struct.pack("<III", m, c, s) + v.to_bytes(32, "little") for m, c, s, v in coeffs
    )


def test_zkey_accepts_a_hand_built_coefficient_section() -> None:
    coeffs = _decode_with(ZKEY_SECTION_COEFFS, _coeffs_payload((1, 3, 3, 0))).coeffs
    assert coeffs == [ZKeyCoeff(MATRIX_B, 3, 3, 0)]


def test_zkey_refuses_coefficient_indices_out_of_range() -> None:
    with pytest.raises(FormatError, match="coefficient 0: matrix 2 is neither A"):
        _decode_with(ZKEY_SECTION_COEFFS, _coeffs_payload((2, 0, 0, 0)))
    with pytest.raises(FormatError, match="coefficient 0: constraint 4 is not below domainSize = 4"):
        _decode_with(ZKEY_SECTION_COEFFS, _coeffs_payload((0, 4, 0, 0)))
    with pytest.raises(FormatError, match="coefficient 0: signal 4 is not below nVars = 4"):
        _decode_with(ZKEY_SECTION_COEFFS, _coeffs_payload((0, 0, 4, 0)))


def test_zkey_refuses_a_coefficient_value_not_below_r() -> None:
    with pytest.raises(FormatError, match=r"coefficients section: field element .* is not below the modulus"):
        _decode_with(ZKEY_SECTION_COEFFS, _coeffs_payload((0, 0, 0, R)))


def test_zkey_refuses_a_coefficient_count_that_does_not_match() -> None:
    payload = _coeffs_payload((0, 0, 0, 1))[:-1]
    with pytest.raises(
        FormatError, match=r"coefficients section: has 47 bytes, expected 4 \+ 1 coefficients"
    ):
        _decode_with(ZKEY_SECTION_COEFFS, payload)


def test_zkey_refuses_a_missing_or_unknown_section() -> None:
    with pytest.raises(FormatError, match=r"no MPC params section \(id 10\)"):
        _decode_with(ZKEY_SECTION_MPC, None)
    with pytest.raises(FormatError, match=r"unknown section id\(s\) \[11\]"):
        decode_zkey(add_section(encode_zkey(ZKEY), ZKEY_MAGIC, 11, b""), "x.zkey")


def test_zkey_refuses_a_wrong_magic_and_version() -> None:
    with pytest.raises(FormatError, match="not a zkey file"):
        decode_zkey(b"ptau" + encode_zkey(ZKEY)[4:], "x.zkey")
    with pytest.raises(FormatError, match="unsupported zkey version 2"):
        decode_zkey(set_version(encode_zkey(ZKEY), 2), "x.zkey")


def test_mpc_params_refuse_a_truncated_contribution() -> None:
    payload = encode_mpc_params(ZKEY.mpc)
    assert decode_mpc_params(payload, "x.zkey") == ZKEY.mpc
    with pytest.raises(FormatError, match=r"x.zkey: MPC params section: truncated"):
        decode_mpc_params(payload[:-1], "x.zkey")


def test_mpc_params_refuse_unsorted_params() -> None:
    payload = encode_mpc_params(ZKEY.mpc)
    name_params = struct.pack("<I", 7) + bytes([1, 5]) + b"alice"
    assert payload.endswith(name_params)
    unsorted = payload[: -len(name_params)] + struct.pack("<I", 9) + bytes([2, 3, 1, 5]) + b"alice"
    with pytest.raises(FormatError, match="contribution 0: params are not sorted by type"):
        decode_mpc_params(unsorted, "x.zkey")


def test_zkey_encoder_refuses_inconsistent_objects() -> None:
    with pytest.raises(FormatError, match="zkey: c has 1 points, expected 2"):
        encode_zkey(dataclasses.replace(ZKEY, c=[P1]))
    with pytest.raises(FormatError, match="zkey: domainSize = 3 is not a power of two"):
        encode_zkey(dataclasses.replace(ZKEY, domain_size=3))
    with pytest.raises(FormatError, match="coefficient 0: signal 9 is not below nVars = 4"):
        encode_zkey(dataclasses.replace(ZKEY, coeffs=[ZKeyCoeff(MATRIX_A, 0, 9, 1)]))
    with pytest.raises(FormatError, match="cs_hash: expected 64 bytes, got 3"):
        encode_zkey(dataclasses.replace(ZKEY, mpc=MPCParams(b"abc", [])))


# --- speed ---------------------------------------------------------------------------


def test_a_2_to_the_12_constraint_zkey_decodes_quickly() -> None:
    n = 1 << 12
    pts = [G1_POOL[1 + i % 7] for i in range(n)]
    zkey = dataclasses.replace(
        ZKEY,
        n_vars=n,
        domain_size=2 * n,
        coeffs=[ZKeyCoeff(i % 2, i, i, i + 1) for i in range(n)] * 3,
        a=pts,
        b1=pts,
        b2=[G2_POOL[1 + i % 4] for i in range(n)],
        c=pts[: n - 2],
        h=pts * 2,
    )
    data = encode_zkey(zkey)
    start = time.perf_counter()
    assert decode_zkey(data, "big.zkey") == zkey
    assert time.perf_counter() - start < 3.0
