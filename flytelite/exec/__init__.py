"""Local execution: the graph runner and the executors it hands work to (DESIGN.md §4).

Importing this package registers the graph runner with `flytelite.core.workflow`, so `wf(a=5)` runs the
compiled graph. Choose the executor with `FLYTELITE_EXECUTOR=serial|threads|processes`, or for a block of
code:

```python
with use_executor("threads", observer=print):
    wf(a=5)
```
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import contextvars
from collections.abc import Iterator

from flytelite.core.workflow import set_local_graph_runner
from flytelite.exec.events import NodeEvent, NodeEventKind, NodeObserver
from flytelite.exec.executors import EXECUTOR_ENV_VAR, NodeExecutor, SerialExecutor, get_executor, is_in_process
from flytelite.exec.map_runner import MapTaskFailedError
from flytelite.exec.remote_call import RemoteTaskError, load_task, run_task
from flytelite.exec.runner import GraphRunner

__all__ = [
    "EXECUTOR_ENV_VAR",
    "GraphRunner",
    "MapTaskFailedError",
    "NodeEvent",
    "NodeEventKind",
    "NodeExecutor",
    "NodeObserver",
    "RemoteTaskError",
    "SerialExecutor",
    "current_runner",
    "get_executor",
    "is_in_process",
    "load_task",
    "run_task",
    "use_executor",
]

_runner: contextvars.ContextVar[GraphRunner | None] = contextvars.ContextVar("flytelite_runner", default=None)


def current_runner() -> GraphRunner:
    """Return the runner set by `use_executor`, else a runner on the `$FLYTELITE_EXECUTOR` executor."""
    return _runner.get() or GraphRunner()


@contextlib.contextmanager
def use_executor(
    executor: cf.Executor | str | None = None, observer: NodeObserver | None = None
) -> Iterator[GraphRunner]:
    """Run local workflow calls inside the block on `executor`, reporting node events to `observer`."""
    token = _runner.set(GraphRunner(executor, observer))
    try:
        yield _runner.get() or GraphRunner(executor, observer)
    finally:
        _runner.reset(token)


set_local_graph_runner(current_runner)
