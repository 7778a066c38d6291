"""State init and the state folder: round trip, all-or-nothing writes, and the refusals."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.unit.state.keys import test_key, write_keys
from zksolvency.bn254 import R
from zksolvency.errors import FormatError, InputError
from zksolvency.model.market import Market, read_market
from zksolvency.orders.babyjub import in_subgroup, is_on_curve
from zksolvency.round.plan import RoundSecrets
from zksolvency.state.init import build_state
from zksolvency.state.store import MANIFEST, State, create_state, read_state, with_accounts, write_state

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
DEPTH = 4
SEED = RoundSecrets(bytes(range(32)))


@pytest.fixture(scope="module")
def market() -> Market:
    return read_market(EXAMPLES / "market.json")


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    lines = (EXAMPLES / "accounts.jsonl").read_text().splitlines()[:5]
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text("\n".join(lines) + "\n")
    ids = [json.loads(line)["id"] for line in lines]
    keys = tmp_path / "keys.jsonl"
    write_keys(keys, ids)
    return accounts, keys, ids


def make(inputs: tuple[Path, Path, list[str]], market: Market) -> State:
    accounts, keys, _ = inputs
    return build_state(accounts, keys, market, DEPTH, secrets=SEED)


def test_keys_are_on_the_curve_and_in_the_subgroup() -> None:
    x, y = test_key(3)
    assert is_on_curve((x, y)) and not is_on_curve((x, y + 1))
    assert in_subgroup((x, y))


def test_a_low_order_point_is_on_the_curve_but_not_in_the_subgroup() -> None:
    """The twin: (0, -1) has order 2."""
    assert is_on_curve((0, R - 1)) and not in_subgroup((0, R - 1))


def test_init_puts_accounts_in_file_order_with_nonce_zero_and_seeded_salts(
    inputs: tuple[Path, Path, list[str]], market: Market
) -> None:
    built = make(inputs, market)
    assert [a.id for a in built.accounts] == inputs[2]
    assert all(a.nonce == 0 for a in built.accounts)
    assert built.accounts[1].salt == SEED.salt(inputs[2][1])
    assert built.accounts[1].public == test_key(2)
    assert (built.circuit_assets, built.circuit_instruments) == (4, 16)
    assert built.instruments == tuple(i.name for i in market.instruments)


def test_init_without_a_seed_draws_fresh_salts(inputs: tuple[Path, Path, list[str]], market: Market) -> None:
    one = build_state(inputs[0], inputs[1], market, DEPTH)
    two = build_state(inputs[0], inputs[1], market, DEPTH)
    assert one.accounts[0].salt != two.accounts[0].salt


def test_init_refuses_a_missing_key_by_account_name(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    accounts, _, ids = inputs
    keys = tmp_path / "fewer.jsonl"
    write_keys(keys, [i for i in ids if i != ids[2]])
    with pytest.raises(InputError, match=rf"no public key for account\(s\) '{ids[2]}'"):
        build_state(accounts, keys, market, DEPTH)


def test_init_refuses_a_key_for_an_unknown_account(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    accounts, _, ids = inputs
    keys = tmp_path / "more.jsonl"
    write_keys(keys, [*ids, "mallory"])
    with pytest.raises(InputError, match=r"more.jsonl:6: field account: 'mallory' is not in"):
        build_state(accounts, keys, market, DEPTH)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"account": "a", "public": {"x": "1", "y": "2"}}, "field public: the point is not on Baby Jubjub"),
        ({"account": "a", "public": {"x": "0", "y": str(R - 1)}}, "field public: the point is not in"),
        ({"account": "a", "public": {"x": "0", "y": "1"}}, "field public: the point is not in"),
        ({"account": "a", "public": {"x": "1"}}, "field public: expected an object"),
        ({"account": "a", "public": {"x": "-1", "y": "2"}}, "field public.x"),
        ({"account": "a", "key": 1}, "field key: unknown field"),
    ],
)
def test_a_malformed_key_line_is_refused_naming_the_field(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path, line: object, message: str
) -> None:
    keys = tmp_path / "bad.jsonl"
    keys.write_text(json.dumps(line) + "\n")
    with pytest.raises(InputError, match=f"bad.jsonl:1: {message}"):
        build_state(inputs[0], keys, market, DEPTH)


def test_a_second_key_for_one_account_is_refused(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    _, keys, ids = inputs
    doubled = tmp_path / "doubled.jsonl"
    doubled.write_text(keys.read_text() + keys.read_text().splitlines()[0] + "\n")
    with pytest.raises(InputError, match=f"doubled.jsonl:6: field account: a second key for '{ids[0]}'"):
        build_state(inputs[0], doubled, market, DEPTH)


def test_too_many_accounts_for_the_depth_are_refused(
    inputs: tuple[Path, Path, list[str]], market: Market
) -> None:
    with pytest.raises(InputError, match="5 accounts do not fit a state tree of depth 2"):
        build_state(inputs[0], inputs[1], market, 2)


def test_folder_round_trip_keeps_every_field_and_the_root(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    built = make(inputs, market)
    root = create_state(tmp_path / "state", built)
    loaded, loaded_root = read_state(tmp_path / "state")
    assert loaded == built and loaded_root == root == built.tree().root
    assert (tmp_path / "state").stat().st_mode & 0o077 == 0


def test_create_refuses_an_existing_folder(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    create_state(tmp_path / "state", make(inputs, market))
    with pytest.raises(FormatError, match="exists and is not an empty folder"):
        create_state(tmp_path / "state", make(inputs, market))


def test_write_swaps_the_whole_state_and_removes_the_old_generation(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    built = make(inputs, market)
    folder = tmp_path / "state"
    old_root = create_state(folder, built)
    moved = replace(built.accounts[0], nonce=1, sizes=(1, *built.accounts[0].sizes[1:]))
    new = with_accounts(built, (moved, *built.accounts[1:]), 1)
    new_root = write_state(folder, new)
    loaded, root = read_state(folder)
    assert root == new_root != old_root and loaded.next_batch_id == 1 and loaded.accounts[0].nonce == 1
    assert sorted(p.name for p in folder.iterdir()) == ["accounts-2.jsonl", MANIFEST]


def test_a_failed_write_leaves_the_old_state(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The twin: the manifest swap fails, and the folder still reads as the old state."""
    built = make(inputs, market)
    folder = tmp_path / "state"
    old_root = create_state(folder, built)
    import zksolvency.state.store as store

    def broken(path: object, text: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "atomic_write_text", broken)
    with pytest.raises(OSError, match="disk full"):
        write_state(folder, with_accounts(built, built.accounts[1:], 3))
    monkeypatch.undo()
    loaded, root = read_state(folder)
    assert root == old_root and loaded == built


def _tamper_manifest(folder: Path, **changes: object) -> None:
    obj = json.loads((folder / MANIFEST).read_text())
    obj.update(changes)
    (folder / MANIFEST).write_text(json.dumps(obj))


def test_load_refuses_a_tampered_root(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    folder = tmp_path / "state"
    root = create_state(folder, make(inputs, market))
    _tamper_manifest(folder, root=str(root + 1))
    with pytest.raises(FormatError, match=r"field root: .* is not the root of the stored accounts"):
        read_state(folder)


def test_load_refuses_tampered_accounts(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    folder = tmp_path / "state"
    create_state(folder, make(inputs, market))
    accounts = folder / "accounts-1.jsonl"
    accounts.write_text(accounts.read_text().replace('"nonce":0', '"nonce":1', 1))
    with pytest.raises(FormatError, match=r"accounts\.sha256: accounts-1\.jsonl does not have the recorded"):
        read_state(folder)


def test_load_refuses_accounts_whose_hash_was_updated_but_not_the_root(
    inputs: tuple[Path, Path, list[str]], market: Market, tmp_path: Path
) -> None:
    import hashlib

    folder = tmp_path / "state"
    create_state(folder, make(inputs, market))
    accounts = folder / "accounts-1.jsonl"
    accounts.write_text(accounts.read_text().replace('"nonce":0', '"nonce":1', 1))
    ref = {"file": "accounts-1.jsonl", "sha256": hashlib.sha256(accounts.read_bytes()).hexdigest()}
    _tamper_manifest(folder, accounts=ref)
    with pytest.raises(FormatError, match="field root"):
        read_state(folder)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"format": "x"}, "field format"), ({"version": 2}, "field version"), ({"depth": 0}, "field depth")],
)
def test_load_refuses_another_format(
    inputs: tuple[Path, Path, list[str]],
    market: Market,
    tmp_path: Path,
    changes: dict[str, object],
    message: str,
) -> None:
    folder = tmp_path / "state"
    create_state(folder, make(inputs, market))
    _tamper_manifest(folder, **changes)
    with pytest.raises(FormatError, match=message):
        read_state(folder)
