"""Local task calls: 1,000 calls of a trivial `@task` and of a trivial `PythonInstanceTask`, in process.

Each timed run makes 1,000 top-level calls (`t(a=i)`), so the target of 0.05 ms per call (issue 12) is 50 ms per run.
The tasks are built once per implementation outside the timed region; the first run is an untimed warm-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks._runner import Impl, Scenario, Size, Target, median_ms

__all__ = ["SCENARIOS"]

CALLS = Size(1_000, 50)


def increment(a: int) -> int:
    """The trivial task body."""
    return a + 1


def _function_task(impl: Impl) -> Any:
    return impl.module("core.task").task(increment)


def _instance_task(impl: Impl) -> Any:
    base = impl.module("core.python_function_task").PythonInstanceTask
    interface = impl.module("core.interface").Interface
    kwtypes = impl.module("core.base_task").kwtypes

    class Increment(base):  # type: ignore[misc, valid-type]  # a class per SDK, built at run time
        def __init__(self) -> None:
            super().__init__(
                name="bench.increment", task_config=None, interface=interface(kwtypes(a=int), kwtypes(o0=int))
            )

        def execute(self, **kwargs: Any) -> int:
            return int(kwargs["a"]) + 1

    return Increment()


def calls(make_task: Callable[[Impl], Any]) -> Callable[[Impl, int], float]:
    """Return a measure function timing `CALLS.n` top-level calls of the task `make_task(impl)` builds."""

    def measure(impl: Impl, repeat: int) -> float:
        t = make_task(impl)

        def run() -> None:
            for i in range(CALLS.n):
                t(a=i)

        if t(a=1) != 2:
            raise ValueError("the task returned a wrong value")
        return median_ms(run, repeat)

    return measure


SCENARIOS = (
    Scenario(
        "@task x1000",
        "tasks",
        f"{CALLS.full:,} local calls of a trivial @task",
        calls(_function_task),
        Target(0.05),
        per=CALLS,
        per_label="call",
    ),
    Scenario(
        "PythonInstanceTask x1000",
        "tasks",
        f"{CALLS.full:,} local calls of a trivial PythonInstanceTask",
        calls(_instance_task),
        Target(0.05),
        per=CALLS,
        per_label="call",
    ),
)
