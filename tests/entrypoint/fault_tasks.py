"""Tasks for the entrypoint fault tests (importable as `tests.entrypoint.fault_tasks` by `flytelite-execute`)."""

from __future__ import annotations

import os
import time
import typing
from pathlib import Path

from flytelite.core.task import task


@task
def wait_for_go(signal_dir: str, a: int) -> int:
    """Say `started`, then wait (up to a minute) until the test creates `go`: the test breaks the store meanwhile."""
    Path(signal_dir, "started").touch()
    deadline = time.monotonic() + 60
    while not os.path.exists(os.path.join(signal_dir, "go")) and time.monotonic() < deadline:
        time.sleep(0.05)
    return a + 1


@task
def with_default(a: int, b: int = 5) -> int:
    return a + b


@task
def with_optional(a: int, b: typing.Optional[int] = None) -> int:  # noqa: UP045  (the spelling users write)
    return a + (b or 0)
