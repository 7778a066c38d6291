"""``zksolvency demo``: prove and verify the bundled example circuit end to end."""

from __future__ import annotations

from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.pipeline.demo import run_demo


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for every artifact (r1cs, wasm, ptau, zkey, vkey, witness, proof).",
)
@click.option(
    "--ptau",
    "ptau_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A prepared ceremony .ptau to use instead of generating an UNSAFE dev one.",
)
@handle_errors
def demo(out_dir: Path, ptau_path: Path | None) -> None:
    """Compile, set up, prove and verify the bundled example circuit.

    Every file is written in the snarkjs formats, so each step can be replayed
    with snarkjs; the proof is verified by our verifier and, when the toolchain
    is installed, by `snarkjs groth16 verify`.
    """
    result = run_demo(out_dir, ptau_path=ptau_path, say=lambda m: click.echo(m, err=True))
    if result.unsafe_setup:
        warn("the setup used an UNSAFE single-party dev ptau; pass --ptau for a ceremony file")
    click.echo(result.proof_path.read_text())
    click.echo(f"public signals: {[str(x) for x in result.public]}")
    click.echo(f"zksolvency verifier: {'VALID' if result.ours.valid else 'INVALID'} ({result.ours.reason})")
    if result.snarkjs is not None:
        click.echo(f"snarkjs verifier:    {result.snarkjs}")
    timing = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
    click.echo(f"timings: {timing}")
    if not result.ours.valid or (result.snarkjs is not None and "OK" not in result.snarkjs):
        fail("the demo proof did not verify", EXIT_NEGATIVE)
