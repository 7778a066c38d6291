"""Benchmark: the native G1 and G2 multi-scalar multiplications alone, on 1 and on all cores.

The MSMs are four fifths of a proof (``benchmarks/prove.py``); this times them
apart, for work on the Pippenger (``prover/native/src/pippenger.rs``,
``batch_affine.rs``). Bases are the powers ``tau^i G`` of an UNSAFE dev ptau
made in memory for a fixed ``tau``; scalars are dense (uniform below ``r``),
the worst case of a witness. Every result is checked against
``(sum_i k_i tau^i) G``, one scalar multiplication by the python curve code.
Each size runs in a fresh interpreter per thread count (``RAYON_NUM_THREADS``)
and per path (the AVX-512 IFMA one where the CPU has it, and the portable one,
``ZKSOLVENCY_NO_IFMA=1``), timed inside that interpreter. Prints a table and writes it to
``benchmarks/results/msm.md``.

    .venv/bin/python benchmarks/msm.py [--sizes 14 16] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from machine import cores_and_python, publish
from zksolvency import _native

RESULTS = Path(__file__).resolve().parent / "results" / "msm.md"

#: Runs in a fresh interpreter: builds the bases and scalars, times the MSMs, checks them.
CHILD = """
import json, random, statistics, sys, time
from zksolvency import _native
from zksolvency.bn254 import R, G1_GENERATOR, G2_GENERATOR
from zksolvency.circuit.formats.codec import G1_BYTES, G2_BYTES, decode_g1_lem, decode_g2_lem
from zksolvency.circuit.formats.ptau import PTAU_SECTION_TAU_G1, PTAU_SECTION_TAU_G2
from zksolvency.groth16.curve import g1_mul, g2_mul
from zksolvency.groth16.native_ptau_dev import dev_ptau_points
from zksolvency.groth16.ptau_dev import DevSecrets

log_m, repeat = int(sys.argv[1]), int(sys.argv[2])
m = 1 << log_m
dev = DevSecrets(tau=0x1234567890ABCDEF, alpha=5, beta=7)
points = dev_ptau_points(log_m, dev)
g1 = points[PTAU_SECTION_TAU_G1][: m * G1_BYTES]
g2 = points[PTAU_SECTION_TAU_G2][: m * G2_BYTES]
rng = random.Random(log_m)
ks = [rng.randrange(R) for _ in range(m)]
scalars = b"".join(k.to_bytes(32, "little") for k in ks)
want = sum(k * pow(dev.tau, i, R) for i, k in enumerate(ks)) % R
out = {"threads": _native.THREADS, "ifma": _native.IFMA}
for name, bases, msm, decode, mul, gen in (
    ("g1", g1, _native.msm_g1, decode_g1_lem, g1_mul, G1_GENERATOR),
    ("g2", g2, _native.msm_g2, decode_g2_lem, g2_mul, G2_GENERATOR),
):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        got = msm(bases, scalars)
        times.append(time.perf_counter() - start)
    if decode(got, name) != mul(gen, want):
        raise SystemExit(f"{name} MSM of 2^{log_m} points is wrong")
    out[name] = statistics.median(times)
print(json.dumps(out))
"""


def run_child(log_m: int, repeat: int, threads: int | None, portable: bool) -> dict[str, float]:
    env = dict(os.environ)
    if threads is not None:
        env["RAYON_NUM_THREADS"] = str(threads)
    if portable:
        env["ZKSOLVENCY_NO_IFMA"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(log_m), str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"MSM benchmark at 2^{log_m} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[14, 16], help="log2 of the point counts")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    args = parser.parse_args()

    rows = []
    paths = [False, True] if _native.IFMA else [True]
    for log_m in args.sizes:
        for portable in paths:
            for threads in (1, None):
                print(f"2^{log_m}, {threads or 'all'} thread(s), portable={portable} ...", file=sys.stderr)
                row = run_child(log_m, args.repeat, threads, portable)
                rows.append((log_m, row))
                print(json.dumps(row), file=sys.stderr)

    lines = [
        "# Native MSM: G1 and G2, dense scalars",
        "",
        f"Machine: {cores_and_python()}, {datetime.date.today().isoformat()}, "
        f"zksolvency._native {_native.__version__}.",
        f"Command: `.venv/bin/python benchmarks/msm.py --sizes {' '.join(map(str, args.sizes))}"
        f" --repeat {args.repeat}` (medians of {args.repeat} runs; bases from LEM bytes, decoding included;"
        " every result checked against one python scalar multiplication).",
        "",
        "| points | path | threads | G1 (ms) | G1 per point (us) | G2 (ms) | G2 per point (us) | G2 / G1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for log_m, r in rows:
        m = 1 << log_m
        path = "AVX-512 IFMA" if r["ifma"] else "portable"
        lines.append(
            f"| 2^{log_m} | {path} | {int(r['threads'])} | {r['g1'] * 1e3:.1f} | {r['g1'] * 1e6 / m:.2f} "
            f"| {r['g2'] * 1e3:.1f} | {r['g2'] * 1e6 / m:.2f} | {r['g2'] / r['g1']:.2f} |"
        )
    publish("\n".join(lines) + "\n", args.out)


if __name__ == "__main__":
    main()
