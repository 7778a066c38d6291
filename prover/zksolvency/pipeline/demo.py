"""The demo job: one circuit from source to a proof that two verifiers accept.

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
from zksolvency.groth16.kernels import get_kernels
from zksolvency.groth16.prove import prove
from zksolvency.groth16.ptau_dev import generate_dev_ptau, is_unsafe_dev_ptau
from zksolvency.groth16.setup import domain_power, setup
from zksolvency.groth16.verify import Verification, verify
from zksolvency.groth16.vkey import export_vkey

#: The bundled example the demo proves.
EXAMPLE_CIRCUIT = (
    Path(__file__).resolve().parents[3] / "circuits" / "examples" / "multiplier" / "multiplier.circom"
)


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
