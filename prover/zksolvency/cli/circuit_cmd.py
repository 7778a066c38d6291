"""``zksolvency circuit compile``: circom2 behind the sandbox workarounds, with a cache."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click

from zksolvency.circuit.compile import OPTIMIZE_LEVELS, compile_circuit
from zksolvency.circuit.formats.binfile import Cursor, read_binfile
from zksolvency.circuit.formats.r1cs import R1CS_MAGIC, R1CS_SECTION_HEADER
from zksolvency.cli.common import handle_errors


@dataclass(frozen=True)
class R1csCounts:
    """The counts in an ``.r1cs`` header section (read without decoding the constraints)."""

    n_wires: int
    n_outputs: int
    n_pub_inputs: int
    n_prv_inputs: int
    n_labels: int
    n_constraints: int


def read_r1cs_counts(path: str | os.PathLike[str]) -> R1csCounts:
    """Header section: n8 u32, prime n8 bytes, nWires u32, nPubOut u32, nPubIn u32,
    nPrvIn u32, nLabels u64, nConstraints u32 (``formats/r1cs.py`` documents the whole file).

    Decoding every constraint (``read_r1cs``) takes seconds on large circuits; a
    summary only needs these counts.
    """
    binfile = read_binfile(path, R1CS_MAGIC)
    cur = Cursor(binfile.section(R1CS_SECTION_HEADER, "header"), f"{path}: header section")
    n8 = cur.u32()
    cur.take(n8)
    n_wires, n_out, n_pub, n_prv = cur.u32(), cur.u32(), cur.u32(), cur.u32()
    n_labels = cur.u64()
    n_constraints = cur.u32()
    return R1csCounts(n_wires, n_out, n_pub, n_prv, n_labels, n_constraints)


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@click.group("circuit")
def circuit() -> None:
    """Compile circom circuits."""


@circuit.command("compile")
@click.argument("circuit_path", metavar="CIRCUIT.circom", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Output folder (default: build/ beside the circuit).",
)
@click.option(
    "-l",
    "include_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Library folder searched for includes (repeatable); circomlib is always found.",
)
@click.option(
    "--optimize",
    type=click.Choice(OPTIMIZE_LEVELS),
    default="O2",
    show_default=True,
    help="circom's constraint simplification level.",
)
@click.option("--no-cache", is_flag=True, help="Run circom even when the cache holds the outputs.")
@handle_errors
def compile_cmd(
    circuit_path: str, out_dir: str | None, include_dirs: tuple[str, ...], optimize: str, no_cache: bool
) -> None:
    """Compile CIRCUIT.circom to NAME.r1cs, NAME.sym and NAME_js/NAME.wasm."""
    compiled = compile_circuit(
        circuit_path, out_dir=out_dir, include_dirs=include_dirs, optimize=optimize, use_cache=not no_cache
    )
    counts = read_r1cs_counts(compiled.r1cs)
    origin = "from the cache" if compiled.cached else f"circom2, --{optimize}"
    click.echo(f"compiled {_show(Path(circuit_path).resolve())} ({origin})")
    click.echo(
        f"  constraints: {counts.n_constraints}  wires: {counts.n_wires}  "
        f"public outputs: {counts.n_outputs}  public inputs: {counts.n_pub_inputs}  "
        f"private inputs: {counts.n_prv_inputs}"
    )
    for path in (compiled.r1cs, compiled.sym, compiled.wasm):
        click.echo(f"  wrote {_show(path)}")
