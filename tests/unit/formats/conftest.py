"""Shared by the format tests: Hypothesis strategies and byte-surgery helpers (imported as ``.conftest``).

Points come from a small pool of multiples of the generators (computed once:
scalar multiplication is far too slow to do per example) plus infinity; the
encoders do not care which valid points they get.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from py_ecc import optimized_bn128 as bn

from zksolvency.bn254 import G1Point, G2Point, Q, R
from zksolvency.circuit.formats.binfile import encode_binfile, parse_binfile
from zksolvency.circuit.formats.ptau import PTauContribution, PTauPublicKey
from zksolvency.circuit.formats.r1cs import R1CS
from zksolvency.circuit.formats.zkey import (
    Groth16ZKey,
    MPCParams,
    ZKeyCoeff,
    ZKeyContribution,
)

# out = (a * b) * (a + 1): wires 0 = 1, 1 = out, 2 = a (public input), 3 = b (private), 4 = t.
SAMPLE_R1CS = R1CS(
    prime=R,
    n_wires=5,
    n_outputs=1,
    n_pub_inputs=1,
    n_prv_inputs=1,
    n_labels=5,
    constraints=[
        ([(2, 1)], [(3, 1)], [(4, 1)]),
        ([(4, 1)], [(2, 1), (0, 1)], [(1, 1)]),
    ],
    wire_to_label=[0, 1, 2, 3, 4],
)
SAMPLE_WITNESS = [1, 132, 3, 11, 33]


def _g1(k: int) -> G1Point:
    x, y = bn.normalize(bn.multiply(bn.G1, k))
    return (int(x.n), int(y.n))


def _g2(k: int) -> G2Point:
    x, y = bn.normalize(bn.multiply(bn.G2, k))
    return ((int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1])))


_SCALARS = (1, 2, 3, 5, 7, R - 1, 2**200 + 11)
G1_POOL: list[G1Point] = [None, *(_g1(k) for k in _SCALARS)]
G2_POOL: list[G2Point] = [None, *(_g2(k) for k in _SCALARS[:4])]

#: A point with coordinates below q that is not on the curve (y^2 = x^3 + 3 fails for (1, 1)).
G1_OFF_CURVE = (1, 1)
G2_OFF_CURVE = ((1, 0), (1, 0))

g1_points = st.sampled_from(G1_POOL)
g2_points = st.sampled_from(G2_POOL)
fr_elements = st.one_of(st.sampled_from([0, 1, 2, R - 1]), st.integers(0, R - 1))
fq_elements = st.one_of(st.sampled_from([0, 1, Q - 1]), st.integers(0, Q - 1))
hashes64 = st.binary(min_size=64, max_size=64)
names = st.none() | st.text(max_size=40)
small_u8 = st.none() | st.integers(0, 255)
beacons = st.none() | st.binary(max_size=64)


# --- r1cs ----------------------------------------------------------------------------


@st.composite
def r1cs_objects(draw: Any) -> R1CS:
    n_outputs = draw(st.integers(0, 3))
    n_pub = draw(st.integers(0, 3))
    n_prv = draw(st.integers(0, 3))
    n_wires = 1 + n_outputs + n_pub + n_prv + draw(st.integers(0, 4))
    lc = st.lists(st.tuples(st.integers(0, n_wires - 1), fr_elements), unique_by=lambda t: t[0], max_size=4)
    constraints = draw(st.lists(st.tuples(lc, lc, lc), max_size=5))
    n_labels = n_wires + draw(st.integers(0, 5))
    labels = draw(st.lists(st.integers(0, n_labels - 1), min_size=n_wires, max_size=n_wires))
    return R1CS(
        prime=R,
        n_wires=n_wires,
        n_outputs=n_outputs,
        n_pub_inputs=n_pub,
        n_prv_inputs=n_prv,
        n_labels=n_labels,
        constraints=constraints,
        wire_to_label=labels,
    )


# --- zkey ----------------------------------------------------------------------------


zkey_contributions = st.builds(
    ZKeyContribution,
    delta_after=g1_points,
    g1_s=g1_points,
    g1_sx=g1_points,
    g2_spx=g2_points,
    transcript=hashes64,
    type=st.integers(0, 2**32 - 1),
    name=names,
    num_iterations_exp=small_u8,
    beacon_hash=beacons,
)
mpc_params = st.builds(MPCParams, cs_hash=hashes64, contributions=st.lists(zkey_contributions, max_size=3))


@st.composite
def zkeys(draw: Any) -> Groth16ZKey:
    n_public = draw(st.integers(0, 3))
    n_vars = n_public + 1 + draw(st.integers(0, 4))
    domain_size = 1 << draw(st.integers((n_public).bit_length(), 4))
    coeff = st.builds(
        ZKeyCoeff,
        matrix=st.integers(0, 1),
        constraint=st.integers(0, domain_size - 1),
        signal=st.integers(0, n_vars - 1),
        value=fr_elements,
    )

    def g1s(n: int) -> list[G1Point]:
        return draw(st.lists(g1_points, min_size=n, max_size=n))  # type: ignore[no-any-return]

    return Groth16ZKey(
        n_vars=n_vars,
        n_public=n_public,
        domain_size=domain_size,
        alpha1=draw(g1_points),
        beta1=draw(g1_points),
        beta2=draw(g2_points),
        gamma2=draw(g2_points),
        delta1=draw(g1_points),
        delta2=draw(g2_points),
        ic=g1s(n_public + 1),
        coeffs=draw(st.lists(coeff, max_size=8)),
        a=g1s(n_vars),
        b1=g1s(n_vars),
        b2=draw(st.lists(g2_points, min_size=n_vars, max_size=n_vars)),
        c=g1s(n_vars - n_public - 1),
        h=g1s(domain_size),
        mpc=draw(mpc_params),
    )


# --- ptau ----------------------------------------------------------------------------


ptau_public_keys = st.builds(
    PTauPublicKey,
    tau_g1_s=g1_points,
    tau_g1_sx=g1_points,
    alpha_g1_s=g1_points,
    alpha_g1_sx=g1_points,
    beta_g1_s=g1_points,
    beta_g1_sx=g1_points,
    tau_g2_spx=g2_points,
    alpha_g2_spx=g2_points,
    beta_g2_spx=g2_points,
)
ptau_contributions = st.builds(
    PTauContribution,
    tau_g1=g1_points,
    tau_g2=g2_points,
    alpha_g1=g1_points,
    beta_g1=g1_points,
    beta_g2=g2_points,
    key=ptau_public_keys,
    partial_hash=st.binary(min_size=216, max_size=216),
    next_challenge=hashes64,
    type=st.integers(0, 2**32 - 1),
    name=names,
    num_iterations_exp=small_u8,
    beacon_hash=beacons,
)


# --- byte surgery ----------------------------------------------------------------------


def replace_section(data: bytes, magic: bytes, section_id: int, payload: bytes | None) -> bytes:
    """``data`` with one section's payload replaced (``None``: the section removed)."""
    binfile = parse_binfile(data, magic, "test")
    sections: list[tuple[int, bytes]] = []
    for sid in binfile.order:
        if sid != section_id:
            sections.append((sid, binfile.sections[sid]))
        elif payload is not None:
            sections.append((sid, payload))
    return b"".join(encode_binfile(magic, binfile.version, sections))


def add_section(data: bytes, magic: bytes, section_id: int, payload: bytes) -> bytes:
    binfile = parse_binfile(data, magic, "test")
    sections = [(sid, binfile.sections[sid]) for sid in binfile.order] + [(section_id, payload)]
    return b"".join(encode_binfile(magic, binfile.version, sections))


def section(data: bytes, magic: bytes, section_id: int) -> bytes:
    return parse_binfile(data, magic, "test").sections[section_id]


def set_version(data: bytes, version: int) -> bytes:
    return data[:4] + version.to_bytes(4, "little") + data[8:]
