"""The demo jobs: a whole round of the bundled example, and one circuit end to end.

``run_round_demo`` (what ``zksolvency demo`` runs): prove a round of
``examples/accounts-solvent.jsonl`` against ``examples/market.json`` at the reference
size (A = 4, I = 16, S = 16, batches of 16: 87,933 constraints each, domain 2^17), audit
the bundle, and verify one account's inclusion proof. That needs the native prover;
without it the demo says so and proves a smaller generated venue at the test size
(A = 2, I = 2, S = 4, B = 4). Compiled circuits, the UNSAFE dev ptau and the keys stay in
the cache (``$ZKSOLVENCY_CACHE`` or ``~/.cache/zksolvency``), so a second run only proves.

``run_demo``: one circuit from source to a proof that two verifiers accept:
compile (circom2) -> phase 1 (dev ptau, or a real one) -> setup + contribution
-> verification key -> witness (wasmtime) -> prove -> verify (ours, py_ecc)
-> verify (snarkjs, when installed). Every artifact lands in ``out_dir`` in
the snarkjs formats, so each step can be replayed with either tool.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zksolvency import toolchain
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.snarkjs_json import write_proof, write_public, write_vkey
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.formats.zkey import write_zkey
from zksolvency.circuit.witness import calculate_witness
from zksolvency.errors import ToolchainError
from zksolvency.groth16.kernels import get_kernels, native_available
from zksolvency.groth16.prove import prove
from zksolvency.groth16.ptau_dev import generate_dev_ptau, is_unsafe_dev_ptau
from zksolvency.groth16.setup import domain_power, setup
from zksolvency.groth16.verify import Verification, verify
from zksolvency.groth16.vkey import export_vkey
from zksolvency.round.audit import audit_bundle
from zksolvency.round.inclusion import INDEX_FILE, verify_inclusion
from zksolvency.round.prove import Progress, RoundOptions, RoundResult, prove_round
from zksolvency.round.report import Report
from zksolvency.round.sample import write_sample

REPO = Path(__file__).resolve().parents[3]
#: The bundled example circuit of ``run_demo``.
EXAMPLE_CIRCUIT = REPO / "circuits" / "examples" / "multiplier" / "multiplier.circom"
#: The bundled venue of ``run_round_demo`` (sized for the reference circuit).
EXAMPLE_ACCOUNTS = REPO / "examples" / "accounts-solvent.jsonl"
EXAMPLE_MARKET = REPO / "examples" / "market.json"
#: Batch size of the reference demo (87,933 constraints, domain 2^17).
REFERENCE_BATCH = 16
#: Accounts of the generated venue of the smaller demo.
SMALL_ACCOUNTS = 12
#: The demo's round number.
DEMO_ROUND_ID = 1


@dataclass
class RoundDemoResult:
    """The proven round, its audit, and one account's inclusion check."""

    round: RoundResult
    audit: Report
    account_id: str
    inclusion: Report
    reference_size: bool

    @property
    def ok(self) -> bool:
        return self.audit.ok and self.inclusion.ok


def run_round_demo(
    out_dir: Path,
    ptau_path: Path | None = None,
    backend: str | None = None,
    say: Callable[[str], None] = lambda _m: None,
    progress: Progress | None = None,
    reference: bool | None = None,
) -> RoundDemoResult:
    """Prove, audit and check one inclusion of a round into ``out_dir`` (see the module docstring).

    ``reference`` ``None``: the reference size when the native prover is built, else the
    smaller demo; ``backend`` ``None``: native when built.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if reference is None:
        reference = native_available()
        if not reference:
            say(
                "the native prover is not built: the pure-Python prover needs minutes per reference batch, "
                f"so this demo proves a smaller generated venue ({SMALL_ACCOUNTS} accounts, test circuit "
                "size A=2, I=2, S=4, B=4); build it with `make install` for the reference demo"
            )
    if reference:
        accounts, market, shape, batch = EXAMPLE_ACCOUNTS, EXAMPLE_MARKET, "reference", REFERENCE_BATCH
    else:
        market, accounts = write_sample(out_dir, SMALL_ACCOUNTS)
        shape, batch = "test", 4
    options = RoundOptions(
        accounts=accounts,
        market=market,
        out=out_dir / "bundle",
        shape=shape,
        batch_size=batch,
        backend=backend,
        round_id=DEMO_ROUND_ID,
        inclusion_dir=out_dir / "inclusion",
        ptau=ptau_path,
    )
    result = prove_round(options, say, progress)
    say("auditing the bundle")
    report = audit_bundle(result.bundle, backend)
    index = json.loads((result.inclusion_dir / INDEX_FILE).read_text(encoding="utf-8"))
    account_id = sorted(index)[0]
    say(f"verifying the inclusion proof of {account_id!r}")
    inclusion = verify_inclusion(result.bundle, result.inclusion_dir / index[account_id], account_id)
    return RoundDemoResult(result, report, account_id, inclusion, reference)


@dataclass
class DemoResult:
    out_dir: Path
    proof_path: Path
    public: list[int]
    ours: Verification
    snarkjs: str | None
    unsafe_setup: bool
    timings: dict[str, float] = field(default_factory=dict)


def run_demo(
    out_dir: Path,
    circuit: Path = EXAMPLE_CIRCUIT,
    ptau_path: Path | None = None,
    backend: str = "python",
    say: Callable[[str], None] = lambda _m: None,
) -> DemoResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}

    def step(name: str) -> Callable[[], None]:
        start = time.perf_counter()
        say(f"{name} ...")
        return lambda: timings.__setitem__(name, time.perf_counter() - start)

    done = step("compile")
    compiled = compile_circuit(circuit, out_dir=out_dir)
    r1cs = read_r1cs(compiled.r1cs)
    done()

    if ptau_path is None:
        power = domain_power(r1cs)
        ptau_path = out_dir / f"pot{power}_unsafe.ptau"
        done = step(f"phase 1: UNSAFE dev ptau of power {power}")
        generate_dev_ptau(ptau_path, power)
        done()

    done = step("phase 2: setup and one contribution")
    with PTauFile(ptau_path) as ptau:
        unsafe = is_unsafe_dev_ptau(ptau)
        zkey = setup(r1cs, ptau, "zksolvency demo", get_kernels(backend))
    zkey_path = out_dir / f"{compiled.name}.zkey"
    write_zkey(zkey_path, zkey)
    vkey = export_vkey(zkey)
    vkey_path = out_dir / "verification_key.json"
    write_vkey(vkey_path, vkey)
    done()

    done = step("witness")
    inputs = json.loads((circuit.parent / "input.json").read_text())
    witness = calculate_witness(compiled.wasm, inputs)
    write_wtns(out_dir / "witness.wtns", witness)
    done()

    done = step("prove")
    proof, public = prove(zkey, witness, get_kernels(backend))
    proof_path = out_dir / "proof.json"
    public_path = out_dir / "public.json"
    write_proof(proof_path, proof)
    write_public(public_path, public)
    done()

    done = step("verify (zksolvency, py_ecc)")
    ours = verify(vkey, public, proof)
    done()

    snarkjs_answer: str | None = None
    try:
        cmd = toolchain.snarkjs_command()
    except ToolchainError:
        cmd = None
    if cmd is not None:
        done = step("verify (snarkjs)")
        try:
            completed = toolchain.run_tool(
                [*cmd, "groth16", "verify", str(vkey_path), str(public_path), str(proof_path)]
            )
            snarkjs_answer = completed.stdout.strip().splitlines()[-1]
        except ToolchainError as exc:  # snarkjs exits non-zero on an invalid proof
            snarkjs_answer = f"INVALID ({exc})"
        done()
    return DemoResult(out_dir, proof_path, public, ours, snarkjs_answer, unsafe, timings)
