"""The common runner: the `Scenario` record and its `Target`, sizes, timing helpers, the implementation adapter,
the measurement loop and the table printer.

A scenario's `measure(impl, repeat)` returns one figure for one SDK (a median in ms unless the scenario's `unit`
says otherwise). Rows derived from other rows (a speed-up, a peak RSS recorded during a timed run) call
`measured(other, impl, repeat)`, which measures each (scenario, SDK) pair at most once per process.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

__all__ = [
    "IMPLEMENTATIONS",
    "Impl",
    "Result",
    "Scenario",
    "Size",
    "Target",
    "format_table",
    "is_quick",
    "measured",
    "median_ms",
    "repeats_for",
    "run_paired",
    "run_process",
    "run_scenarios",
    "set_quick",
]

IMPLEMENTATIONS = ("flytelite", "flytekit")
MIN_REPEAT = 5
MIN_REPEAT_PROCESS = 7
_MODE = {"quick": False}
_MEASURED: dict[tuple[str, str], float] = {}


def set_quick(quick: bool) -> None:
    """Switch every `Size` to its small value (the smoke-test mode) or back to the full one."""
    _MODE["quick"] = quick
    _MEASURED.clear()


def is_quick() -> bool:
    """Return whether the runner is in quick (small sizes, 2 repeats) mode."""
    return _MODE["quick"]


@dataclasses.dataclass(frozen=True)
class Size:
    """A workload size: `full` for a real run, `quick` for `--quick`."""

    full: int
    quick: int

    @property
    def n(self) -> int:
        """Return the size for the current mode."""
        return self.quick if _MODE["quick"] else self.full


@dataclasses.dataclass(frozen=True)
class Target:
    """What flytelite's figure must meet.

    Absolute targets compare the figure (divided by the scenario's `per`, if any) with `limit` in `unit`.
    Relative targets (`relative_to` set) compare flytelite's figure divided by a base: the flytelite figure of the
    scenario named there, or the same row's flytekit figure when it is `"flytekit"`.
    """

    limit: float
    op: str = "<="
    unit: str = "ms"
    relative_to: str | None = None
    label: str = ""

    def met(self, value: float) -> bool:
        """Return whether `value` (already per unit, or a factor for relative targets) meets the target."""
        return value <= self.limit if self.op == "<=" else value >= self.limit


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One row of the table.

    Attributes:
        name: The row label (unique across families).
        family: The module in `benchmarks/scenarios/` that defines it.
        description: What one timed run does.
        measure: `measure(impl, repeat)` returns the figure for one SDK.
        target: What flytelite must meet, or None.
        unit: The figure's unit: "ms", "MiB", "x" (a factor) or "copies".
        per: Units of work in one run (calls, nodes), for per-unit figures in the target column.
        per_label: The name of that unit ("call", "node").
        sides: The SDKs the row is measured for; a floor or baseline row is measured once, in the first column.
        needs: Rows this one reads (a base of a relative target, rows it is derived from); selected with it.
        whole_process: Each sample is a fresh process: at least 7 runs, and the load average is recorded.
    """

    name: str
    family: str
    description: str
    measure: Callable[[Impl, int], float]
    target: Target | None = None
    unit: str = "ms"
    per: Size | int = 1
    per_label: str = ""
    sides: tuple[str, ...] = IMPLEMENTATIONS
    needs: tuple[str, ...] = ()
    whole_process: bool = False

    @property
    def per_n(self) -> int:
        """Return the units of work in one run in the current mode."""
        return self.per.n if isinstance(self.per, Size) else self.per


@dataclasses.dataclass(frozen=True)
class Impl:
    """One SDK under test, imported lazily so a missing flytekit only blanks its column."""

    name: str

    def module(self, path: str) -> ModuleType:
        """Import and return `<sdk>.<path>`, e.g. `impl.module("core.task").task`."""
        return importlib.import_module(f"{self.name}.{path}")

    def type_engine(self) -> Any:
        """Return the SDK's `TypeEngine` class."""
        return self.module("core.type_engine").TypeEngine

    def context(self) -> Any:
        """Return the SDK's current `FlyteContext`."""
        return importlib.import_module(self.name).FlyteContextManager.current_context()

    def reset_caches(self) -> None:
        """Drop caches that would let a repeated conversion of an equal value skip the work.

        flytekit keeps an LRU of literals keyed by the pickled value; a task converting fresh data never hits it,
        so every timed run starts with it empty.
        """
        cache = getattr(self.type_engine(), "_LITERAL_CACHE", None)
        if cache is not None:
            cache.clear()


@dataclasses.dataclass(frozen=True)
class Result:
    """The figures of one scenario (None where an SDK failed or was not run) and the load average at its start."""

    scenario: Scenario
    values: dict[str, float | None]
    errors: dict[str, str]
    load: float | None = None


def median_ms(
    run: Callable[[], object], repeat: int, warmup: int = 1, before: Callable[[], None] | None = None
) -> float:
    """Return the median wall time of `run()` in milliseconds over `repeat` runs, after `warmup` untimed runs.

    Both SDKs live in this process, so what is alive before the timed runs (the modules of both, earlier rows'
    results) is frozen out of the garbage collector's view while they run: a full collection triggered by one SDK's
    allocations then walks only what the runs made, not the other SDK's modules. The runs' own objects are collected
    as usual.
    """
    for _ in range(warmup):
        if before:
            before()
        run()
    samples = []
    gc.collect()
    gc.freeze()
    try:
        for _ in range(repeat):
            if before:
                before()
            start = time.perf_counter()
            run()
            samples.append((time.perf_counter() - start) * 1000.0)
    finally:
        gc.unfreeze()
    return statistics.median(samples)


# Spawns the command, waits for it and prints its wall ms, its own peak RSS (KiB) and its exit code. A small
# interpreter in between keeps the benchmark process's memory out of the child's `ru_maxrss` (Linux carries the
# forking process's high-water mark over `exec`) and keeps the wrapper's own start-up out of the timing.
_SPAWN = """
import os, sys, time
start = time.perf_counter()
quiet = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)
_, status, usage = os.wait4(pid, 0)
print((time.perf_counter() - start) * 1000.0, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _child_env() -> dict[str, str]:
    """Return this process's environment without `PYTHONDONTWRITEBYTECODE`.

    Users' interpreters read and write `.pyc` files; a child that may not write them would compile every module it
    imports (after the first, warming run) and the figure would measure the compiler.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_process(cmd: Sequence[str], cwd: str | None = None) -> tuple[float, float]:
    """Run one child process to completion; return its wall time in ms and its own peak RSS in MiB.

    `cmd[0]` must be a path; it runs without `PYTHONDONTWRITEBYTECODE` (see `_child_env`). Raises RuntimeError with
    the tail of its stderr if it fails.
    """
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _SPAWN, *cmd], cwd=cwd, capture_output=True, text=True, env=_child_env()
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"could not run {cmd[0]}: {proc.stderr.strip()[-600:]}")
    took, rss_kib, code = proc.stdout.split()
    if int(code) != 0:
        raise RuntimeError(f"{os.path.basename(cmd[0])} exited with {code}: {proc.stderr.strip()[-600:]}")
    return float(took), int(rss_kib) / 1024.0


def run_paired(
    cmd: Sequence[str], base: Sequence[str], repeat: int, cwd: str | None = None
) -> tuple[list[tuple[float, float]], list[float]]:
    """Run `cmd` `repeat` times, each run right after a run of `base`; return both lists of samples.

    `cmd`'s samples are `run_process` pairs (wall ms, peak RSS MiB), `base`'s are wall ms. Pairing the runs lets a
    row report what `cmd` adds to `base` on a machine whose speed drifts within minutes: the median of the
    differences of neighbouring runs.
    """
    run_process(base)  # warm .pyc files and the OS cache
    run_process(cmd, cwd=cwd)
    own: list[tuple[float, float]] = []
    floor: list[float] = []
    for _ in range(repeat):
        floor.append(run_process(base)[0])
        own.append(run_process(cmd, cwd=cwd))
    return own, floor


def repeats_for(scenario: Scenario, repeat: int) -> int:
    """Return the number of timed runs for `scenario`: `repeat` in quick mode, else at least 5 (7 for processes)."""
    if _MODE["quick"]:
        return repeat
    return max(repeat, MIN_REPEAT_PROCESS if scenario.whole_process else MIN_REPEAT)


def measured(scenario: Scenario, impl: Impl, repeat: int) -> float:
    """Return `scenario`'s figure for `impl`, measuring it only the first time it is asked for."""
    key = (scenario.name, impl.name)
    if key not in _MEASURED:
        _MEASURED[key] = scenario.measure(impl, repeats_for(scenario, repeat))
    return _MEASURED[key]


def run_scenarios(
    scenarios: Sequence[Scenario],
    repeat: int,
    echo: Callable[[str], None],
    impls: Sequence[str] = IMPLEMENTATIONS,
) -> list[Result]:
    """Measure every scenario with every selected implementation, reporting progress through `echo`."""
    results = []
    for sc in scenarios:
        values: dict[str, float | None] = {}
        errors: dict[str, str] = {}
        load = os.getloadavg()[0] if sc.whole_process else None
        for name in (n for n in sc.sides if n in impls):
            echo(f"  {sc.name} [{name}] ...")
            try:
                values[name] = measured(sc, Impl(name), repeat)
            except Exception as exc:  # a failing side must not hide the other side's figure
                values[name] = None
                errors[name] = f"{type(exc).__name__}: {exc}"[:300]
        results.append(Result(sc, values, errors, load))
    return results


def _fmt_value(v: float | None, unit: str) -> str:
    if v is None:
        return "error"
    if unit == "ms":
        return f"{v:,.1f} ms"
    if unit == "x":
        return f"{v:.2f}x"
    if unit == "copies":
        return f"{v:g}"
    return f"{v:,.1f} {unit}"


def _target_cell(r: Result, flytelite_of: Mapping[str, float | None]) -> str:
    sc, lite = r.scenario, r.values.get("flytelite")
    per_unit = f"{sc.unit} per {sc.per_label}" if sc.per_label else sc.unit
    per_value = None if lite is None else lite / sc.per_n
    t = sc.target
    if t is None:
        return f"- ({per_value:.3g} {per_unit})" if sc.per_label and per_value is not None else "-"
    if t.relative_to is None:
        unit = per_unit if sc.per_label else t.unit
        goal = f"{t.op} {t.limit:g}{unit}" if unit == "x" else f"{t.op} {t.limit:g} {unit}"
        if per_value is None:
            return f"{goal}: no figure"
        shown = f": {per_value:.3g}" if sc.per_label else ""
        return f"{goal}{shown} {'ok' if t.met(per_value) else 'MISSED'}"
    base = r.values.get("flytekit") if t.relative_to == "flytekit" else flytelite_of.get(t.relative_to)
    goal = f"{t.op} {t.limit:g}x {t.label or t.relative_to}"
    if lite is None or not base:
        return f"{goal}: no figure"
    factor = lite / base
    return f"{goal}: {factor:.2f}x {'ok' if t.met(factor) else 'MISSED'}"


def format_table(results: Sequence[Result]) -> str:
    """Render results as an aligned text table: scenario, flytelite, flytekit, ratio (flytekit/flytelite), target.

    The target column is flytelite's: the goal in the unit the target uses, the figure in that unit where it differs
    from the row's, and `ok` or `MISSED`. Notes below the table give the load average at the start of each
    whole-process row and every error.
    """
    header = ("scenario", "flytelite", "flytekit", "ratio", "target")
    flytelite_of = {r.scenario.name: r.values.get("flytelite") for r in results}
    rows: list[tuple[str, ...]] = [header]
    for r in results:
        cells = [r.scenario.name]
        for impl in IMPLEMENTATIONS:
            cells.append(_fmt_value(r.values[impl], r.scenario.unit) if impl in r.values else "-")
        lite, kit = r.values.get("flytelite"), r.values.get("flytekit")
        ratio = f"{kit / lite:.1f}x" if lite and kit and r.scenario.unit in ("ms", "MiB") else "-"
        rows.append((*cells, ratio, _target_cell(r, flytelite_of)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:4], widths[1:4], strict=True)), row[4]]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    loads = [f"{r.scenario.name} {r.load:.2f}" for r in results if r.load is not None]
    if loads:
        lines.append("")
        lines.append("whole-process rows (wall medians of fresh processes); 1-min load average at their start:")
        lines.append("  " + "; ".join(loads))
    errors = [f"! {r.scenario.name} [{impl}]: {msg}" for r in results for impl, msg in r.errors.items()]
    if errors:
        lines.append("")
        lines.extend(errors)
    return "\n".join(lines)
