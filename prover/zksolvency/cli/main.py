"""The ``zksolvency`` command: a thin click group over the package's stages, each imported on use."""

from __future__ import annotations

import click

from zksolvency import __version__
from zksolvency.cli.lazy import LazyCommand, LazyGroup

#: Every command: where it lives and its one-line help (checked against the command by the tests).
COMMANDS: dict[str, LazyCommand] = {
    "demo": LazyCommand(
        "zksolvency.cli.demo_cmd:demo",
        "Build, sign, prove, audit and publish a round of the bundled example.",
    ),
    "doctor": LazyCommand(
        "zksolvency.cli.doctor_cmd:doctor",
        "Check the external tools and Python dependencies; say what to install.",
    ),
    "margin": LazyCommand(
        "zksolvency.cli.margin_cmd:margin",
        "Check every account against the margin rule (spec/MARGIN.md) in exact integers.",
    ),
    "market": LazyCommand(
        "zksolvency.cli.market_cmd:market",
        "Market snapshots: the public prices, marks and scenario shocks every proof uses.",
    ),
    "circuit": LazyCommand("zksolvency.cli.circuit_cmd:circuit", "Compile circom circuits."),
    "ptau": LazyCommand(
        "zksolvency.cli.ptau_cmd:ptau",
        "Powers-of-tau (phase-1) files: make an UNSAFE dev one, or inspect any one.",
    ),
    "groth16": LazyCommand(
        "zksolvency.cli.groth16_cmd:groth16",
        "Groth16 over BN254: setup, prove, verify (files interchangeable with snarkjs).",
    ),
    "zkey": LazyCommand(
        "zksolvency.cli.zkey_cmd:zkey",
        "Groth16 proving keys (.zkey): export the verification key, add contributions.",
    ),
    "witness": LazyCommand(
        "zksolvency.cli.witness_cmd:witness",
        "Run circom's witness calculator WASM on INPUT.json and write OUT.wtns.",
    ),
    "contracts": LazyCommand(
        "zksolvency.cli.contracts:contracts",
        "Verifier and registry contracts: render, deploy, run a local chain, read rounds.",
    ),
    "round": LazyCommand(
        "zksolvency.cli.round:round_group",
        "Rounds: prove every account of a venue at one snapshot into one bundle.",
    ),
    "audit": LazyCommand(
        "zksolvency.cli.audit:audit",
        "Verify every proof of a round's BUNDLE and recompute every public value.",
    ),
    "inclusion": LazyCommand(
        "zksolvency.cli.inclusion:inclusion",
        "Inclusion proofs: is my account, with my balances, in the round?",
    ),
    "keys": LazyCommand(
        "zksolvency.cli.keys_cmd:keys",
        "Order-signing keys on Baby Jubjub: make one per account, list the public keys.",
    ),
    "orders": LazyCommand(
        "zksolvency.cli.orders_cmd:orders",
        "Orders: sign them with an account's key file, verify their signatures.",
    ),
    "ceremony": LazyCommand(
        "zksolvency.cli.ceremony_cmd:ceremony",
        "Multi-party phase-2 trusted setup: start, contribute, beacon, verify.",
    ),
    "state": LazyCommand(
        "zksolvency.cli.state_cmd:state",
        "Trades state: a Poseidon Merkle tree of accounts with nonces and keys, kept in a folder.",
    ),
    "trades": LazyCommand(
        "zksolvency.cli.trades_cmd:trades",
        "Trade batches: prove them valid and within margin, verify, deploy a gate, settle.",
    ),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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

    Each command is imported when it runs, so start-up costs only what it uses.
    """
