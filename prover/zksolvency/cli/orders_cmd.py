"""``zksolvency orders sign | verify``: sign orders with an account's key file, check their signatures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors
from zksolvency.orders.keyfile import read_key_file, read_public_keys
from zksolvency.orders.order import format_order_line, parse_orders, sign_order, verify_order
from zksolvency.util.atomic import atomic_write_text


@click.group("orders")
def orders() -> None:
    """Orders: sign them with an account's key file, verify their signatures."""


def _read_text(path: Path) -> tuple[str, str]:
    """``(text, name)`` of ``path``, or of stdin for ``-``."""
    if str(path) == "-":
        return sys.stdin.read(), "<stdin>"
    return path.read_text(encoding="utf-8"), str(path)


@orders.command("sign")
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The account's key file (from `keys new`, mode 0600).",
)
@click.option(
    "--order",
    "order_file",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="One order as a JSON line, or a file of them (- for stdin).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the signed lines here (atomically) instead of stdout.",
)
@handle_errors
def sign_cmd(key_file: Path, order_file: Path, out: Path | None) -> None:
    """Sign every order of --order with the key in --key; print the signed lines.

    Each order must be the key's account's. The signature is EdDSA-Poseidon on Baby
    Jubjub over M = Poseidon(tag, account, instrument, side, size, limit price, nonce,
    expiry), as circomlib's EdDSAPoseidonVerifier checks it (docs/orders.md). An
    existing signature is replaced.

    \b
    Example:
      zksolvency orders sign --key alice.key --order alice-order.json >> orders.jsonl
    """
    key = read_key_file(key_file)
    text, source = _read_text(order_file)
    numbered = parse_orders(text, source)
    if not numbered:
        fail(f"{source}: no orders")
    for number, order in numbered:
        if order.account != key.account:
            fail(f"{source} line {number}: account: {order.account!r} is not the account of {key_file}")
    lines = [format_order_line(sign_order(order, key.secret)) for _, order in numbered]
    if out is None:
        for line in lines:
            click.echo(line)
    else:
        atomic_write_text(out, "".join(line + "\n" for line in lines))
        click.echo(f"wrote {len(lines)} signed orders to {out}", err=True)


@orders.command("verify")
@click.option(
    "--orders",
    "orders_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The signed orders, JSON Lines.",
)
@click.option(
    "--keys",
    "keys_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The public-keys file, JSON Lines (from `keys public`).",
)
@handle_errors
def verify_cmd(orders_file: Path, keys_file: Path) -> None:
    """Check the signature of every order in --orders under its account's key in --keys.

    Names each line whose signature does not verify.

    \b
    Example:
      zksolvency orders verify --orders orders.jsonl --keys public-keys.jsonl

    \b
    Exit status: 0 every signature verifies, 1 some do not, 2 unreadable input
    (a malformed line, an unsigned order, an account without a key).
    """
    publics = read_public_keys(keys_file)
    numbered = parse_orders(*_read_text(orders_file))
    if not numbered:
        fail(f"{orders_file}: no orders")
    bad = []
    for number, order in numbered:
        where = f"{orders_file} line {number}"
        if order.signature is None:
            fail(f"{where}: signature: missing (sign it with `zksolvency orders sign`)")
        public = publics.get(order.account)
        if public is None:
            fail(f"{where}: account: {order.account!r} has no key in {keys_file}")
        try:
            valid = verify_order(order, public)
            reason = f"does not verify under the public key of {order.account!r}"
        except ValueError as exc:
            valid, reason = False, f"malformed ({exc})"
        if not valid:
            bad.append(f"{where}: signature: {reason}")
    for line in bad:
        click.echo(f"FAIL {line}", err=True)
    if bad:
        fail(f"{len(bad)} of {len(numbered)} orders have a bad signature", EXIT_NEGATIVE)
    click.echo(f"ok: {len(numbered)} orders in {orders_file}, every signature verifies")
