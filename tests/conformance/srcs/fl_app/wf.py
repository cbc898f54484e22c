"""Workflows serialized by both SDKs (the flytekit copy is this file with the SDK name replaced)."""

import functools
import typing

from fl_app.tasks import add, echo, noop, square, t1, t2, t3
from flytelite.core.array_node_map_task import map_task
from flytelite.core.condition import conditional
from flytelite.core.dynamic import dynamic
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.resources import Resources
from flytelite.core.workflow import workflow


@workflow
def sub_wf(a: int) -> int:
    """A sub-workflow."""
    return t2(a=a)


@workflow
def wf(a: int = 3, b: str = "hi") -> typing.Tuple[int, str]:
    """The main workflow."""
    x, y = t1(a=a)
    z = sub_wf(a=x)
    e = echo(a=z)
    noop()
    return e, y


@workflow
def cond_wf(a: int) -> int:
    return conditional("test").if_(a > 5).then(t2(a=a)).elif_(a < 0).then(square(x=a)).else_().then(sub_wf(a=a))


@workflow
def cond_fail_wf(a: int) -> int:
    return conditional("fails").if_((a > 5) & (a < 10)).then(t2(a=a)).else_().fail("out of range")


@workflow
def map_wf(xs: typing.List[int], y: int = 1) -> typing.List[int]:
    sq = map_task(square, concurrency=2)(x=xs)
    map_task(square, min_success_ratio=0.5)(x=xs)
    return map_task(functools.partial(add, y=y))(x=sq)


@dynamic
def dyn(n: int) -> typing.List[int]:
    return [square(x=i) for i in range(n)]


@workflow
def dyn_wf(n: int = 2) -> typing.List[int]:
    return dyn(n=n)


@workflow
def overrides_wf(a: int) -> int:
    return t2(a=a).with_overrides(requests=Resources(cpu="2"), retries=5, name="renamed", container_image="x:y")


@workflow
def collections_wf(a: int) -> str:
    return t3(xs=[a, 1, 2], d={"k": 1.5})


lp_named = LaunchPlan.get_or_create(wf, name="fl_app.wf.lp_named", default_inputs={"a": 7}, fixed_inputs={"b": "f"})


@workflow
def lp_wf(a: int) -> typing.Tuple[int, str]:
    return lp_named(a=a)


@workflow
def add_wf(x: int, y: int) -> int:
    return add(x=x, y=y)


add_lp = LaunchPlan.get_or_create(add_wf, name="fl_app.wf.add_lp", fixed_inputs={"y": 10})


@workflow
def map_lp_wf(xs: typing.List[int]) -> typing.Tuple[typing.List[int | None], typing.List[int]]:
    """Map launch plans: `map_task(launch_plan)` is an array node whose sub-node runs the launch plan."""
    a = map_task(add_lp, concurrency=3, min_success_ratio=0.5)(x=xs)
    b = map_task(add_lp, min_successes=2)(x=xs)
    return a, b
