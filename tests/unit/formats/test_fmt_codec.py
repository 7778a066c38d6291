"""The codec: LE / LEM / U encodings, the zkey coefficient factor, contribution params."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, Q, R
from zksolvency.circuit.formats.binfile import Cursor
from zksolvency.circuit.formats.codec import (
    MONT_Q,
    decode_contribution_params,
    decode_fe,
    decode_fe_many,
    decode_fq_lem,
    decode_fr_lem,
    decode_g1_lem,
    decode_g1_lem_many,
    decode_g2_lem,
    decode_zkey_coeff,
    encode_contribution_params,
    encode_fe,
    encode_fe_many,
    encode_fq_lem,
    encode_fr_lem,
    encode_g1_lem,
    encode_g1_lem_many,
    encode_g1_u,
    encode_g2_lem,
    encode_g2_u,
    encode_zkey_coeff,
    n8_for_prime,
)
from zksolvency.errors import FormatError

from .conftest import (
    G1_OFF_CURVE,
    G1_POOL,
    G2_OFF_CURVE,
    fq_elements,
    fr_elements,
    g1_points,
    g2_points,
)

# --- field elements ---------------------------------------------------------------------


@given(fq_elements)
def test_fq_lem_round_trip(x: int) -> None:
    assert decode_fq_lem(encode_fq_lem(x), "x") == x


def test_fq_lem_of_one_is_the_montgomery_radix() -> None:
    assert encode_fq_lem(1) == MONT_Q.to_bytes(32, "little")


def test_fq_lem_refuses_a_raw_value_not_below_q() -> None:
    with pytest.raises(FormatError, match="x: Montgomery coordinate is not below q"):
        decode_fq_lem(Q.to_bytes(32, "little"), "x")


@given(fr_elements)
def test_fr_lem_round_trip(x: int) -> None:
    assert decode_fr_lem(encode_fr_lem(x), "x") == x


def test_fr_lem_refuses_a_raw_value_not_below_r() -> None:
    with pytest.raises(FormatError, match="not below r"):
        decode_fr_lem(R.to_bytes(32, "little"), "x")


@given(fr_elements)
def test_zkey_coeff_round_trip(c: int) -> None:
    assert decode_zkey_coeff(encode_zkey_coeff(c)) == c


def test_zkey_coeff_stores_c_times_2_to_the_512() -> None:
    assert encode_zkey_coeff(1) == (pow(2, 512, R)).to_bytes(32, "little")


def test_zkey_coeff_refuses_a_stored_value_not_below_r() -> None:
    with pytest.raises(FormatError, match=r"coeff 7: field element .* is not below the modulus"):
        decode_zkey_coeff(R.to_bytes(32, "little"), "coeff 7")


@given(st.lists(fr_elements, max_size=10))
def test_fe_many_round_trip(values: list[int]) -> None:
    assert decode_fe_many(encode_fe_many(values, R, "v"), R, "v") == values


def test_fe_many_names_the_first_value_not_below_the_modulus() -> None:
    data = (5).to_bytes(32, "little") + R.to_bytes(32, "little")
    with pytest.raises(FormatError, match=r"v\[1\]: field element .* is not below the modulus"):
        decode_fe_many(data, R, "v")


def test_fe_many_refuses_a_length_not_a_multiple_of_n8() -> None:
    with pytest.raises(FormatError, match="length 33 is not a multiple of 32"):
        decode_fe_many(bytes(33), R, "v")


def test_encode_fe_refuses_values_outside_the_field() -> None:
    assert decode_fe(encode_fe(R - 1, R, "v"), R, "v") == R - 1
    with pytest.raises(FormatError, match="not a field element"):
        encode_fe(R, R, "v")
    with pytest.raises(FormatError, match=r"v\[0\]: -1 is not a field element"):
        encode_fe_many([-1], R, "v")


def test_n8_for_prime_counts_whole_64_bit_limbs() -> None:
    assert n8_for_prime(R) == n8_for_prime(Q) == 32
    assert n8_for_prime(2**64 - 59) == 8
    assert n8_for_prime(2**64 + 13) == 16


# --- points ---------------------------------------------------------------------------


@given(g1_points)
def test_g1_lem_round_trip(p: object) -> None:
    assert decode_g1_lem(encode_g1_lem(p), "p") == p  # type: ignore[arg-type]


@given(g2_points)
def test_g2_lem_round_trip(p: object) -> None:
    assert decode_g2_lem(encode_g2_lem(p), "p") == p  # type: ignore[arg-type]


def test_infinity_is_all_zero_bytes_in_lem_and_u() -> None:
    assert encode_g1_lem(None) == bytes(64) and decode_g1_lem(bytes(64)) is None
    assert encode_g2_lem(None) == bytes(128) and decode_g2_lem(bytes(128)) is None
    assert encode_g1_u(None) == bytes(64) and encode_g2_u(None) == bytes(128)


def test_g1_lem_refuses_a_point_off_the_curve() -> None:
    with pytest.raises(FormatError, match="alpha1: point is not on the G1 curve"):
        decode_g1_lem(encode_g1_lem(G1_OFF_CURVE), "alpha1")


def test_g2_lem_refuses_a_point_off_the_curve() -> None:
    with pytest.raises(FormatError, match="beta2: point is not on the G2 curve"):
        decode_g2_lem(encode_g2_lem(G2_OFF_CURVE), "beta2")


def test_g1_lem_refuses_a_wrong_length() -> None:
    with pytest.raises(FormatError, match="expected 64 bytes, got 63"):
        decode_g1_lem(bytes(63), "p")


def test_g1_lem_many_names_the_bad_point() -> None:
    data = encode_g1_lem_many([G1_POOL[1], G1_OFF_CURVE, G1_POOL[2]])
    assert decode_g1_lem_many(encode_g1_lem_many(G1_POOL), "A") == G1_POOL
    with pytest.raises(FormatError, match=r"A\[1\]: point is not on the G1 curve"):
        decode_g1_lem_many(data, "A")


def test_u_encoding_is_big_endian_with_fq2_high_part_first() -> None:
    assert G1_GENERATOR is not None and G2_GENERATOR is not None
    assert encode_g1_u(G1_GENERATOR) == (1).to_bytes(32, "big") + (2).to_bytes(32, "big")
    (x0, x1), (y0, y1) = G2_GENERATOR
    expected = b"".join(c.to_bytes(32, "big") for c in (x1, x0, y1, y0))
    assert encode_g2_u(G2_GENERATOR) == expected
    assert encode_g2_u(G2_GENERATOR) != b"".join(c.to_bytes(32, "big") for c in (x0, x1, y0, y1))


# --- contribution params -----------------------------------------------------------------

params = st.tuples(
    st.none() | st.text(max_size=64),
    st.none() | st.integers(0, 255),
    st.none() | st.binary(max_size=255),
)


@given(params)
def test_contribution_params_round_trip(p: tuple[str | None, int | None, bytes | None]) -> None:
    data = encode_contribution_params(*p, what="c")
    cur = Cursor(data, "c")
    assert decode_contribution_params(cur, "c") == p
    cur.done()


def test_contribution_params_layout_matches_snarkjs() -> None:
    data = encode_contribution_params("ab", 10, b"\x01\x02", "c")
    assert data == (10).to_bytes(4, "little") + bytes([1, 2]) + b"ab" + bytes([2, 10]) + bytes([3, 2, 1, 2])
    assert encode_contribution_params(None, None, None, "c") == bytes(4)


def _decode_params(raw: bytes) -> tuple[str | None, int | None, bytes | None]:
    return decode_contribution_params(Cursor(len(raw).to_bytes(4, "little") + raw, "c"), "contribution 3")


def test_contribution_params_refuse_unsorted_types() -> None:
    assert _decode_params(bytes([1, 1]) + b"n" + bytes([2, 5])) == ("n", 5, None)
    with pytest.raises(FormatError, match="contribution 3: params are not sorted by type"):
        _decode_params(bytes([2, 5, 1, 1]) + b"n")


def test_contribution_params_refuse_an_unknown_type() -> None:
    with pytest.raises(FormatError, match="unknown parameter type 4"):
        _decode_params(bytes([4, 0]))


def test_contribution_params_refuse_a_name_that_is_not_utf8() -> None:
    with pytest.raises(FormatError, match="name is not valid UTF-8"):
        _decode_params(bytes([1, 1, 0xFF]))


def test_contribution_params_refuse_a_value_running_past_param_length() -> None:
    with pytest.raises(FormatError, match="params: truncated"):
        _decode_params(bytes([3, 10, 1, 2]))


def test_contribution_params_refuse_values_that_do_not_fit() -> None:
    with pytest.raises(FormatError, match="at most 255 fit"):
        encode_contribution_params("é" * 128, None, None, "c")
    with pytest.raises(FormatError, match="does not fit in a u8"):
        encode_contribution_params(None, 256, None, "c")
    with pytest.raises(FormatError, match="beacon hash is 256 bytes"):
        encode_contribution_params(None, None, bytes(256), "c")
