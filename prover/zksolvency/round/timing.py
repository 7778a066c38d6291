"""Measured batch proof times, kept beside each circuit's keys for ``round prove --dry-run``.

``timing.json`` in a key folder of the key cache: the median wall time of one batch proof
in one worker (witness, proof and verification), with the number of workers and cores it
was measured with. Every round that proves batches writes it.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from zksolvency.round.circuits import CircuitEntry, keys_root

TIMING_FILE = "timing.json"


@dataclass(frozen=True)
class Timing:
    """A measured batch proof: wall seconds per batch in one worker, with how many workers and cores."""

    seconds_per_batch: float
    workers: int
    cores: int


def write_timing(keys_folder: Path, timing: Timing) -> None:
    """Record ``timing`` beside a circuit's keys (best effort: a read-only cache only loses it)."""
    with contextlib.suppress(OSError):
        (keys_folder / TIMING_FILE).write_text(json.dumps(timing.__dict__) + "\n", encoding="utf-8")


def read_timing(entry: CircuitEntry) -> Timing | None:
    """The newest timing recorded for any key of ``entry`` in the key cache."""
    found = sorted(keys_root().glob(f"{entry.name}-*/{TIMING_FILE}"), key=lambda p: p.stat().st_mtime)
    for path in reversed(found):
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
            return Timing(float(obj["seconds_per_batch"]), int(obj["workers"]), int(obj["cores"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None
