"""``zksolvency zkey``: work on Groth16 proving keys."""

from __future__ import annotations

from pathlib import Path

import click

from zksolvency.circuit.formats.snarkjs_json import write_vkey
from zksolvency.circuit.formats.zkey import read_zkey, write_zkey
from zksolvency.cli.common import handle_errors
from zksolvency.groth16.setup import contribute_random
from zksolvency.groth16.vkey import export_vkey


@click.group()
def zkey() -> None:
    """Groth16 proving keys (.zkey): export the verification key, add contributions."""


@zkey.command("export-vkey")
@click.argument("zkey_file", metavar="ZKEY", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def export_vkey_cmd(zkey_file: Path, out: Path) -> None:
    """Write ZKEY's verification key to OUT (snarkjs's verification_key.json).

    Same as `snarkjs zkey export verificationkey ZKEY OUT`.
    """
    write_vkey(out, export_vkey(read_zkey(zkey_file)))
    click.echo(f"wrote {out}")


@zkey.command("contribute")
@click.argument("zkey_in", metavar="IN.zkey", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("zkey_out", metavar="OUT.zkey", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", default="", help="Name recorded with the contribution (64 bytes at most).")
@handle_errors
def contribute_cmd(zkey_in: Path, zkey_out: Path, name: str) -> None:
    """Add a phase-2 contribution with fresh OS randomness, as `snarkjs zkey contribute`.

    The key stays sound as long as one contributor destroyed their secret;
    ours is never written anywhere. For a ceremony with other contributors use
    `zksolvency ceremony contribute`: it checks the input's chain, streams big
    keys and prints the contribution hash to publish (docs/setup.md).
    """
    write_zkey(zkey_out, contribute_random(read_zkey(zkey_in), name or None))
    click.echo(f"wrote {zkey_out}")
