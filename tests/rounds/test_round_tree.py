"""The root circuit equals the Python round tree (``zksolvency.ledger.round_tree``), and its twins."""

from __future__ import annotations

import functools
import random
import tempfile
from pathlib import Path

import pytest

from zksolvency.bn254 import R
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.circuit.solvency_outputs import SignalReader, read_sym, signed
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.errors import InputError
from zksolvency.hashing import poseidon
from zksolvency.ledger import batch_commitment, batch_digest, sums_hash
from zksolvency.ledger.round_tree import (
    GlobalStep,
    MerkleTree4,
    root_from_global_path,
    round_digest,
    round_public_value,
    slot_count,
)
from zksolvency.round.sample import sample_market

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO / "circuits" / "solvency" / "root.circom"
A, INSTRUMENTS, NB = 2, 2, 4
V = A + INSTRUMENTS + 1  # balances, net positions, the cost total


@functools.cache
def debug_root() -> tuple[WitnessCalculator, dict[str, int]]:
    """``SolvencyRoot(2, 2, 4)`` itself as main: every output readable by name."""
    folder = Path(tempfile.mkdtemp(prefix="zks-root-"))
    main = folder / "debug_root.circom"
    main.write_text(
        f'pragma circom 2.1.6;\ninclude "{ROOT}";\ncomponent main = SolvencyRoot({A}, {INSTRUMENTS}, {NB});\n'
    )
    compiled = compile_circuit(main, out_dir=folder / "build")
    return WitnessCalculator(compiled.wasm), read_sym(compiled.sym)


def _random_round(rng: random.Random) -> tuple[list[int], list[list[int]], int, int]:
    roots = [rng.randrange(R) for _ in range(NB)]
    sums = [[rng.randrange(-(2**70), 2**70) for _ in range(V - 1)] for _ in range(NB)]
    for row in sums:
        row.append(rng.randrange(-(2**140), 2**140))  # cost sums are wide
    return roots, sums, rng.randrange(R), rng.randrange(2**64)


def test_root_circuit_equals_python() -> None:
    calculator, sym = debug_root()
    roots, sums, market_digest, round_id = _random_round(random.Random(5))
    witness = calculator.calculate(
        {"batchRoot": roots, "batchSums": sums, "marketHash": market_digest, "roundId": round_id}
    )
    out = SignalReader(sym, witness)
    commitments = [
        poseidon([r, sums_hash(s), market_digest, round_id]) for r, s in zip(roots, sums, strict=True)
    ]
    assert commitments == [
        batch_commitment(r, s, market_digest, round_id) for r, s in zip(roots, sums, strict=True)
    ]
    digest = round_digest(commitments, sums, commitments[-1], NB, market_digest, round_id)
    assert list(out.vector("main.batchCommitment", NB)) == commitments
    assert out.get("main.globalRoot") == digest.global_root
    assert tuple(signed(v) for v in out.vector("main.totals", V)) == digest.totals
    assert out.get("main.totalsHash") == digest.totals_hash
    assert out.get("main.commitment") == digest.public_value


def test_slot_commitments_name_the_round_id() -> None:
    calculator, sym = debug_root()
    roots, sums, market_digest, round_id = _random_round(random.Random(8))

    def slots(rid: int) -> tuple[int, ...]:
        inputs = {"batchRoot": roots, "batchSums": sums, "marketHash": market_digest, "roundId": rid}
        return SignalReader(sym, calculator.calculate(inputs)).vector("main.batchCommitment", NB)

    same, other = slots(round_id), slots(round_id + 1)
    assert same == slots(round_id)  # the twin: the same round gives the same commitments
    assert not set(same) & set(other)  # another round id: none of them


def test_root_circuit_refuses_a_round_id_of_64_bits_or_more() -> None:
    calculator, _sym = debug_root()
    roots, sums, market_digest, _round_id = _random_round(random.Random(6))
    with pytest.raises(InputError, match="Assert Failed"):
        calculator.calculate(
            {"batchRoot": roots, "batchSums": sums, "marketHash": market_digest, "roundId": 2**64}
        )
    with pytest.raises(ValueError, match="round id"):
        round_public_value(1, 2, 3, 2**64)


def test_padding_slots_hold_the_padding_batch_commitment() -> None:
    size = CircuitSize(A, INSTRUMENTS, 4, 4)
    padding = batch_digest(sample_market(), [], size, 1)
    assert padding.sums == (0,) * V
    assert padding.commitment != batch_digest(sample_market(), [], size, 2).commitment
    digest = round_digest([11, 12], [[1, 2, 3, 4, -7], [-1, 0, 0, 5, 2]], padding.commitment, 4, 99, 1)
    assert digest.slots == [11, 12, padding.commitment, padding.commitment]
    assert digest.totals == (0, 2, 3, 9, -5)
    with pytest.raises(ValueError, match="do not fit"):
        round_digest([1] * 5, [[0] * V] * 5, padding.commitment, 4, 99, 1)


@pytest.mark.parametrize("slots", [1, 4, 16])
def test_global_paths_reach_the_root(slots: int) -> None:
    leaves = list(range(100, 100 + slots))
    tree = MerkleTree4(leaves)
    for index, leaf in enumerate(leaves):
        assert root_from_global_path(leaf, tree.path(index)) == tree.root


def test_a_changed_sibling_or_leaf_misses_the_root() -> None:
    tree = MerkleTree4(list(range(16)))
    path = tree.path(5)
    assert root_from_global_path(6, path) != tree.root
    bent = [GlobalStep(path[0].position, (path[0].siblings[0] + 1, *path[0].siblings[1:])), *path[1:]]
    assert root_from_global_path(5, bent) != tree.root


def test_slot_count_is_the_next_power_of_four() -> None:
    assert [slot_count(n) for n in (0, 1, 2, 4, 5, 16, 17)] == [1, 1, 4, 4, 16, 16, 64]
    with pytest.raises(ValueError, match="power of four"):
        MerkleTree4([1, 2, 3])
