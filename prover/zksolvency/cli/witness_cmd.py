"""``zksolvency witness WASM INPUT.json OUT.wtns``: snarkjs's ``wtns calculate``, argument for argument."""

from __future__ import annotations

import click

from zksolvency.circuit.witness import calculate_witness_file
from zksolvency.cli.common import handle_errors


@click.command("witness")
@click.argument("wasm", metavar="WASM", type=click.Path(dir_okay=False))
@click.argument("input_json", metavar="INPUT.json", type=click.Path(dir_okay=False))
@click.argument("out", metavar="OUT.wtns", type=click.Path(dir_okay=False))
@handle_errors
def witness(wasm: str, input_json: str, out: str) -> None:
    """Run circom's witness calculator WASM on INPUT.json and write OUT.wtns.

    Inputs are integers or decimal (or 0x-hex) strings; -r < v < 0 means r + v;
    values >= r are refused, not reduced.
    """
    values = calculate_witness_file(wasm, input_json, out)
    click.echo(f"wrote {out} ({len(values)} values)")
