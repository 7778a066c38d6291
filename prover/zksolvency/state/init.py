"""``state init``: a state from an accounts file, a public-keys file and a market snapshot.

* accounts: the spec's accounts file (JSON Lines or CSV, :mod:`zksolvency.model.accounts`),
  validated against the market; account ``k`` of the file gets slot ``k``;
* public keys, JSON Lines, one per account (any order)::

      {"account": "alice", "public": {"x": "<dec>", "y": "<dec>"}}

  every account needs exactly one key; a key for an account not in the accounts file, a
  point off Baby Jubjub (``a x^2 + y^2 = 1 + d x^2 y^2``, ``a = 168700``, ``d = 168696``) or
  outside its prime-order subgroup (``l P != O``; a low-order key lets anyone forge
  signatures under some verifiers) is refused, naming the line and the field;
* market: its canonical asset and instrument order fixes the order of balances and sizes,
  and by default the circuit size ``(A, I) = (#assets, #instruments)``.

Salts: ``HMAC-SHA512(seed, "salt" || id) mod r`` as a round derives them
(:class:`zksolvency.round.plan.RoundSecrets`) when a seed is given, else fresh random
salts (:func:`zksolvency.circuit.solvency_inputs.random_salt`). Nonces start at 0; the
cost total is the sum of the account's position costs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.solvency_inputs import random_salt
from zksolvency.errors import InputError
from zksolvency.model.accounts import AccountFormat, iter_accounts
from zksolvency.model.fields import decode_utf8, input_error, parse_name, parse_ranged
from zksolvency.model.market import Market
from zksolvency.orders.babyjub import IDENTITY, in_subgroup, is_on_curve
from zksolvency.round.plan import RoundSecrets
from zksolvency.state.leaf import PublicKey, StateAccount
from zksolvency.state.store import State

#: The depth of the shipped state tree.
DEFAULT_DEPTH = 20


@dataclass(frozen=True)
class KeyLine:
    account: str
    public: PublicKey
    line: int


def read_public_keys(path: str | os.PathLike[str]) -> dict[str, KeyLine]:
    """``{account: key}`` from a public-keys file; ``InputError`` names file, line and field."""
    source = os.fspath(path)
    text = decode_utf8(Path(path).read_bytes(), source)
    keys: dict[str, KeyLine] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            raise input_error(source, number, None, f"not valid JSON ({exc})") from None
        if not isinstance(obj, dict):
            raise input_error(source, number, None, "expected a JSON object {account, public}")
        for key in obj:
            if key not in ("account", "public"):
                raise input_error(source, number, key, "unknown field (allowed: account, public)")
        account = parse_name(obj.get("account"), source, number, "account")
        public = obj.get("public")
        if not isinstance(public, dict) or set(public) != {"x", "y"}:
            raise input_error(source, number, "public", "expected an object {x, y}")
        x = parse_ranged(public["x"], 0, R - 1, "0 <= x < r", source, number, "public.x")
        y = parse_ranged(public["y"], 0, R - 1, "0 <= y < r", source, number, "public.y")
        if not is_on_curve((x, y)):
            raise input_error(source, number, "public", "the point is not on Baby Jubjub")
        if not in_subgroup((x, y)) or (x, y) == IDENTITY:
            what = "the point is not in Baby Jubjub's prime-order subgroup (or is the identity)"
            raise input_error(source, number, "public", what)
        if account in keys:
            first = keys[account].line
            what = f"a second key for {account!r} (first on line {first})"
            raise input_error(source, number, "account", what)
        keys[account] = KeyLine(account, (x, y), number)
    return keys


def build_state(
    accounts_path: str | os.PathLike[str],
    keys_path: str | os.PathLike[str],
    market: Market,
    depth: int = DEFAULT_DEPTH,
    circuit_size: tuple[int, int] | None = None,
    secrets: RoundSecrets | None = None,
    fmt: AccountFormat = "auto",
) -> State:
    """The initial state (see the module docstring); nothing is written."""
    keys = read_public_keys(keys_path)
    accounts = list(iter_accounts(accounts_path, market, fmt))
    ids = {a.id for a in accounts}
    unknown = [k for k in keys.values() if k.account not in ids]
    if unknown:
        first = min(unknown, key=lambda k: k.line)
        what = f"{first.account!r} is not in {os.fspath(accounts_path)}"
        raise input_error(os.fspath(keys_path), first.line, "account", what)
    missing = [a.id for a in accounts if a.id not in keys]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise InputError(f"{os.fspath(keys_path)}: no public key for account(s) {shown}")
    if not 1 <= depth <= 64:
        raise InputError(f"--depth {depth}: must be in 1..64")
    if len(accounts) > 1 << depth:
        raise InputError(f"{len(accounts)} accounts do not fit a state tree of depth {depth}")
    a_size, i_size = circuit_size or (len(market.assets), len(market.instruments))
    if a_size < len(market.assets) or i_size < len(market.instruments):
        raise InputError(
            f"circuit size A={a_size}, I={i_size} is smaller than the market "
            f"({len(market.assets)} assets, {len(market.instruments)} instruments)"
        )
    state_accounts = tuple(
        StateAccount(
            id=a.id,
            salt=secrets.salt(a.id) if secrets is not None else random_salt(),
            nonce=0,
            public=keys[a.id].public,
            balances=a.balances,
            sizes=a.sizes,
            cost_total=sum(a.costs),
        )
        for a in accounts
    )
    return State(
        depth=depth,
        circuit_assets=a_size,
        circuit_instruments=i_size,
        assets=tuple(x.name for x in market.assets),
        instruments=tuple(x.name for x in market.instruments),
        accounts=state_accounts,
    )
