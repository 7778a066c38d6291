"""The rendered on-chain Poseidon equals ``zksolvency.hashing.poseidon``; the rewrite behind it is exact."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from web3.contract import Contract
from web3.exceptions import ContractCustomError

from zksolvency.bn254 import R
from zksolvency.chain.deploy import Deployment
from zksolvency.chain.poseidon_render import evaluate_schedule, schedule
from zksolvency.chain.registry import registry_contract
from zksolvency.hashing import poseidon, poseidon_parameters

pytestmark = pytest.mark.snarkjs

#: Guard against a regression of the rendered code (measured about 49,000; see benchmarks/gas.py).
POSEIDON_GAS_CEILING = 55_000


def _inputs(seed: int, n: int) -> list[list[int]]:
    rng = random.Random(seed)
    edge = [[0, 0, 0, 0], [R - 1] * 4, [1, 2, 3, 4]]
    return edge + [[rng.randrange(R) for _ in range(4)] for _ in range(n)]


def test_on_chain_poseidon_equals_python(hasher: Contract) -> None:
    for xs in _inputs(seed=5, n=12):
        assert hasher.functions.hash(xs).call() == poseidon(xs), xs


def test_on_chain_poseidon_refuses_input_above_r(hasher: Contract) -> None:
    with pytest.raises(ContractCustomError):
        hasher.functions.hash([1, 2, R, 4]).call()


def test_registry_public_input_equals_python(deployment: Deployment) -> None:
    _, registry = registry_contract(deployment, None)
    for xs in _inputs(seed=6, n=3):
        assert registry.functions.publicInputOf(*xs).call() == poseidon(xs)


def test_poseidon_gas_is_bounded(hasher: Contract) -> None:
    h, gas = hasher.functions.hashWithGas([7, 8, 9, 10]).call()
    assert h == poseidon([7, 8, 9, 10])
    assert 0 < gas <= POSEIDON_GAS_CEILING


@pytest.mark.parametrize("t", [2, 3, 4, 5])
def test_schedule_equals_python_poseidon(t: int) -> None:
    """The constant-folding rewrite is exact, for every width the renderer supports (no chain needed)."""
    s = schedule(poseidon_parameters(t))
    for xs in _inputs(seed=t, n=4):
        assert evaluate_schedule(s, xs[: t - 1]) == poseidon(xs[: t - 1])


def test_schedule_from_other_constants_differs() -> None:
    """The twin: one changed round constant changes the hash, so the equality above means something."""
    params = poseidon_parameters(5)
    constants = list(params.round_constants)
    constants[len(constants) // 2] += 1  # a partial round's lane-1 constant: exercised only through the carry
    s = schedule(replace(params, round_constants=tuple(constants)))
    assert evaluate_schedule(s, [1, 2, 3, 4]) != poseidon([1, 2, 3, 4])
