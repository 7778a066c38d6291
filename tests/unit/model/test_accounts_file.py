"""Accounts read once, streaming, then re-read one at a time by offset (``AccountsFile``), and the
round's index built on it (``round.plan.scan_accounts``): the same accounts as ``read_accounts``,
the same errors, duplicates found from 8-byte id hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from zksolvency.errors import InputError
from zksolvency.model.accounts import AccountsFile, accounts_to_csv, accounts_to_jsonl, read_accounts
from zksolvency.round.plan import InsolventAccounts, scan_accounts
from zksolvency.round.sample import sample_accounts, sample_market

MARKET = sample_market()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_scan_and_read_give_the_accounts_read_accounts_gives(tmp_path: Path, suffix: str) -> None:
    accounts = sample_accounts(MARKET, 25)
    path = tmp_path / f"accounts{suffix}"
    text = accounts_to_jsonl(accounts, MARKET) if suffix == ".jsonl" else accounts_to_csv(accounts, MARKET)
    path.write_text(text.replace("\n", "\r\n", 3))  # a few CRLF lines: offsets count every byte
    file = AccountsFile(path, MARKET)
    located = list(file.scan())
    assert [x.account for x in located] == read_accounts(path, MARKET) == accounts
    first_line = 2 if suffix == ".csv" else 1
    assert [x.line for x in located] == list(range(first_line, first_line + 25))
    for x in reversed(located):
        assert file.read(x.offset, x.line) == x.account
    # The twins: another line's offset reads that line; an offset inside a line reads no account.
    assert file.read(located[4].offset, located[3].line) == located[4].account != located[3].account
    try:
        inside = file.read(located[3].offset + 3, located[3].line)  # CSV: a shorter id; JSONL: malformed
    except InputError as exc:
        assert f"{path.name}:{located[3].line}" in str(exc)
    else:
        assert inside != located[3].account


def test_a_bad_line_is_named_by_the_streaming_pass(tmp_path: Path) -> None:
    path = tmp_path / "accounts.jsonl"
    lines = accounts_to_jsonl(sample_accounts(MARKET, 5), MARKET).splitlines()
    lines[3] = '{"id": "eve", "balances": {"USDC": -5}}'
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"accounts.jsonl:4: field balances.USDC: -5 is negative"):
        list(AccountsFile(path, MARKET).scan())


def test_the_round_index_finds_a_duplicate_id_by_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "accounts.jsonl"
    accounts = sample_accounts(MARKET, 6)
    path.write_text(accounts_to_jsonl([*accounts, accounts[2]], MARKET))
    with pytest.raises(
        InputError, match=r"accounts.jsonl:7: field id: duplicate id 'acct-0002' \(first on line 3\)"
    ):
        scan_accounts(path, MARKET, "auto")
    path.write_text(accounts_to_jsonl(accounts, MARKET))  # the twin: distinct ids pass
    index = scan_accounts(path, MARKET, "auto")
    assert index.count == 6 and [index.account(k) for k in range(6)] == accounts


def test_the_round_index_refuses_insolvent_accounts_after_reading_them_all(tmp_path: Path) -> None:
    path = tmp_path / "accounts.jsonl"
    accounts = sample_accounts(MARKET, 4)
    broke = accounts[0].__class__("broke", (0, 0), (-10, 0), (0, 0))
    path.write_text(accounts_to_jsonl([accounts[0], broke, *accounts[1:]], MARKET))
    with pytest.raises(InsolventAccounts, match="1 of 5 accounts are insolvent") as caught:
        scan_accounts(path, MARKET, "auto")
    assert [a.id for a in caught.value.accounts] == ["broke"]
