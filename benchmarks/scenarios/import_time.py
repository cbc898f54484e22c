"""Whole-process import cost: a fresh `python -c "import X"` minus a bare `python -c pass`."""

from __future__ import annotations

import statistics
import sys

from benchmarks._runner import Impl, Scenario, Target, run_process

__all__ = ["SCENARIOS"]


def measure_import(impl: Impl, repeat: int) -> float:
    """Return the median extra wall time of importing the SDK in a fresh interpreter (runs interleaved)."""
    run_process([sys.executable, "-c", f"import {impl.name}"])  # warm the OS file cache and .pyc files
    bare, loaded = [], []
    for _ in range(repeat):
        bare.append(run_process([sys.executable, "-c", "pass"])[0])
        loaded.append(run_process([sys.executable, "-c", f"import {impl.name}"])[0])
    return statistics.median(loaded) - statistics.median(bare)


SCENARIOS = (
    Scenario(
        name="import",
        family="import_time",
        description="fresh `python -c 'import X'` minus fresh `python -c pass` (medians, runs interleaved)",
        measure=measure_import,
        target=Target(60),
        whole_process=True,
    ),
)
