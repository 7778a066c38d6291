"""A round's plan: validated inputs, the solvency gate, secrets, and the accounts placed in batches.

Everything here runs before any proof, so bad input or an insolvent account stops the
round with nothing written.

Placement. Accounts are put in a secret random order: each account (and each dummy
of ``--pad-to``) is sorted by ``SHA-256(seed || kind || name)`` for a 32-byte secret
``seed``. So the three siblings an inclusion path shows its holder are random
accounts, not the neighbours in the operator's file. The sorted list is cut into
batches of ``B``; the last batch is completed with padding accounts (commitment 0,
every value 0: the circuit's padding).

Secrets. Each account gets a random salt ``s`` in ``[0, r)`` and its leaf carries
``idCommitment = Poseidon(id_field_element(id), s)``. ``--pad-to N`` adds ``N - n``
*dummy* accounts: every value 0 and a random commitment, so their batches are proven
like any other and cannot be told from real ones. Salts, dummies and the seed live in
the private work folder and the inclusion files only.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import BatchEntry, CircuitSize, random_salt
from zksolvency.errors import InputError, ZkSolvencyError
from zksolvency.ledger.leaf import id_commitment
from zksolvency.model.accounts import Account, AccountFormat, read_accounts
from zksolvency.model.margin import evaluate
from zksolvency.model.market import Market, read_market


@dataclass(frozen=True)
class InsolventAccount:
    id: str
    equity: int
    requirement: int


class InsolventAccounts(ZkSolvencyError):
    """Some accounts fail the margin rule: the round cannot be proven."""

    def __init__(self, accounts: Sequence[InsolventAccount], total: int) -> None:
        self.accounts = list(accounts)
        self.total = total
        super().__init__(f"{len(self.accounts)} of {total} accounts are insolvent; nothing was proven")


@dataclass(frozen=True)
class RoundInputs:
    """The validated snapshot and accounts, with the bytes and hashes the bundle records."""

    market: Market
    accounts: list[Account]
    market_bytes: bytes
    market_sha256: str
    accounts_sha256: str


def read_round_inputs(accounts_path: Path, market_path: Path, fmt: AccountFormat = "auto") -> RoundInputs:
    """Read and validate both files (``InputError`` naming file, line and field)."""
    market = read_market(market_path)
    accounts = read_accounts(accounts_path, market, fmt)
    market_bytes = market_path.read_bytes()
    return RoundInputs(
        market=market,
        accounts=accounts,
        market_bytes=market_bytes,
        market_sha256=hashlib.sha256(market_bytes).hexdigest(),
        accounts_sha256=hashlib.sha256(accounts_path.read_bytes()).hexdigest(),
    )


def check_solvency(market: Market, accounts: Sequence[Account]) -> None:
    """Raise :class:`InsolventAccounts` listing every account with ``equity < requirement``."""
    bad = [
        InsolventAccount(result.id, result.equity, result.requirement)
        for result in (evaluate(account, market) for account in accounts)
        if not result.solvent
    ]
    if bad:
        raise InsolventAccounts(bad, len(accounts))


def check_fits(market: Market, accounts: Sequence[Account], size: CircuitSize, pad_to: int | None) -> None:
    """``InputError`` when the market does not fit the circuit or ``pad_to`` is below the count."""
    try:
        size.check_market(market)
    except ValueError as exc:
        raise InputError(f"market snapshot: {exc}") from None
    if pad_to is not None and pad_to < len(accounts):
        raise InputError(f"--pad-to {pad_to} is below the number of accounts ({len(accounts)})")


@dataclass(frozen=True)
class RoundSecrets:
    """What must stay private: the placement seed, one salt per account, the dummies' commitments."""

    seed: bytes
    salts: dict[str, int]
    dummies: tuple[int, ...]

    @classmethod
    def fresh(cls, accounts: Sequence[Account], pad_to: int | None) -> RoundSecrets:
        dummies = max(0, (pad_to or 0) - len(accounts))
        return cls(
            seed=secrets.token_bytes(32),
            salts={account.id: random_salt() for account in accounts},
            dummies=tuple(1 + secrets.randbelow(R - 1) for _ in range(dummies)),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "seed": self.seed.hex(),
            "salts": {k: str(v) for k, v in self.salts.items()},
            "dummies": [str(d) for d in self.dummies],
        }

    @classmethod
    def from_json(cls, obj: dict[str, object]) -> RoundSecrets:
        salts = obj["salts"]
        dummies = obj["dummies"]
        if not isinstance(salts, dict) or not isinstance(dummies, list):
            raise ValueError("malformed round secrets")
        return cls(
            bytes.fromhex(str(obj["seed"])),
            {str(k): int(v) for k, v in salts.items()},
            tuple(int(d) for d in dummies),
        )


@dataclass(frozen=True)
class Placement:
    """Where a real account sits: its batch, its leaf position in the batch, its salt."""

    batch: int
    position: int
    salt: int


@dataclass(frozen=True)
class RoundPlan:
    """The batches of a round, in order, and where each real account went."""

    market: Market
    size: CircuitSize
    batches: list[list[BatchEntry]]
    placements: dict[str, Placement]
    accounts: dict[str, Account]
    padded_to: int | None


def _order_key(seed: bytes, kind: bytes, name: bytes) -> bytes:
    return hashlib.sha256(seed + kind + len(name).to_bytes(4, "big") + name).digest()


def dummy_account(market: Market) -> Account:
    """An empty account with no id (only its random commitment enters the circuit)."""
    zeros_a, zeros_i = (0,) * len(market.assets), (0,) * len(market.instruments)
    return Account("", zeros_a, zeros_i, zeros_i)


def plan_round(
    market: Market,
    accounts: Sequence[Account],
    size: CircuitSize,
    round_secrets: RoundSecrets,
    pad_to: int | None = None,
) -> RoundPlan:
    """Place the accounts (and dummies) in batches of ``size.batch``; at least one batch."""
    missing = [a.id for a in accounts if a.id not in round_secrets.salts]
    if missing:
        raise InputError(f"no salt for account {missing[0]!r}: the work folder does not match the input")
    keyed: list[tuple[bytes, BatchEntry]] = []
    for account in accounts:
        commitment = id_commitment(account.id, round_secrets.salts[account.id])
        keyed.append(
            (_order_key(round_secrets.seed, b"a", account.id.encode()), BatchEntry(commitment, account))
        )
    empty = dummy_account(market)
    for k, commitment in enumerate(round_secrets.dummies):
        keyed.append((_order_key(round_secrets.seed, b"d", str(k).encode()), BatchEntry(commitment, empty)))
    ordered = [entry for _key, entry in sorted(keyed, key=lambda item: item[0])]
    b = size.batch
    batches = [ordered[k : k + b] for k in range(0, len(ordered), b)] or [[]]
    placements: dict[str, Placement] = {}
    for index, batch in enumerate(batches):
        for position, entry in enumerate(batch):
            if entry.account.id:
                placements[entry.account.id] = Placement(
                    index, position, round_secrets.salts[entry.account.id]
                )
    return RoundPlan(
        market=market,
        size=size,
        batches=batches,
        placements=placements,
        accounts={a.id: a for a in accounts},
        padded_to=pad_to,
    )
