"""``zksolvency ceremony``: run and check a multi-party phase-2 trusted setup (docs/setup.md)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from zksolvency.ceremony.beacon import MAX_ITERATIONS_EXP, MIN_ITERATIONS_EXP, parse_beacon
from zksolvency.ceremony.contribute import MAX_NAME, beacon_key, contribute_key, read_key_chain
from zksolvency.ceremony.entropy import contribution_secrets
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.phase2_chain import Phase2Chain
from zksolvency.ceremony.provenance import provenance_from_report, write_provenance
from zksolvency.ceremony.start import start_ceremony
from zksolvency.ceremony.verify import CeremonyReport, verify_ceremony
from zksolvency.circuit.formats.zkey import read_zkey_header
from zksolvency.cli.common import EXIT_BAD_INPUT, EXIT_NEGATIVE, fail, handle_errors, warn
from zksolvency.cli.groth16_cmd import backend_option
from zksolvency.errors import ZkSolvencyError
from zksolvency.groth16.backends import get_backend
from zksolvency.groth16.vkey import export_vkey

_existing = click.Path(exists=True, dir_okay=False, path_type=Path)
_output = click.Path(dir_okay=False, path_type=Path)


def format_hash(digest: bytes) -> str:
    """A 64-byte hash as snarkjs prints it: four lines of four 8-digit words, so both tools' output match."""
    words = [digest[i : i + 4].hex() for i in range(0, len(digest), 4)]
    return "\n".join("    " + " ".join(words[i : i + 4]) for i in range(0, len(words), 4))


def _say(message: str) -> None:
    click.echo(f"  {message}", err=True)


def _refuse(exc: InvalidLink, what: str) -> NoReturn:
    fail(f"{what}: {exc}", EXIT_NEGATIVE)


@click.group()
def ceremony() -> None:
    """Multi-party phase-2 trusted setup: start, contribute, beacon, verify.

    A Groth16 key is sound if one participant of each phase destroyed their
    secret. Phase 1 is a public powers-of-tau file (e.g. the perpetual powers of
    tau, powersOfTau28_hez_final_NN.ptau); phase 2 is run here, one contributor
    after another, and everyone can check the whole transcript. Files are
    snarkjs's: `snarkjs zkey contribute` / `zkey beacon` / `zkey verify` work on
    them too. Step by step: docs/setup.md.

    \b
      zksolvency ceremony new circuit.r1cs --ptau pot20.ptau --out c_0000.zkey
      zksolvency ceremony contribute c_0000.zkey c_0001.zkey --name alice
      zksolvency ceremony contribute c_0001.zkey c_0002.zkey --name bob --passphrase
      zksolvency ceremony beacon c_0002.zkey final.zkey --beacon <block hash> --iterations 10
      zksolvency ceremony verify final.zkey --ptau pot20.ptau --r1cs circuit.r1cs
    """


@ceremony.command("new")
@click.argument("r1cs_file", metavar="R1CS", type=_existing, required=False)
@click.option(
    "--circuit",
    "circuit_name",
    help="Instead of R1CS: a shipped circuit by its name in circuits/manifest.json (e.g. reference-b16).",
)
@click.option("--ptau", "ptau_file", required=True, type=_existing, help="The phase-1 file (prepared).")
@click.option("--out", required=True, type=_output, help="The initial key to write (KEY.zkey).")
@click.option(
    "--allow-dev-ptau",
    is_flag=True,
    help="Accept an UNSAFE dev ptau (development only: it protects nothing).",
)
@backend_option
@handle_errors
def new_cmd(
    r1cs_file: Path | None,
    circuit_name: str | None,
    ptau_file: Path,
    out: Path,
    allow_dev_ptau: bool,
    backend: str,
) -> None:
    """Start a phase-2 ceremony for R1CS (or a shipped --circuit) from a real phase-1 file.

    Checks the phase-1 file first (snarkjs `powersoftau verify`'s rules: every
    contribution's proofs of knowledge and its link to the one before, the file's
    points and their hash, and the Lagrange blocks this circuit's key is built
    from), and that its power covers the circuit. Then writes the initial key,
    identical to `snarkjs zkey new`, and prints the circuit hash: publish it,
    every contributor's transcript starts from it.

    For a round's circuits, use --circuit: the circuit is compiled exactly as
    `round prove` compiles it, so that `ceremony install` can later put the final
    key where `round prove --ptau` finds it.

    \b
    Exit status: 0 written, 1 the phase-1 file does not verify (the link is
    named), 2 bad input (a file too small for the circuit names the power needed).
    """
    if (r1cs_file is None) == (circuit_name is None):
        fail("give exactly one of R1CS and --circuit", EXIT_BAD_INPUT)
    if circuit_name is not None:
        from zksolvency.round.ceremony_keys import circuit_r1cs

        r1cs_file = circuit_r1cs(circuit_name)
    assert r1cs_file is not None
    start = time.perf_counter()
    try:
        made = start_ceremony(r1cs_file, ptau_file, out, backend, allow_dev_ptau, _say)
    except InvalidLink as exc:
        _refuse(exc, f"{ptau_file} is not a valid phase-1 file")
    if made.phase1.unsafe_dev:
        warn(f"{ptau_file} is an UNSAFE dev ptau: keys from this ceremony protect nothing")
    names = ", ".join(c.name or "(no name)" for c in made.phase1.contributions)
    click.echo(
        f"phase 1: {ptau_file} (power {made.phase1.power}), {len(made.phase1.contributions)} "
        f"contributions verified: {names}"
    )
    click.echo(
        f"wrote {out}: {made.constraints} constraints, domain 2^{made.domain_power}, no contribution yet"
    )
    click.echo("circuit hash:")
    click.echo(format_hash(made.circuit_hash))
    click.echo(f"({time.perf_counter() - start:.1f} s) next: zksolvency ceremony contribute {out} NEXT.zkey")


def _show_contribution(out: Path, chain: Phase2Chain, digest: bytes, seconds: float) -> None:
    click.echo(
        f"the input's {len(chain.contributions)} contributions verified; wrote {out} ({seconds:.1f} s)"
    )
    click.echo("contribution hash (publish it: it is how everyone finds your link in the transcript):")
    click.echo(format_hash(digest))


@ceremony.command("contribute")
@click.argument("zkey_in", metavar="IN.zkey", type=_existing)
@click.argument("zkey_out", metavar="OUT.zkey", type=_output)
@click.option("--name", required=True, help=f"Your name in the transcript ({MAX_NAME} characters at most).")
@click.option(
    "--passphrase",
    is_flag=True,
    help="Also mix in a passphrase, typed at a hidden prompt (never an argument).",
)
@backend_option
@handle_errors
def contribute_cmd(zkey_in: Path, zkey_out: Path, name: str, passphrase: bool, backend: str) -> None:
    """Add your contribution to IN.zkey and write OUT.zkey.

    Your secret comes from the operating system's random source, mixed with a
    passphrase if you ask for one (typed at a hidden prompt); it exists only in
    this process's memory and is gone when the command exits: it is never
    written to disk, never an argument, never printed. The key stays sound as
    long as one contributor's secret is gone, so yours protects everyone.
    The input's chain is checked first; the output is written atomically.

    \b
    Exit status: 0 written, 1 the input's chain does not verify, 2 bad input.
    """
    phrase: str | None = None
    if passphrase:
        phrase = click.prompt("Passphrase (input hidden)", hide_input=True, default="", show_default=False)
    start = time.perf_counter()
    sections = get_backend(backend).sections
    try:
        chain, digest = contribute_key(zkey_in, zkey_out, name, contribution_secrets(phrase), sections)
    except InvalidLink as exc:
        _refuse(exc, f"{zkey_in}: its chain does not verify, not contributing")
    _show_contribution(zkey_out, chain, digest, time.perf_counter() - start)


@ceremony.command("beacon")
@click.argument("zkey_in", metavar="IN.zkey", type=_existing)
@click.argument("zkey_out", metavar="OUT.zkey", type=_output)
@click.option(
    "--beacon", "beacon_hex", required=True, help="The public random value, hex (e.g. a block hash)."
)
@click.option(
    "--iterations",
    required=True,
    type=click.IntRange(MIN_ITERATIONS_EXP, MAX_ITERATIONS_EXP),
    help="N: the beacon is hashed 2^N times with SHA-256 (snarkjs's numIterationsExp).",
)
@click.option("--name", default="final beacon", show_default=True, help="Name recorded for the beacon.")
@backend_option
@handle_errors
def beacon_cmd(
    zkey_in: Path, zkey_out: Path, beacon_hex: str, iterations: int, name: str, backend: str
) -> None:
    """Close the ceremony with a public random beacon (same file as `snarkjs zkey beacon`).

    Announce beforehand which public value will be the beacon (e.g. the hash of
    a future block), so that no contributor could have chosen their secret
    knowing it. Anyone can recompute this contribution from the beacon.

    \b
    Exit status: 0 written, 1 the input's chain does not verify, 2 bad input.
    """
    beacon = parse_beacon(beacon_hex, iterations)
    start = time.perf_counter()
    try:
        chain, digest = beacon_key(zkey_in, zkey_out, beacon, iterations, name, get_backend(backend).sections)
    except InvalidLink as exc:
        _refuse(exc, f"{zkey_in}: its chain does not verify, not applying the beacon")
    _show_contribution(zkey_out, chain, digest, time.perf_counter() - start)


def _report_json(report: CeremonyReport) -> dict[str, object]:
    p1 = report.phase1
    return {
        "valid": True,
        "key": report.key,
        "domain_size": report.domain_size,
        "circuit_checked": report.circuit_checked,
        "r1cs_sha256": report.r1cs_sha256,
        "circuit_hash": report.chain.circuit_hash.hex(),
        "transcript_hash": report.chain.transcript_hash.hex(),
        "phase1": {
            "file": p1.path,
            "power": p1.power,
            "ceremony_power": p1.ceremony_power,
            "unsafe_dev": p1.unsafe_dev,
            "points_hash": p1.points_hash.hex() if p1.points_hash is not None else None,
            "contributions": [
                {"index": c.index, "name": c.name, "response_hash": c.response_hash.hex()}
                for c in p1.contributions
            ],
        },
        "contributions": [
            {
                "index": c.index,
                "name": c.name,
                "hash": c.hash.hex(),
                "beacon": c.beacon.hex() if c.beacon else None,
            }
            for c in report.chain.contributions
        ],
    }


def _beacon_note(beacon: bytes | None, iterations_exp: int | None) -> str:
    return f" (beacon {beacon.hex()}, 2^{iterations_exp} SHA-256 rounds)" if beacon else ""


def _print_report(report: CeremonyReport) -> None:
    p1 = report.phase1
    click.echo(f"phase 1: {p1.path}, power {p1.power}, {len(p1.contributions)} contributions:")
    for link in p1.contributions:
        beacon = _beacon_note(link.beacon, link.iterations_exp)
        click.echo(
            f"  #{link.index} {link.name or '(no name)'}{beacon}: response hash {link.response_hash.hex()}"
        )
    if p1.points_hash is None:
        click.echo(
            f"  (reduced from a power-{p1.ceremony_power} ceremony: points checked by their relations)"
        )
    if report.circuit_checked:
        click.echo(f"circuit: the key is the R1CS's (sha256 {report.r1cs_sha256}), circuit hash:")
    else:
        click.echo("circuit: NOT checked (give --r1cs to tie the key to the circuit); circuit hash:")
    click.echo(format_hash(report.chain.circuit_hash))
    click.echo(f"phase 2: {len(report.chain.contributions)} contributions:")
    for c in report.chain.contributions:
        click.echo(f"  #{c.index} {c.name or '(no name)'}{_beacon_note(c.beacon, c.iterations_exp)}:")
        click.echo(format_hash(c.hash))
    click.echo(f"transcript hash: {report.chain.transcript_hash.hex()}")
    click.echo(f"OK: {report.key} is the final key of this ceremony")


@ceremony.command("verify")
@click.argument("zkey_file", metavar="FINAL.zkey", type=_existing)
@click.option(
    "--ptau", "ptau_file", required=True, type=_existing, help="The phase-1 file the ceremony started from."
)
@click.option(
    "--r1cs", "r1cs_file", type=_existing, help="The circuit: ties the key to it (strongly advised)."
)
@click.option(
    "--circuit",
    "circuit_name",
    help="Instead of --r1cs: a shipped circuit by its name in circuits/manifest.json.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option(
    "--provenance",
    "provenance_out",
    type=_output,
    help="Also write the key's provenance record (needs the circuit), for bundles and deployments.",
)
@backend_option
def verify_cmd(
    zkey_file: Path,
    ptau_file: Path,
    r1cs_file: Path | None,
    circuit_name: str | None,
    as_json: bool,
    provenance_out: Path | None,
    backend: str,
) -> None:
    """Check every link from the phase-1 file to FINAL.zkey; print each contributor's name and hash.

    Links, in order: the phase-1 file's own chain, points and Lagrange blocks;
    the key's alpha and beta are the phase-1 file's; with --r1cs, the initial key
    recomputed from the circuit equals the key's untouched sections; every
    contribution (transcript, proof of knowledge, delta); the final key's C and H
    sections. Contributors find their published hash in the list.

    \b
    Exit status: 0 valid, 1 invalid (the first bad link is named), 2 malformed input.
    """
    if r1cs_file is not None and circuit_name is not None:
        fail("give at most one of --r1cs and --circuit", EXIT_BAD_INPUT)
    if provenance_out is not None and r1cs_file is None and circuit_name is None:
        fail(
            "--provenance needs --r1cs or --circuit: a key's record must say which circuit it is for",
            EXIT_BAD_INPUT,
        )
    say: Callable[[str], None] = (lambda _m: None) if as_json else _say
    try:
        if circuit_name is not None:
            from zksolvency.round.ceremony_keys import circuit_r1cs

            r1cs_file = circuit_r1cs(circuit_name)
        report = verify_ceremony(zkey_file, ptau_file, r1cs_file, backend, say)
        if provenance_out is not None:
            _, mpc = read_key_chain(zkey_file)
            record = provenance_from_report(report, mpc, export_vkey(read_zkey_header(zkey_file)))
            write_provenance(provenance_out, record)
    except InvalidLink as exc:
        if as_json:
            click.echo(json.dumps({"valid": False, "link": exc.link, "reason": exc.reason}))
        fail(f"INVALID: {exc}", EXIT_NEGATIVE)
    except ZkSolvencyError as exc:
        fail(f"malformed input: {exc}", EXIT_BAD_INPUT)
    except OSError as exc:
        fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), EXIT_BAD_INPUT)
    if as_json:
        click.echo(json.dumps(_report_json(report), indent=1))
    else:
        _print_report(report)
    if report.phase1.unsafe_dev:
        warn(f"{ptau_file} is an UNSAFE dev ptau: this ceremony protects nothing")
    if provenance_out is not None:
        click.echo(f"wrote {provenance_out}", err=True)


@ceremony.command("install")
@click.argument("zkey_file", metavar="FINAL.zkey", type=_existing)
@click.option("--circuit", "circuit_name", required=True, help="The shipped circuit the key is for.")
@click.option("--ptau", "ptau_file", required=True, type=_existing, help="The phase-1 file of the ceremony.")
@backend_option
def install_cmd(zkey_file: Path, circuit_name: str, ptau_file: Path, backend: str) -> None:
    """Verify FINAL.zkey as the final key of --circuit's ceremony and install it for `round prove`.

    Runs every check of `ceremony verify` against the circuit as `round prove`
    compiles it, then puts the key in the key store with its provenance record,
    in place of any key made there before. `round prove --ptau PTAU` then proves
    with it, and every bundle records the ceremony's transcript hash and
    contributors (and `audit` checks them).

    \b
    Exit status: 0 installed, 1 the ceremony does not verify (nothing installed), 2 bad input.
    """
    from zksolvency.round.ceremony_keys import install_ceremony_key

    try:
        installed = install_ceremony_key(circuit_name, zkey_file, ptau_file, backend, _say)
    except InvalidLink as exc:
        fail(f"INVALID, nothing installed: {exc}", EXIT_NEGATIVE)
    except ZkSolvencyError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    except OSError as exc:
        fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), EXIT_BAD_INPUT)
    click.echo(f"installed {zkey_file} for {installed.entry.name} ({installed.provenance.describe()})")
    click.echo(f"`zksolvency round prove --ptau {ptau_file}` proves with it")
    if not installed.provenance.trusted:
        warn(f"{ptau_file} is an UNSAFE dev ptau: this key protects nothing")
