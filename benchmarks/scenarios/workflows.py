"""Workflow scenarios: a 100-task chain, a 200-node fan-out, a 200-node dynamic, a 1,000-item map of a 2 ms task,
a 1,000-item map of a trivial task, a CPU-bound 4-node fan-out, serial and on processes, and a 200-item map of a
trivial task on a Dask cluster next to plain `client.map` of the same function on the same cluster (the Dask engine's
overhead per task).

Each scenario builds the same workflow with flytelite and with flytekit; flytelite runs on the executor the scenario
names (flytekit always runs its own serial local execution). Targets: per-node overhead <= 0.1 ms serial; the
1,000 x 2 ms map <= 300 ms with threads; the trivial map >= 10x cheaper per item than flytekit's; the CPU fan-out on
processes >= 1.7x faster than flytelite serial; the Dask rows have no target: they show what the engine adds to each
task next to plain `client.map`.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import os
import statistics
import time
import typing
from collections.abc import Callable
from typing import Any

from benchmarks._runner import Impl, Scenario, Size, Target, measured, median_ms
from flytelite.core.task import task as lite_task

__all__ = ["SCENARIOS", "burn", "spin"]

CHAIN = Size(100, 10)
FAN_OUT = Size(200, 20)
DYNAMIC = Size(200, 20)
MAP_ITEMS = Size(1_000, 50)
MAP_TRIVIAL = Size(1_000, 50)
BURN = Size(1_500_000, 20_000)
DASK_ITEMS = Size(200, 20)
PER_NODE = Target(0.1)


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


@lite_task
def dask_inc(a: int) -> int:
    """Add one (a module-level flytelite task, so Dask workers can load it)."""
    return a + 1


def spin(n: int) -> int:
    """Run `burn`'s body outside any SDK (a plain module-level function, so a bare process pool can run it)."""
    return int(burn.task_function(n))


_DYN_TASK: dict[str, Any] = {}


def dyn(n: int) -> typing.List[int]:
    """Build `n` nodes at run time (decorated with each SDK's `@dynamic`)."""
    t = _DYN_TASK["inc"]
    return [t(a=i) for i in range(n)]


def _sdk(impl: Impl) -> dict[str, Any]:
    return {
        "task": impl.module("core.task").task,
        "workflow": impl.module("core.workflow").workflow,
        "dynamic": impl.module("core.dynamic_workflow_task").dynamic,
        "map_task": impl.module("core.array_node_map_task").map_task,
    }


def _chain(sdk: dict[str, Any]) -> Callable[[], Any]:
    t, length = sdk["task"](inc), CHAIN.n

    def chain(a: int) -> int:
        x = a
        for _ in range(length):
            x = t(a=x)
        return x

    wf = sdk["workflow"](chain)
    return lambda: wf(a=0)


def _fan_out(sdk: dict[str, Any]) -> Callable[[], Any]:
    t, width = sdk["task"](inc), FAN_OUT.n

    def fan_out(a: int) -> typing.List[int]:
        return [t(a=a) for _ in range(width)]

    wf = sdk["workflow"](fan_out)
    return lambda: wf(a=0)


def _dynamic(sdk: dict[str, Any]) -> Callable[[], Any]:
    _DYN_TASK["inc"] = sdk["task"](inc)
    d = sdk["dynamic"](dyn)

    def dyn_wf(n: int) -> typing.List[int]:
        return d(n=n)  # type: ignore[no-any-return]  # a node promise while compiling

    wf = sdk["workflow"](dyn_wf)
    return lambda: wf(n=DYNAMIC.n)


def _map(sdk: dict[str, Any]) -> Callable[[], Any]:
    m = sdk["map_task"](sdk["task"](nap))

    def map_wf(xs: typing.List[int]) -> typing.List[int]:
        return m(a=xs)  # type: ignore[no-any-return]  # a node promise while compiling

    wf = sdk["workflow"](map_wf)
    xs = list(range(MAP_ITEMS.n))
    return lambda: wf(xs=xs)


def _map_trivial(sdk: dict[str, Any]) -> Callable[[], Any]:
    m = sdk["map_task"](sdk["task"](inc))

    def map_trivial_wf(xs: typing.List[int]) -> typing.List[int]:
        return m(a=xs)  # type: ignore[no-any-return]  # a node promise while compiling

    wf = sdk["workflow"](map_trivial_wf)
    xs = list(range(MAP_TRIVIAL.n))
    return lambda: wf(xs=xs)


def _burn(sdk: dict[str, Any]) -> Callable[[], Any]:
    t = burn if sdk["task"] is lite_task else sdk["task"](burn.task_function)

    def burn_wf(n: int) -> typing.Tuple[int, int, int, int]:
        return t(n=n), t(n=n), t(n=n), t(n=n)

    wf = sdk["workflow"](burn_wf)
    return lambda: wf(n=BURN.n)


def measure(build: Callable[[dict[str, Any]], Callable[[], Any]], executor: str) -> Callable[[Impl, int], float]:
    """Return a measure function: build the workflow for the SDK, then time whole workflow calls."""

    def run(impl: Impl, repeat: int) -> float:
        call = build(_sdk(impl))
        if impl.name != "flytelite":
            return median_ms(call, repeat)
        with impl.module("exec").use_executor(executor):
            return median_ms(call, repeat)

    return run


CPU_SERIAL = Scenario(
    "cpu fan-out 4 (serial)", "workflows", "4 CPU-bound nodes, flytelite serial", measure(_burn, "serial")
)
CPU_PROCESSES = Scenario(
    "cpu fan-out 4 (processes)",
    "workflows",
    "4 CPU-bound nodes, flytelite on processes (flytekit: its serial local run)",
    measure(_burn, "processes"),
)


def _speed_up(impl: Impl, repeat: int) -> float:
    return measured(CPU_SERIAL, impl, repeat) / measured(CPU_PROCESSES, impl, repeat)


def _bare_pool_speed_up(impl: Impl, repeat: int) -> float:
    """Return what the machine allows: 4 x `spin` in a loop over 4 x `spin` on a bare `ProcessPoolExecutor`."""
    n = BURN.n
    serial = median_ms(lambda: [spin(n) for _ in range(4)], repeat)
    with cf.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        parallel = median_ms(lambda: list(pool.map(spin, [n] * 4)), repeat)
    return serial / parallel


CPU_FLOOR = Scenario(
    "cpu floor: bare ProcessPoolExecutor speed-up",
    "workflows",
    "the same 4 CPU-bound bodies, no SDK: a loop's median / a bare process pool's median (shown in the first column)",
    _bare_pool_speed_up,
    unit="x",
    sides=("flytelite",),
)


_DASK: dict[str, Any] = {}


def _dask_pair(repeat: int) -> tuple[float, float]:
    """Return the medians of plain `client.map` and of a flytelite map workflow, interleaved on one local cluster.

    The cluster (2 worker processes of 1 thread) is started once per benchmark process and closed at exit.
    """
    if "pair" in _DASK:
        return _DASK["pair"]  # type: ignore[no-any-return]  # stored below
    from flytelite.core.array_node_map_task import map_task
    from flytelite.core.workflow import workflow
    from flytelite.exec import use_executor
    from flytelite.exec.dask_executor import DaskExecutor

    ex = DaskExecutor(n_workers=2, threads_per_worker=1, processes=True)
    atexit.register(ex.shutdown)
    client, n = ex.client, DASK_ITEMS.n
    m = map_task(dask_inc)

    def dask_map(xs: typing.List[int]) -> typing.List[int]:
        return m(a=xs)  # type: ignore[no-any-return]  # a node promise while compiling

    wf = workflow(dask_map)
    xs = list(range(n))

    def lite() -> object:
        with use_executor(ex):
            return wf(xs=xs)

    def plain() -> object:
        return client.gather(client.map(inc, xs, pure=False))

    samples: dict[str, list[float]] = {"plain": [], "lite": []}
    for i in range(repeat + 1):  # the first round warms both up
        for name, call in (("plain", plain), ("lite", lite)):
            start = time.perf_counter()
            call()
            if i:
                samples[name].append((time.perf_counter() - start) * 1000.0)
    pair = (statistics.median(samples["plain"]), statistics.median(samples["lite"]))
    _DASK["pair"] = pair
    return pair


DASK_FLOOR = Scenario(
    "dask floor: client.map 200 trivial",
    "workflows",
    f"plain `client.map` of a trivial function over {DASK_ITEMS.full} items on a local Dask cluster (2 x 1 thread)",
    lambda impl, repeat: _dask_pair(repeat)[0],
    sides=("flytelite",),
)


SCENARIOS = (
    Scenario(
        "chain 100 (serial)",
        "workflows",
        f"{CHAIN.full}-task chain",
        measure(_chain, "serial"),
        PER_NODE,
        per=CHAIN,
        per_label="node",
    ),
    Scenario(
        "fan-out 200 (serial)",
        "workflows",
        f"{FAN_OUT.full} independent nodes",
        measure(_fan_out, "serial"),
        PER_NODE,
        per=FAN_OUT,
        per_label="node",
    ),
    Scenario(
        "dynamic 200 (serial)",
        "workflows",
        f"@dynamic building {DYNAMIC.full} nodes",
        measure(_dynamic, "serial"),
        per=DYNAMIC,
        per_label="node",
    ),
    Scenario(
        "map 1000x2ms (threads)",
        "workflows",
        f"map over {MAP_ITEMS.full:,} items of a 2 ms task",
        measure(_map, "threads"),
        Target(300),
    ),
    Scenario(
        f"map {MAP_TRIVIAL.full} trivial items (serial)",
        "workflows",
        f"map over {MAP_TRIVIAL.full:,} items of a trivial task, serial executor (per item shown in the ratio)",
        measure(_map_trivial, "serial"),
        Target(0.1, relative_to="flytekit", label="flytekit"),  # >= 10x cheaper per item than flytekit
        per=MAP_TRIVIAL,
        per_label="item",
    ),
    CPU_SERIAL,
    CPU_PROCESSES,
    CPU_FLOOR,
    Scenario(
        "cpu fan-out 4 speed-up (processes vs serial)",
        "workflows",
        "flytelite serial median / processes median of the CPU-bound fan-out",
        _speed_up,
        Target(1.7, op=">=", unit="x"),
        unit="x",
        sides=("flytelite",),
        needs=(CPU_SERIAL.name, CPU_PROCESSES.name, CPU_FLOOR.name),
    ),
    DASK_FLOOR,
    Scenario(
        "map 200 trivial (dask)",
        "workflows",
        f"a workflow mapping a trivial task over {DASK_ITEMS.full} items on the same cluster (runs interleaved)",
        lambda impl, repeat: _dask_pair(repeat)[1],
        per=DASK_ITEMS,
        per_label="task",
        sides=("flytelite",),
        needs=(DASK_FLOOR.name,),
    ),
    Scenario(
        "dask overhead per task (vs client.map)",
        "workflows",
        "(map 200 trivial (dask) - the client.map floor) / 200: what the engine adds to each task, in ms",
        lambda impl, repeat: (_dask_pair(repeat)[1] - _dask_pair(repeat)[0]) / DASK_ITEMS.n,
        sides=("flytelite",),
        needs=(DASK_FLOOR.name, "map 200 trivial (dask)"),
    ),
)
