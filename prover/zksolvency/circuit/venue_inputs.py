"""Sparse accounts and a market -> inputs of the venue batch circuit (``circuits/venue/batch.circom``).

The circuit's method is in the header of ``VenueBatch``; this module computes, in exact
integers and then in the field, every value the prover supplies, in the circuit's order:

* the public table: ``price``, ``weight``, ``mark``, ``shock`` zero-padded to ``I, A, S``,
  and ``marketHash`` (``zksolvency.ledger.market_hash`` of the same padded snapshot);
* per account (sparse slots padded with ``(0, 0)``; padding accounts all zero):
  ``idCommitment``, ``costTotal``, ``posIdx``, ``posSize``, ``balIdx``, ``balance``, and the
  claimed sums ``markSum = sum_k size_k mark[i_k]``, ``pnl[s] = sum_k size_k shock[i_k][s]``,
  ``collateral = sum_c balance_c price[a_c] weight[a_c]``;
* ``assetTotal[a]``: the batch's total balance of asset ``a``;
* the weighted multiplicities ``X[i] = sum rho^b size`` over position slots reading ``i``
  and ``Z[a] = sum rho^b balance`` over balance slots reading ``a``, where ``rho`` is the
  round-1 challenge: the builder recomputes the circuit's Fiat-Shamir transcript
  (:func:`challenges`) exactly as the circuit does, so an auditor can too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import CircuitSize, is_power_of_four
from zksolvency.hashing import hash_vector, poseidon
from zksolvency.ledger.commitment import market_hash
from zksolvency.model.market import Market
from zksolvency.model.sparse import SparseAccount, SparseBounds, evaluate_sparse

Inputs = dict[str, object]
#: Table rows (instruments, assets) at most this many: the circuit asserts it.
MAX_TABLE = 1 << 16


@dataclass(frozen=True, slots=True)
class VenueSize:
    """Template parameters of ``VenueBatch(I, A, S, K, C, B)``."""

    instruments: int
    assets: int
    scenarios: int
    positions: int
    balances: int
    batch: int

    def __post_init__(self) -> None:
        if min(self.instruments, self.assets, self.scenarios, self.positions, self.balances) < 1:
            raise ValueError(f"venue size {self}: every parameter must be at least 1")
        if max(self.instruments, self.assets) > MAX_TABLE:
            raise ValueError(f"venue size {self}: at most {MAX_TABLE} instruments and assets")
        if slot_index_width(self) + 65 > 84:
            raise ValueError(f"venue size {self}: slot indexes need more than 19 bits (K I or C A too large)")
        if not is_power_of_four(self.batch):
            raise ValueError(f"venue size {self}: the batch size must be a power of four")

    @property
    def bounds(self) -> SparseBounds:
        return SparseBounds(positions=self.positions, balances=self.balances)

    @property
    def table(self) -> CircuitSize:
        """The dense size whose ``MarketHash`` the venue batch publishes."""
        return CircuitSize(self.assets, self.instruments, self.scenarios, 1)


@dataclass(frozen=True, slots=True)
class VenueEntry:
    """One account of a venue batch with its id commitment."""

    commitment: int
    account: SparseAccount


@dataclass(frozen=True, slots=True)
class Transcript:
    """The batch's Fiat-Shamir values, as the circuit computes them."""

    root: int
    y_hash: int
    sums_hash: int
    ch1: int
    rho: int
    beta: int
    x_hash: int
    alpha: int
    commitment: int


def slot_index_width(size: VenueSize) -> int:
    """``slotIndexWidth(I, A, K, C)`` of the circuit: ``max(bitLength(K) + bitLength(I),
    bitLength(C) + bitLength(A))``, the bits of a slot index in a leaf word."""
    return max(
        size.positions.bit_length() + size.instruments.bit_length(),
        size.balances.bit_length() + size.assets.bit_length(),
    )


def slot_leaf(
    size: VenueSize,
    commitment: int,
    cost_total: int,
    positions: Sequence[tuple[int, int]],
    balances: Sequence[tuple[int, int]],
) -> int:
    """``SlotLeaf(I, A, K, C)``: the hash of the commitment, the cost total and the slot words
    ``idx + 2**IW (size + 2**64)`` and ``idx + 2**IW balance`` packed three to an element."""
    iw = slot_index_width(size)
    ww = iw + 65
    words = [i + (1 << iw) * (z + (1 << 64)) for i, z in positions]
    words += [a + (1 << iw) * b for a, b in balances]
    packed = [
        sum(word << (ww * m) for m, word in enumerate(words[j : j + 3])) % R for j in range(0, len(words), 3)
    ]
    return hash_vector([commitment % R, cost_total % R, *packed])


def tree_root(leaves: Sequence[int]) -> int:
    """The 4-ary Poseidon tree of ``VenueBatch`` (no sums): Poseidon(4) of each four."""
    level = list(leaves)
    while len(level) > 1:
        level = [poseidon(level[j : j + 4]) for j in range(0, len(level), 4)]
    return level[0]


def challenges(
    market_digest: int,
    leaves: Sequence[int],
    claimed: Sequence[int],
    sums: Sequence[int],
    weighted: Sequence[int] | None,
    round_id: int,
) -> Transcript:
    """The transcript: root, yHash = HashVector(claimed), sumsHash = HashVector(sums),
    ch1 = Poseidon(marketHash, root, yHash, sumsHash), rho = Poseidon(ch1, 1),
    beta = Poseidon(ch1, 2), xHash = HashVector(X, Z), alpha = Poseidon(ch1, xHash),
    commitment = Poseidon(root, sumsHash, marketHash, roundId). ``weighted=None``
    stops after round 1 (x_hash, alpha = 0)."""
    root = tree_root(leaves)
    y_hash = hash_vector([v % R for v in claimed])
    sums_hash = hash_vector([v % R for v in sums])
    ch1 = poseidon([market_digest, root, y_hash, sums_hash])
    rho, beta = poseidon([ch1, 1]), poseidon([ch1, 2])
    x_hash = alpha = 0
    if weighted is not None:
        x_hash = hash_vector([v % R for v in weighted])
        alpha = poseidon([ch1, x_hash])
    commitment = poseidon([root, sums_hash, market_digest, round_id])
    return Transcript(root, y_hash, sums_hash, ch1, rho, beta, x_hash, alpha, commitment)


def _padded(values: Sequence[int], length: int) -> list[int]:
    return [*values, *([0] * (length - len(values)))]


def venue_inputs(market: Market, entries: Sequence[VenueEntry], size: VenueSize, round_id: int) -> Inputs:
    """The full input of ``VenueBatch(I, A, S, K, C, B)``; raises ``ValueError`` if the market
    or the batch does not fit, :class:`~zksolvency.errors.InputError` if an account has
    more slots than ``K`` or ``C``."""
    table = size.table
    table.check_market(market)
    if len(entries) > size.batch:
        raise ValueError(f"{len(entries)} accounts do not fit a venue batch of {size.batch}")
    inputs: Inputs = {
        "price": _padded([a.price for a in market.assets], size.assets),
        "weight": _padded([a.weight for a in market.assets], size.assets),
        "mark": _padded([i.mark for i in market.instruments], size.instruments),
        "shock": [_padded(i.shocks, size.scenarios) for i in market.instruments]
        + [[0] * size.scenarios] * (size.instruments - len(market.instruments)),
    }
    digest = market_hash(market, table)
    scale = 10_000  # W: the circuit's sums are unscaled, the engine's pnl is W times them
    commitments, costs, leaves, claimed = [], [], [], []
    pos_idx, pos_size, bal_idx, bal_val = [], [], [], []
    mark_sums, pnls, collaterals = [], [], []
    totals = [0] * size.assets
    for entry in entries:
        account = entry.account
        positions, balances = account.padded(size.bounds)
        result = evaluate_sparse(account, market)
        mark_sum = sum(z * market.instruments[i].mark for i, z in account.positions)
        pnl = [p // scale for p in result.pnl] + [0] * (size.scenarios - market.scenarios)
        commitments.append(entry.commitment)
        costs.append(account.cost_total)
        pos_idx.append([i for i, _ in positions])
        pos_size.append([z for _, z in positions])
        bal_idx.append([a for a, _ in balances])
        bal_val.append([b for _, b in balances])
        mark_sums.append(mark_sum)
        pnls.append(pnl)
        collaterals.append(result.collateral)
        leaves.append(slot_leaf(size, entry.commitment, account.cost_total, positions, balances))
        for a, b in account.balances:
            totals[a] += b
    for _ in range(size.batch - len(entries)):
        zero_pos, zero_bal = [(0, 0)] * size.positions, [(0, 0)] * size.balances
        commitments.append(0)
        costs.append(0)
        pos_idx.append([0] * size.positions)
        pos_size.append([0] * size.positions)
        bal_idx.append([0] * size.balances)
        bal_val.append([0] * size.balances)
        mark_sums.append(0)
        pnls.append([0] * size.scenarios)
        collaterals.append(0)
        leaves.append(slot_leaf(size, 0, 0, zero_pos, zero_bal))
    for b in range(size.batch):
        claimed.extend([mark_sums[b], *pnls[b], collaterals[b]])
    sums = [*totals, sum(costs)]
    first = challenges(digest, leaves, claimed, sums, None, round_id)
    x = [0] * size.instruments
    z = [0] * size.assets
    for b in range(size.batch):
        weight = pow(first.rho, b, R)
        for i, value in zip(pos_idx[b], pos_size[b], strict=True):
            x[i] = (x[i] + weight * value) % R
        for a, value in zip(bal_idx[b], bal_val[b], strict=True):
            z[a] = (z[a] + weight * value) % R
    inputs.update(
        marketHash=digest,
        roundId=round_id,
        idCommitment=commitments,
        costTotal=costs,
        posIdx=pos_idx,
        posSize=pos_size,
        balIdx=bal_idx,
        balance=bal_val,
        markSum=mark_sums,
        pnl=pnls,
        collateral=collaterals,
        X=x,
        Z=z,
        assetTotal=totals,
    )
    return inputs


def transcript_of(inputs: Inputs, size: VenueSize) -> Transcript:
    """Recompute the whole transcript from a venue input (what an auditor holding the
    accounts, or a test, does to check the circuit's challenges)."""
    pos_idx: list[list[int]] = inputs["posIdx"]  # type: ignore[assignment]
    pos_size: list[list[int]] = inputs["posSize"]  # type: ignore[assignment]
    bal_idx: list[list[int]] = inputs["balIdx"]  # type: ignore[assignment]
    bal_val: list[list[int]] = inputs["balance"]  # type: ignore[assignment]
    commitments: list[int] = inputs["idCommitment"]  # type: ignore[assignment]
    costs: list[int] = inputs["costTotal"]  # type: ignore[assignment]
    mark_sums: list[int] = inputs["markSum"]  # type: ignore[assignment]
    pnls: list[list[int]] = inputs["pnl"]  # type: ignore[assignment]
    collaterals: list[int] = inputs["collateral"]  # type: ignore[assignment]
    totals: list[int] = inputs["assetTotal"]  # type: ignore[assignment]
    x: list[int] = inputs["X"]  # type: ignore[assignment]
    z: list[int] = inputs["Z"]  # type: ignore[assignment]
    leaves = [
        slot_leaf(
            size,
            commitments[b],
            costs[b],
            list(zip(pos_idx[b], pos_size[b], strict=True)),
            list(zip(bal_idx[b], bal_val[b], strict=True)),
        )
        for b in range(size.batch)
    ]
    claimed = [v for b in range(size.batch) for v in (mark_sums[b], *pnls[b], collaterals[b])]
    return challenges(
        int(inputs["marketHash"]),  # type: ignore[call-overload]
        leaves,
        claimed,
        [*totals, sum(costs)],
        [*x, *z],
        int(inputs["roundId"]),  # type: ignore[call-overload]
    )
