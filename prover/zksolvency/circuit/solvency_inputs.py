"""Model objects -> inputs of the solvency circuits (``circuits/solvency/``).

One function per input group; the layouts are the circuits' (see the headers of
``circuits/solvency/batch.circom`` and ``docs/margin.md``, "Circuit structure"):

* the market, padded to the circuit's size ``A, I, S``: assets with price 0 and
  weight 0, instruments with mark 0 and every shock 0, scenarios with shock 0 for
  every instrument. None of these changes any account's equity or requirement
  (a zero shock is a zero loss, and ``requirement >= 0`` already);
* each account: ``idCommitment`` (below), balances and sizes padded with zeros to
  ``A`` and ``I``, and ``costTotal``, the sum of its costs (the rule uses the costs
  only through that sum; see ``circuits/solvency/account.circom``); negative values
  stay negative Python ints (the witness calculator encodes ``x < 0`` as ``r + x``);
* padding accounts, up to the live slots ``L`` (the batch size ``B`` unless the
  circuit fixes slots ``L..B-1`` to padding): commitment 0 and every value 0;
* ``roundId``, the round the batch is proven for (its commitment names it).

The account id never enters a circuit: only ``Poseidon(id_field_element(id), salt)``
does (``zksolvency.ledger.id_commitment``).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.model.accounts import Account
from zksolvency.model.market import Market

#: Ids are 1..31 UTF-8 bytes; the length goes above bit 248.
ID_MAX_BYTES = 31
_ID_LENGTH_SHIFT = 248

Inputs = dict[str, object]


def cost_total_bits(instruments: int) -> int:
    """``CB = bitLength(I (2**128 - 1))``: ``AccountMargin``'s bound ``abs(costTotal) < 2**CB``."""
    return (instruments * (2**128 - 1)).bit_length()


def is_power_of_four(n: int) -> bool:
    """True for 1, 4, 16, 64, ... (the batch sizes of the 4-ary sum tree)."""
    return n >= 1 and n & (n - 1) == 0 and (n.bit_length() - 1) % 2 == 0


@dataclass(frozen=True, slots=True)
class CircuitSize:
    """The template parameters ``(A, I, S, B, L)`` of a solvency batch circuit.

    ``batch`` (``B``) is the number of slots of the batch's sum tree, a power of four;
    ``live`` (``L``, ``1 <= L <= B``, 0 for ``B``) is how many of them may hold an
    account: the accounts one batch proof carries. Slots ``L..B-1`` are fixed to the
    padding account in the circuit, so a batch's tree, commitment and inclusion paths
    are those of ``B`` slots whatever ``L`` is.
    """

    assets: int
    instruments: int
    scenarios: int
    batch: int
    live: int = 0

    def __post_init__(self) -> None:
        if self.live == 0:
            object.__setattr__(self, "live", self.batch)
        if min(self.assets, self.instruments, self.scenarios, self.batch, self.live) < 1:
            raise ValueError(f"circuit size {self}: every parameter must be at least 1")
        if not is_power_of_four(self.batch):
            raise ValueError(f"circuit size {self}: the batch size must be a power of four (1, 4, 16, ...)")
        if self.live > self.batch:
            raise ValueError(
                f"circuit size {self}: the live slots ({self.live}) exceed the batch's slots ({self.batch})"
            )

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


def account_values(account: Account, size: CircuitSize) -> tuple[list[int], list[int], int]:
    """``(balances, sizes, cost total)``, the vectors zero-padded to ``size``."""
    if len(account.balances) > size.assets or len(account.sizes) > size.instruments:
        raise ValueError(f"account {account.id!r} does not fit the circuit size {size}")
    return (
        _padded(account.balances, size.assets),
        _padded(account.sizes, size.instruments),
        sum(account.costs),
    )


def batch_inputs(market: Market, entries: Sequence[BatchEntry], size: CircuitSize, round_id: int) -> Inputs:
    """The full input of ``SolvencyBatch(A, I, S, B, L)`` for round ``round_id``.

    One entry per live slot: ``entries`` in order, then padding accounts up to ``L``.
    """
    if len(entries) > size.live:
        raise ValueError(f"{len(entries)} accounts do not fit a batch of {size.live}")
    inputs = market_inputs(market, size)
    commitments: list[int] = []
    balances: list[list[int]] = []
    sizes: list[list[int]] = []
    cost_totals: list[int] = []
    for entry in entries:
        if not 0 <= entry.commitment < R:
            raise ValueError(f"account {entry.account.id!r}: commitment is not a field element")
        bal, siz, cost_total = account_values(entry.account, size)
        commitments.append(entry.commitment)
        balances.append(bal)
        sizes.append(siz)
        cost_totals.append(cost_total)
    for _ in range(size.live - len(entries)):
        commitments.append(0)
        balances.append([0] * size.assets)
        sizes.append([0] * size.instruments)
        cost_totals.append(0)
    inputs.update(
        idCommitment=commitments, balance=balances, size=sizes, costTotal=cost_totals, roundId=round_id
    )
    return inputs
