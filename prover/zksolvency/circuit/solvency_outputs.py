"""Solvency circuit witness -> named results, and the values Python expects for them.

``read_batch_outputs`` reads ``SolvencyBatch``'s outputs out of a witness by name,
through the circuit's ``.sym`` file (``labelIdx,witnessIdx,componentIdx,name``; a
``witnessIdx`` of -1 means the optimiser removed the signal). ``expected_sums``
gives the batch sums the circuit must produce (balances, net positions, the cost
total), computed with plain integers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import BatchEntry, CircuitSize, account_values


def read_sym(path: str | os.PathLike[str]) -> dict[str, int]:
    """Signal name -> witness index (``-1`` when optimised away) from a ``.sym`` file."""
    table: dict[str, int] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        _label, witness_index, _component, name = line.split(",", 3)
        table[name] = int(witness_index)
    return table


def signed(value: int) -> int:
    """A field element as the integer in ``(-r/2, r/2)`` it encodes."""
    if not 0 <= value < R:
        raise ValueError("not a field element")
    return value - R if value > R // 2 else value


@dataclass(frozen=True, slots=True)
class BatchOutputs:
    """``SolvencyBatch``'s outputs; signed quantities already decoded to Python ints."""

    commitment: int
    root: int
    balance_sums: tuple[int, ...]
    position_sums: tuple[int, ...]
    cost_sum: int
    sums_hash: int
    market_hash: int
    leaves: tuple[int, ...]
    equities: tuple[int, ...]
    requirements: tuple[int, ...]


class SignalReader:
    """Reads signals of one witness by name."""

    def __init__(self, sym: dict[str, int], witness: Sequence[int]) -> None:
        self._sym = sym
        self._witness = witness

    def get(self, name: str) -> int:
        index = self._sym.get(name)
        if index is None:
            raise KeyError(f"no signal {name!r} in the circuit")
        if index < 0:
            raise KeyError(f"signal {name!r} was optimised away (not in the witness)")
        return self._witness[index]

    def vector(self, name: str, length: int) -> tuple[int, ...]:
        return tuple(self.get(f"{name}[{k}]") for k in range(length))


def read_batch_outputs(
    sym: dict[str, int], witness: Sequence[int], size: CircuitSize, prefix: str = "main"
) -> BatchOutputs:
    """The outputs of the ``SolvencyBatch`` component at ``prefix`` (``main`` when it is main)."""
    reader = SignalReader(sym, witness)
    p = prefix + "."
    return BatchOutputs(
        commitment=reader.get(p + "commitment"),
        root=reader.get(p + "root"),
        balance_sums=reader.vector(p + "balanceSum", size.assets),
        position_sums=tuple(signed(v) for v in reader.vector(p + "positionSum", size.instruments)),
        cost_sum=signed(reader.get(p + "costSum")),
        sums_hash=reader.get(p + "sumsHash"),
        market_hash=reader.get(p + "marketHash"),
        leaves=reader.vector(p + "leaf", size.batch),
        equities=tuple(signed(v) for v in reader.vector(p + "equity", size.batch)),
        requirements=reader.vector(p + "requirement", size.batch),
    )


def expected_sums(
    entries: Sequence[BatchEntry], size: CircuitSize
) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """``(balance sums, net position sums, cost sum)`` of a batch, zero-padded to ``size``."""
    balance_sums = [0] * size.assets
    position_sums = [0] * size.instruments
    cost_sum = 0
    for entry in entries:
        balances, sizes, cost_total = account_values(entry.account, size)
        balance_sums = [total + value for total, value in zip(balance_sums, balances, strict=True)]
        position_sums = [total + value for total, value in zip(position_sums, sizes, strict=True)]
        cost_sum += cost_total
    return tuple(balance_sums), tuple(position_sums), cost_sum
