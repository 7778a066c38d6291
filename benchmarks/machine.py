"""What every benchmark records about the machine, and how it writes its results.

Imported by the scripts in this folder (run as ``python benchmarks/NAME.py``, so this
folder is on ``sys.path``).
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (``unknown CPU`` elsewhere)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def cores_and_python() -> str:
    """``N cores (model), Python X.Y.Z``: the prefix of every results file's machine line."""
    return f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}"


def publish(text: str, out: Path) -> None:
    """Print the results and write them to ``out`` (creating its folder)."""
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
