"""A round's plan: the accounts read in one streaming pass, the solvency gate, secrets, placement.

Everything here runs before any proof, so bad input or an insolvent account stops the
round with nothing written.

Memory. The accounts file is read once, streaming: each account is validated (every
error names file, line and field), checked against the margin rule, and then forgotten;
what stays is 32 bytes per account in numpy arrays (its line number, byte offset, the
first 8 bytes of ``SHA-256(id)`` for the duplicate check, and its placement key). Batches
re-read their accounts from the file by offset (:class:`zksolvency.model.accounts.AccountsFile`),
so a round of 10^6 accounts holds about 40 MB of index, not the accounts.

Placement. Accounts are put in a secret random order: each account (and each dummy of
``--pad-to``) is sorted by the first 8 bytes of ``SHA-256(seed || kind || len || name)``
for a 32-byte secret ``seed``, where an account's name is the first 8 bytes of
``SHA-256(id)`` (ties, with probability about ``n^2 / 2^65``, broken by file order). So
the three siblings an inclusion path shows its holder are random accounts, not the
neighbours in the operator's file. The sorted list is cut into batches of ``B``; the
last batch is completed with padding accounts (commitment 0, every value 0: the
circuit's padding).

Secrets, all derived from the one seed (the work folder stores nothing else):

* each account's salt ``s = HMAC-SHA512(seed, "salt" || id) mod r``, and its leaf carries
  ``idCommitment = Poseidon(id_field_element(id), s)`` (512 bits reduced mod r: the
  distance from uniform is below ``2^-250``);
* ``--pad-to N`` adds ``N - n`` *dummy* accounts: every value 0 and the commitment
  ``1 + (HMAC-SHA512(seed, "dummy" || k) mod (r - 1))``, so their batches are proven
  like any other and cannot be told from real ones.

Salts, dummies and the seed reach only the private work folder and the inclusion files.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.errors import InputError, ZkSolvencyError
from zksolvency.model.accounts import Account, AccountFormat, AccountsFile
from zksolvency.model.fields import input_error
from zksolvency.model.margin import evaluate
from zksolvency.model.market import Market

SEED_BYTES = 32


@dataclass(frozen=True)
class InsolventAccount:
    id: str
    equity: int
    requirement: int


class InsolventAccounts(ZkSolvencyError):
    """Some accounts fail the margin rule: the round cannot be proven."""

    def __init__(self, accounts: list[InsolventAccount], total: int) -> None:
        self.accounts = list(accounts)
        self.total = total
        super().__init__(f"{len(self.accounts)} of {total} accounts are insolvent; nothing was proven")


@dataclass(frozen=True)
class RoundSecrets:
    """The one secret of a round; every salt, dummy and placement key derives from it."""

    seed: bytes

    @classmethod
    def fresh(cls) -> RoundSecrets:
        return cls(secrets.token_bytes(SEED_BYTES))

    def _prf(self, label: bytes, data: bytes) -> int:
        return int.from_bytes(hmac.digest(self.seed, label + b"\0" + data, "sha512"), "big")

    def salt(self, account_id: str) -> int:
        """The salt of ``account_id``'s id commitment, in ``[0, r)``."""
        return self._prf(b"salt", account_id.encode("utf-8")) % R

    def dummy_commitment(self, k: int) -> int:
        """The id commitment of dummy ``k``, in ``[1, r)`` (never a padding account's 0)."""
        return 1 + self._prf(b"dummy", k.to_bytes(8, "big")) % (R - 1)

    def order_key(self, kind: bytes, name: bytes) -> int:
        """The placement key: the first 8 bytes of ``SHA-256(seed || kind || len(name) || name)``."""
        digest = hashlib.sha256(self.seed + kind + len(name).to_bytes(4, "big") + name).digest()
        return int.from_bytes(digest[:8], "big")

    def to_json(self) -> dict[str, object]:
        return {"seed": self.seed.hex()}

    @classmethod
    def from_json(cls, obj: dict[str, object]) -> RoundSecrets:
        seed = bytes.fromhex(str(obj["seed"]))
        if len(seed) != SEED_BYTES:
            raise ValueError(f"the seed must be {SEED_BYTES} bytes")
        return cls(seed)


def _id_hash(account_id: str) -> int:
    return int.from_bytes(hashlib.sha256(account_id.encode("utf-8")).digest()[:8], "big")


@dataclass
class AccountIndex:
    """Where each account of a file is, and its placement key; the accounts themselves are not kept."""

    file: AccountsFile
    lines: NDArray[np.int64]
    offsets: NDArray[np.int64]
    #: The first 8 bytes of ``SHA-256(id)``: the duplicate check and the placement name.
    ids: NDArray[np.uint64]

    @property
    def count(self) -> int:
        return len(self.lines)

    def account(self, index: int) -> Account:
        """Account number ``index`` (file order), read again from the file."""
        return self.file.read(int(self.offsets[index]), int(self.lines[index]))


def _check_duplicates(
    file: AccountsFile, lines: NDArray[np.int64], offsets: NDArray[np.int64], ids: NDArray[np.uint64]
) -> None:
    """``InputError`` naming the first duplicate id (line order), from 8-byte id hashes."""
    if len(ids) < 2:
        return
    order = np.argsort(ids, kind="stable")
    same = np.nonzero(ids[order[1:]] == ids[order[:-1]])[0]
    found: list[tuple[int, int, str]] = []
    for at in same:
        first, second = int(order[at]), int(order[at + 1])
        a = file.read(int(offsets[first]), int(lines[first]))
        b = file.read(int(offsets[second]), int(lines[second]))
        if a.id == b.id:  # not a 64-bit hash collision of two different ids
            found.append((int(lines[second]), int(lines[first]), a.id))
    if found:
        line, first_line, account_id = min(found)
        raise input_error(
            str(file.path), line, "id", f"duplicate id {account_id!r} (first on line {first_line})"
        )


def scan_accounts(path: Path, market: Market, fmt: AccountFormat) -> AccountIndex:
    """Read every account once: validate, check the rule, index (see the module docstring).

    Needs no secret, so nothing is written before the whole file has passed.

    Raises ``InputError`` for bad input (file, line, field) and :class:`InsolventAccounts`
    listing every insolvent account, after the whole file was read.
    """
    file = AccountsFile(path, market, fmt)
    # Typed arrays, 8 bytes an entry as they grow (a list of Python ints costs about 36).
    lines = array("q")
    offsets = array("q")
    ids = array("Q")
    insolvent: list[InsolventAccount] = []
    for located in file.scan():
        account = located.account
        result = evaluate(account, market)
        if not result.solvent:
            insolvent.append(InsolventAccount(account.id, result.equity, result.requirement))
        lines.append(located.line)
        offsets.append(located.offset)
        ids.append(_id_hash(account.id))
    index = AccountIndex(
        file,
        np.frombuffer(lines, dtype=np.int64),
        np.frombuffer(offsets, dtype=np.int64),
        np.frombuffer(ids, dtype=np.uint64),
    )
    _check_duplicates(file, index.lines, index.offsets, index.ids)
    if insolvent:
        raise InsolventAccounts(insolvent, index.count)
    return index


def check_fits(market: Market, count: int, size: CircuitSize, pad_to: int | None) -> None:
    """``InputError`` when the market does not fit the circuit or ``pad_to`` is below the count."""
    try:
        size.check_market(market)
    except ValueError as exc:
        raise InputError(f"market snapshot: {exc}") from None
    if pad_to is not None and pad_to < count:
        raise InputError(f"--pad-to {pad_to} is below the number of accounts ({count})")


@dataclass(frozen=True)
class Member:
    """One leaf of a batch as a worker needs it: the account, and its salt (dummy: its commitment)."""

    account: Account
    secret: int
    dummy: bool


def dummy_account(market: Market) -> Account:
    """An empty account with no id (only its random commitment enters the circuit)."""
    zeros_a, zeros_i = (0,) * len(market.assets), (0,) * len(market.instruments)
    return Account("", zeros_a, zeros_i, zeros_i)


@dataclass
class RoundPlan:
    """The batches of a round: member codes in placement order (``>= 0`` an account, ``< 0`` a dummy)."""

    market: Market
    size: CircuitSize
    index: AccountIndex
    secrets: RoundSecrets
    order: NDArray[np.int64]

    @property
    def batches(self) -> int:
        return max(1, -(-len(self.order) // self.size.live))

    def codes(self, batch: int) -> list[int]:
        """The member codes of ``batch``, in leaf order (padding after them is implicit)."""
        b = self.size.live
        return [int(code) for code in self.order[batch * b : (batch + 1) * b]]

    def member(self, code: int) -> Member:
        if code >= 0:
            account = self.index.account(code)
            return Member(account, self.secrets.salt(account.id), False)
        return Member(dummy_account(self.market), self.secrets.dummy_commitment(-1 - code), True)

    def members(self, batch: int) -> list[Member]:
        return [self.member(code) for code in self.codes(batch)]

    def real_members(self) -> Iterator[tuple[int, int, int]]:
        """``(batch, position, account index)`` of every real account, batch by batch."""
        for batch in range(self.batches):
            for position, code in enumerate(self.codes(batch)):
                if code >= 0:
                    yield batch, position, code


def plan_round(
    market: Market, index: AccountIndex, size: CircuitSize, round_secrets: RoundSecrets, pad_to: int | None
) -> RoundPlan:
    """Place the accounts (and ``pad_to - n`` dummies) in the secret order of ``round_secrets``."""
    dummies = max(0, (pad_to or 0) - index.count)
    account_keys = (round_secrets.order_key(b"a", int(h).to_bytes(8, "big")) for h in index.ids)
    dummy_keys = (round_secrets.order_key(b"d", str(k).encode()) for k in range(dummies))
    keys = np.fromiter(
        itertools.chain(account_keys, dummy_keys), dtype=np.uint64, count=index.count + dummies
    )
    codes = np.concatenate([np.arange(index.count, dtype=np.int64), -1 - np.arange(dummies, dtype=np.int64)])
    order = codes[np.argsort(keys, kind="stable")]
    return RoundPlan(market, size, index, round_secrets, order)
