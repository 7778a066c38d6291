"""Fixtures for the native backend's tests: random circuits, a small dev ptau, keys from both setups.

Random circuits are built as R1CS objects directly (no compiler): every
constraint multiplies two random linear combinations of earlier wires into a
new wire, or forces a wire to be a bit (``b * (b - 1) = 0``), so witnesses mix
dense values with many 0/1 values, as real circuits do. Coefficients include
1, -1, small and full-size values.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from zksolvency.bn254 import R
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import LC, R1CS, Constraint, first_unsatisfied_constraint
from zksolvency.circuit.formats.zkey import Groth16ZKey
from zksolvency.groth16.kernels import native_available
from zksolvency.groth16.kernels.python import PythonKernels
from zksolvency.groth16.ptau_dev import DevSecrets, generate_dev_ptau
from zksolvency.groth16.setup import contribute, new_zkey

#: Domains up to 2^6 (constraints + public < 64).
PTAU_POWER = 6
#: Pinned toxic waste (tests only).
SECRETS = DevSecrets(tau=0xC0FFEE, alpha=0xA1FA, beta=0xBE7A)

if not native_available():  # pragma: no cover - the package build always makes it
    pytest.skip("the native extension is not built", allow_module_level=True)


@dataclass(frozen=True)
class RandomCircuit:
    seed: int
    r1cs: R1CS
    witness: list[int]


def _coeff(rng: random.Random) -> int:
    kind = rng.randrange(4)
    if kind == 0:
        return 1
    if kind == 1:
        return R - 1
    if kind == 2:
        return rng.randrange(2, 1 << 20)
    return rng.randrange(1, R)


def random_circuit(seed: int, n_constraints: int = 24, n_public: int = 2, n_inputs: int = 3) -> RandomCircuit:
    """A satisfiable random R1CS and its witness (wire 0 = 1, then public, then private)."""
    rng = random.Random(seed)
    witness = [1] + [rng.randrange(R) for _ in range(n_public + n_inputs)]
    constraints: list[Constraint] = []

    def lc(k: int) -> LC:
        wires = rng.sample(range(len(witness)), min(k, len(witness)))
        return [(w, _coeff(rng)) for w in sorted(wires)]

    def value(terms: LC) -> int:
        return sum(witness[w] * c for w, c in terms) % R

    for _ in range(n_constraints):
        if rng.random() < 0.3:  # a bit: b * (b - 1) = 0
            witness.append(rng.randrange(2))
            b = len(witness) - 1
            constraints.append(([(b, 1)], [(0, R - 1), (b, 1)], []))
        else:
            a, bb = lc(rng.randrange(1, 4)), lc(rng.randrange(1, 4))
            witness.append(value(a) * value(bb) % R)
            constraints.append((a, bb, [(len(witness) - 1, 1)]))
    n_wires = len(witness)
    r1cs = R1CS(
        prime=R,
        n_wires=n_wires,
        n_outputs=0,
        n_pub_inputs=n_public,
        n_prv_inputs=n_inputs,
        n_labels=n_wires,
        constraints=constraints,
        wire_to_label=list(range(n_wires)),
    )
    assert first_unsatisfied_constraint(r1cs, witness) is None
    assert n_constraints + n_public < 1 << PTAU_POWER
    return RandomCircuit(seed, r1cs, witness)


@pytest.fixture(scope="session")
def native_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("native")


@pytest.fixture(scope="session")
def small_ptau(native_work: Path) -> Path:
    """A power-6 UNSAFE dev ptau made by the python backend with pinned secrets."""
    path = native_work / f"pot{PTAU_POWER}_unsafe.ptau"
    generate_dev_ptau(path, PTAU_POWER, SECRETS, backend="python")
    return path


@pytest.fixture(scope="session")
def ptau(small_ptau: Path) -> Iterator[PTauFile]:
    with PTauFile(small_ptau) as opened:
        yield opened


@dataclass(frozen=True)
class CircuitKey:
    circuit: RandomCircuit
    zkey: Groth16ZKey


@pytest.fixture(scope="session")
def circuit_keys(ptau: PTauFile) -> list[CircuitKey]:
    """Three random circuits with python-made keys (pinned contribution)."""
    out = []
    for seed in (1, 2, 3):
        circuit = random_circuit(seed, n_constraints=20 + 8 * seed, n_public=seed)
        zkey = contribute(new_zkey(circuit.r1cs, ptau, PythonKernels()), 0xD17A + seed, 0x5EED, "tests")
        out.append(CircuitKey(circuit, zkey))
    return out
