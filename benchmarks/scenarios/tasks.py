"""Local task calls: 1,000 calls of a trivial `@task` and of a trivial `PythonInstanceTask`, in process.

Each timed run makes 1,000 top-level calls (`t(a=i)`), so the target of 0.1 ms per call is 100 ms per run.
The tasks are built once per implementation outside the timed region; the first run is an untimed warm-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from benchmarks._runner import Impl, Scenario, median_ms

__all__ = ["SCENARIOS"]

CALLS = 1_000


def increment(a: int) -> int:
    """The trivial task body."""
    return a + 1


def _function_task(impl: Impl) -> Any:
    return importlib.import_module(f"{impl.name}.core.task").task(increment)


def _instance_task(impl: Impl) -> Any:
    base = importlib.import_module(f"{impl.name}.core.python_function_task").PythonInstanceTask
    interface = importlib.import_module(f"{impl.name}.core.interface").Interface
    kwtypes = importlib.import_module(f"{impl.name}.core.base_task").kwtypes

    class Increment(base):  # type: ignore[misc, valid-type]  # a class per SDK, built at run time
        def __init__(self) -> None:
            super().__init__(
                name="bench.increment", task_config=None, interface=interface(kwtypes(a=int), kwtypes(o0=int))
            )

        def execute(self, **kwargs: Any) -> int:
            return int(kwargs["a"]) + 1

    return Increment()


def calls(make_task: Callable[[Impl], Any]) -> Callable[[Impl, int], float]:
    """Return a measure function timing `CALLS` top-level calls of the task `make_task(impl)` builds."""

    def measure(impl: Impl, repeat: int) -> float:
        t = make_task(impl)

        def run() -> None:
            for i in range(CALLS):
                t(a=i)

        if t(a=1) != 2:
            raise ValueError("the task returned a wrong value")
        return median_ms(run, repeat)

    return measure


SCENARIOS = (
    Scenario(
        "@task x1000",
        "tasks",
        f"{CALLS:,} local calls of a trivial @task",
        calls(_function_task),
        target_ms=0.1 * CALLS,
    ),
    Scenario(
        "PythonInstanceTask x1000",
        "tasks",
        f"{CALLS:,} local calls of a trivial PythonInstanceTask",
        calls(_instance_task),
        target_ms=0.1 * CALLS,
    ),
)
