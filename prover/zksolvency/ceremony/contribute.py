"""Add a contribution (random or beacon) to a proving key, streaming: one chunk of the key in memory.

A contribution with secret ``d`` (``groth16.phase2``): ``delta1, delta2``
times ``d``, every point of C and H divided by ``d``, the record appended to
the MPC section. Everything else is copied as it is. The output is written in
snarkjs's ``zkey contribute`` layout (sections in id order) through a
temporary file renamed into place, so a crash leaves no half-written key.

Before contributing, the input's chain is checked (``phase2_chain``): a
contribution on top of a broken chain would be wasted. That check does not
read the big sections; ``ceremony verify`` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from zksolvency.bn254 import N8, G1Point, R
from zksolvency.ceremony.beacon import beacon_delta_key
from zksolvency.ceremony.phase2_chain import Phase2Chain, check_chain
from zksolvency.ceremony.streams import CHUNK
from zksolvency.circuit.formats.binfile import StreamedSection, write_binfile_streamed
from zksolvency.circuit.formats.codec import G1_BYTES
from zksolvency.circuit.formats.ptau import MappedBinFile
from zksolvency.circuit.formats.zkey import (
    ZKEY_MAGIC,
    ZKEY_SECTION_C,
    ZKEY_SECTION_GROTH16_HEADER,
    ZKEY_SECTION_H,
    ZKEY_SECTION_MPC,
    ZKEY_SECTION_ORDER,
    ZKEY_VERSION,
    MPCParams,
    ZKeyContribution,
    ZKeyHeader,
    decode_mpc_params,
    encode_groth16_header,
    encode_mpc_params,
    read_zkey_layout,
)
from zksolvency.errors import InputError
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels.interface import SectionKernels
from zksolvency.groth16.phase2 import CONTRIBUTION_BEACON, contribution_hash, contribution_record, random_g1_s

#: Longest contributor name, in characters (snarkjs keeps 64 UTF-16 code units).
MAX_NAME = 64
#: Bytes copied per chunk.
_COPY = 4 << 20


def check_name(name: str) -> str:
    """``name`` if it can be recorded as is; ``InputError`` otherwise."""
    if not name.strip():
        raise InputError("--name is empty: give the name contributors will know you by")
    if len(name.encode("utf-16-le")) // 2 > MAX_NAME:
        raise InputError(f"--name is longer than {MAX_NAME} characters (snarkjs would cut it)")
    return name


def read_key_chain(path: str | os.PathLike[str]) -> tuple[ZKeyHeader, MPCParams]:
    """A key's header and MPC section; sizes of every section checked, big sections not read."""
    header, _ = read_zkey_layout(path)
    with MappedBinFile(path, ZKEY_MAGIC) as f:
        mpc = decode_mpc_params(f.section_bytes(ZKEY_SECTION_MPC, "MPC params"), str(path))
    return header, mpc


def _copied(f: MappedBinFile, section_id: int, size: int) -> Iterator[bytes]:
    for start in range(0, size, _COPY):
        yield f.read(section_id, f"section {section_id}", start, min(_COPY, size - start))


def _scaled(
    f: MappedBinFile, section_id: int, size: int, k: int, sections: SectionKernels
) -> Iterator[bytes]:
    step = CHUNK * G1_BYTES
    for start in range(0, size, step):
        chunk = f.read(section_id, f"section {section_id}", start, min(step, size - start))
        yield sections.scale_g1(chunk, k)


def write_contributed(
    src: str | os.PathLike[str],
    out: str | os.PathLike[str],
    header: ZKeyHeader,
    mpc: MPCParams,
    record: ZKeyContribution,
    delta_secret: int,
    sections: SectionKernels,
) -> None:
    """Write ``src`` after the contribution ``record`` of secret ``d`` to ``out`` (atomically)."""
    d = delta_secret % R
    d_inv = pow(d, -1, R)

    new_header = encode_groth16_header(
        header.n_vars,
        header.n_public,
        header.domain_size,
        header.alpha1,
        header.beta1,
        header.beta2,
        header.gamma2,
        record.delta_after,
        curve.g2_mul(header.delta2, d),
    )
    new_mpc = encode_mpc_params(MPCParams(mpc.cs_hash, [*mpc.contributions, record]))
    with MappedBinFile(src, ZKEY_MAGIC) as f:
        plan: list[StreamedSection] = []
        for section_id in ZKEY_SECTION_ORDER:
            size = f.section_size(section_id, f"section {section_id}")
            if section_id == ZKEY_SECTION_GROTH16_HEADER:
                plan.append((section_id, len(new_header), [new_header]))
            elif section_id == ZKEY_SECTION_MPC:
                plan.append((section_id, len(new_mpc), [new_mpc]))
            elif section_id in (ZKEY_SECTION_C, ZKEY_SECTION_H):
                plan.append((section_id, size, _scaled(f, section_id, size, d_inv, sections)))
            else:
                plan.append((section_id, size, _copied(f, section_id, size)))
        write_binfile_streamed(out, ZKEY_MAGIC, ZKEY_VERSION, plan)


def _contribute(
    src: Path,
    out: Path,
    delta_secret: int,
    g1_s: G1Point,
    name: str | None,
    sections: SectionKernels,
    beacon: tuple[bytes, int] | None = None,
) -> tuple[Phase2Chain, ZKeyContribution]:
    header, mpc = read_key_chain(src)
    chain = check_chain(sections, mpc, header.delta1, header.delta2)
    kind = CONTRIBUTION_BEACON if beacon else 0
    record, _, _ = contribution_record(mpc, header.delta1, header.delta2, delta_secret, g1_s, name, kind)
    if beacon is not None:
        record = replace(record, beacon_hash=beacon[0], num_iterations_exp=beacon[1])
    write_contributed(src, out, header, mpc, record, delta_secret, sections)
    return chain, record


def contribute_key(
    src: Path, out: Path, name: str, secrets: tuple[int, int], sections: SectionKernels
) -> tuple[Phase2Chain, bytes]:
    """A random contribution with ``secrets = (d, g1_s scalar)`` (``entropy.contribution_secrets``).

    Returns the input's verified chain and the new contribution's hash.
    """
    d, k = secrets
    chain, record = _contribute(src, out, d, random_g1_s(k), check_name(name), sections)
    return chain, contribution_hash(record)


def beacon_key(
    src: Path, out: Path, beacon: bytes, iterations_exp: int, name: str, sections: SectionKernels
) -> tuple[Phase2Chain, bytes]:
    """The beacon contribution of ``beacon`` (``ceremony.beacon``), as ``snarkjs zkey beacon`` makes it."""
    d, g1_s = beacon_delta_key(beacon, iterations_exp)
    chain, record = _contribute(src, out, d, g1_s, check_name(name), sections, (beacon, iterations_exp))
    return chain, contribution_hash(record)


__all__ = ["MAX_NAME", "N8", "beacon_key", "check_name", "contribute_key", "read_key_chain"]
