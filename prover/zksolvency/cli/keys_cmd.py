"""``zksolvency keys new | public``: an account's order-signing key, and the public keys of many.

The secret lives only in the key file (mode 0600); no command takes it as an argument or prints it.
"""

from __future__ import annotations

from pathlib import Path

import click

from zksolvency.cli.common import fail, handle_errors
from zksolvency.orders.keyfile import new_key, public_key_line, read_key_file, write_key_file


@click.group("keys")
def keys() -> None:
    """Order-signing keys on Baby Jubjub: make one per account, list the public keys."""


@keys.command("new")
@click.option("--account", "account", required=True, help="The account id (1..31 UTF-8 bytes).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The key file to create (mode 0600); an existing file is never overwritten.",
)
@handle_errors
def new_cmd(account: str, out: Path) -> None:
    """Make a fresh key for ACCOUNT and write it to a new key file.

    The secret is 32 random bytes from the operating system; the public key is
    A = (s >> 3) Base8 on Baby Jubjub, with s derived from the secret as circomlibjs
    0.1.7 does (docs/orders.md). Prints the account's public-keys line, never the secret.

    \b
    Example:
      zksolvency keys new --account alice --out ~/.zksolvency/alice.key
    """
    key = new_key(account)
    write_key_file(out, key)
    click.echo(public_key_line(key.account, key.public))
    click.echo(f"wrote {out} (mode 0600; keep it private)", err=True)


@keys.command("public")
@click.argument(
    "key_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@handle_errors
def public_cmd(key_files: tuple[Path, ...]) -> None:
    """Print the public-keys line of each KEY_FILE (the --keys file of `state init`).

    \b
    Example:
      zksolvency keys public keys/*.key > public-keys.jsonl
    """
    seen: dict[str, Path] = {}
    lines = []
    for path in key_files:
        key = read_key_file(path)
        if key.account in seen:
            fail(f"{path}: account: {key.account!r} already has a key in {seen[key.account]}")
        seen[key.account] = path
        lines.append(public_key_line(key.account, key.public))
    for line in lines:
        click.echo(line)
