"""Benchmark: the Python Poseidon (fast and reference forms) and its parameter generation.

For each state width t it times ``poseidon`` on random field elements (best of
``--repeat`` runs of ``--count`` hashes, so that other load on the machine
counts as little as possible), the plain reference form on a tenth as many, and
generating the parameters from the Grain LFSR and building the fast form's
tables (caches cleared: the one-off cost of a width's first use). It prints a table
and writes it to ``benchmarks/results/poseidon.md``.

    .venv/bin/python benchmarks/poseidon.py [--widths 3 10 17] [--count 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from machine import cores_and_python, publish
from zksolvency.bn254 import R
from zksolvency.hashing import poseidon, poseidon_parameters, poseidon_reference
from zksolvency.hashing.poseidon import HAVE_GMPY2, _fast_tables

RESULTS = Path(__file__).resolve().parent / "results" / "poseidon.md"


def best_rate(fn: Callable[[Sequence[int]], int], batch: list[list[int]], repeat: int) -> float:
    """Hashes per second: the best of ``repeat`` runs over ``batch``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for inputs in batch:
            fn(inputs)
        best = min(best, time.perf_counter() - start)
    return len(batch) / best


def first_use_times(t: int, repeat: int) -> tuple[float, float]:
    """Seconds to generate the parameters from the Grain LFSR, and to build the fast form's tables."""
    gen = tables = float("inf")
    for _ in range(repeat):
        poseidon_parameters.cache_clear()
        _fast_tables.cache_clear()
        start = time.perf_counter()
        poseidon_parameters(t)
        middle = time.perf_counter()
        _fast_tables(t)
        gen, tables = min(gen, middle - start), min(tables, time.perf_counter() - middle)
    return gen, tables


def machine() -> str:
    return f"{cores_and_python()}, gmpy2 {'on' if HAVE_GMPY2 else 'off'}; one core used"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[3, 10, 17], help="state widths t")
    parser.add_argument("--count", type=int, default=2000, help="hashes per timed run")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (best kept)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    args = parser.parse_args()

    rng = random.Random(2024)
    rows = []
    for t in args.widths:
        print(f"t = {t} ...", file=sys.stderr)
        gen, tables = first_use_times(t, args.repeat)
        batch = [[rng.randrange(R) for _ in range(t - 1)] for _ in range(args.count)]
        for inputs in batch[:10]:  # the benchmark is also a check
            if poseidon(inputs) != poseidon_reference(inputs):
                raise SystemExit(f"fast and reference forms disagree at t = {t}")
        fast = best_rate(poseidon, batch, args.repeat)
        ref = best_rate(poseidon_reference, batch[: max(1, args.count // 10)], args.repeat)
        rows.append((t, poseidon_parameters(t).partial_rounds, gen, tables, fast, ref))

    lines = [
        "# Python Poseidon",
        "",
        f"Machine: {machine()}.",
        f"Command: `.venv/bin/python benchmarks/poseidon.py --widths {' '.join(map(str, args.widths))}"
        f" --count {args.count} --repeat {args.repeat}` (best of {args.repeat} runs; random inputs;"
        " `inputs` = t - 1).",
        "",
        "| t | inputs | R_P | parameter generation (ms) | fast-form tables (ms) "
        "| poseidon, fast form (hashes/s) | reference form (hashes/s) | speed-up |",
        "|" + "---|" * 8,
    ]
    for t, rp, gen, tables, fast, ref in rows:
        lines.append(
            f"| {t} | {t - 1} | {rp} | {gen * 1000:.0f} | {tables * 1000:.0f} | {fast:,.0f} | {ref:,.0f} "
            f"| {fast / ref:.1f}x |"
        )
    text = "\n".join(lines) + "\n"
    publish(text, args.out)


if __name__ == "__main__":
    main()
