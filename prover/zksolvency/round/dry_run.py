"""``round prove --dry-run``: a round's plan and estimated time, without proving anything.

The plan counts the accounts file's lines (not validated: a dry run of 10^6 accounts
takes a second), adds the dummies of ``--pad-to``, and lays out the batches, the levels
of nodes and the top root (``round.levels``), with each circuit's constraints and
whether its keys are already in the key cache.

The estimate uses the last measured time per batch proof for the batch circuit, which
every round records beside the circuit's keys (``timing.json``: wall seconds per batch
in one worker, the number of workers and the machine's cores):

    time = batches x seconds per batch / workers  (+ one node or root proof per level)

so it holds for the same machine and worker count; without a measurement the plan says
so (run a small round, or ``benchmarks/round.py``, first).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from zksolvency.model.accounts import detect_format
from zksolvency.round.circuits import CircuitEntry, keys_root, load_manifest
from zksolvency.round.levels import TreeShape
from zksolvency.round.prove import RoundOptions, choose_circuits
from zksolvency.round.timing import Timing, read_timing


def _keys_cached(entry: CircuitEntry) -> bool:
    return any((folder / "info.json").is_file() for folder in keys_root().glob(f"{entry.name}-*"))


def count_accounts(path: Path, fmt: str) -> int:
    """Lines of an accounts file (minus the CSV header), counted without parsing them."""
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    chosen = detect_format(path) if fmt == "auto" else fmt
    return max(0, lines - 1) if chosen == "csv" else lines


@dataclass(frozen=True)
class DryRunPlan:
    accounts: int
    count: int
    shape: TreeShape
    batch: CircuitEntry
    node: CircuitEntry | None
    root: CircuitEntry
    workers: int
    timing: Timing | None

    @property
    def estimate(self) -> float | None:
        """Seconds for every proof of the round on ``workers`` workers, from the measured timing."""
        if self.timing is None:
            return None
        per_batch = self.timing.seconds_per_batch
        return self.shape.batches * per_batch / self.workers + (self.shape.depth + 1) * per_batch


def batch_size_of(options: RoundOptions) -> int:
    """Accounts per batch of the circuit ``options`` chooses."""
    return load_manifest().batch_circuit(options.shape, options.batch_size).size.live


def dry_run_plan(options: RoundOptions) -> DryRunPlan:
    """The plan of ``options``'s round (module docstring)."""
    accounts = count_accounts(options.accounts, options.fmt)
    count = max(accounts, options.pad_to or 0, 1)
    circuits = choose_circuits(options, count)
    workers = max(1, options.workers or os.cpu_count() or 1)
    return DryRunPlan(
        accounts,
        count,
        circuits.shape,
        circuits.batch,
        circuits.node,
        circuits.root,
        workers,
        read_timing(circuits.batch),
    )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def describe_plan(plan: DryRunPlan) -> list[str]:
    """The plan as lines of text."""
    shape = plan.shape
    padded = f" ({plan.count} with --pad-to)" if plan.count != plan.accounts else ""
    lines = [
        f"accounts:   {plan.accounts} lines{padded} (counted, not validated: a dry run reads no account)",
        f"batches:    {shape.batches} of {plan.batch.size.live} accounts ({plan.batch.name})",
    ]
    for level in range(1, shape.depth + 1):
        lines.append(
            f"level {level}:    {shape.count(level)} node proofs of {shape.fan_in} children "
            f"({plan.node.name if plan.node else '?'})"
        )
    lines.append(
        f"top:        1 root proof over {shape.top_children} of {shape.top_slots} slots ({plan.root.name})"
    )
    lines.append(f"proofs:     {shape.proofs} in all")
    entries = [plan.batch, *([plan.node] if plan.node else []), plan.root]
    for entry in entries:
        state = "keys cached" if _keys_cached(entry) else "to compile and set up (once; cached after)"
        lines.append(f"circuit:    {entry.name}: {state}")
    if plan.estimate is None:
        lines.append(
            f"estimate:   no measured time for {plan.batch.name} yet "
            "(a round records one; or run benchmarks/round.py)"
        )
    else:
        timing = plan.timing
        assert timing is not None
        lines.append(
            f"estimate:   {_duration(plan.estimate)} of proving on {plan.workers} workers "
            f"({timing.seconds_per_batch:.2f} s per batch measured with {timing.workers} workers on "
            f"{timing.cores} cores)"
        )
    return lines
