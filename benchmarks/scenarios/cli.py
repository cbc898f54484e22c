"""CLI: a whole `flytelite run` process for a one-task workflow, against the same `pyflyte run`.

Each sample is one fresh process, started and waited for (interpreter start, imports, loading the file, running the
workflow, printing the output), so the figure is what a person waits for at the prompt. Target: within 70 ms of the
process floor of the entrypoint family, measured like the entrypoint's (each run paired with a floor run made just
before it; issue 12 asked for <= 120 ms when that floor took ~50 ms).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks._runner import Impl, Scenario, Target, measured, run_paired
from benchmarks.scenarios.entrypoint import FLOOR_CMD, PAIRED_FLOOR, over_floor

__all__ = ["SCENARIOS"]

_WORKFLOW = """
from {sdk} import task, workflow


@task
def inc(a: int) -> int:
    return a + 1


@workflow
def wf(a: int) -> int:
    return inc(a=a)
"""
_PROGRAM = {"flytelite": "flytelite", "flytekit": "pyflyte"}


def measure_run(impl: Impl, repeat: int) -> float:
    """Return the median wall time in ms of a fresh `<cli> run file.py wf --a 1` process (paired with floor runs)."""
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        path = Path(folder) / f"bench_cli_{impl.name}_wf.py"
        path.write_text(_WORKFLOW.format(sdk=impl.name), encoding="utf-8")
        cmd = [str(Path(sys.executable).parent / _PROGRAM[impl.name]), "run", str(path), "wf", "--a", "1"]
        samples, floor = run_paired(cmd, FLOOR_CMD, repeat, cwd=folder)
    if impl.name == "flytelite":
        PAIRED_FLOOR["cli"] = ([ms for ms, _ in samples], floor)
    return statistics.median(ms for ms, _ in samples)


RUN = Scenario(
    name="cli run (1 task)",
    family="cli",
    description="fresh `flytelite run file.py wf --a 1` vs `pyflyte run`, whole process",
    measure=measure_run,
    whole_process=True,
)


def measure_run_over_floor(impl: Impl, repeat: int) -> float:
    """Return what `flytelite run` adds to the floor: the median paired difference, in ms."""
    measured(RUN, impl, repeat)
    return over_floor("cli")


SCENARIOS = (
    RUN,
    Scenario(
        name="cli run over floor",
        family="cli",
        description="the cli runs minus the floor run before each (median of the differences): what flytelite adds",
        measure=measure_run_over_floor,
        target=Target(70),
        sides=("flytelite",),
        needs=(RUN.name,),
    ),
)
