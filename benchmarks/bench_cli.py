"""CLI benchmark: a whole `flytelite run` process for a one-task workflow, against the same `pyflyte run`.

Run with `python -m benchmarks.bench_cli [--repeat N]`. Each sample is one fresh process, started and waited for
(interpreter start, imports, loading the file, running the workflow, printing the output), so the figure is what a
person waits for at the prompt. Target: <= 200 ms for flytelite (flytekit takes about 0.8 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._runner import Impl, Scenario, format_table, run_scenarios

__all__ = ["SCENARIOS", "main"]

TARGET_MS = 200.0
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


def _command(impl: Impl, path: Path) -> list[str]:
    exe = Path(sys.executable).parent / _PROGRAM[impl.name]
    return [str(exe), "run", str(path), "wf", "--a", "1"]


def measure_run(impl: Impl, repeat: int) -> float:
    """Return the median wall time in ms of a fresh `<cli> run file.py wf --a 1` process."""
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        path = Path(folder) / f"bench_cli_{impl.name}_wf.py"
        path.write_text(_WORKFLOW.format(sdk=impl.name), encoding="utf-8")
        cmd = _command(impl, path)
        subprocess.run(cmd, check=True, capture_output=True, cwd=folder)  # warm .pyc files and the OS cache
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            proc = subprocess.run(cmd, check=False, capture_output=True, cwd=folder, text=True)
            samples.append((time.perf_counter() - start) * 1000.0)
            if proc.returncode != 0:
                raise RuntimeError(f"{cmd[0]} failed: {proc.stderr.strip()[-300:]}")
        return statistics.median(samples)


SCENARIOS = (
    Scenario(
        name="cli run (1 task)",
        family="cli",
        description="fresh `flytelite run file.py wf --a 1` vs `pyflyte run`, whole process",
        measure=measure_run,
        target_ms=TARGET_MS,
    ),
)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI scenario and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cli")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    results = run_scenarios(SCENARIOS, max(args.repeat, 5), echo=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
