"""Witness-shaped scalars through the native MSM paths: mostly 0 and 1, some -1 and small negatives.

A solvency batch witness is about 72% zeros, 11% ones and 1% values below 2^64 (either sign;
a negative ``-x`` is the field element ``r - x``); the rest are Poseidon's dense values
(``docs/native.md``). The native MSM drops zeros, sums the points of ``1`` and ``-1`` in one
batch-affine bucket, and gives the Pippenger ``x`` and ``-P`` for ``r - x`` in G1. These tests
use enough terms of each kind (64 or more) for every part to take its real path, not the
small-input fallback.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from zksolvency import _native
from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, R
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES, decode_g1_lem, decode_g2_lem
from zksolvency.circuit.formats.ptau import PTAU_SECTION_TAU_G1, PTAU_SECTION_TAU_G2, PTauFile
from zksolvency.circuit.formats.r1cs import LC, R1CS, Constraint, first_unsatisfied_constraint
from zksolvency.groth16.curve import g1_mul, g2_mul
from zksolvency.groth16.kernels import NativeKernels, PythonKernels
from zksolvency.groth16.kernels.native import scalars_to_bytes
from zksolvency.groth16.native_ptau_dev import dev_ptau_points
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.ptau_dev import DevSecrets, generate_dev_ptau
from zksolvency.groth16.setup import new_zkey
from zksolvency.groth16.verify import verify
from zksolvency.groth16.vkey import export_vkey

#: Pinned toxic waste (tests only): the MSM bases are ``tau^i G``.
DEV = DevSecrets(tau=0x5EED_0F_7A0, alpha=3, beta=5)
POWER = 12
M = 1 << POWER


def witness_shaped(rng: random.Random, m: int) -> list[int]:
    """Zeros, ones, -1, small and small negative values, both sides of 2^253, dense values."""
    out = []
    for _ in range(m):
        kind = rng.random()
        if kind < 0.70:
            out.append(0)
        elif kind < 0.82:
            out.append(1)
        elif kind < 0.85:
            out.append(R - 1)
        elif kind < 0.89:
            out.append(rng.randrange(2, 1 << 64))
        elif kind < 0.93:
            out.append(R - rng.randrange(2, 1 << 64))
        elif kind < 0.95:
            out.append((1 << 253) + rng.choice((-1, 1)) * rng.randrange(1 << 20))
        else:
            out.append(rng.randrange(R))
    return out


@pytest.fixture(scope="module")
def tau_points() -> dict[int, bytes]:
    return dev_ptau_points(POWER, DEV)


def _exponent(scalars: list[int]) -> int:
    """``sum_i k_i tau^i mod r``: the MSM over ``tau^i G`` is this multiple of ``G``."""
    return sum(k * pow(DEV.tau, i, R) for i, k in enumerate(scalars)) % R


@pytest.mark.parametrize("seed", [1, 2])
def test_g1_msm_of_a_witness_shaped_vector_is_exact(tau_points: dict[int, bytes], seed: int) -> None:
    scalars = witness_shaped(random.Random(seed), M)
    assert sum(k == R - 1 for k in scalars) >= 64 and sum(k == 1 for k in scalars) >= 64
    bases = tau_points[PTAU_SECTION_TAU_G1][: M * G1_BYTES]
    got = decode_g1_lem(_native.msm_g1(bases, scalars_to_bytes(scalars)), "msm")
    assert got == g1_mul(G1_GENERATOR, _exponent(scalars))
    # twin: one -1 read as +1 moves the sum by 2 tau^j G
    j = scalars.index(R - 1)
    flipped = [*scalars[:j], 1, *scalars[j + 1 :]]
    moved = decode_g1_lem(_native.msm_g1(bases, scalars_to_bytes(flipped)), "msm")
    assert moved != got
    assert moved == g1_mul(G1_GENERATOR, (_exponent(scalars) + 2 * pow(DEV.tau, j, R)) % R)


def test_g2_msm_of_a_witness_shaped_vector_is_exact(tau_points: dict[int, bytes]) -> None:
    m = M // 2
    scalars = witness_shaped(random.Random(3), m)
    bases = tau_points[PTAU_SECTION_TAU_G2][: m * G2_BYTES]
    got = decode_g2_lem(_native.msm_g2(bases, scalars_to_bytes(scalars)), "msm")
    assert got == g2_mul(G2_GENERATOR, _exponent(scalars))
    j = scalars.index(1)
    dropped = [*scalars[:j], 0, *scalars[j + 1 :]]
    moved = decode_g2_lem(_native.msm_g2(bases, scalars_to_bytes(dropped)), "msm")
    assert moved != got
    assert moved == g2_mul(G2_GENERATOR, (_exponent(scalars) - pow(DEV.tau, j, R)) % R)


def test_a_vector_of_ones_and_minus_ones_only(tau_points: dict[int, bytes]) -> None:
    """Only the batch-affine sum of signed points runs: 0, 1 and -1, no Pippenger at all."""
    rng = random.Random(4)
    scalars = [rng.choice((0, 1, R - 1)) for _ in range(M)]
    bases = tau_points[PTAU_SECTION_TAU_G1][: M * G1_BYTES]
    got = decode_g1_lem(_native.msm_g1(bases, scalars_to_bytes(scalars)), "msm")
    assert got == g1_mul(G1_GENERATOR, _exponent(scalars))
    negated = [(R - k) % R for k in scalars]
    assert decode_g1_lem(_native.msm_g1(bases, scalars_to_bytes(negated)), "msm") == g1_mul(
        G1_GENERATOR, (-_exponent(scalars)) % R
    )


def bit_heavy_circuit(seed: int, n_constraints: int) -> tuple[R1CS, list[int]]:
    """A satisfiable R1CS whose witness looks like a range-checked one.

    Wires: 1, two public inputs, three private inputs, then one wire per constraint: a bit
    (``b * (b - 1) = 0``, 60%), a small negative value or -1 (``w * 1 = -x``, 15%) or a
    product of two earlier wires (dense, 25%).
    """
    rng = random.Random(seed)
    witness = [1, rng.randrange(R), rng.randrange(R)] + [rng.randrange(R) for _ in range(3)]
    constraints: list[Constraint] = []
    for _ in range(n_constraints):
        kind = rng.random()
        w = len(witness)
        if kind < 0.60:
            witness.append(rng.randrange(2))
            constraints.append(([(w, 1)], [(0, R - 1), (w, 1)], []))
        elif kind < 0.75:
            x = 1 if rng.random() < 0.5 else rng.randrange(2, 1 << 40)
            witness.append(R - x)
            constraints.append(([(w, 1)], [(0, 1)], [(0, R - x)]))
        else:
            i, j = rng.randrange(w), rng.randrange(w)
            witness.append(witness[i] * witness[j] % R)
            a: LC = [(i, 1)]
            b: LC = [(j, 1)]
            constraints.append((a, b, [(w, 1)]))
    r1cs = R1CS(
        prime=R,
        n_wires=len(witness),
        n_outputs=0,
        n_pub_inputs=2,
        n_prv_inputs=3,
        n_labels=len(witness),
        constraints=constraints,
        wire_to_label=list(range(len(witness))),
    )
    assert first_unsatisfied_constraint(r1cs, witness) is None
    return r1cs, witness


def test_bit_heavy_witness_gives_the_python_provers_proof(tmp_path: Path) -> None:
    r1cs, witness = bit_heavy_circuit(7, 480)
    assert sum(v in (0, 1) for v in witness) > 250 and sum(v == R - 1 for v in witness) > 30
    ptau_path = tmp_path / "pot9_unsafe.ptau"
    generate_dev_ptau(ptau_path, 9, DEV, backend="native")
    with PTauFile(ptau_path) as ptau:
        zkey = new_zkey(r1cs, ptau, NativeKernels())
    r, s = 0x1234, 0x5678
    ours = prove_with(zkey, witness, r, s, NativeKernels())
    assert ours == prove_with(zkey, witness, r, s, PythonKernels())
    vk = export_vkey(zkey)
    assert verify(vk, ours[1], ours[0], backend="native").valid
    # twin: a -1 turned into +1 breaks its constraint, and the proof no longer verifies
    j = witness.index(R - 1, 6)
    bad = [*witness[:j], 1, *witness[j + 1 :]]
    proof_bad, public_bad = prove_with(zkey, bad, r, s, NativeKernels())
    assert not verify(vk, public_bad, proof_bad, backend="native").valid
