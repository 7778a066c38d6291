"""Model objects -> inputs of the solvency circuits (``circuits/solvency/``).

One function per input group; the layouts are the circuits' (see the headers of
``circuits/solvency/batch.circom`` and ``docs/margin.md``, "Circuit structure"):

* the market, padded to the circuit's size ``A, I, S``: assets with price 0 and
  weight 0, instruments with mark 0 and every shock 0, scenarios with shock 0 for
  every instrument. None of these changes any account's equity or requirement
  (a zero shock is a zero loss, and ``requirement >= 0`` already);
* each account: ``idCommitment`` (below), balances, sizes and costs, padded with
  zeros to ``A`` and ``I``; negative values stay negative Python ints (the witness
  calculator encodes ``x < 0`` as ``r + x``);
* padding accounts, up to the batch size ``B``: commitment 0 and every value 0.

The account id never enters a circuit: only ``Poseidon(id_field_element(id), salt)``
does, computed here by running the witness calculator of the tiny
``circuits/solvency/id_commitment.circom`` (circomlib's own Poseidon, so there is no
second implementation to drift).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.model.accounts import Account
from zksolvency.model.market import Market

#: The repository's ``circuits/`` folder.
CIRCUITS_DIR = Path(__file__).resolve().parents[3] / "circuits"
#: The helper circuit that computes id commitments.
ID_COMMITMENT_CIRCUIT = CIRCUITS_DIR / "solvency" / "id_commitment.circom"
#: Ids are 1..31 UTF-8 bytes; the length goes above bit 248.
ID_MAX_BYTES = 31
_ID_LENGTH_SHIFT = 248

Inputs = dict[str, object]


@dataclass(frozen=True, slots=True)
class CircuitSize:
    """The template parameters of a solvency batch circuit."""

    assets: int
    instruments: int
    scenarios: int
    batch: int

    def __post_init__(self) -> None:
        if min(self.assets, self.instruments, self.scenarios, self.batch) < 1:
            raise ValueError(f"circuit size {self}: every parameter must be at least 1")
        if self.batch & (self.batch - 1):
            raise ValueError(f"circuit size {self}: the batch size must be a power of two")

    def check_market(self, market: Market) -> None:
        """Raise ``ValueError`` unless ``market`` fits (possibly padded) in this size."""
        have = (len(market.assets), len(market.instruments), market.scenarios)
        room = (self.assets, self.instruments, self.scenarios)
        if any(h > r for h, r in zip(have, room, strict=True)):
            raise ValueError(
                f"market has A={have[0]}, I={have[1]}, S={have[2]}; the circuit holds at most "
                f"A={room[0]}, I={room[1]}, S={room[2]}"
            )


@dataclass(frozen=True, slots=True)
class BatchEntry:
    """One account of a batch with its id commitment (``Poseidon(id, salt)``)."""

    commitment: int
    account: Account


def id_field_element(account_id: str) -> int:
    """``len(b) * 2**248 + int.from_bytes(b, "big")`` for ``b`` the id's UTF-8 bytes.

    Injective on 1..31-byte ids (the length tells ``"a"`` from ``"\\x00a"``) and below
    ``32 * 2**248 = 2**253 < r``.
    """
    raw = account_id.encode("utf-8")
    if not 1 <= len(raw) <= ID_MAX_BYTES:
        raise ValueError(f"account id {account_id!r} is {len(raw)} UTF-8 bytes (must be 1..31)")
    return (len(raw) << _ID_LENGTH_SHIFT) + int.from_bytes(raw, "big")


def random_salt() -> int:
    """A uniformly random salt in ``[0, r)``."""
    return secrets.randbelow(R)


class IdCommitter:
    """Computes ``Poseidon(id_field_element(id), salt)`` with circomlib's Poseidon.

    Compiles ``circuits/solvency/id_commitment.circom`` once (cached by content) into
    ``out_dir`` and runs its witness calculator for each commitment.
    """

    def __init__(self, out_dir: str | os.PathLike[str] | None = None) -> None:
        compiled = compile_circuit(ID_COMMITMENT_CIRCUIT, out_dir=out_dir)
        self._calculator = WitnessCalculator(compiled.wasm)

    def commit(self, account_id: str, salt: int) -> int:
        """The commitment of ``account_id`` under ``salt`` (``0 <= salt < r``)."""
        if not 0 <= salt < R:
            raise ValueError("salt must lie in [0, r)")
        witness = self._calculator.calculate({"id": id_field_element(account_id), "salt": salt})
        return witness[1]  # wire 1 is the only output, ``out``


def _padded(values: Sequence[int], length: int) -> list[int]:
    return [*values, *([0] * (length - len(values)))]


def market_inputs(market: Market, size: CircuitSize) -> Inputs:
    """``price``, ``weight``, ``mark``, ``shock`` in canonical order, zero-padded to ``size``."""
    size.check_market(market)
    shocks = [_padded(inst.shocks, size.scenarios) for inst in market.instruments]
    shocks += [[0] * size.scenarios] * (size.instruments - len(shocks))
    return {
        "price": _padded([a.price for a in market.assets], size.assets),
        "weight": _padded([a.weight for a in market.assets], size.assets),
        "mark": _padded([i.mark for i in market.instruments], size.instruments),
        "shock": shocks,
    }


def account_values(account: Account, size: CircuitSize) -> tuple[list[int], list[int], list[int]]:
    """``(balances, sizes, costs)`` zero-padded to ``size``."""
    if len(account.balances) > size.assets or len(account.sizes) > size.instruments:
        raise ValueError(f"account {account.id!r} does not fit the circuit size {size}")
    return (
        _padded(account.balances, size.assets),
        _padded(account.sizes, size.instruments),
        _padded(account.costs, size.instruments),
    )


def batch_inputs(market: Market, entries: Sequence[BatchEntry], size: CircuitSize) -> Inputs:
    """The full input of ``SolvencyBatch(A, I, S, B)``; missing accounts are padding."""
    if len(entries) > size.batch:
        raise ValueError(f"{len(entries)} accounts do not fit a batch of {size.batch}")
    inputs = market_inputs(market, size)
    commitments: list[int] = []
    balances: list[list[int]] = []
    sizes: list[list[int]] = []
    costs: list[list[int]] = []
    for entry in entries:
        if not 0 <= entry.commitment < R:
            raise ValueError(f"account {entry.account.id!r}: commitment is not a field element")
        bal, siz, cst = account_values(entry.account, size)
        commitments.append(entry.commitment)
        balances.append(bal)
        sizes.append(siz)
        costs.append(cst)
    for _ in range(size.batch - len(entries)):
        commitments.append(0)
        balances.append([0] * size.assets)
        sizes.append([0] * size.instruments)
        costs.append([0] * size.instruments)
    inputs.update(idCommitment=commitments, balance=balances, size=sizes, cost=costs)
    return inputs
