"""Benchmark: a phase-2 ceremony step by step, ours against snarkjs's own commands on the same files.

For each size 2^k it writes an R1CS of ``2^k - 8`` constraints and one public
signal (so the QAP domain is exactly 2^k), built directly (no compiler): half
chained squarings, a quarter bit constraints ``b (b - 1) = 0``, a quarter
linear combinations of three signals with full-size coefficients (as
Poseidon's linear layers have). The phase-1 file is our dev ptau of power k
(a well-formed one-party chain: every check of ``ceremony new`` runs on it;
``--allow-dev-ptau`` lets it start a ceremony, which is fine for timing).

Then, each command in its own process, timed with its peak resident set
(``/usr/bin/time``: interpreter, imports and node included):

* ours: ``zksolvency ceremony new`` (checks the phase-1 file's chain, points,
  hash and the Lagrange blocks the key uses, then writes the initial key),
  ``ceremony contribute``, ``ceremony verify --r1cs`` (the phase-1 file again,
  the initial key recomputed, every contribution, the final sections); and,
  for the breakdown, the phase-1 check alone;
* snarkjs: ``zkey new``, ``zkey contribute``, ``zkey verify`` (which does not
  check the phase-1 file's own chain: that is ``powersoftau verify``, not run).

snarkjs runs up to ``--snarkjs-max``, each command for at most
``--snarkjs-timeout`` seconds (a command past it is reported as not measured);
above, only ``zkey contribute`` on our initial key. Prints a table and writes
it to ``benchmarks/results/ceremony.md``.

    .venv/bin/python benchmarks/ceremony.py [--sizes 16 18 20] [--snarkjs-max 18] [--snarkjs-timeout 1200]
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cores_and_python, publish
from zksolvency import _native, toolchain
from zksolvency.bn254 import R
from zksolvency.circuit.formats.r1cs import LC, R1CS, Constraint, write_r1cs
from zksolvency.groth16.ptau_dev import generate_dev_ptau

RESULTS = Path(__file__).resolve().parent / "results" / "ceremony.md"
REPO = Path(__file__).resolve().parents[1]
ZKSOLVENCY = REPO / ".venv" / "bin" / "zksolvency"
TIME = "/usr/bin/time"
PHASE1_ONLY = """
import sys
from zksolvency.ceremony.phase1_check import check_phase1, key_lagrange_blocks
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.groth16.kernels import get_section_kernels
with PTauFile(sys.argv[1]) as p:
    check_phase1(p, get_section_kernels(), key_lagrange_blocks(1 << p.power))
"""


def bench_r1cs(log_n: int, seed: int = 1) -> R1CS:
    """``2^k - 8`` constraints; wires: 0 (one), 1 (the public output), 2 (input), one per constraint."""
    rng = random.Random(seed)
    n = (1 << log_n) - 8
    constraints: list[Constraint] = []
    last = 2
    for i in range(n - 1):
        new = 3 + i
        kind = i % 4
        if kind < 2:  # a squaring
            constraints.append(([(last, 1)], [(last, 1)], [(new, 1)]))
            last = new
        elif kind == 2:  # a bit
            constraints.append(([(new, 1)], [(new, 1), (0, R - 1)], []))
        else:  # a linear layer: three signals, full-size coefficients
            terms: LC = sorted({(w, rng.randrange(1, R)) for w in (2, last, new - 1)})
            constraints.append((terms, [(0, 1)], [(new, 1)]))
            last = new
    constraints.append(([(last, 1)], [(0, 1)], [(1, 1)]))  # the public output
    n_wires = 3 + n - 1
    return R1CS(
        prime=R,
        n_wires=n_wires,
        n_outputs=1,
        n_pub_inputs=0,
        n_prv_inputs=1,
        n_labels=n_wires,
        constraints=constraints,
        wire_to_label=list(range(n_wires)),
    )


def timed(cmd: list[str], timeout: float | None = None) -> tuple[float, float] | None:
    """``(seconds, peak RSS in MB)`` of ``cmd``; ``None`` when it ran past ``timeout``."""
    with tempfile.NamedTemporaryFile(suffix=".time") as report:
        try:
            done = subprocess.run(
                [TIME, "-f", "%e %M", "-o", report.name, *cmd],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        seconds, kb = Path(report.name).read_text().split()[-2:]
    return float(seconds), int(kb) / 1024


def ours(*args: str | Path) -> list[str]:
    return [str(ZKSOLVENCY), "ceremony", *(str(a) for a in args)]


def theirs(*args: str | Path) -> list[str]:
    return [*toolchain.snarkjs_command(), *(str(a) for a in args)]


def bench_size(log_n: int, work: Path, snarkjs_max: int, snarkjs_timeout: float) -> dict[str, object]:
    r1cs, ptau = work / f"bench{log_n}.r1cs", work / f"pot{log_n}_unsafe.ptau"
    row: dict[str, object] = {"log_n": log_n}
    start = time.perf_counter()
    write_r1cs(r1cs, bench_r1cs(log_n))
    row["r1cs_s"] = time.perf_counter() - start
    start = time.perf_counter()
    generate_dev_ptau(ptau, log_n)
    row["ptau_s"] = time.perf_counter() - start
    row["ptau_mb"] = ptau.stat().st_size / 1e6

    k0, k1 = work / f"ours{log_n}_0.zkey", work / f"ours{log_n}_1.zkey"
    row["phase1"] = timed([sys.executable, "-c", PHASE1_ONLY, str(ptau)])
    row["new"] = timed(ours("new", r1cs, "--ptau", ptau, "--out", k0, "--allow-dev-ptau"))
    row["zkey_mb"] = k0.stat().st_size / 1e6
    row["contribute"] = timed(ours("contribute", k0, k1, "--name", "benchmark"))
    row["verify"] = timed(ours("verify", k1, "--ptau", ptau, "--r1cs", r1cs))

    s0, s1, s2 = (work / f"snarkjs{log_n}_{i}.zkey" for i in range(3))
    if log_n <= snarkjs_max:
        row["sj_new"] = timed(theirs("zkey", "new", r1cs, ptau, s0), snarkjs_timeout)
        row["sj_contribute"] = (
            timed(theirs("zkey", "contribute", s0, s1, "--name=benchmark", "-e=entropy"), snarkjs_timeout)
            if row["sj_new"] is not None
            else None
        )
        row["sj_verify"] = (
            timed(theirs("zkey", "verify", r1cs, ptau, s1), snarkjs_timeout) if row["sj_contribute"] else None
        )
    else:  # only the contribution, on our initial key (the same bytes snarkjs's zkey new writes)
        row["sj_contribute"] = timed(
            theirs("zkey", "contribute", k0, s2, "--name=benchmark", "-e=entropy"), snarkjs_timeout
        )
    for path in (k0, k1, s0, s1, s2, ptau, r1cs):
        path.unlink(missing_ok=True)
    return row


def machine() -> str:
    return (
        f"{cores_and_python()}, {datetime.date.today().isoformat()}, "
        f"zksolvency._native {_native.__version__} ({_native.THREADS} rayon threads, "
        f"MSM path: {'AVX-512 IFMA' if _native.IFMA else 'portable'}), "
        f"snarkjs {toolchain.tool_version('snarkjs')}"
    )


def _cell(measured: object, what: int) -> str:
    if measured is None:
        return "not measured"
    if measured == "skipped":
        return "—"
    value = measured[what]  # type: ignore[index]
    return f"{value:.1f}" if what == 0 else f"{value:.0f}"


def _ratio(a: object, b: object) -> str:
    if not isinstance(a, tuple) or not isinstance(b, tuple):
        return "—"
    return f"{a[0] / b[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 18, 20], help="log2 of the domain sizes")
    parser.add_argument("--snarkjs-max", type=int, default=18, help="largest size snarkjs runs every step at")
    parser.add_argument("--snarkjs-timeout", type=float, default=1200, help="seconds per snarkjs command")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="zks-bench-ceremony-", dir=args.work) as tmp:
        for log_n in args.sizes:
            print(f"2^{log_n} ...", file=sys.stderr)
            rows.append(bench_size(log_n, Path(tmp), args.snarkjs_max, args.snarkjs_timeout))
            print(json.dumps(rows[-1]), file=sys.stderr)

    steps = (("new", "sj_new"), ("contribute", "sj_contribute"), ("verify", "sj_verify"))
    header = "| domain | ptau (MB) | zkey (MB) | phase-1 check, ours (s / MB) |"
    for name, _ in steps:
        header += f" {name}: ours (s) | snarkjs (s) | ours / snarkjs | ours (MB) | snarkjs (MB) |"
    lines = [
        "# Ceremony: ours against snarkjs on the same files",
        "",
        f"Machine: {machine()}.",
        f"Command: `.venv/bin/python benchmarks/ceremony.py --sizes {' '.join(map(str, args.sizes))}"
        f" --snarkjs-max {args.snarkjs_max} --snarkjs-timeout {args.snarkjs_timeout:.0f}` (one run per"
        " command, each in its own process: times and peak resident sets include starting Python or node;"
        " R1CS of 2^k - 8 constraints, one public signal; the phase-1 file is our dev ptau of power k;"
        " ours = `zksolvency ceremony new / contribute / verify --r1cs`, whose `new` and `verify` include"
        " the phase-1 check of the first column; snarkjs = `zkey new / contribute / verify`, whose verify"
        " does not check the phase-1 file's chain; above 2^" + str(args.snarkjs_max) + " snarkjs runs only"
        " `zkey contribute`, on our initial key).",
        "",
        header,
        "|" + "---|" * (4 + 5 * len(steps)),
    ]
    for row in rows:
        line = (
            f"| 2^{row['log_n']} | {row['ptau_mb']:.0f} | {row['zkey_mb']:.0f} "
            f"| {_cell(row['phase1'], 0)} / {_cell(row['phase1'], 1)} |"
        )
        for name, sj in steps:
            mine, other = row[name], row.get(sj, "skipped")
            line += (
                f" {_cell(mine, 0)} | {_cell(other, 0)} | {_ratio(mine, other)} | {_cell(mine, 1)} "
                f"| {_cell(other, 1)} |"
            )
        lines.append(line)
    lines += [
        "",
        "`not measured`: the snarkjs command ran past the timeout and was stopped; `—`: not run.",
        "",
    ]
    publish("\n".join(lines), args.out)


if __name__ == "__main__":
    main()
