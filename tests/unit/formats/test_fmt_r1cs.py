"""``.r1cs``: round trips, refusals, and the witness check."""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

import pytest
from hypothesis import given

from zksolvency.bn254 import R
from zksolvency.circuit.formats.binfile import parse_binfile
from zksolvency.circuit.formats.r1cs import (
    CIRCOM_R1CS_SECTION_ORDER,
    R1CS,
    R1CS_MAGIC,
    R1CS_SECTION_CONSTRAINTS,
    R1CS_SECTION_CUSTOM_GATES_LIST,
    R1CS_SECTION_HEADER,
    R1CS_SECTION_WIRE_TO_LABEL,
    decode_r1cs,
    encode_r1cs,
    first_unsatisfied_constraint,
    read_r1cs,
    write_r1cs,
)
from zksolvency.errors import FormatError, InputError

from .conftest import (
    SAMPLE_R1CS,
    SAMPLE_WITNESS,
    add_section,
    r1cs_objects,
    replace_section,
    section,
    set_version,
)

# The shared sample circuit, with a gap in its labels (label 4 optimised away, as circom does).
CIRCUIT = dataclasses.replace(SAMPLE_R1CS, n_labels=6, wire_to_label=[0, 1, 2, 3, 5])
WITNESS = SAMPLE_WITNESS


@given(r1cs_objects())
def test_r1cs_round_trip(r1cs: R1CS) -> None:
    assert decode_r1cs(encode_r1cs(r1cs), "x.r1cs") == r1cs


@given(r1cs_objects())
def test_r1cs_section_order_changes_only_the_order(r1cs: R1CS) -> None:
    data = encode_r1cs(r1cs, section_order=CIRCOM_R1CS_SECTION_ORDER)
    assert parse_binfile(data, R1CS_MAGIC, "x").order == CIRCOM_R1CS_SECTION_ORDER
    assert decode_r1cs(data, "x.r1cs") == r1cs


def test_r1cs_refuses_a_section_order_that_is_not_a_permutation() -> None:
    with pytest.raises(ValueError, match="permutation"):
        encode_r1cs(CIRCUIT, section_order=(1, 2))


def test_r1cs_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "x.r1cs"
    write_r1cs(path, CIRCUIT)
    assert read_r1cs(path) == CIRCUIT
    assert CIRCUIT.n_public == 2 and CIRCUIT.n_constraints == 2


def test_r1cs_header_layout() -> None:
    header = section(encode_r1cs(CIRCUIT), R1CS_MAGIC, R1CS_SECTION_HEADER)
    assert header[:36] == (32).to_bytes(4, "little") + R.to_bytes(32, "little")
    assert struct.unpack("<IIIIQI", header[36:]) == (5, 1, 1, 1, 6, 2)


def _with(**changes: object) -> R1CS:
    return dataclasses.replace(CIRCUIT, **changes)  # type: ignore[arg-type]


def test_first_unsatisfied_constraint() -> None:
    assert first_unsatisfied_constraint(CIRCUIT, WITNESS) is None
    assert first_unsatisfied_constraint(CIRCUIT, [1, 132, 3, 11, 34]) == 0
    assert first_unsatisfied_constraint(CIRCUIT, [1, 131, 3, 11, 33]) == 1


def test_first_unsatisfied_constraint_works_mod_r() -> None:
    # a = -1: t = -b, out = t * 0 = 0, all mod r.
    assert first_unsatisfied_constraint(CIRCUIT, [1, 0, R - 1, 11, R - 11]) is None
    assert first_unsatisfied_constraint(CIRCUIT, [1, 0, R - 1, 11, 11]) == 0


def test_first_unsatisfied_constraint_refuses_bad_witnesses() -> None:
    with pytest.raises(InputError, match="witness has 4 values, the circuit has 5 wires"):
        first_unsatisfied_constraint(CIRCUIT, WITNESS[:4])
    with pytest.raises(InputError, match=r"witness\[0\] must be 1"):
        first_unsatisfied_constraint(CIRCUIT, [2, *WITNESS[1:]])
    with pytest.raises(InputError, match=r"witness\[3\] is not a field element"):
        first_unsatisfied_constraint(CIRCUIT, [1, 132, 3, 11 + R, 33])


# --- refusals -----------------------------------------------------------------------


def _constraints_payload(*lcs: list[tuple[int, int]]) -> bytes:
    out = b""
    for lc in lcs:
        out += struct.pack("<I", len(lc)) + b"".join(
            struct.pack("<I", w) + c.to_bytes(32, "little") for w, c in lc
        )
    return out


def _one_constraint_file(*lcs: list[tuple[int, int]]) -> bytes:
    """CIRCUIT's file with one constraint made of ``lcs`` (header count adjusted)."""
    data = encode_r1cs(dataclasses.replace(CIRCUIT, constraints=[CIRCUIT.constraints[0]]))
    return replace_section(data, R1CS_MAGIC, R1CS_SECTION_CONSTRAINTS, _constraints_payload(*lcs))


def test_r1cs_accepts_the_hand_built_constraint() -> None:
    data = _one_constraint_file([(2, 1)], [(3, 1)], [(4, 1)])
    assert decode_r1cs(data, "x.r1cs").constraints == [CIRCUIT.constraints[0]]


def test_r1cs_refuses_a_wire_not_below_n_wires() -> None:
    data = _one_constraint_file([(2, 1)], [(5, 1)], [(4, 1)])
    with pytest.raises(FormatError, match=r"x.r1cs: constraint 0 B: wire 5 is not below nWires = 5"):
        decode_r1cs(data, "x.r1cs")


def test_r1cs_refuses_a_coefficient_not_below_r() -> None:
    data = _one_constraint_file([(2, 1)], [(3, 1)], [(4, R)])
    with pytest.raises(FormatError, match="constraint 0 C: coefficient of wire 4 is not below r"):
        decode_r1cs(data, "x.r1cs")


def test_r1cs_refuses_a_wire_twice_in_one_combination() -> None:
    data = _one_constraint_file([(2, 1), (2, 5)], [(3, 1)], [(4, 1)])
    with pytest.raises(FormatError, match="constraint 0 A: a wire appears twice"):
        decode_r1cs(data, "x.r1cs")


def test_r1cs_refuses_a_truncated_constraint() -> None:
    data = _one_constraint_file([(2, 1)], [(3, 1)], [(4, 1)])
    payload = section(data, R1CS_MAGIC, R1CS_SECTION_CONSTRAINTS)[:-1]
    with pytest.raises(
        FormatError, match=r"constraint 0 C: constraints section truncated \(1 terms announced\)"
    ):
        decode_r1cs(replace_section(data, R1CS_MAGIC, R1CS_SECTION_CONSTRAINTS, payload), "x.r1cs")


def test_r1cs_refuses_more_constraints_than_announced() -> None:
    data = _one_constraint_file([(2, 1)], [(3, 1)], [(4, 1)])
    payload = section(data, R1CS_MAGIC, R1CS_SECTION_CONSTRAINTS) * 2
    with pytest.raises(FormatError, match="after the 1 constraints the header announces"):
        decode_r1cs(replace_section(data, R1CS_MAGIC, R1CS_SECTION_CONSTRAINTS, payload), "x.r1cs")


def test_r1cs_refuses_custom_gates() -> None:
    data = add_section(encode_r1cs(CIRCUIT), R1CS_MAGIC, R1CS_SECTION_CUSTOM_GATES_LIST, bytes(4))
    with pytest.raises(FormatError, match="custom gates are unsupported"):
        decode_r1cs(data, "x.r1cs")


def test_r1cs_refuses_an_unknown_section() -> None:
    data = add_section(encode_r1cs(CIRCUIT), R1CS_MAGIC, 9, b"")
    with pytest.raises(FormatError, match=r"unknown section id\(s\) \[9\]"):
        decode_r1cs(data, "x.r1cs")


def test_r1cs_refuses_another_prime() -> None:
    data = encode_r1cs(CIRCUIT)
    header = bytearray(section(data, R1CS_MAGIC, R1CS_SECTION_HEADER))
    header[4:36] = (R - 2).to_bytes(32, "little")
    with pytest.raises(FormatError, match="is not BN254's scalar field r"):
        decode_r1cs(replace_section(data, R1CS_MAGIC, R1CS_SECTION_HEADER, bytes(header)), "x.r1cs")


def test_r1cs_refuses_too_few_wires_for_its_inputs() -> None:
    data = encode_r1cs(CIRCUIT)
    header = bytearray(section(data, R1CS_MAGIC, R1CS_SECTION_HEADER))
    header[48:52] = (4).to_bytes(4, "little")  # nPrvIn 1 -> 4: 1 + 1 + 1 + 4 > 5 wires
    with pytest.raises(FormatError, match=r"nWires = 5 is smaller than 1 \+ outputs \+ inputs = 7"):
        decode_r1cs(replace_section(data, R1CS_MAGIC, R1CS_SECTION_HEADER, bytes(header)), "x.r1cs")


def test_r1cs_refuses_a_label_map_of_the_wrong_size() -> None:
    data = encode_r1cs(CIRCUIT)
    labels = section(data, R1CS_MAGIC, R1CS_SECTION_WIRE_TO_LABEL)[:-8]
    with pytest.raises(FormatError, match=r"wire-to-label section has 32 bytes, expected 8 \* nWires = 40"):
        decode_r1cs(replace_section(data, R1CS_MAGIC, R1CS_SECTION_WIRE_TO_LABEL, labels), "x.r1cs")


def test_r1cs_refuses_a_label_not_below_n_labels() -> None:
    data = encode_r1cs(CIRCUIT)
    labels = section(data, R1CS_MAGIC, R1CS_SECTION_WIRE_TO_LABEL)[:-8] + struct.pack("<Q", 6)
    with pytest.raises(FormatError, match=r"wire_to_label\[4\] = 6 is not below nLabels = 6"):
        decode_r1cs(replace_section(data, R1CS_MAGIC, R1CS_SECTION_WIRE_TO_LABEL, labels), "x.r1cs")


def test_r1cs_refuses_a_wrong_magic_and_version() -> None:
    data = encode_r1cs(CIRCUIT)
    with pytest.raises(FormatError, match="not a r1cs file"):
        decode_r1cs(b"wtns" + data[4:], "x.r1cs")
    with pytest.raises(FormatError, match="unsupported r1cs version 2"):
        decode_r1cs(set_version(data, 2), "x.r1cs")


def test_r1cs_encoder_refuses_what_the_decoder_would() -> None:
    with pytest.raises(FormatError, match="wire 7 is not below n_wires = 5"):
        encode_r1cs(_with(constraints=[([(7, 1)], [], [])]))
    with pytest.raises(FormatError, match="coefficient of wire 1 is not in"):
        encode_r1cs(_with(constraints=[([(1, R)], [], [])]))
    with pytest.raises(FormatError, match="wire 1 appears twice"):
        encode_r1cs(_with(constraints=[([(1, 1), (1, 2)], [], [])]))
    with pytest.raises(FormatError, match="wire_to_label has 4 entries, expected n_wires = 5"):
        encode_r1cs(_with(wire_to_label=[0, 1, 2, 3]))
    with pytest.raises(FormatError, match=r"prime .* is not BN254's"):
        encode_r1cs(_with(prime=R + 2))
