"""``zksolvency groth16``: setup, prove and verify, in snarkjs's argument order."""

from __future__ import annotations

import time
from pathlib import Path

import click

from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.snarkjs_json import (
    read_proof,
    read_public,
    read_vkey,
    write_proof,
    write_public,
)
from zksolvency.circuit.formats.wtns import read_wtns
from zksolvency.circuit.formats.zkey import read_zkey, write_zkey_raw
from zksolvency.cli.common import EXIT_BAD_INPUT, EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.errors import FormatError
from zksolvency.groth16.kernels import BACKENDS, get_kernels
from zksolvency.groth16.prove import prove
from zksolvency.groth16.ptau_dev import is_unsafe_dev_ptau
from zksolvency.groth16.setup import setup_raw
from zksolvency.groth16.verify import MalformedInput, verify

_existing = click.Path(exists=True, dir_okay=False, path_type=Path)
_output = click.Path(dir_okay=False, path_type=Path)
backend_option = click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default=BACKENDS[0],
    show_default=True,
    help="Kernel implementation for multi-scalar multiplication and FFTs.",
)


@click.group()
def groth16() -> None:
    """Groth16 over BN254: setup, prove, verify (files interchangeable with snarkjs)."""


@groth16.command("setup")
@click.argument("r1cs_file", metavar="R1CS", type=_existing)
@click.argument("ptau_file", metavar="PTAU", type=_existing)
@click.argument("out", metavar="OUT.zkey", type=_output)
@click.option("--name", default="zksolvency setup", show_default=True, help="Name of the contribution.")
@backend_option
@handle_errors
def setup_cmd(r1cs_file: Path, ptau_file: Path, out: Path, name: str, backend: str) -> None:
    """Make a proving key for R1CS from a prepared phase-1 PTAU.

    Runs snarkjs's `groth16 setup` computation, then one phase-2 contribution
    with fresh OS randomness, so the key is usable at once and `snarkjs zkey
    verify R1CS PTAU OUT.zkey` accepts it. Add contributions from other
    parties with `zksolvency zkey contribute` or `snarkjs zkey contribute`.
    """
    start = time.perf_counter()

    def say(message: str) -> None:
        click.echo(f"  {message}", err=True)

    r1cs = read_r1cs(r1cs_file)
    with PTauFile(ptau_file) as ptau:
        if is_unsafe_dev_ptau(ptau):
            warn(f"{ptau_file} is an UNSAFE single-party dev ptau: proofs under this key can be forged")
        raw = setup_raw(r1cs, ptau, name, backend, progress=say)  # raw sections end to end
    write_zkey_raw(out, raw)
    click.echo(
        f"wrote {out}: {r1cs.n_constraints} constraints, domain {raw.header.domain_size}, "
        f"{raw.header.n_public} public signals, {time.perf_counter() - start:.1f} s"
    )


@groth16.command("prove")
@click.argument("zkey_file", metavar="ZKEY", type=_existing)
@click.argument("wtns_file", metavar="WTNS", type=_existing)
@click.argument("proof_out", metavar="PROOF.json", type=_output)
@click.argument("public_out", metavar="PUBLIC.json", type=_output)
@backend_option
@handle_errors
def prove_cmd(zkey_file: Path, wtns_file: Path, proof_out: Path, public_out: Path, backend: str) -> None:
    """Prove with ZKEY and the witness WTNS; write PROOF.json and PUBLIC.json.

    Same arguments as `snarkjs groth16 prove`. The blinding scalars come from
    the OS and are never stored.
    """
    start = time.perf_counter()
    if backend == "native":  # the key's sections go to Rust undecoded (groth16.native_prove)
        from zksolvency.groth16.native_prove import prove_files

        proof, public = prove_files(zkey_file, wtns_file)
    else:
        proof, public = prove(read_zkey(zkey_file), read_wtns(wtns_file), get_kernels(backend))
    write_proof(proof_out, proof)
    write_public(public_out, public)
    click.echo(f"wrote {proof_out} and {public_out} ({time.perf_counter() - start:.2f} s, {backend} kernels)")


@groth16.command("verify")
@click.argument("vkey_file", metavar="VKEY.json", type=_existing)
@click.argument("public_file", metavar="PUBLIC.json", type=_existing)
@click.argument("proof_file", metavar="PROOF.json", type=_existing)
@backend_option
def verify_cmd(vkey_file: Path, public_file: Path, proof_file: Path, backend: str) -> None:
    """Check PROOF.json for PUBLIC.json under VKEY.json.

    Exit status 0 when the proof is valid, 1 when it is not, 2 when an input is
    malformed (a public input >= r, a point off its curve or outside the G2
    subgroup, a wrong number of inputs); the reason goes to stderr.
    Same arguments as `snarkjs groth16 verify`.
    """
    try:
        result = verify(read_vkey(vkey_file), read_public(public_file), read_proof(proof_file), backend)
    except (MalformedInput, FormatError) as exc:
        fail(f"malformed input: {exc}", EXIT_BAD_INPUT)
    except OSError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    if result.valid:
        click.echo(f"OK: {result.reason}")
        return
    fail(f"invalid proof: {result.reason}", EXIT_NEGATIVE)
