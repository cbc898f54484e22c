"""Tasks the entrypoint tests run in subprocesses (importable as `tests.entrypoint.ep_tasks`)."""

from __future__ import annotations

import typing

from flytelite.core.base_task import IgnoreOutputs
from flytelite.core.dynamic import dynamic
from flytelite.core.task import task
from flytelite.errors import FlyteRecoverableException


@task
def inc(a: int) -> int:
    return a + 1


@task
def fails(a: int) -> int:
    if a > 0:
        raise ValueError(f"a={a} is not allowed")
    return a


@task
def flaky(a: int) -> int:
    if a > 0:
        raise FlyteRecoverableException(f"try again ({a})")
    return a


@task
def ignored(a: int) -> int:
    if a > 0:
        raise IgnoreOutputs("not the leader")
    return a


@task
def big(n: int) -> str:
    return "x" * n


@task
def square(x: int) -> int:
    return x * x


@dynamic
def fan(n: int) -> typing.List[int]:
    return [square(x=i) for i in range(n)]


@dynamic
def constant(n: int) -> int:
    return 7
