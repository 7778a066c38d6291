"""The state folder: a manifest and one JSON Lines file of accounts, swapped in all at once.

Layout of a state folder ``DIR`` (private: the folder is mode 0700, files 0600; it holds
every account's salt)::

    DIR/manifest.json            the commit point (below)
    DIR/accounts-<G>.jsonl       the accounts of generation G, one per slot, in slot order

``manifest.json``::

    {"format": "zksolvency-state", "version": 1, "generation": G,
     "depth": D, "circuit": {"assets": A, "instruments": I},
     "assets": [names...], "instruments": [names...],      # the market's canonical order
     "count": n, "root": "<dec>", "next_batch_id": k,
     "accounts": {"file": "accounts-<G>.jsonl", "sha256": "<hex>"}}

One line of ``accounts-<G>.jsonl`` (slot = line number - 1; integers as decimal strings)::

    {"slot": 0, "id": "alice", "salt": "<dec>", "nonce": 0, "public": {"x": "<dec>", "y": "<dec>"},
     "balances": ["<dec>", ...], "sizes": ["<dec>", ...], "cost_total": "<dec>"}

**All or nothing.** :func:`write_state` writes ``accounts-<G+1>.jsonl`` (temp file + fsync +
rename), then replaces ``manifest.json`` the same way (the commit point), then removes the
older accounts files. A reader sees the old manifest with its old, still present accounts
file, or the new one with the new file; a crash leaves at most an unreferenced file, removed
by the next write. A new folder (:func:`create_state`) is built beside ``DIR`` and renamed
into place. :func:`read_state` checks the format, the accounts file's sha256, every field,
and that the stored root equals the root recomputed from the accounts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from zksolvency.bn254 import R
from zksolvency.errors import FormatError
from zksolvency.state.leaf import NONCE_BOUND, StateAccount
from zksolvency.state.tree import MAX_DEPTH, StateTree
from zksolvency.util.atomic import atomic_write_bytes, atomic_write_text

FORMAT = "zksolvency-state"
VERSION = 1
MANIFEST = "manifest.json"
#: Batch ids are 64-bit (the settlement header's bound).
BATCH_ID_BOUND = 2**64


@dataclass(frozen=True)
class State:
    """A whole state: the tree's shape, the market's names, the accounts by slot, the next batch id."""

    depth: int
    circuit_assets: int
    circuit_instruments: int
    assets: tuple[str, ...]
    instruments: tuple[str, ...]
    accounts: tuple[StateAccount, ...]
    next_batch_id: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.depth <= MAX_DEPTH:
            raise ValueError(f"depth {self.depth} outside 1..{MAX_DEPTH}")
        if len(self.accounts) > 1 << self.depth:
            raise ValueError(f"{len(self.accounts)} accounts do not fit a tree of depth {self.depth}")
        if len(self.assets) > self.circuit_assets or len(self.instruments) > self.circuit_instruments:
            raise ValueError(
                f"the market has {len(self.assets)} assets and {len(self.instruments)} instruments; "
                f"the circuit holds {self.circuit_assets} and {self.circuit_instruments}"
            )
        if not 0 <= self.next_batch_id < BATCH_ID_BOUND:
            raise ValueError(f"next batch id {self.next_batch_id} outside [0, 2**64)")
        seen: set[str] = set()
        for a in self.accounts:
            if a.id in seen:
                raise ValueError(f"account {a.id!r} appears twice")
            seen.add(a.id)

    def leaf(self, slot: int) -> int:
        """The state leaf of the account in ``slot``."""
        return self.accounts[slot].leaf(self.circuit_assets, self.circuit_instruments)

    def tree(self) -> StateTree:
        """The tree of every account's leaf, account ``k`` in slot ``k``."""
        return StateTree(self.depth, {k: self.leaf(k) for k in range(len(self.accounts))})

    def slot_of(self, account_id: str) -> int:
        """The slot of ``account_id``; ``KeyError`` when there is none."""
        for k, account in enumerate(self.accounts):
            if account.id == account_id:
                return k
        raise KeyError(account_id)


def _account_obj(slot: int, a: StateAccount) -> dict[str, Any]:
    return {
        "slot": slot,
        "id": a.id,
        "salt": str(a.salt),
        "nonce": a.nonce,
        "public": {"x": str(a.public[0]), "y": str(a.public[1])},
        "balances": [str(b) for b in a.balances],
        "sizes": [str(s) for s in a.sizes],
        "cost_total": str(a.cost_total),
    }


def accounts_jsonl(state: State) -> bytes:
    """The accounts file's bytes (one compact JSON object per line)."""
    lines = [json.dumps(_account_obj(k, a), separators=(",", ":")) for k, a in enumerate(state.accounts)]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def manifest_obj(state: State, root: int, generation: int, accounts_file: str, sha256: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "generation": generation,
        "depth": state.depth,
        "circuit": {"assets": state.circuit_assets, "instruments": state.circuit_instruments},
        "assets": list(state.assets),
        "instruments": list(state.instruments),
        "count": len(state.accounts),
        "root": str(root),
        "next_batch_id": state.next_batch_id,
        "accounts": {"file": accounts_file, "sha256": sha256},
    }


def _write_generation(folder: Path, state: State, generation: int) -> int:
    """Write generation ``generation`` into ``folder`` (accounts first, manifest last); the root."""
    root = state.tree().root
    raw = accounts_jsonl(state)
    name = f"accounts-{generation}.jsonl"
    atomic_write_bytes(folder / name, raw)
    (folder / name).chmod(0o600)
    obj = manifest_obj(state, root, generation, name, hashlib.sha256(raw).hexdigest())
    atomic_write_text(folder / MANIFEST, json.dumps(obj, indent=1) + "\n")
    (folder / MANIFEST).chmod(0o600)
    for old in folder.glob("accounts-*.jsonl"):
        if old.name != name:
            old.unlink(missing_ok=True)
    return root


def create_state(folder: str | os.PathLike[str], state: State) -> int:
    """Write ``state`` as a new folder ``folder`` (which must not exist or be empty); its root.

    The folder is built under a temporary name beside it and renamed into place, so
    ``folder`` either does not appear or appears whole.
    """
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FormatError(f"{target}: exists and is not an empty folder (a state is never overwritten)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        root = _write_generation(tmp, state, 1)
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root


def write_state(folder: str | os.PathLike[str], state: State) -> int:
    """Replace the state in the existing folder ``folder`` by ``state``, all or nothing; the new root."""
    target = Path(folder)
    generation = _manifest(target)["generation"]
    if isinstance(generation, bool) or not isinstance(generation, int) or generation < 1:
        raise FormatError(f"{target / MANIFEST}: field generation: expected a positive integer")
    return _write_generation(target, state, generation + 1)


# --- reading -----------------------------------------------------------------------------------


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        obj = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise FormatError(f"{path}: missing (not a state folder)") from None
    except ValueError as exc:
        raise FormatError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise FormatError(f"{path}: field format: expected {FORMAT!r}")
    if obj.get("version") != VERSION:
        raise FormatError(f"{path}: field version: {obj.get('version')!r}, this reader knows {VERSION}")
    return obj


class _Fields:
    """Typed reads of a JSON object; errors name the source and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, field: str, what: str) -> FormatError:
        return FormatError(f"{self.source}: field {field}: {what}")

    def get(self, obj: Mapping[str, Any], key: str, prefix: str = "") -> Any:
        if key not in obj:
            raise self.error(prefix + key, "missing")
        return obj[key]

    def integer(self, value: Any, field: str, low: int, high: int) -> int:
        if isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value < high:
            raise self.error(field, f"expected an integer in [{low}, {high}), got {value!r}")
        return value

    def names(self, value: Any, field: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(field, "expected a list of names")
        return tuple(value)

    def ints(self, value: Any, field: str, length: int, bound: int) -> tuple[int, ...]:
        if not isinstance(value, list) or len(value) != length:
            raise self.error(field, f"expected a list of {length} integers")
        return tuple(self.integer(v, f"{field}[{i}]", -bound, bound) for i, v in enumerate(value))


def _account(obj: Any, slot: int, f: _Fields, assets: int, instruments: int) -> StateAccount:
    at = f"accounts[{slot}]."
    if not isinstance(obj, dict):
        raise f.error(f"accounts[{slot}]", "expected an object")
    if f.integer(f.get(obj, "slot", at), at + "slot", 0, 2**64) != slot:
        raise f.error(at + "slot", f"expected {slot} (accounts are stored in slot order)")
    account_id = f.get(obj, "id", at)
    if not isinstance(account_id, str):
        raise f.error(at + "id", "expected a string")
    public = f.get(obj, "public", at)
    if not isinstance(public, dict):
        raise f.error(at + "public", "expected an object {x, y}")
    return StateAccount(
        id=account_id,
        salt=f.integer(f.get(obj, "salt", at), at + "salt", 0, R),
        nonce=f.integer(f.get(obj, "nonce", at), at + "nonce", 0, NONCE_BOUND),
        public=(
            f.integer(f.get(public, "x", at + "public."), at + "public.x", 0, R),
            f.integer(f.get(public, "y", at + "public."), at + "public.y", 0, R),
        ),
        balances=f.ints(f.get(obj, "balances", at), at + "balances", assets, 2**64),
        sizes=f.ints(f.get(obj, "sizes", at), at + "sizes", instruments, 2**64),
        cost_total=f.integer(f.get(obj, "cost_total", at), at + "cost_total", -(2**246), 2**246),
    )


def read_state(folder: str | os.PathLike[str]) -> tuple[State, int]:
    """The state in ``folder`` and its root, after checking the hash of the accounts and the root."""
    target = Path(folder)
    obj = _manifest(target)
    f = _Fields(str(target / MANIFEST))
    circuit = f.get(obj, "circuit")
    if not isinstance(circuit, dict):
        raise f.error("circuit", "expected an object {assets, instruments}")
    depth = f.integer(f.get(obj, "depth"), "depth", 1, MAX_DEPTH + 1)
    assets = f.names(f.get(obj, "assets"), "assets")
    instruments = f.names(f.get(obj, "instruments"), "instruments")
    count = f.integer(f.get(obj, "count"), "count", 0, (1 << depth) + 1)
    root = f.integer(f.get(obj, "root"), "root", 0, R)
    accounts_ref = f.get(obj, "accounts")
    if not isinstance(accounts_ref, dict):
        raise f.error("accounts", "expected an object {file, sha256}")
    name = f.get(accounts_ref, "file", "accounts.")
    if not isinstance(name, str) or "/" in name or not name.startswith("accounts-"):
        raise f.error("accounts.file", f"expected an accounts-<G>.jsonl name, got {name!r}")
    raw = (target / name).read_bytes()
    if hashlib.sha256(raw).hexdigest() != f.get(accounts_ref, "sha256", "accounts."):
        raise f.error("accounts.sha256", f"{name} does not have the recorded sha256 (changed or truncated)")
    fa = _Fields(str(target / name))
    lines = raw.decode("utf-8").splitlines()
    if len(lines) != count:
        raise f.error("count", f"{count}, but {name} holds {len(lines)} accounts")
    try:
        parsed = [json.loads(line) for line in lines]
    except ValueError as exc:
        raise FormatError(f"{target / name}: not valid JSON Lines ({exc})") from None
    try:
        state = _build(f, fa, obj, circuit, depth, assets, instruments, parsed)
        recomputed = state.tree().root
    except ValueError as exc:
        raise FormatError(f"{target}: {exc}") from None
    if recomputed != root:
        raise f.error("root", f"{root} is not the root of the stored accounts ({recomputed})")
    return state, root


def _build(
    f: _Fields,
    fa: _Fields,
    obj: Mapping[str, Any],
    circuit: Mapping[str, Any],
    depth: int,
    assets: tuple[str, ...],
    instruments: tuple[str, ...],
    parsed: list[Any],
) -> State:
    return State(
        depth=depth,
        circuit_assets=f.integer(f.get(circuit, "assets", "circuit."), "circuit.assets", 1, 2**32),
        circuit_instruments=f.integer(
            f.get(circuit, "instruments", "circuit."), "circuit.instruments", 1, 2**32
        ),
        assets=assets,
        instruments=instruments,
        accounts=tuple(_account(o, k, fa, len(assets), len(instruments)) for k, o in enumerate(parsed)),
        next_batch_id=f.integer(f.get(obj, "next_batch_id"), "next_batch_id", 0, BATCH_ID_BOUND),
    )


def with_accounts(state: State, accounts: tuple[StateAccount, ...], next_batch_id: int) -> State:
    """``state`` with new accounts and next batch id (same shape and names)."""
    return replace(state, accounts=accounts, next_batch_id=next_batch_id)
