"""``zksolvency keys new | public``, ``orders sign | verify``: secrets only in files, errors name lines."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from zksolvency.cli.main import cli
from zksolvency.orders.keyfile import read_key_file

ORDER = {
    "account": "alice",
    "instrument": "BTC-C",
    "side": "buy",
    "size": "2",
    "limit_price": "51000000000000000",
    "nonce": 0,
    "expiry": 1790000000,
}


def run(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin)


def new_key(folder: Path, account: str) -> Path:
    path = folder / f"{account}.key"
    result = run("keys", "new", "--account", account, "--out", path)
    assert result.exit_code == 0, result.output
    return path


def write_lines(path: Path, documents: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in documents))
    return path


def test_keys_new_writes_0600_and_prints_only_the_public_key(tmp_path: Path) -> None:
    path = tmp_path / "alice.key"
    result = run("keys", "new", "--account", "alice", "--out", path)
    assert result.exit_code == 0, result.output
    key = read_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key.secret.hex() not in result.output
    line = json.loads(result.stdout.strip())
    assert line == {"account": "alice", "public": {"x": str(key.public[0]), "y": str(key.public[1])}}


def test_keys_new_refuses_to_overwrite(tmp_path: Path) -> None:
    path = new_key(tmp_path, "alice")
    before = path.read_bytes()
    result = run("keys", "new", "--account", "alice", "--out", path)
    assert result.exit_code == 2
    assert "exists already" in result.stderr and result.stderr.count("\n") == 1
    assert path.read_bytes() == before


def test_keys_new_refuses_a_bad_account(tmp_path: Path) -> None:
    result = run("keys", "new", "--account", "x" * 32, "--out", tmp_path / "k")
    assert result.exit_code == 2 and "account" in result.stderr
    assert not (tmp_path / "k").exists()


def test_keys_public_prints_one_line_per_key(tmp_path: Path) -> None:
    paths = [new_key(tmp_path, "alice"), new_key(tmp_path, "bob")]
    result = run("keys", "public", *paths)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["account"] for d in lines] == ["alice", "bob"]
    assert lines[1]["public"]["x"] == str(read_key_file(paths[1]).public[0])


def test_keys_public_refuses_a_readable_key_and_two_keys_of_one_account(tmp_path: Path) -> None:
    alice = new_key(tmp_path, "alice")
    other = tmp_path / "other"
    other.mkdir()
    twin = new_key(other, "alice")
    result = run("keys", "public", alice, twin)
    assert result.exit_code == 2 and "account: 'alice' already has a key" in result.stderr
    os.chmod(alice, 0o640)
    result = run("keys", "public", alice)
    assert result.exit_code == 2 and "chmod 600" in result.stderr


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, Path]:
    """``(orders, public keys)``: one order by alice and one by bob, signed through the CLI."""
    keys = [new_key(tmp_path, "alice"), new_key(tmp_path, "bob")]
    publics = tmp_path / "public.jsonl"
    publics.write_text(run("keys", "public", *keys).stdout)
    orders = tmp_path / "orders.jsonl"
    lines = []
    for key, account, side in zip(keys, ["alice", "bob"], ["buy", "sell"], strict=True):
        unsigned = write_lines(tmp_path / f"{account}.order", [{**ORDER, "account": account, "side": side}])
        result = run("orders", "sign", "--key", key, "--order", unsigned)
        assert result.exit_code == 0, result.output
        lines.append(result.stdout)
    orders.write_text("".join(lines))
    return orders, publics


def test_orders_sign_then_verify(signed: tuple[Path, Path]) -> None:
    orders, publics = signed
    result = run("orders", "verify", "--orders", orders, "--keys", publics)
    assert result.exit_code == 0, result.output
    assert "2 orders in" in result.stdout and "every signature verifies" in result.stdout


def test_orders_verify_names_a_tampered_line(signed: tuple[Path, Path]) -> None:
    orders, publics = signed
    lines = orders.read_text().splitlines()
    tampered = json.loads(lines[1])
    tampered["size"] = "3"
    orders.write_text(lines[0] + "\n" + json.dumps(tampered) + "\n")
    result = run("orders", "verify", "--orders", orders, "--keys", publics)
    assert result.exit_code == 1
    assert f"{orders} line 2: signature: does not verify under the public key of 'bob'" in result.stderr
    assert "line 1" not in result.stderr


def test_orders_verify_refuses_an_unknown_account_and_an_unsigned_order(signed: tuple[Path, Path]) -> None:
    orders, publics = signed
    publics.write_text(publics.read_text().splitlines()[0] + "\n")
    result = run("orders", "verify", "--orders", orders, "--keys", publics)
    assert result.exit_code == 2 and "line 2: account: 'bob' has no key" in result.stderr
    write_lines(orders, [ORDER])
    result = run("orders", "verify", "--orders", orders, "--keys", publics)
    assert result.exit_code == 2 and "line 1: signature: missing" in result.stderr


def test_orders_sign_reads_stdin_and_writes_out(tmp_path: Path) -> None:
    key = new_key(tmp_path, "alice")
    out = tmp_path / "signed.jsonl"
    result = run("orders", "sign", "--key", key, "--order", "-", "--out", out, stdin=json.dumps(ORDER) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "signature" in json.loads(out.read_text())


def test_orders_sign_refuses_another_accounts_order_and_a_bad_field(tmp_path: Path) -> None:
    key = new_key(tmp_path, "alice")
    order = write_lines(tmp_path / "o.jsonl", [ORDER, {**ORDER, "account": "bob"}])
    result = run("orders", "sign", "--key", key, "--order", order)
    assert result.exit_code == 2 and f"{order} line 2: account: 'bob'" in result.stderr
    assert result.stdout == ""
    write_lines(order, [{**ORDER, "size": "0"}])
    result = run("orders", "sign", "--key", key, "--order", order)
    assert result.exit_code == 2 and f"{order} line 1: size: 0 is out of range" in result.stderr


def test_no_command_takes_a_secret_as_an_argument() -> None:
    for group in ("keys", "orders"):
        result = run(group, "--help")
        assert result.exit_code == 0
        for sub in ("new", "public") if group == "keys" else ("sign", "verify"):
            text = run(group, sub, "--help").output.lower()
            assert "--secret" not in text and "--private" not in text
