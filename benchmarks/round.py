"""Time whole rounds at the reference size: accounts/s and peak memory, per executor and worker count.

    .venv/bin/python benchmarks/round.py [--count 1000 --count 10000] [--batch-size 52]
        [--workers 1 --workers 2] [--executor pool --executor ray] [--fan-in 256]
        [--out benchmarks/results/round.md] [--breakdown]

Accounts come from examples/generate_accounts.py (seeded; only the solvent ones are
kept) against examples/market.json. Keys are made (or taken from the cache) before the
clock starts. Each configuration (count x executor x workers) runs ``round prove`` in a
fresh process, so that its memory is its own; a sampler reads, every 0.2 s, the resident
memory of that process, its children (the process pool's workers) and, for Ray, every
``ray::`` process, and keeps the peak of their sum (and of their proportional sizes, read at
most once a second); it records its own CPU time, which it takes from the round. The row
gives the whole round's wall time (reading, batch proofs, levels, root, inclusion files and
bundle, not compile and setup), accounts per second, the batch proofs' share, and that peak.
An audit of each bundle follows, timed separately.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from machine import cores_and_python, publish
from zksolvency.model.accounts import Account, accounts_to_jsonl
from zksolvency.model.margin import evaluate
from zksolvency.model.market import Market, read_market
from zksolvency.oracle.committee import write_committee
from zksolvency.oracle.demo_committee import demo_committee, demo_sign
from zksolvency.round.circuits import CircuitEntry, load_manifest, prepare_keys
from zksolvency.round.prove import RoundOptions, choose_circuits
from zksolvency.util.atomic import atomic_write_text

REPO = Path(__file__).resolve().parent.parent
MARKET = REPO / "examples" / "market.json"

CHILD = """
import json, sys, time
from pathlib import Path
from zksolvency.round import RoundOptions, audit_bundle, prove_round
args = json.loads(sys.argv[1])
options = RoundOptions(
    accounts=Path(args["accounts"]), market=Path(args["market"]), out=Path(args["out"]), shape="reference",
    batch_size=args["batch"], workers=args["workers"], executor=args["executor"],
    ray_address="local" if args["executor"] == "ray" else None, fan_in=args["fan_in"], round_id=args["count"],
    signatures=Path(args["signatures"]), committee=Path(args["committee"]),
)
result = prove_round(options)
start = time.perf_counter()
report = audit_bundle(result.bundle, allow_dev_setup=True)
audit = time.perf_counter() - start
print(json.dumps({"seconds": result.seconds - result.timings.get("compile and setup", 0.0),
                  "timings": result.timings, "batches": result.batches, "levels": list(result.levels),
                  "slots": result.slots, "audit": audit, "ok": report.ok}))
"""


@dataclass(frozen=True)
class Row:
    accounts: int
    executor: str
    workers: int
    batches: int
    levels: str
    seconds: float
    batch_s: float
    audit_s: float
    peak_mb: float
    #: The peak of the summed proportional set sizes (shared pages counted once).
    pss_mb: float
    #: The driver's own per-account work: reading the accounts file, inclusion files and bundle.
    driver_s: float
    #: CPU seconds the memory sampler (this script) took from the machine while the round ran.
    sampler_s: float

    @property
    def rate(self) -> float:
        return self.accounts / self.seconds


def solvent_accounts(market: Market, count: int) -> list[Account]:
    """``count`` solvent accounts from the example generator (seeded)."""
    spec = importlib.util.spec_from_file_location(
        "generate_accounts", REPO / "examples" / "generate_accounts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    accounts = [
        a for a in module.generate(market, count * 5 // 4 + 10, 20240601) if evaluate(a, market).solvent
    ]
    if len(accounts) < count:
        raise SystemExit(f"the generator gave only {len(accounts)} solvent accounts")
    return accounts[:count]


def _proc_bytes(path: str, field: str) -> int:
    """The ``field:`` line of a /proc file in bytes (it is given in kB); 0 once the process is gone."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


PAGE = os.sysconf("SC_PAGE_SIZE")
#: Seconds between samples of the resident sizes, between scans of /proc for the processes of the
#: round, and between readings of the proportional sizes (the costly part: the kernel walks every
#: mapping of the process to add them up).
RSS_EVERY, SCAN_EVERY, PSS_EVERY = 0.2, 1.0, 1.0


def _rss(pid: int) -> int:
    """Resident set size (VmRSS) in bytes, from ``statm``'s second field (pages); 0 once gone."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss(pid: int) -> int:
    """Proportional set size: each shared page divided among the processes that map it."""
    return _proc_bytes(f"/proc/{pid}/smaps_rollup", "Pss")


def _tree(root: int, ray: bool) -> set[int]:
    """``root`` and its descendants; with ``ray``, every ``ray::`` / raylet / gcs process too."""
    parents: dict[int, int] = {}
    chosen: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            stat = (entry / "stat").read_text()
            parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
            if ray:
                command = (entry / "cmdline").read_bytes()
                if b"ray::" in command or b"raylet" in command or b"gcs_server" in command:
                    chosen.add(pid)
        except (OSError, ValueError, IndexError):
            continue
    frontier = {root}
    while frontier:
        chosen |= frontier
        frontier = {p for p, parent in parents.items() if parent in frontier and p not in chosen}
    return chosen


def _label(pid: int) -> str:
    """A short name for a process: a ``ray::`` name, a Ray binary, a Python script's file name, or
    ``round driver`` for the ``python -c`` child this script starts."""
    try:
        words = [
            w.decode(errors="replace") for w in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if w
        ]
    except OSError:
        return "?"
    if not words:
        return "?"
    if words[0].startswith("ray::"):
        return words[0]
    if len(words) > 1 and words[1] == "-c":
        return "round driver"
    for word in words:
        if word.endswith(".py") or word.endswith(("raylet", "gcs_server")):
            return Path(word).name
    return Path(words[0]).name


class PeakSampler(threading.Thread):
    """The peaks of the summed resident and proportional memory of a process tree (and Ray's processes).

    The resident sum counts a shared page (Ray's object store, copy-on-write pages of forked
    workers) once in every process that maps it; the proportional sum (PSS) counts it once.
    """

    def __init__(self, pid: int, ray: bool) -> None:
        super().__init__(daemon=True)
        self.pid, self.ray = pid, ray
        self.peak = 0
        self.peak_pss = 0
        #: ``(label, PSS)`` of each process when the PSS sum peaked (for ``--breakdown``).
        self.breakdown: list[tuple[str, int]] = []
        self.stop = threading.Event()
        self.cpu_s = 0.0

    def run(self) -> None:
        """Sample until stopped; ``cpu_s`` is then this thread's own CPU time (the measurement's cost).

        A process's PSS never exceeds its RSS, so a sample whose resident sum is at or below the PSS
        peak so far cannot raise that peak, and its PSS is not read.
        """
        start = time.thread_time()
        pids: set[int] = set()
        scanned, pss_read = -SCAN_EVERY, -PSS_EVERY
        while not self.stop.is_set():
            now = time.monotonic()
            if now - scanned >= SCAN_EVERY:
                pids, scanned = _tree(self.pid, self.ray), now
            resident = sum(_rss(p) for p in pids)
            self.peak = max(self.peak, resident)
            if resident > self.peak_pss and now - pss_read >= PSS_EVERY:
                pss_read = now
                pss = {p: _pss(p) for p in pids}
                total_pss = sum(pss.values())
                if total_pss > self.peak_pss:
                    self.peak_pss = total_pss
                    self.breakdown = sorted(((_label(p), v) for p, v in pss.items()), key=lambda lv: -lv[1])
            self.stop.wait(RSS_EVERY)
        self.cpu_s = time.thread_time() - start


def run(
    count: int,
    accounts: Path,
    executor: str,
    workers: int,
    batch: int,
    fan_in: int | None,
    work: Path,
    breakdown: bool = False,
) -> Row:
    bundle_dir = work / f"bundle-{count}-{executor}-{workers}"
    args = {
        "accounts": str(accounts), "market": str(MARKET), "out": str(bundle_dir), "batch": batch,
        "workers": workers, "executor": executor, "fan_in": fan_in, "count": count,
        "signatures": str(work / "market.signatures.json"), "committee": str(work / "committee.json"),
    }  # fmt: skip
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = PeakSampler(child.pid, executor == "ray")
    sampler.start()
    out, err = child.communicate()
    sampler.stop.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"round of {count} on {executor} x{workers} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    if not result["ok"]:
        raise SystemExit(f"the audit of {count} on {executor} x{workers} failed")
    row = Row(
        count, executor, workers, result["batches"], "/".join(map(str, result["levels"])) or "-",
        result["seconds"], result["timings"]["batch proofs"], result["audit"], sampler.peak / 2**20,
        sampler.peak_pss / 2**20,
        result["timings"]["read accounts"] + result["timings"]["inclusion files and bundle"], sampler.cpu_s,
    )  # fmt: skip
    print(
        f"{count:>8,} accounts  {executor:>4} x{workers}  {row.batches} batches  levels {row.levels}  "
        f"{row.seconds:8.1f} s  {row.rate:6.2f} accounts/s  peak {row.peak_mb:7.0f} MB "
        f"(PSS {row.pss_mb:7.0f} MB)  "
        f"audit {row.audit_s:5.1f} s  sampler {row.sampler_s:.1f} CPU s",
        flush=True,
    )
    if breakdown:
        for label, pss in sampler.breakdown:
            print(f"    {pss / 2**20:8.0f} MB PSS  {label}", flush=True)
    return row


def markdown(rows: list[Row], batch: CircuitEntry, load: str, note: str) -> str:
    size = batch.size
    slots = f" in a tree of {size.batch} slots" if size.live != size.batch else ""
    lines = [
        "# Rounds at the reference size",
        "",
        "Generated by `benchmarks/round.py`: accounts from `examples/generate_accounts.py` (solvent ones)",
        f"against `examples/market.json`, A = 4, I = 16, S = 16, batches of {size.live} accounts{slots}",
        f"(`{batch.name}`). Keys were made before",
        "timing (cached). `round` is the whole `prove_round` minus compile and setup (reading, batch proofs,",
        "levels, root, inclusion files, bundle); `peak` is the summed resident memory of the round's",
        f"processes (driver, pool workers, Ray's processes), sampled every {RSS_EVERY} s, and `PSS` the",
        "same sum of proportional set sizes (a page shared by several processes, such as Ray's object",
        f"store, counted once), read at most every {PSS_EVERY} s and only when the resident sum exceeds",
        "its peak so far; `sampler` is the CPU time that sampling took from the machine during the round;",
        "`audit` is `audit_bundle`;",
        "`driver` is what the driver does alone per account: reading and validating the accounts file,",
        "then the inclusion files and the bundle.",
        "",
        f"Machine: {cores_and_python()}; load average at the start {load}.",
        "",
        "| accounts | executor | workers | batches | levels | round (s) | batch proofs (s) | accounts/s "
        "| driver (s) | peak (MB) | PSS (MB) | audit (s) | sampler (CPU s) |",
        "| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.accounts:,} | {r.executor} | {r.workers} | {r.batches} | {r.levels} | {r.seconds:.1f} "
            f"| {r.batch_s:.1f} | {r.rate:.2f} | {r.driver_s:.2f} | {r.peak_mb:.0f} | {r.pss_mb:.0f} "
            f"| {r.audit_s:.1f} | {r.sampler_s:.1f} |"
        )
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, action="append", help="accounts per round (repeatable)")
    parser.add_argument(
        "--batch-size", type=int, default=None, help="accounts per batch (default: the manifest's default)"
    )
    parser.add_argument("--workers", type=int, action="append", help="worker counts (repeatable)")
    parser.add_argument("--executor", action="append", choices=["pool", "ray", "local"])
    parser.add_argument("--fan-in", type=int, default=None)
    parser.add_argument("--note", default="", help="a line added under the table")
    parser.add_argument(
        "--breakdown", action="store_true", help="print each process's PSS when the sum peaked (not recorded)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "round.md")
    args = parser.parse_args()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    counts = args.count or [1000, 10000]
    market = read_market(MARKET)
    batch_entry = load_manifest().batch_circuit("reference", args.batch_size)
    batch = batch_entry.size.live
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="zks-round-bench-") as tmp:
        # The snapshot signed 3 of 5 by the PUBLIC demo committee, as in the demo (the audit wants a quorum).
        demo_sign(MARKET, (4, 16, 16), Path(tmp) / "market.signatures.json")
        write_committee(Path(tmp) / "committee.json", demo_committee())
        for count in counts:
            circuits = choose_circuits(RoundOptions(MARKET, MARKET, Path(tmp), batch_size=batch,
                                                    fan_in=args.fan_in), count)  # fmt: skip
            for entry in (circuits.batch, circuits.node, circuits.root):
                if entry is not None:
                    prepare_keys(entry, say=lambda m: print(f"  {m}", flush=True))
            path = Path(tmp) / f"accounts-{count}.jsonl"
            atomic_write_text(path, accounts_to_jsonl(solvent_accounts(market, count), market))
            for executor in args.executor or ["pool"]:
                for workers in args.workers or [os.cpu_count() or 1]:
                    row = run(
                        count,
                        path,
                        executor,
                        workers,
                        batch,
                        args.fan_in,
                        Path(tmp),
                        args.breakdown,
                    )
                    rows.append(row)
                    publish(markdown(rows, batch_entry, load, args.note), args.out)


if __name__ == "__main__":
    main()
