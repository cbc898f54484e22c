"""The common runner: the `Scenario` record, timing helpers, the implementation adapters and the table printer."""

from __future__ import annotations

import dataclasses
import importlib
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["IMPLEMENTATIONS", "Impl", "Result", "Scenario", "format_table", "median_ms", "run_scenarios"]

IMPLEMENTATIONS = ("flytelite", "flytekit")


@dataclasses.dataclass(frozen=True)
class Impl:
    """One SDK under test, imported lazily so a missing flytekit only blanks its column."""

    name: str

    def type_engine(self) -> Any:
        """Return the SDK's `TypeEngine` class."""
        return importlib.import_module(f"{self.name}.core.type_engine").TypeEngine

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
class Scenario:
    """A measurement: `measure(impl, repeat)` returns the median time in milliseconds for that implementation."""

    name: str
    family: str
    description: str
    measure: Callable[[Impl, int], float]
    target_ms: float | None = None


@dataclasses.dataclass(frozen=True)
class Result:
    """The medians of one scenario (None where that implementation failed or is missing)."""

    scenario: Scenario
    ms: dict[str, float | None]
    errors: dict[str, str]


def median_ms(
    run: Callable[[], object], repeat: int, warmup: int = 1, before: Callable[[], None] | None = None
) -> float:
    """Return the median wall time of `run()` in milliseconds over `repeat` runs, after `warmup` untimed runs."""
    for _ in range(warmup):
        if before:
            before()
        run()
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples)


def run_scenarios(scenarios: Sequence[Scenario], repeat: int, echo: Callable[[str], None]) -> list[Result]:
    """Measure every scenario with every implementation, reporting progress through `echo`."""
    results = []
    for sc in scenarios:
        ms: dict[str, float | None] = {}
        errors: dict[str, str] = {}
        for name in IMPLEMENTATIONS:
            echo(f"  {sc.name} [{name}] ...")
            try:
                ms[name] = sc.measure(Impl(name), repeat)
            except Exception as exc:  # a failing side must not hide the other side's figure
                ms[name] = None
                errors[name] = f"{type(exc).__name__}: {exc}"[:200]
        results.append(Result(sc, ms, errors))
    return results


def _fmt_ms(v: float | None) -> str:
    return "error" if v is None else f"{v:,.1f} ms"


def format_table(results: Sequence[Result]) -> str:
    """Render results as an aligned text table: scenario, flytelite, flytekit, ratio (flytekit/flytelite), target."""
    header = ("scenario", "flytelite", "flytekit", "ratio", "target (flytelite)")
    rows = [header]
    for r in results:
        lite, kit = r.ms.get("flytelite"), r.ms.get("flytekit")
        ratio = f"{kit / lite:.1f}x" if lite and kit else "-"
        target = "-"
        if r.scenario.target_ms is not None:
            met = lite is not None and lite <= r.scenario.target_ms
            target = f"<= {r.scenario.target_ms:g} ms {'ok' if met else 'MISSED'}"
        rows.append((r.scenario.name, _fmt_ms(lite), _fmt_ms(kit), ratio, target))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:4], widths[1:4], strict=True)), row[4]]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    for r in results:
        lines.extend(f"! {r.scenario.name} [{impl}]: {msg}" for impl, msg in r.errors.items())
    return "\n".join(lines)
