"""Where the time of one batch proof goes, stage by stage, at the reference size.

    .venv/bin/python benchmarks/batch_profile.py [--batch-size 16 --batch-size 52 --batch-size 64]
        [--repeat 3] [--out benchmarks/results/batch_profile.md]

One batch of solvent accounts from examples/accounts-solvent.jsonl (cycled with fresh ids
when the batch is larger) against examples/market.json, with the keys of
``reference-bB`` (made or taken from the cache first). The stages are those a round's
worker runs (``zksolvency.round.worker``), timed one by one in this process:

* read: the accounts re-read from the file by offset (``AccountsFile.read``);
* commitments: ``Poseidon(id, salt)`` per account;
* ledger: the batch's leaves, sum tree and commitment in Python (``batch_digest``);
* inputs: the circuit inputs (``batch_inputs``);
* load: loading the circuit (witness calculator, proving key, verification key) once
  per worker, first without, then with the compiled-wasm cache;
* witness: circom's witness calculator under wasmtime, read out as Python integers (what
  the python backend takes) and as ``.wtns`` bytes in one native loop (what the native
  prover takes, and what a round's workers use);
* prove: the native Groth16 prover, with 1 thread and with every core;
* verify: the native verifier;
* record: the proof record and batch tree as JSON, written atomically.

Medians of ``--repeat`` runs; prints the table and writes it with the machine line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from machine import cores_and_python, publish
from zksolvency.circuit.formats.wtns import write_wtns
from zksolvency.circuit.solvency_inputs import BatchEntry, batch_inputs
from zksolvency.circuit.wasm_cache import compiled_path
from zksolvency.groth16.verify import verify
from zksolvency.ledger.batch import batch_digest
from zksolvency.ledger.leaf import id_commitment
from zksolvency.model.accounts import Account, AccountsFile, accounts_to_jsonl, read_accounts
from zksolvency.model.market import read_market
from zksolvency.round.circuits import load_manifest, prepare_keys
from zksolvency.round.plan import RoundSecrets
from zksolvency.round.workdir import ProofRecord, TreeData, WorkDir
from zksolvency.round.worker import Prover, ProverSpec

REPO = Path(__file__).resolve().parent.parent
MARKET = REPO / "examples" / "market.json"
ACCOUNTS = REPO / "examples" / "accounts-solvent.jsonl"

#: Timing one prove with a given thread count needs a fresh process (rayon's pool is fixed at first use).
PROVE_CHILD = """
import secrets, sys, time, json
from zksolvency.bn254 import R
from zksolvency.circuit.formats.zkey import read_zkey_raw
from zksolvency.circuit.formats.wtns import read_wtns
from zksolvency.groth16.native_prove import prove_raw
raw = read_zkey_raw(sys.argv[1])
witness = read_wtns(sys.argv[2])
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    prove_raw(raw, witness, secrets.randbelow(R), secrets.randbelow(R))
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def _median(f: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _accounts(count: int) -> list[Account]:
    market = read_market(MARKET)
    base = [a for a in read_accounts(ACCOUNTS, market) if any(a.balances)]
    return [
        Account(f"{a.id}-{k // len(base)}" if k >= len(base) else a.id, a.balances, a.sizes, a.costs)
        for k, a in ((k, base[k % len(base)]) for k in range(count))
    ]


def profile(batch: int, repeat: int, work: Path) -> list[tuple[str, float]]:
    market = read_market(MARKET)
    entry = load_manifest().batch_circuit("reference", batch)
    keys = prepare_keys(entry, say=lambda m: print(f"  {m}", flush=True))
    size = entry.size
    path = work / f"b{batch}.jsonl"
    path.write_text(accounts_to_jsonl(_accounts(batch), market))
    file = AccountsFile(path, market)
    located = list(file.scan())
    secrets = RoundSecrets.fresh()
    rows: list[tuple[str, float]] = []

    t, _ = _median(lambda: [file.read(x.offset, x.line) for x in located], repeat)
    rows.append(("read accounts from the file", t))
    accounts = [x.account for x in located]
    salts = [secrets.salt(a.id) for a in accounts]
    t, _ = _median(lambda: [id_commitment(a.id, s) for a, s in zip(accounts, salts, strict=True)], repeat)
    rows.append(("id commitments (Python Poseidon)", t))
    entries = [BatchEntry(id_commitment(a.id, s), a) for a, s in zip(accounts, salts, strict=True)]
    batch_digest(market, entries, size, 1)  # Poseidon's tables, made once per worker: not timed
    t, _ = _median(lambda: batch_digest(market, entries, size, 1), repeat)
    rows.append(("ledger: leaves, tree, commitment (Python)", t))
    digest = batch_digest(market, entries, size, 1)
    t, _ = _median(lambda: batch_inputs(market, entries, size, 1), repeat)
    rows.append(("circuit inputs", t))
    inputs = batch_inputs(market, entries, size, 1)
    spec = ProverSpec(str(keys.wasm), str(keys.zkey), str(keys.vkey), keys.vkey_sha256, "native")
    compiled_path(keys.wasm.read_bytes()).unlink(missing_ok=True)
    start = time.perf_counter()
    Prover(spec)
    rows.append(("load the circuit, wasm compiled (first process)", time.perf_counter() - start))
    start = time.perf_counter()
    prover = Prover(spec)
    rows.append(("load the circuit, wasm from the cache", time.perf_counter() - start))
    t, _ = _median(lambda: prover.calculator.calculate(inputs), repeat)
    rows.append(("witness as integers (wasmtime, Python reads)", t))
    t, _ = _median(lambda: prover.calculator.calculate_bytes(inputs), repeat)
    rows.append(("witness as .wtns bytes (native read loop)", t))
    witness = prover.calculator.calculate(inputs)
    wtns = work / "w.wtns"
    write_wtns(wtns, witness, prover.calculator.prime)
    for threads in (1, os.cpu_count() or 1):
        env = {**os.environ, "RAYON_NUM_THREADS": str(threads)}
        out = subprocess.run(
            [sys.executable, "-c", PROVE_CHILD, str(keys.zkey), str(wtns), str(repeat)],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        label = f"prove (native, {threads} thread{'s' if threads > 1 else ''})"
        rows.append((label, statistics.median(json.loads(out.stdout))))
    proof, public = prover.prove(witness)
    t, _ = _median(lambda: verify(prover.vkey, public, proof, "native"), repeat)
    rows.append(("verify (native)", t))
    tree = TreeData(
        tuple((leaf.commitment, leaf.cost_total) for leaf in digest.leaves),
        tuple(tuple(level) for level in digest.tree.levels),
    )
    record = ProofRecord(1, keys.vkey_sha256, proof, public, 0.0, 1, (0,), tree)
    folder = WorkDir(work / "wd")
    t, _ = _median(lambda: folder.write_record(work / "wd-record.json", record), repeat)
    rows.append(("record and batch tree written", t))
    return rows


def markdown(results: dict[int, list[tuple[str, float]]], repeat: int, load: str) -> str:
    sizes = sorted(results)
    lines = [
        "# One batch proof, stage by stage",
        "",
        "Generated by `benchmarks/batch_profile.py`: one batch at the reference size (A = 4, I = 16, S = 16)",
        f"of accounts from `examples/accounts-solvent.jsonl`, medians of {repeat} runs; native prover.",
        "",
        f"Machine: {cores_and_python()}; load average at the start {load}.",
        "",
        "Columns are accounts per batch: the `reference-bN` circuits (52: `reference-b52`, a tree of 64",
        "slots whose last 12 are fixed padding). The last row is what a worker spends per account:",
        "ledger, witness as bytes and the one-thread proof, divided by the accounts.",
        "",
        "| stage | " + " | ".join(f"{b} accounts (s)" for b in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for k, (label, _t) in enumerate(results[sizes[0]]):
        lines.append(f"| {label} | " + " | ".join(f"{results[b][k][1]:.3f}" for b in sizes) + " |")
    worker = ("ledger", "witness as .wtns", "prove (native, 1 thread)")
    per_account = [sum(t for label, t in results[b] if label.startswith(worker)) / b * 1000 for b in sizes]
    lines.append(
        "| per account: ledger + witness bytes + 1-thread proof (ms) | "
        + " | ".join(f"{ms:.1f}" for ms in per_account)
        + " |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch-size", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "batch_profile.md")
    args = parser.parse_args()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    results = {}
    with tempfile.TemporaryDirectory(prefix="zks-profile-") as tmp:
        for batch in args.batch_size or [16, 52, 64]:
            print(f"B = {batch}", flush=True)
            results[batch] = profile(batch, args.repeat, Path(tmp))
    publish(markdown(results, args.repeat, load), args.out)


if __name__ == "__main__":
    main()
