"""Tasks for the fault tests: a worker that is killed (`kill -9`) while it writes (importable by worker processes)."""

from __future__ import annotations

import os
import signal
import typing

from flytelite.core.map_task import map_task
from flytelite.core.task import task
from flytelite.core.workflow import workflow


@task
def write_then_maybe_die(path: str, die: bool) -> int:
    """Write half of a file; when `die`, SIGKILL this process in the middle of the write, as `kill -9` would."""
    with open(path, "wb") as f:
        f.write(b"x" * 4096)
        f.flush()
        if die:
            os.kill(os.getpid(), signal.SIGKILL)
        f.write(b"y" * 4096)
    return os.path.getsize(path)


@workflow
def write_wf(path: str, die: bool) -> int:
    return write_then_maybe_die(path=path, die=die)


@task
def square_or_die(x: int) -> int:
    if x < 0:
        os.kill(os.getpid(), signal.SIGKILL)
    return x * x


@workflow
def squares_wf(xs: typing.List[int]) -> typing.List[int]:
    return map_task(square_or_die)(x=xs)
