"""``zksolvency ptau``: phase-1 files (development ones, and a look inside any one)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.cli.common import handle_errors, warn
from zksolvency.groth16.ptau_dev import MAX_DEV_POWER, generate_dev_ptau, is_unsafe_dev_ptau


@click.group()
def ptau() -> None:
    """Powers-of-tau (phase-1) files: make an UNSAFE dev one, or inspect any one."""


@ptau.command("dev")
@click.argument("power", type=click.IntRange(1, MAX_DEV_POWER))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def dev(power: int, out: Path) -> None:
    """Write an UNSAFE single-party prepared ptau of POWER to OUT.

    The secrets (tau, alpha, beta) are drawn on this machine, so whoever ran
    this can forge proofs for any circuit set up from the file: use it for
    development only, and a real ceremony file (e.g. from the perpetual
    powers-of-tau, already prepared for phase 2) for anything that matters.
    OUT's name must contain "unsafe". A file of POWER supports circuits of up
    to 2^POWER - 1 constraints (minus the public signals).

    \b
    Example:  zksolvency ptau dev 12 build/pot12_unsafe.ptau
    """
    warn("generating an UNSAFE single-party ptau: the toxic waste is known to this machine")
    start = time.perf_counter()
    generate_dev_ptau(out, power)
    click.echo(f"wrote {out} (power {power}, UNSAFE dev setup) in {time.perf_counter() - start:.1f} s")


@ptau.command("info")
@click.argument("ptau_file", metavar="PTAU", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@handle_errors
def info(ptau_file: Path, as_json: bool) -> None:
    """Show a ptau's power, whether it is prepared for phase 2, and its contributions."""
    with PTauFile(ptau_file) as p:
        facts = {
            "power": p.power,
            "ceremony_power": p.ceremony_power,
            "prepared": p.prepared,
            "max_constraints": (1 << p.power) - 1,
            "unsafe_dev": is_unsafe_dev_ptau(p),
            "contributions": [c.name or "" for c in p.contributions],
        }
    if as_json:
        click.echo(json.dumps(facts, indent=1))
        return
    for key, value in facts.items():
        click.echo(f"{key}: {value}")
