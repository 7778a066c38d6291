"""Benchmark: one reference-size solvency batch proof, native, stage by stage (B = 16 and B = 64).

For each batch size it takes the circuit's keys from the key cache (``prepare_keys``: compiled
and set up once with an UNSAFE dev ptau), fills a batch with solvent accounts of the round
benchmark's generator (seeded) against ``examples/market.json``, computes the witness, and
records:

* the witness's shape: how many values are 0, 1, -1, below 2^16, 2^64, 2^128 in absolute value
  (a negative ``-x`` is ``r - x`` in the field) or dense; the same for the terms of each
  witness MSM whose key point is not the point at infinity;
* the time of each stage of a native proof: the A, B evaluations (``qap``), the quotient's six
  FFTs, the H, A, B1, B2 and C MSMs (each one native call, as the prover makes it), and the
  whole proof (``prove_raw``, the key already in memory, as the round workers prove);
  on one thread (CPU time of the process, less disturbed by other load on the machine) and on
  every core (wall time). Each measurement runs in a fresh interpreter.

With ``--baseline REF`` the same runs for the package of git ref ``REF`` (built apart by
``benchmarks/baseline.py``), alternating with this checkout's; both must give the same proof
for the same blinding scalars, and every proof must verify. Prints the tables and writes them to
``benchmarks/results/batch_prove.md`` with the machine, the load average before and after, and
the commits compared.

    .venv/bin/python benchmarks/batch_prove.py [--batch 16 64] [--repeat 3] [--baseline main]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from baseline import build, child_env, describe
from machine import cores_and_python, publish
from round import MARKET, solvent_accounts
from zksolvency import _native
from zksolvency.bn254 import R
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.formats.zkey import (
    ZKEY_SECTION_A,
    ZKEY_SECTION_B1,
    ZKEY_SECTION_B2,
    ZKEY_SECTION_C,
    read_zkey_raw,
)
from zksolvency.circuit.solvency_inputs import BatchEntry, batch_inputs
from zksolvency.circuit.witness import calculate_witness
from zksolvency.ledger.leaf import id_commitment
from zksolvency.model.market import read_market
from zksolvency.round.circuits import load_manifest, prepare_keys

RESULTS = Path(__file__).resolve().parent / "results" / "batch_prove.md"
STAGES = ("qap", "fft", "H", "A", "B1", "B2", "C")
KINDS = ("0", "1", "-1", "< 2^16", "< 2^64", "< 2^128", "dense")

#: Runs in a fresh interpreter: times each stage and a whole proof, checks the proof.
CHILD = """
import hashlib, json, resource, sys, time
from zksolvency import _native
from zksolvency.bn254 import R
from zksolvency.circuit.formats.snarkjs_json import VerificationKey
from zksolvency.circuit.formats.zkey import (
    ZKEY_SECTION_A, ZKEY_SECTION_B1, ZKEY_SECTION_B2, ZKEY_SECTION_C, ZKEY_SECTION_COEFFS, ZKEY_SECTION_H,
    read_zkey_raw,
)
from zksolvency.groth16.kernels.native import scalars_from_bytes, scalars_to_bytes
from zksolvency.groth16.native_prove import prove_raw, read_wtns_raw
from zksolvency.groth16.verify import verify

zkey_path, wtns_path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
raw = read_zkey_raw(zkey_path)
hdr = raw.header
w = read_wtns_raw(wtns_path)
section = {name: bytes(raw.section(s)) for name, s in (
    ("coeffs", ZKEY_SECTION_COEFFS), ("H", ZKEY_SECTION_H), ("A", ZKEY_SECTION_A),
    ("B1", ZKEY_SECTION_B1), ("B2", ZKEY_SECTION_B2), ("C", ZKEY_SECTION_C))}
a, b = _native.qap_evaluations(section["coeffs"], hdr.domain_size, w)
c = scalars_to_bytes([x * y % R for x, y in zip(scalars_from_bytes(a), scalars_from_bytes(b))])
h = _native.quotient(a, b, c)
private = w[32 * (hdr.n_public + 1):]
stages = {
    "qap": lambda: _native.qap_evaluations(section["coeffs"], hdr.domain_size, w),
    "fft": lambda: _native.quotient(a, b, c),
    "H": lambda: _native.msm_g1(section["H"], h),
    "A": lambda: _native.msm_g1(section["A"], w),
    "B1": lambda: _native.msm_g1(section["B1"], w),
    "B2": lambda: _native.msm_g2(section["B2"], w),
    "C": lambda: _native.msm_g1(section["C"], private),
    "prove": lambda: prove_raw(raw, w, 0x1234567, 0x7654321),
}
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
out = {"ifma": _native.IFMA, "threads": _native.THREADS}
for _ in range(repeat):
    for name, run in stages.items():
        cpu0, wall0 = cpu(), time.perf_counter()
        result = run()
        out.setdefault(name, []).append([time.perf_counter() - wall0, cpu() - cpu0])
proof, public = result
vk = VerificationKey(hdr.n_public, hdr.alpha1, hdr.beta2, hdr.gamma2, hdr.delta2, hdr.ic)
if not verify(vk, public, proof, backend="native").valid:
    raise SystemExit("the proof does not verify")
out["proof"] = hashlib.sha256(repr(proof).encode()).hexdigest()
print(json.dumps(out))
"""


def kind(v: int) -> str:
    """The class of a witness value (by absolute value, ``r - x`` being ``-x``)."""
    if v in (0, 1):
        return str(v)
    if v == R - 1:
        return "-1"
    size = min(v, R - v)
    for bits in (16, 64, 128):
        if size < 1 << bits:
            return f"< 2^{bits}"
    return "dense"


def shape(values: list[int], finite: list[bool] | None = None) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for i, v in enumerate(values):
        if finite is None or finite[i]:
            counts[kind(v)] += 1
    return counts


def finite_points(section: bytes | memoryview, size: int) -> list[bool]:
    data = bytes(section)
    zero = bytes(size)
    return [data[i : i + size] != zero for i in range(0, len(data), size)]


def batch_witness(batch: int, work: Path) -> tuple[Path, Path, dict[str, dict[str, int]]]:
    """The keys and a witness of a full batch of ``batch`` accounts, and its shape."""
    entry = load_manifest().batch_circuit("reference", batch)
    keys = prepare_keys(entry, say=lambda m: print(f"  {m}", file=sys.stderr, flush=True))
    market = read_market(MARKET)
    accounts = solvent_accounts(market, batch)
    entries = [BatchEntry(id_commitment(a.id, 1000 + i), a) for i, a in enumerate(accounts)]
    witness = calculate_witness(keys.wasm, batch_inputs(market, entries, entry.size, 1))
    wtns = work / f"batch{batch}.wtns"
    write_wtns(wtns, witness)
    raw = read_zkey_raw(keys.zkey)
    private = raw.header.n_public + 1
    shapes = {"witness": shape(witness)}
    for name, section, size, first in (
        ("A", ZKEY_SECTION_A, 64, 0),
        ("B1, B2", ZKEY_SECTION_B1, 64, 0),
        ("C", ZKEY_SECTION_C, 64, private),
    ):
        shapes[name] = shape(witness[first:], finite_points(raw.section(section), size))
    # B2's infinite points are B1's (a signal in no B term has neither)
    assert finite_points(raw.section(ZKEY_SECTION_B2), 128) == finite_points(raw.section(ZKEY_SECTION_B1), 64)
    return keys.zkey, wtns, shapes


def run_child(
    zkey: Path, wtns: Path, repeat: int, threads: int | None, baseline: Path | None
) -> dict[str, Any]:
    extra = {} if threads is None else {"RAYON_NUM_THREADS": str(threads)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(zkey), str(wtns), str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        env=child_env(baseline, **extra),
    )
    if done.returncode != 0:
        raise SystemExit(f"batch proof benchmark failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(
    zkey: Path, wtns: Path, repeat: int, rounds: int, baseline: Path | None
) -> dict[tuple[str, int | None], dict[str, list[list[float]]]]:
    """Runs of this checkout (``"new"``) and of the baseline (``"old"``), alternating."""
    runs: dict[tuple[str, int | None], dict[str, list[list[float]]]] = {}
    proofs = set()
    builds: list[tuple[str, Path | None]] = [("new", None)]
    if baseline is not None:
        builds.insert(0, ("old", baseline))
    for _ in range(rounds):
        for threads in (1, None):
            for label, where in builds:
                print(f"  {label}, {threads or 'all'} thread(s) ...", file=sys.stderr, flush=True)
                out = run_child(zkey, wtns, repeat, threads, where)
                proofs.add(out["proof"])
                slot = runs.setdefault((label, threads), {})
                for stage in (*STAGES, "prove"):
                    slot.setdefault(stage, []).extend(out[stage])
    if len(proofs) != 1:
        raise SystemExit("the two builds gave different proofs for the same r, s")
    return runs


def median(samples: list[list[float]], threads: int | None) -> float:
    """Median CPU time on one thread, wall time on all cores (seconds)."""
    return statistics.median(s[1] if threads == 1 else s[0] for s in samples)


def shape_table(shapes: dict[str, dict[str, int]]) -> list[str]:
    lines = ["| values | total | " + " | ".join(KINDS) + " |", "|---|---:|" + "---:|" * len(KINDS)]
    for name, counts in shapes.items():
        total = sum(counts.values())
        cells = " | ".join(f"{counts[k]:,} ({100 * counts[k] / total:.1f}%)" for k in KINDS)
        lines.append(f"| {name} | {total:,} | {cells} |")
    return lines


def stage_table(runs: dict[tuple[str, int | None], dict[str, list[list[float]]]]) -> list[str]:
    compare = ("old", 1) in runs
    if compare:
        head = (
            "| stage | before, 1 thread (ms CPU) | after, 1 thread (ms CPU) | after / before "
            "| share of the proof, before | share, after | before, all cores (ms) | after, all cores (ms) "
            "| after / before |"
        )
    else:
        head = "| stage | 1 thread (ms CPU) | share of the proof | all cores (ms) |"
    lines = [head, "|---|" + "---:|" * (head.count("|") - 2)]
    for stage in (*STAGES, "prove"):
        new1, new_all = (median(runs[("new", t)][stage], t) * 1e3 for t in (1, None))
        share_new = new1 / (median(runs[("new", 1)]["prove"], 1) * 1e3)
        if compare:
            old1, old_all = (median(runs[("old", t)][stage], t) * 1e3 for t in (1, None))
            share_old = old1 / (median(runs[("old", 1)]["prove"], 1) * 1e3)
            lines.append(
                f"| {stage} | {old1:.0f} | {new1:.0f} | {new1 / old1:.2f} | {100 * share_old:.0f}% "
                f"| {100 * share_new:.0f}% | {old_all:.0f} | {new_all:.0f} | {new_all / old_all:.2f} |"
            )
        else:
            lines.append(f"| {stage} | {new1:.0f} | {100 * share_new:.0f}% | {new_all:.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[16, 64], help="batch sizes (shipped ones)")
    parser.add_argument("--repeat", type=int, default=2, help="proofs per interpreter")
    parser.add_argument("--rounds", type=int, default=3, help="interpreters per build and thread count")
    parser.add_argument("--baseline", help="git ref to compare with (built apart, see baseline.py)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    args = parser.parse_args()

    old = build(args.baseline) if args.baseline else None
    load_before = os.getloadavg()
    sections = []
    with tempfile.TemporaryDirectory(prefix="zks-bench-batch-") as tmp:
        for batch in args.batch:
            print(f"B = {batch} ...", file=sys.stderr, flush=True)
            zkey, wtns, shapes = batch_witness(batch, Path(tmp))
            runs = measure(zkey, wtns, args.repeat, args.rounds, old)
            hdr = read_zkey_raw(zkey).header
            sections += [
                "",
                f"## B = {batch}: {hdr.n_vars:,} signals, domain 2^{hdr.domain_size.bit_length() - 1}",
                "",
                *shape_table(shapes),
                "",
                *stage_table(runs),
            ]
    load_after = os.getloadavg()
    compared = (
        f"before = {describe(args.baseline)}, after = {describe(None)}"
        if args.baseline
        else f"build: {describe(None)}"
    )
    lines = [
        "# A solvency batch proof, native, stage by stage",
        "",
        f"Machine: {cores_and_python()}, {datetime.date.today().isoformat()}, "
        f"zksolvency._native {_native.__version__} (MSM path: "
        f"{'AVX-512 IFMA' if _native.IFMA else 'portable'}). "
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.1f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.1f}' for x in load_after)}.",
        f"Command: `.venv/bin/python benchmarks/batch_prove.py --batch {' '.join(map(str, args.batch))}"
        f" --repeat {args.repeat} --rounds {args.rounds}"
        + (f" --baseline {args.baseline}`" if args.baseline else "`")
        + f" ({compared}; medians of {args.repeat * args.rounds} runs, builds alternating;"
        " 1 thread: CPU time of the process; all cores: wall time; each stage is the native call the"
        " prover makes, `prove` the whole `prove_raw`; the proofs are verified and identical).",
        "",
        "Value classes: `-1` is `r - 1`; `< 2^k` counts `x` and `r - x` for `1 < x < 2^k` not"
        " counted in a smaller class; `dense` is the rest. The rows A, B1, B2, C count only the"
        " terms whose key point is finite (B1 and B2 have the same ones).",
        *sections,
    ]
    publish("\n".join(lines) + "\n", args.out)


if __name__ == "__main__":
    main()
