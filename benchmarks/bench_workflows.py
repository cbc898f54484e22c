"""Workflow benchmarks: a 100-task chain, a 200-node fan-out, a 200-node dynamic, a 1,000-item map of a 2 ms task,
and a CPU-bound 4-node fan-out on processes.

Run with `python -m benchmarks.bench_workflows [--repeat N]` or `python -m benchmarks workflows` (the family is
registered by `benchmarks/scenarios/workflows.py`). Each scenario builds the same workflow with flytelite and with
flytekit; flytelite runs on the executor the scenario names (flytekit always runs its own serial local execution).
Targets: per-node overhead <= 0.1 ms serial; 1,000 x 2 ms map <= 300 ms with threads; the CPU fan-out on processes
>= 1.7x faster than flytelite serial on 2 cores.
"""

import argparse
import importlib
import sys
import time
import typing
from collections.abc import Callable
from typing import Any

from benchmarks._runner import Impl, Scenario, format_table, median_ms, run_scenarios
from flytelite.core.task import task as lite_task

__all__ = ["SCENARIOS", "main"]

CHAIN = 100
FAN_OUT = 200
DYNAMIC = 200
MAP_ITEMS = 1_000
BURN = 1_500_000


def inc(a: int) -> int:
    """Add one."""
    return a + 1


def nap(a: int) -> int:
    """Sleep 2 ms."""
    time.sleep(0.002)
    return a


@lite_task
def burn(n: int) -> int:
    """Spend CPU time (a module-level flytelite task, so worker processes can load it)."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


_DYN_TASK: dict[str, Any] = {}


def dyn(n: int) -> typing.List[int]:
    """Build `n` nodes at run time (decorated with each SDK's `@dynamic`)."""
    t = _DYN_TASK["inc"]
    return [t(a=i) for i in range(n)]


def _sdk(impl: Impl) -> dict[str, Any]:
    pkg = impl.name
    return {
        "task": importlib.import_module(f"{pkg}.core.task").task,
        "workflow": importlib.import_module(f"{pkg}.core.workflow").workflow,
        "dynamic": importlib.import_module(f"{pkg}.core.dynamic_workflow_task").dynamic,
        "map_task": importlib.import_module(f"{pkg}.core.array_node_map_task").map_task,
    }


def _chain(sdk: dict[str, Any]) -> Callable[[], Any]:
    t = sdk["task"](inc)

    def chain(a: int) -> int:
        x = a
        for _ in range(CHAIN):
            x = t(a=x)
        return x

    wf = sdk["workflow"](chain)
    return lambda: wf(a=0)


def _fan_out(sdk: dict[str, Any]) -> Callable[[], Any]:
    t = sdk["task"](inc)

    def fan_out(a: int) -> typing.List[int]:
        return [t(a=a) for _ in range(FAN_OUT)]

    wf = sdk["workflow"](fan_out)
    return lambda: wf(a=0)


def _dynamic(sdk: dict[str, Any]) -> Callable[[], Any]:
    _DYN_TASK["inc"] = sdk["task"](inc)
    d = sdk["dynamic"](dyn)

    def dyn_wf(n: int) -> typing.List[int]:
        return d(n=n)

    wf = sdk["workflow"](dyn_wf)
    return lambda: wf(n=DYNAMIC)


def _map(sdk: dict[str, Any]) -> Callable[[], Any]:
    t = sdk["task"](nap)
    m = sdk["map_task"](t)

    def map_wf(xs: typing.List[int]) -> typing.List[int]:
        return m(a=xs)

    wf = sdk["workflow"](map_wf)
    xs = list(range(MAP_ITEMS))
    return lambda: wf(xs=xs)


def _burn(sdk: dict[str, Any]) -> Callable[[], Any]:
    t = burn if sdk["task"] is lite_task else sdk["task"](burn.task_function)

    def burn_wf(n: int) -> typing.Tuple[int, int, int, int]:
        return t(n=n), t(n=n), t(n=n), t(n=n)

    wf = sdk["workflow"](burn_wf)
    return lambda: wf(n=BURN)


def measure(build: Callable[[dict[str, Any]], Callable[[], Any]], executor: str) -> Callable[[Impl, int], float]:
    """Return a measure function: build the workflow for the SDK, then time whole workflow calls."""

    def run(impl: Impl, repeat: int) -> float:
        call = build(_sdk(impl))
        if impl.name != "flytelite":
            return median_ms(call, repeat)
        use_executor = importlib.import_module("flytelite.exec").use_executor
        with use_executor(executor):
            return median_ms(call, repeat)

    return run


SCENARIOS = (
    Scenario("chain 100 (serial)", "workflows", f"{CHAIN}-task chain", measure(_chain, "serial"), 0.1 * CHAIN),
    Scenario(
        "fan-out 200 (serial)", "workflows", f"{FAN_OUT} independent nodes", measure(_fan_out, "serial"), 0.1 * FAN_OUT
    ),
    Scenario(
        "dynamic 200 (serial)", "workflows", f"@dynamic building {DYNAMIC} nodes", measure(_dynamic, "serial"), None
    ),
    Scenario(
        "map 1000x2ms (threads)",
        "workflows",
        f"map over {MAP_ITEMS} items of a 2 ms task",
        measure(_map, "threads"),
        300.0,
    ),
    Scenario(
        "cpu fan-out 4 (serial)", "workflows", "4 CPU-bound nodes, flytelite serial", measure(_burn, "serial"), None
    ),
    Scenario(
        "cpu fan-out 4 (processes)",
        "workflows",
        "4 CPU-bound nodes, flytelite processes",
        measure(_burn, "processes"),
        None,
    ),
)


def main(argv: list[str] | None = None) -> int:
    """Run the workflow scenarios and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_workflows")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    results = run_scenarios(SCENARIOS, max(args.repeat, 5), echo=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
