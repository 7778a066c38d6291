"""Constraint systems (``.r1cs``, version 1), as written by circom 2.2.3 and read by snarkjs 0.7.6.

Layout inside the iden3 container (``binfile.py``), magic ``r1cs``, version 1,
everything little-endian (sources: iden3 ``r1csfile`` 0.0.48 ``src/r1csfile.js``
and circom's ``r1cs_bin_format.md``)::

    section 1 (header)
        n8            u32        bytes per field element (32 for BN254)
        prime         n8 bytes   the scalar field modulus r, LE
        nWires        u32        wires, including the constant wire 0
        nPubOut       u32        public outputs (wires 1 ..)
        nPubIn        u32        public inputs (after the outputs)
        nPrvIn        u32        private inputs (after the public inputs)
        nLabels       u64        signals before circom's simplification
        nConstraints  u32
    section 2 (constraints): nConstraints times A, B, C, each a linear combination
        nTerms        u32
        nTerms times: wireId u32, coeff n8 bytes LE normal form
    section 3 (wire -> label map): nWires times label u64
    sections 4, 5 (custom gates list / uses): PLONK only, refused here

A constraint says ``<A, w> * <B, w> = <C, w>`` over ``Fr``. circom writes the
sections in the order 2, 1, 3 (constraints before the header); pass
``section_order=CIRCOM_R1CS_SECTION_ORDER`` to reproduce its bytes exactly.
Terms are kept in file order; a wire appearing twice in one linear combination
is refused (snarkjs would silently keep only the last term).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.circuit.formats.binfile import (
    BinFile,
    Cursor,
    encode_binfile,
    parse_binfile,
    read_binfile,
    write_binfile,
)
from zksolvency.circuit.formats.codec import int_to_le, n8_for_prime
from zksolvency.errors import FormatError, InputError

R1CS_MAGIC = b"r1cs"
R1CS_VERSION = 1

R1CS_SECTION_HEADER = 1
R1CS_SECTION_CONSTRAINTS = 2
R1CS_SECTION_WIRE_TO_LABEL = 3
R1CS_SECTION_CUSTOM_GATES_LIST = 4
R1CS_SECTION_CUSTOM_GATES_USES = 5

#: The order our writer uses (and snarkjs's ``writeR1cs``).
R1CS_SECTION_ORDER = (R1CS_SECTION_HEADER, R1CS_SECTION_CONSTRAINTS, R1CS_SECTION_WIRE_TO_LABEL)
#: The order circom 2 writes: constraints first, then the header, then the map.
CIRCOM_R1CS_SECTION_ORDER = (R1CS_SECTION_CONSTRAINTS, R1CS_SECTION_HEADER, R1CS_SECTION_WIRE_TO_LABEL)

#: A linear combination: ``(wire, coefficient)`` terms in file order, coefficients in normal form.
LC = list[tuple[int, int]]
#: ``(A, B, C)`` with ``<A, w> * <B, w> = <C, w>``.
Constraint = tuple[LC, LC, LC]

_U32_MAX = (1 << 32) - 1
_U64_MAX = (1 << 64) - 1


@dataclass(frozen=True)
class R1CS:
    """A decoded ``.r1cs`` file. Wire 0 is the constant ``1``; public wires follow it."""

    prime: int
    n_wires: int
    n_outputs: int
    n_pub_inputs: int
    n_prv_inputs: int
    n_labels: int
    constraints: list[Constraint]
    wire_to_label: list[int]

    @property
    def n_public(self) -> int:
        """Public signals (outputs, then public inputs), not counting the constant wire."""
        return self.n_outputs + self.n_pub_inputs

    @property
    def n_constraints(self) -> int:
        return len(self.constraints)


# --- encoding -----------------------------------------------------------------


def _check(r1cs: R1CS, what: str) -> None:
    """Refuse to write what we would refuse to read."""
    if r1cs.prime != R:
        raise FormatError(f"{what}: prime {r1cs.prime} is not BN254's scalar field r")
    counts = {
        "n_wires": r1cs.n_wires,
        "n_outputs": r1cs.n_outputs,
        "n_pub_inputs": r1cs.n_pub_inputs,
        "n_prv_inputs": r1cs.n_prv_inputs,
        "n_constraints": len(r1cs.constraints),
    }
    for name, value in counts.items():
        if not 0 <= value <= _U32_MAX:
            raise FormatError(f"{what}: {name} = {value} does not fit in a u32")
    if not 0 <= r1cs.n_labels <= _U64_MAX:
        raise FormatError(f"{what}: n_labels = {r1cs.n_labels} does not fit in a u64")
    _check_counts(r1cs.n_wires, r1cs.n_outputs, r1cs.n_pub_inputs, r1cs.n_prv_inputs, what)
    if len(r1cs.wire_to_label) != r1cs.n_wires:
        raise FormatError(
            f"{what}: wire_to_label has {len(r1cs.wire_to_label)} entries, expected n_wires = {r1cs.n_wires}"
        )
    _check_labels(r1cs.wire_to_label, r1cs.n_labels, what)


def _check_counts(n_wires: int, n_out: int, n_pub: int, n_prv: int, what: str) -> None:
    if n_wires < 1 + n_out + n_pub + n_prv:
        raise FormatError(
            f"{what}: header: nWires = {n_wires} is smaller than 1 + outputs + inputs "
            f"= {1 + n_out + n_pub + n_prv}"
        )


def _check_labels(labels: Sequence[int], n_labels: int, what: str) -> None:
    for i, label in enumerate(labels):
        if not 0 <= label < n_labels:
            raise FormatError(f"{what}: wire_to_label[{i}] = {label} is not below nLabels = {n_labels}")


def _encode_lc(lc: LC, n_wires: int, out: bytearray, what: str) -> None:
    out += struct.pack("<I", len(lc))
    seen: set[int] = set()
    for wire, coeff in lc:
        if not 0 <= wire < n_wires:
            raise FormatError(f"{what}: wire {wire} is not below n_wires = {n_wires}")
        if wire in seen:
            raise FormatError(f"{what}: wire {wire} appears twice")
        seen.add(wire)
        if not 0 <= coeff < R:
            raise FormatError(f"{what}: coefficient of wire {wire} is not in [0, r)")
        out += struct.pack("<I", wire)
        out += coeff.to_bytes(32, "little")


def _sections(r1cs: R1CS, section_order: Sequence[int], what: str) -> list[tuple[int, bytes]]:
    _check(r1cs, what)
    n8 = n8_for_prime(r1cs.prime)
    header = (
        struct.pack("<I", n8)
        + int_to_le(r1cs.prime, n8)
        + struct.pack(
            "<IIIIQI",
            r1cs.n_wires,
            r1cs.n_outputs,
            r1cs.n_pub_inputs,
            r1cs.n_prv_inputs,
            r1cs.n_labels,
            len(r1cs.constraints),
        )
    )
    body = bytearray()
    for i, constraint in enumerate(r1cs.constraints):
        for name, lc in zip("ABC", constraint, strict=True):
            _encode_lc(lc, r1cs.n_wires, body, f"{what}: constraint {i} {name}")
    labels = struct.pack(f"<{r1cs.n_wires}Q", *r1cs.wire_to_label)
    payloads = {
        R1CS_SECTION_HEADER: header,
        R1CS_SECTION_CONSTRAINTS: bytes(body),
        R1CS_SECTION_WIRE_TO_LABEL: labels,
    }
    if sorted(section_order) != sorted(payloads):
        raise ValueError(f"section_order must be a permutation of {sorted(payloads)}, got {section_order}")
    return [(section_id, payloads[section_id]) for section_id in section_order]


def encode_r1cs(r1cs: R1CS, *, section_order: Sequence[int] = R1CS_SECTION_ORDER) -> bytes:
    """The ``.r1cs`` bytes (sections 1, 2, 3 unless ``section_order`` says otherwise)."""
    return b"".join(encode_binfile(R1CS_MAGIC, R1CS_VERSION, _sections(r1cs, section_order, "r1cs")))


def write_r1cs(
    path: str | os.PathLike[str], r1cs: R1CS, *, section_order: Sequence[int] = R1CS_SECTION_ORDER
) -> None:
    """Write a ``.r1cs`` file atomically."""
    write_binfile(path, R1CS_MAGIC, R1CS_VERSION, _sections(r1cs, section_order, str(path)))


# --- decoding -----------------------------------------------------------------


def decode_r1cs(data: bytes, what: str = "r1cs") -> R1CS:
    """Decode and validate a BN254 ``.r1cs`` file; ``what`` (the file name) prefixes errors."""
    return _decode(parse_binfile(data, R1CS_MAGIC, what), what)


def read_r1cs(path: str | os.PathLike[str]) -> R1CS:
    return _decode(read_binfile(path, R1CS_MAGIC), str(path))


def _decode(binfile: BinFile, what: str) -> R1CS:
    if binfile.version != R1CS_VERSION:
        raise FormatError(f"{what}: unsupported r1cs version {binfile.version} (expected {R1CS_VERSION})")
    if (
        R1CS_SECTION_CUSTOM_GATES_LIST in binfile.sections
        or R1CS_SECTION_CUSTOM_GATES_USES in binfile.sections
    ):
        raise FormatError(
            f"{what}: custom gates are unsupported (sections {R1CS_SECTION_CUSTOM_GATES_LIST}/"
            f"{R1CS_SECTION_CUSTOM_GATES_USES} are for PLONK; compile without custom templates)"
        )
    unknown = sorted(set(binfile.sections) - set(R1CS_SECTION_ORDER))
    if unknown:
        raise FormatError(f"{what}: unknown section id(s) {unknown}")

    header = Cursor(binfile.section(R1CS_SECTION_HEADER, "header"), f"{what}: header section")
    n8 = header.u32()
    if n8 != n8_for_prime(R):
        raise FormatError(f"{what}: header: field size n8 = {n8}, expected {n8_for_prime(R)} (BN254)")
    prime = header.int_le(n8)
    if prime != R:
        raise FormatError(
            f"{what}: header: prime {prime} is not BN254's scalar field r (compile with --prime bn128)"
        )
    n_wires = header.u32()
    n_outputs = header.u32()
    n_pub_inputs = header.u32()
    n_prv_inputs = header.u32()
    n_labels = header.u64()
    n_constraints = header.u32()
    header.done()
    _check_counts(n_wires, n_outputs, n_pub_inputs, n_prv_inputs, what)

    constraints = _decode_constraints(
        binfile.section(R1CS_SECTION_CONSTRAINTS, "constraints"), n_constraints, n_wires, n8, what
    )

    labels_payload = binfile.section(R1CS_SECTION_WIRE_TO_LABEL, "wire-to-label map")
    if len(labels_payload) != 8 * n_wires:
        raise FormatError(
            f"{what}: wire-to-label section has {len(labels_payload)} bytes, "
            f"expected 8 * nWires = {8 * n_wires}"
        )
    wire_to_label = list(struct.unpack(f"<{n_wires}Q", labels_payload))
    _check_labels(wire_to_label, n_labels, f"{what}: wire-to-label section")

    return R1CS(
        prime=prime,
        n_wires=n_wires,
        n_outputs=n_outputs,
        n_pub_inputs=n_pub_inputs,
        n_prv_inputs=n_prv_inputs,
        n_labels=n_labels,
        constraints=constraints,
        wire_to_label=wire_to_label,
    )


def _decode_constraints(
    payload: bytes, n_constraints: int, n_wires: int, n8: int, what: str
) -> list[Constraint]:
    size = len(payload)
    term = 4 + n8
    u32 = struct.Struct("<I").unpack_from
    from_bytes = int.from_bytes
    pos = 0
    constraints: list[Constraint] = []
    for i in range(n_constraints):
        lcs: list[LC] = []
        for k in range(3):
            if pos + 4 > size:
                raise FormatError(f"{what}: constraint {i} {'ABC'[k]}: constraints section truncated")
            n_terms = u32(payload, pos)[0]
            pos += 4
            end = pos + n_terms * term
            if end > size:
                raise FormatError(
                    f"{what}: constraint {i} {'ABC'[k]}: constraints section truncated "
                    f"({n_terms} terms announced)"
                )
            lc = [
                (u32(payload, p)[0], from_bytes(payload[p + 4 : p + term], "little"))
                for p in range(pos, end, term)
            ]
            if lc and (
                max([w for w, _ in lc]) >= n_wires
                or max([c for _, c in lc]) >= R
                or (n_terms > 1 and len({w for w, _ in lc}) != n_terms)
            ):
                _refuse_lc(lc, n_wires, f"{what}: constraint {i} {'ABC'[k]}")
            pos = end
            lcs.append(lc)
        constraints.append((lcs[0], lcs[1], lcs[2]))
    if pos != size:
        raise FormatError(
            f"{what}: constraints section has {size - pos} bytes after the {n_constraints} "
            "constraints the header announces"
        )
    return constraints


def _refuse_lc(lc: LC, n_wires: int, where: str) -> None:
    """Raise the error that ``lc`` deserves (called only once a check has failed)."""
    for wire, coeff in lc:
        if wire >= n_wires:
            raise FormatError(f"{where}: wire {wire} is not below nWires = {n_wires}")
        if coeff >= R:
            raise FormatError(f"{where}: coefficient of wire {wire} is not below r")
    raise FormatError(f"{where}: a wire appears twice in one linear combination")


# --- checking a witness ---------------------------------------------------------


def _eval(lc: LC, witness: Sequence[int]) -> int:
    return sum(coeff * witness[wire] for wire, coeff in lc) % R


def first_unsatisfied_constraint(r1cs: R1CS, witness: Sequence[int]) -> int | None:
    """Index of the first constraint with ``<A,w> * <B,w> != <C,w>`` (mod r), or ``None``.

    ``InputError`` if the witness has the wrong length, a value outside ``[0, r)``,
    or ``witness[0] != 1``.
    """
    if len(witness) != r1cs.n_wires:
        raise InputError(f"witness has {len(witness)} values, the circuit has {r1cs.n_wires} wires")
    if witness[0] != 1:
        raise InputError(f"witness[0] must be 1 (the constant wire), got {witness[0]}")
    for i, value in enumerate(witness):
        if not 0 <= value < R:
            raise InputError(f"witness[{i}] is not a field element (not in [0, r))")
    for i, (a, b, c) in enumerate(r1cs.constraints):
        if _eval(a, witness) * _eval(b, witness) % R != _eval(c, witness):
            return i
    return None
