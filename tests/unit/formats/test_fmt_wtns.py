"""``.wtns``: round trips and the malformed files each check refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zksolvency.bn254 import Q, R
from zksolvency.circuit.formats.wtns import (
    WTNS_MAGIC,
    WTNS_SECTION_DATA,
    WTNS_SECTION_HEADER,
    decode_wtns,
    encode_wtns,
    read_wtns,
    write_wtns,
)
from zksolvency.errors import FormatError

from .conftest import fr_elements, replace_section, section, set_version

WITNESS = [1, 33, 3, 11]


@given(st.lists(fr_elements, max_size=20))
def test_wtns_round_trip(values: list[int]) -> None:
    assert decode_wtns(encode_wtns(values), "w.wtns") == values


def test_wtns_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "w.wtns"
    write_wtns(path, WITNESS)
    assert read_wtns(path) == WITNESS
    assert path.read_bytes() == encode_wtns(WITNESS)
    assert [p.name for p in path.parent.iterdir()] == ["w.wtns"]  # no temporary file left


def test_wtns_layout() -> None:
    data = encode_wtns(WITNESS)
    assert data[:12] == b"wtns" + (2).to_bytes(4, "little") + (2).to_bytes(4, "little")
    header = section(data, WTNS_MAGIC, WTNS_SECTION_HEADER)
    assert header == (32).to_bytes(4, "little") + R.to_bytes(32, "little") + (4).to_bytes(4, "little")
    assert section(data, WTNS_MAGIC, WTNS_SECTION_DATA)[32:64] == (33).to_bytes(32, "little")


def test_wtns_refuses_a_wrong_magic() -> None:
    with pytest.raises(FormatError, match=r"w.wtns: not a wtns file \(magic b'r1cs'\)"):
        decode_wtns(b"r1cs" + encode_wtns(WITNESS)[4:], "w.wtns")


def test_wtns_refuses_another_version() -> None:
    with pytest.raises(FormatError, match="unsupported wtns version 1"):
        decode_wtns(set_version(encode_wtns(WITNESS), 1), "w.wtns")


def test_wtns_refuses_another_prime() -> None:
    data = encode_wtns([1, 2], prime=Q)
    with pytest.raises(FormatError, match=r"w.wtns: header: prime .* is not BN254's scalar field r"):
        decode_wtns(data, "w.wtns")


def test_wtns_refuses_a_value_not_below_r() -> None:
    data = encode_wtns(WITNESS)
    payload = bytearray(section(data, WTNS_MAGIC, WTNS_SECTION_DATA))
    payload[64:96] = R.to_bytes(32, "little")
    with pytest.raises(FormatError, match=r"w.wtns: witness value\[2\]: field element .* is not below"):
        decode_wtns(replace_section(data, WTNS_MAGIC, WTNS_SECTION_DATA, bytes(payload)), "w.wtns")


def test_wtns_encoder_refuses_a_value_not_below_r() -> None:
    with pytest.raises(FormatError, match=r"wtns value\[1\]: .* is not a field element"):
        encode_wtns([1, R])


def test_wtns_refuses_a_data_section_of_the_wrong_size() -> None:
    data = encode_wtns(WITNESS)
    short = section(data, WTNS_MAGIC, WTNS_SECTION_DATA)[:-32]
    with pytest.raises(FormatError, match="data section has 96 bytes, header announces 4 values"):
        decode_wtns(replace_section(data, WTNS_MAGIC, WTNS_SECTION_DATA, short), "w.wtns")


def test_wtns_refuses_a_truncated_file() -> None:
    with pytest.raises(FormatError, match=r"w.wtns: section 2 runs past the end of the file"):
        decode_wtns(encode_wtns(WITNESS)[:-1], "w.wtns")


def test_wtns_refuses_a_missing_data_section() -> None:
    data = replace_section(encode_wtns(WITNESS), WTNS_MAGIC, WTNS_SECTION_DATA, None)
    with pytest.raises(FormatError, match=r"no data section \(id 2\)"):
        decode_wtns(data, "w.wtns")


def test_wtns_refuses_a_header_with_trailing_bytes() -> None:
    data = encode_wtns(WITNESS)
    header = section(data, WTNS_MAGIC, WTNS_SECTION_HEADER) + b"\x00"
    with pytest.raises(FormatError, match="header section: 1 unexpected trailing bytes"):
        decode_wtns(replace_section(data, WTNS_MAGIC, WTNS_SECTION_HEADER, header), "w.wtns")
