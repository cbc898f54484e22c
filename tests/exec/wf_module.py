"""Workflows used by the runner and conformance tests (importable, so worker processes can load the tasks).

Written against flytelite's flytekit-compatible import paths; the conformance test loads the same source with
`flytelite` replaced by `flytekit` and compares results.
"""

from __future__ import annotations

import dataclasses
import functools
import time
import typing
from typing import Dict, List, NamedTuple, Tuple

from flytelite.core.condition import conditional
from flytelite.core.dynamic import dynamic
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.map_task import map_task
from flytelite.core.task import task
from flytelite.core.workflow import workflow


@dataclasses.dataclass
class Inner:
    x: int
    tags: List[str]


@dataclasses.dataclass
class Outer:
    name: str
    inner: Inner
    scores: Dict[str, float]


class Stats(NamedTuple):
    total: int
    label: str


@task
def inc(a: int) -> int:
    return a + 1


@task
def double(a: int) -> int:
    return a * 2


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def concat(a: int, prefix: str = "v") -> str:
    return f"{prefix}{a}"


@task
def make_outer(n: int) -> Outer:
    return Outer(name=f"o{n}", inner=Inner(x=n, tags=["a"] * n), scores={"s": n / 2})


@task
def read_outer(o: Outer) -> int:
    return o.inner.x + len(o.inner.tags) + int(o.scores["s"] * 2)


@task
def read_inner(i: Inner) -> int:
    return i.x * 10


@task
def stats(xs: List[int]) -> Stats:
    return Stats(total=sum(xs), label=f"n={len(xs)}")


@task
def fail_on_three(a: int) -> int:
    if a == 3:
        raise ValueError("three is not allowed")
    return a * 100


@task
def sleepy(a: int) -> int:
    time.sleep(0.002)
    return a


@task
def burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


@task
def noop() -> None:
    return None


@workflow
def chain(a: int) -> int:
    return double(a=inc(a=inc(a=a)))


@workflow
def fan_out(a: int) -> Tuple[int, str, int]:
    x = inc(a=a)
    y = double(a=a)
    return add(a=x, b=y), concat(a=x), add(a=y, b=y)


@workflow
def dataclasses_wf(n: int) -> Tuple[int, int, str]:
    o = make_outer(n=n)
    return read_outer(o=o), read_inner(i=o.inner), concat(a=o.inner.x, prefix=o.name)


@workflow
def named_outputs(a: int) -> Stats:
    return stats(xs=[a, inc(a=a), 3])


@workflow
def cond_wf(a: int) -> int:
    return (
        conditional("size")
        .if_(a < 0)
        .then(inc(a=a))
        .elif_((a >= 0) & (a < 10))
        .then(double(a=a))
        .else_()
        .then(add(a=a, b=1000))
    )


@workflow
def cond_fail_wf(a: int) -> int:
    return conditional("guard").if_(a > 0).then(inc(a=a)).else_().fail("a must be positive")


@workflow
def cond_on_output(a: int) -> int:
    x = inc(a=a)
    return conditional("on_x").if_(x == 5).then(double(a=x)).else_().then(inc(a=x))


@dynamic
def dyn_squares(n: int) -> List[int]:
    return [double(a=i) for i in range(n)]


@workflow
def dynamic_wf(n: int) -> List[int]:
    return dyn_squares(n=n)


@workflow
def map_wf(xs: List[int]) -> List[int]:
    return map_task(functools.partial(add, b=10))(a=xs)


@workflow
def map_ratio_wf(xs: List[int]) -> List[int | None]:
    return map_task(fail_on_three, min_success_ratio=0.5)(a=xs)


@workflow
def map_strict_wf(xs: List[int]) -> List[int]:
    return map_task(fail_on_three)(a=xs)


@workflow
def sub_wf(a: int, b: int = 2) -> int:
    return add(a=double(a=a), b=b)


@workflow
def parent_wf(a: int) -> Tuple[int, int]:
    return sub_wf(a=a), sub_wf(a=inc(a=a), b=5)


lp_default = LaunchPlan.get_or_create(sub_wf)
lp_fixed = LaunchPlan.get_or_create(
    sub_wf, "tests.exec.wf_module.lp_fixed", default_inputs={"a": 4}, fixed_inputs={"b": 100}
)


@workflow
def lp_wf(a: int) -> Tuple[int, int]:
    return lp_default(a=a), lp_fixed()


lp_plus = LaunchPlan.get_or_create(sub_wf, "wf_module.lp_plus", fixed_inputs={"b": 7})


@dynamic
def dyn_map_lp(xs: List[int]) -> List[int]:
    return map_task(lp_plus)(a=xs)


@workflow
def dyn_map_lp_wf(xs: List[int]) -> List[int]:
    return dyn_map_lp(xs=xs)


@workflow
def map_run_all_wf(xs: List[int]) -> List[int | None]:
    return map_task(fail_on_three, min_success_ratio=0.5, run_all_sub_nodes=True)(a=xs)


@workflow
def overrides_wf(a: int) -> int:
    x = inc(a=a).with_overrides(node_name="first-inc", retries=2, timeout=30, name="renamed")
    return double(a=x).with_overrides(cache=False, interruptible=True)


@workflow
def no_outputs_wf(a: int) -> None:
    inc(a=a) >> noop()


@workflow
def map_sleep_wf(xs: List[int]) -> List[int]:
    return map_task(sleepy)(a=xs)


@workflow
def burn_fan_out(n: int) -> Tuple[int, int, int, int]:
    return burn(n=n), burn(n=n + 1), burn(n=n + 2), burn(n=n + 3)


ALL_CASES: list[tuple[str, dict[str, typing.Any]]] = [
    ("chain", {"a": 3}),
    ("fan_out", {"a": 4}),
    ("dataclasses_wf", {"n": 3}),
    ("named_outputs", {"a": 7}),
    ("cond_wf", {"a": -5}),
    ("cond_wf", {"a": 4}),
    ("cond_wf", {"a": 40}),
    ("cond_on_output", {"a": 4}),
    ("cond_on_output", {"a": 1}),
    ("dynamic_wf", {"n": 5}),
    ("map_wf", {"xs": [1, 2, 3]}),
    ("map_ratio_wf", {"xs": [1, 2, 3, 4]}),
    ("map_run_all_wf", {"xs": [3, 1, 3, 2]}),
    ("dyn_map_lp_wf", {"xs": [1, 2, 5]}),
    ("parent_wf", {"a": 2}),
    ("lp_wf", {"a": 1}),
    ("overrides_wf", {"a": 1}),
    ("no_outputs_wf", {"a": 1}),
]


ACTIVE = {"now": 0, "max": 0}


@task
def track(a: int) -> int:
    ACTIVE["now"] += 1
    ACTIVE["max"] = max(ACTIVE["max"], ACTIVE["now"])
    time.sleep(0.01)
    ACTIVE["now"] -= 1
    return a


@workflow
def map_limited_wf(xs: List[int]) -> List[int]:
    return map_task(track, concurrency=2)(a=xs)


@workflow
def fail_then_more(a: int) -> int:
    x = fail_on_three(a=a)
    return inc(a=x)
