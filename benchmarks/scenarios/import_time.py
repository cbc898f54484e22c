"""Whole-process import cost: a fresh `python -c "import X"` minus a bare `python -c pass`."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from benchmarks._runner import Impl, Scenario

__all__ = ["SCENARIOS"]

RUNS = 7


def _wall_ms(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000.0


def measure_import(impl: Impl, repeat: int) -> float:
    """Return the median extra wall time of importing the SDK in a fresh interpreter (runs interleaved)."""
    runs = max(RUNS, repeat)
    _wall_ms(f"import {impl.name}")  # warm the OS file cache and .pyc files
    bare, loaded = [], []
    for _ in range(runs):
        bare.append(_wall_ms("pass"))
        loaded.append(_wall_ms(f"import {impl.name}"))
    return statistics.median(loaded) - statistics.median(bare)


SCENARIOS = (
    Scenario(
        name="import",
        family="import_time",
        description=f"fresh `python -c 'import X'` minus `python -c pass`, median of {RUNS}",
        measure=measure_import,
        target_ms=60,
    ),
)
