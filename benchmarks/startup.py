"""What a user waits for: the CLI's start-up, and a whole-process prove against rapidsnark and snarkjs.

    .venv/bin/python benchmarks/startup.py [--repeat 5] [--size 16] [--no-snarkjs]
        [--out benchmarks/results/startup.md]

1. Start-up: ``zksolvency --version``, ``zksolvency --help`` and ``zksolvency groth16
   --help``, each a fresh process (what a shell user or a script pays per call).
2. A whole-process proof on the same files: the circuit of ``benchmarks/prove.py`` at
   about ``2^size`` constraints (Poseidon chain, 64-bit decompositions, squarings), its
   key made natively (UNSAFE dev ptau) and one witness, then, alternating, each a fresh
   process: ``zksolvency groth16 prove``, ``rapidsnark`` (iden3's C++ prover, when a
   ``rapidsnark`` binary is on PATH; the table says so when it is not), and
   ``snarkjs groth16 prove``; plus our native prover in-process. Every proof is checked
   with the native verifier.

Medians of ``--repeat`` runs; prints the table and writes it with the machine line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cores_and_python, publish
from prove import compile_bench
from zksolvency import toolchain
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.snarkjs_json import VerificationKey, read_proof, read_public
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.formats.zkey import read_zkey_header, write_zkey_raw
from zksolvency.circuit.witness import calculate_witness
from zksolvency.groth16.native_prove import prove_files
from zksolvency.groth16.ptau_dev import generate_dev_ptau
from zksolvency.groth16.setup import setup_raw
from zksolvency.groth16.verify import verify
from zksolvency.groth16.vkey import alphabeta_12

REPO = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "zksolvency"
RESULTS = REPO / "benchmarks" / "results" / "startup.md"


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def _median(command: list[str], repeat: int) -> float:
    return statistics.median(_timed(command) for _ in range(repeat))


def _check(vkey: VerificationKey, proof: Path, public: Path, who: str) -> None:
    answer = verify(vkey, read_public(public), read_proof(proof), "native")
    if not answer.valid:
        raise SystemExit(f"{who}'s proof did not verify: {answer.reason}")


def whole_process(size: int, repeat: int, snarkjs: bool, work: Path) -> dict[str, float | None]:
    _r1cs_path, wasm, r1cs = compile_bench(size, work)
    ptau = work / f"pot{size}_unsafe.ptau"
    generate_dev_ptau(ptau, size, backend="native")
    zkey = work / "bench.zkey"
    with PTauFile(ptau) as phase1:
        write_zkey_raw(zkey, setup_raw(r1cs, phase1, "benchmarks/startup.py"))
    header = read_zkey_header(zkey)
    vkey = VerificationKey(
        header.n_public, header.alpha1, header.beta2, header.gamma2, header.delta2, list(header.ic),
        alphabeta_12(header.alpha1, header.beta2),
    )  # fmt: skip
    wtns = work / "w.wtns"
    witness = calculate_witness(wasm, {"x": 7})
    write_wtns(wtns, witness)
    proof, public = work / "proof.json", work / "public.json"
    rapidsnark = shutil.which("rapidsnark")
    commands: dict[str, list[str]] = {
        "zksolvency groth16 prove": [
            str(CLI),
            "groth16",
            "prove",
            str(zkey),
            str(wtns),
            str(proof),
            str(public),
        ],
    }
    if rapidsnark:
        commands["rapidsnark"] = [rapidsnark, str(zkey), str(wtns), str(proof), str(public)]
    if snarkjs:
        commands["snarkjs groth16 prove"] = [
            *toolchain.snarkjs_command(), "groth16", "prove", str(zkey), str(wtns), str(proof), str(public)
        ]  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in commands}
    inside: list[float] = []
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(_timed(command))
            _check(vkey, proof, public, name)
        start = time.perf_counter()
        prove_files(str(zkey), str(wtns))
        inside.append(time.perf_counter() - start)
    result: dict[str, float | None] = {name: statistics.median(t) for name, t in times.items()}
    result["native prove in-process"] = statistics.median(inside)
    result.setdefault("rapidsnark", None)
    result["constraints"] = float(r1cs.n_constraints)
    return result


def markdown(
    startup: dict[str, float], proving: dict[str, float | None], size: int, repeat: int, load: str
) -> str:
    constraints = int(proving.pop("constraints") or 0)
    rapid = proving.get("rapidsnark")
    ours = proving["zksolvency groth16 prove"]
    lines = [
        "# Start-up and whole-process proving",
        "",
        f"Generated by `benchmarks/startup.py`: medians of {repeat} runs, each a fresh process.",
        "",
        f"Machine: {cores_and_python()}; load average at the start {load}.",
        "",
        "| command | seconds |",
        "| --- | ---: |",
        *(f"| `{name}` | {t:.3f} |" for name, t in startup.items()),
        "",
        f"Proving one witness of the `benchmarks/prove.py` circuit at 2^{size} ({constraints:,}",
        "constraints), the same zkey and `.wtns` for every prover:",
        "",
        "| prover | seconds | / rapidsnark |",
        "| --- | ---: | ---: |",
    ]
    for name, t in proving.items():
        if t is None:
            lines.append(f"| {name} | not on PATH | |")
            continue
        ratio = f"{t / rapid:.2f}" if rapid else ""
        lines.append(f"| {name} | {t:.3f} | {ratio} |")
    if rapid and ours:
        lines += [
            "",
            f"Whole-process `zksolvency groth16 prove` / rapidsnark: **{ours / rapid:.2f}** (target 0.60).",
        ]
    else:
        lines += [
            "",
            "rapidsnark was not on PATH: build it from iden3/rapidsnark (TOOLCHAIN-NOTES.md) to compare.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--no-snarkjs", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    startup = {
        " ".join(["zksolvency", *argv]): _median([str(CLI), *argv], args.repeat)
        for argv in (["--version"], ["--help"], ["groth16", "--help"])
    }
    for name, t in startup.items():
        print(f"{name:32s} {t:.3f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="zks-startup-") as tmp:
        proving = whole_process(args.size, args.repeat, not args.no_snarkjs, Path(tmp))
    publish(markdown(startup, proving, args.size, args.repeat, load), args.out)


if __name__ == "__main__":
    main()
