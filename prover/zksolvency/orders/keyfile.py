"""Key files (one account's Baby Jubjub secret) and public-keys files (every account's public key).

A key file, written with mode ``0600`` and never printed::

    {"format": "zksolvency-babyjub-key", "version": 1, "account": "alice",
     "secret": "<64 hex digits: the 32-byte EdDSA secret>", "public": {"x": "<dec>", "y": "<dec>"}}

``public`` is ``A = public_key(secret)`` (:mod:`zksolvency.orders.eddsa`); reading a key file
checks that it is. A public-keys file has one JSON line per account::

    {"account": "alice", "public": {"x": "<dec>", "y": "<dec>"}}

Like an ssh key, a key file that group or others may read or change is refused. No error
message ever contains the secret.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from zksolvency.circuit.solvency_inputs import id_field_element
from zksolvency.errors import InputError
from zksolvency.orders.babyjub import Point
from zksolvency.orders.eddsa import check_public_key, new_secret, public_key
from zksolvency.util.private_file import create_private_file

KEY_FORMAT = "zksolvency-babyjub-key"
KEY_VERSION = 1
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DECIMAL = re.compile(r"[0-9]{1,80}")


@dataclass(frozen=True)
class AccountKey:
    """An account's key pair; ``secret`` stays out of ``repr``."""

    account: str
    secret: bytes = field(repr=False)
    public: Point


def new_key(account: str) -> AccountKey:
    """A fresh random key for ``account`` (a name of 1..31 UTF-8 bytes)."""
    _check_account(account, "account")
    secret = new_secret()
    return AccountKey(account, secret, public_key(secret))


def _check_account(account: object, where: str) -> str:
    if not isinstance(account, str):
        raise InputError(f"{where}: expected a string")
    try:
        id_field_element(account)
    except ValueError:
        raise InputError(f"{where}: {account!r} must be 1..31 UTF-8 bytes") from None
    return account


def _point_document(public: Point) -> dict[str, str]:
    return {"x": str(public[0]), "y": str(public[1])}


def write_key_file(path: str | os.PathLike[str], key: AccountKey) -> None:
    """Create ``path`` (mode 0600, atomically); ``InputError`` if it exists already."""
    document = {
        "format": KEY_FORMAT,
        "version": KEY_VERSION,
        "account": key.account,
        "secret": key.secret.hex(),
        "public": _point_document(key.public),
    }
    try:
        create_private_file(path, (json.dumps(document) + "\n").encode("utf-8"))
    except FileExistsError:
        raise InputError(f"{os.fspath(path)}: exists already; a key file is never overwritten") from None


def _public_point(value: object, where: str) -> Point:
    if not isinstance(value, Mapping) or set(value) != {"x", "y"}:
        raise InputError(f'{where}: public: expected {{"x": "<dec>", "y": "<dec>"}}')
    coords = []
    for axis in ("x", "y"):
        raw = value[axis]
        if not isinstance(raw, str) or not _DECIMAL.fullmatch(raw):
            raise InputError(f"{where}: public.{axis}: expected a decimal string")
        coords.append(int(raw))
    try:
        return check_public_key((coords[0], coords[1]))
    except ValueError as exc:
        raise InputError(f"{where}: public: {exc}") from None


def read_key_file(path: str | os.PathLike[str]) -> AccountKey:
    """The key in ``path``; ``InputError`` naming the field when it is malformed or readable by others."""
    where = os.fspath(path)
    mode = stat.S_IMODE(Path(path).stat().st_mode)
    if mode & 0o077:
        raise InputError(
            f"{where}: mode {mode:04o} lets others read or change the key; run `chmod 600 {where}`"
        )
    try:
        document = json.loads(Path(path).read_bytes())
    except ValueError:
        raise InputError(f"{where}: not a JSON key file (the content is not shown)") from None
    if not isinstance(document, Mapping):
        raise InputError(f"{where}: not a JSON key file (the content is not shown)")
    if document.get("format") != KEY_FORMAT:
        raise InputError(f"{where}: format: expected {KEY_FORMAT!r}")
    if document.get("version") != KEY_VERSION:
        raise InputError(f"{where}: version: expected {KEY_VERSION}")
    account = _check_account(document.get("account"), f"{where}: account")
    secret_hex = document.get("secret")
    if not isinstance(secret_hex, str) or not _HEX64.fullmatch(secret_hex):
        raise InputError(f"{where}: secret: expected 64 lowercase hex digits (the content is not shown)")
    secret = bytes.fromhex(secret_hex)
    public = _public_point(document.get("public"), where)
    if public != public_key(secret):
        raise InputError(f"{where}: public: is not the public key of the secret in the file")
    return AccountKey(account, secret, public)


def public_key_line(account: str, public: Point) -> str:
    """One line of a public-keys file (no newline)."""
    return json.dumps({"account": account, "public": _point_document(public)}, ensure_ascii=False)


def parse_public_keys(text: str, source: str) -> dict[str, Point]:
    """Account -> public key from a public-keys file's text; ``InputError`` naming the line and field."""
    keys: dict[str, Point] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        try:
            document = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{where}: not valid JSON ({exc})") from None
        if not isinstance(document, Mapping) or set(document) != {"account", "public"}:
            raise InputError(f'{where}: expected {{"account": ID, "public": {{"x": .., "y": ..}}}}')
        account = _check_account(document["account"], f"{where}: account")
        if account in keys:
            raise InputError(f"{where}: account: {account!r} has a key on an earlier line")
        keys[account] = _public_point(document["public"], where)
    return keys


def read_public_keys(path: str | os.PathLike[str]) -> dict[str, Point]:
    """:func:`parse_public_keys` of the file ``path``."""
    return parse_public_keys(Path(path).read_text(encoding="utf-8"), os.fspath(path))
