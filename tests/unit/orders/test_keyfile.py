"""Key files (mode 0600, never overwritten, checked on reading) and public-keys files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from zksolvency.errors import InputError
from zksolvency.orders.eddsa import public_key
from zksolvency.orders.keyfile import (
    AccountKey,
    new_key,
    parse_public_keys,
    public_key_line,
    read_key_file,
    read_public_keys,
    write_key_file,
)

SECRET = bytes(range(32))
KEY = AccountKey("alice", SECRET, public_key(SECRET))


def test_written_with_mode_0600_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "alice.key"
    write_key_file(path, KEY)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["format"] == "zksolvency-babyjub-key" and document["version"] == 1
    assert document["secret"] == SECRET.hex()
    assert document["public"] == {"x": str(KEY.public[0]), "y": str(KEY.public[1])}
    assert read_key_file(path) == KEY
    assert [p.name for p in path.parent.iterdir()] == ["alice.key"]  # no temporary file left


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "alice.key"
    path.write_text("precious")
    with pytest.raises(InputError, match="exists already"):
        write_key_file(path, KEY)
    assert path.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["alice.key"]


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alice.key"
    write_key_file(path, KEY)
    os.chmod(path, 0o644)
    with pytest.raises(InputError, match="chmod 600"):
        read_key_file(path)


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("format", "other", "format"),
        ("version", 2, "version"),
        ("account", "", "account"),
        ("secret", "00" * 31, "secret"),
        ("public", {"x": "1", "y": "2"}, "public"),
        (
            "public",
            {"x": str(public_key(bytes(32))[0]), "y": str(public_key(bytes(32))[1])},
            "not the public key",
        ),
    ],
)
def test_a_bad_field_is_named_and_the_secret_never_shown(
    tmp_path: Path, field: str, value: object, match: str
) -> None:
    path = tmp_path / "alice.key"
    write_key_file(path, KEY)
    document = json.loads(path.read_text())
    document[field] = value
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match=match) as err:
        read_key_file(path)
    assert SECRET.hex() not in str(err.value)


def test_new_keys_are_random_and_consistent() -> None:
    a, b = new_key("alice"), new_key("alice")
    assert a.secret != b.secret and a.public == public_key(a.secret)
    assert SECRET.hex() not in repr(KEY) and "secret" not in repr(KEY)
    with pytest.raises(InputError, match="account"):
        new_key("x" * 32)


def test_public_keys_lines_round_trip(tmp_path: Path) -> None:
    bob = new_key("bob")
    path = tmp_path / "public.jsonl"
    path.write_text(public_key_line("alice", KEY.public) + "\n\n" + public_key_line("bob", bob.public) + "\n")
    assert read_public_keys(path) == {"alice": KEY.public, "bob": bob.public}
    assert json.loads(public_key_line("alice", KEY.public)) == {
        "account": "alice",
        "public": {"x": str(KEY.public[0]), "y": str(KEY.public[1])},
    }


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ('{"account": "alice"}', "line 2: expected"),
        ('{"account": "bob", "public": {"x": "1", "y": "2"}}', "line 2: public: .*not on Baby Jubjub"),
        ('{"account": "bob", "public": {"x": 1, "y": "2"}}', "line 2: public.x"),
        ('{"account": "alice", "public": {"x": "0", "y": "1"}}', "line 2: account: 'alice' has a key"),
        ("{", "line 2: not valid JSON"),
    ],
)
def test_a_bad_public_keys_line_is_named(line: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_public_keys(public_key_line("alice", KEY.public) + "\n" + line, "keys.jsonl")
