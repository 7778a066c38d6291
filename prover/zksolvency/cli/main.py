"""The ``zksolvency`` command: a thin click group over the package's stages."""

from __future__ import annotations

import click

from zksolvency import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="zksolvency")
def cli() -> None:
    """Zero-knowledge proofs of solvency for derivatives venues.

    The low-level commands mirror snarkjs's argument order, so either tool can
    replace the other at any step:

    \b
      zksolvency circuit compile circuit.circom --out build/
      zksolvency ptau dev 10 build/pot10_unsafe.ptau
      zksolvency groth16 setup build/circuit.r1cs build/pot10_unsafe.ptau build/circuit.zkey
      zksolvency zkey export-vkey build/circuit.zkey build/vkey.json
      zksolvency witness build/circuit_js/circuit.wasm input.json build/w.wtns
      zksolvency groth16 prove build/circuit.zkey build/w.wtns proof.json public.json
      zksolvency groth16 verify build/vkey.json public.json proof.json
    """


def _register() -> None:
    """Attach every command; each lives in its own module under ``zksolvency.cli``."""
    from zksolvency.cli.audit import audit
    from zksolvency.cli.ceremony_cmd import ceremony
    from zksolvency.cli.circuit_cmd import circuit
    from zksolvency.cli.contracts import contracts
    from zksolvency.cli.demo_cmd import demo
    from zksolvency.cli.doctor_cmd import doctor
    from zksolvency.cli.groth16_cmd import groth16
    from zksolvency.cli.inclusion import inclusion
    from zksolvency.cli.margin_cmd import margin
    from zksolvency.cli.market_cmd import market
    from zksolvency.cli.ptau_cmd import ptau
    from zksolvency.cli.round import round_group
    from zksolvency.cli.witness_cmd import witness
    from zksolvency.cli.zkey_cmd import zkey

    for command in (demo, doctor, margin, market, circuit, ptau, groth16, zkey, witness, contracts):
        cli.add_command(command)
    for command in (round_group, audit, inclusion):  # rounds (issue 5)
        cli.add_command(command)
    cli.add_command(ceremony)  # trusted-setup ceremonies (issue 13)


_register()
