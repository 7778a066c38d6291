"""``zksolvency state``: make a trades state folder from accounts, keys and a market; show one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from zksolvency.cli.common import accounts_format_option, fail, handle_errors
from zksolvency.model.accounts import AccountFormat

if TYPE_CHECKING:
    from zksolvency.round.plan import RoundSecrets

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group("state")
def state() -> None:
    """Trades state: a Poseidon Merkle tree of accounts with nonces and keys, kept in a folder."""


def _seed(path: Path | None) -> RoundSecrets | None:
    """The ``RoundSecrets`` of the seed in ``path`` (64 hex digits), or ``None``."""
    from zksolvency.round.plan import SEED_BYTES, RoundSecrets

    if path is None:
        return None
    text = path.read_text(encoding="utf-8").strip()
    try:
        seed = bytes.fromhex(text)
    except ValueError:
        fail(f"{path}: the seed must be {2 * SEED_BYTES} hex digits")
    if len(seed) != SEED_BYTES:
        fail(f"{path}: the seed must be {2 * SEED_BYTES} hex digits, got {len(text)} characters")
    return RoundSecrets(seed)


@state.command("init")
@click.option("--accounts", "accounts_path", required=True, type=_FILE, help="Accounts: JSON Lines or CSV.")
@click.option(
    "--keys",
    "keys_path",
    required=True,
    type=_FILE,
    help='Public keys, JSON Lines: {"account": ID, "public": {"x": DEC, "y": DEC}}.',
)
@click.option("--market", "market_path", required=True, type=_FILE, help="Market snapshot (JSON).")
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="New state folder."
)
@click.option("--depth", default=20, show_default=True, type=click.IntRange(1, 64), help="Tree depth D.")
@click.option("--circuit-assets", type=click.IntRange(1), help="Circuit size A (default: the market's).")
@click.option("--circuit-instruments", type=click.IntRange(1), help="Circuit size I (default: the market's).")
@click.option(
    "--seed-file",
    type=_FILE,
    help="Derive salts from the 32-byte seed in this file (64 hex digits); default: fresh random salts.",
)
@accounts_format_option
@handle_errors
def init(
    accounts_path: Path,
    keys_path: Path,
    market_path: Path,
    out: Path,
    depth: int,
    circuit_assets: int | None,
    circuit_instruments: int | None,
    seed_file: Path | None,
    fmt: AccountFormat,
) -> None:
    """Build a state folder: account k of the accounts file in slot k, nonce 0, its public key.

    The folder holds every account's salt: keep it private. Nothing is written unless
    every account and key is valid.
    """
    from zksolvency.model.market import read_market
    from zksolvency.state.init import build_state
    from zksolvency.state.store import create_state

    market = read_market(market_path)
    size = None
    if circuit_assets is not None or circuit_instruments is not None:
        size = (circuit_assets or len(market.assets), circuit_instruments or len(market.instruments))
    secrets = _seed(seed_file)
    built = build_state(accounts_path, keys_path, market, depth, size, secrets, fmt)
    root = create_state(out, built)
    click.echo(f"state {out}: {len(built.accounts)} accounts, depth {depth}, root {root}")


@state.command("show")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@handle_errors
def show(folder: Path) -> None:
    """Print a state folder's root, depth, account count and next batch id (after checking the root)."""
    from zksolvency.state.store import read_state

    loaded, root = read_state(folder)
    click.echo(f"root           {root}")
    click.echo(f"depth          {loaded.depth}")
    click.echo(f"accounts       {len(loaded.accounts)}")
    click.echo(f"next batch id  {loaded.next_batch_id}")
    click.echo(f"circuit        A={loaded.circuit_assets}, I={loaded.circuit_instruments}")
