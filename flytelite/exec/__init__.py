"""Local execution: the graph runner and the executors it hands work to (DESIGN.md §4).

A local run's graph runner is part of its execution state (`ExecutionState.runner`); when none is set,
`flytelite.core.workflow` asks `default_runner()` here, by name, for one on `$FLYTELITE_EXECUTOR`
(`serial|threads|processes`, default serial). For a block of code:

```python
with use_executor("threads", observer=print):
    wf(a=5)
```
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
from collections.abc import Iterator

from flytelite.core.context_manager import FlyteContextManager
from flytelite.exec._map_runner import MapTaskFailedError
from flytelite.exec._remote_call import RemoteTaskError, load_task, run_task
from flytelite.exec._runner import GraphRunner
from flytelite.exec.events import NodeEvent, NodeEventKind, NodeObserver
from flytelite.exec.executors import EXECUTOR_ENV_VAR, NodeExecutor, SerialExecutor, get_executor, is_in_process

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
    "default_runner",
    "get_executor",
    "is_in_process",
    "load_task",
    "run_task",
    "use_executor",
]


def current_runner() -> GraphRunner:
    """Return the graph runner of the current execution state (set by `use_executor`), else a default one."""
    es = FlyteContextManager.current_context().execution_state
    runner = es.runner if es is not None else None
    return runner if isinstance(runner, GraphRunner) else GraphRunner()


def default_runner() -> GraphRunner:
    """Return a graph runner on the `$FLYTELITE_EXECUTOR` executor (for runs whose execution state names none)."""
    return GraphRunner()


@contextlib.contextmanager
def use_executor(
    executor: cf.Executor | str | None = None, observer: NodeObserver | None = None
) -> Iterator[GraphRunner]:
    """Run local workflow calls inside the block on `executor`, reporting node events to `observer`."""
    runner = GraphRunner(executor, observer)
    ctx = FlyteContextManager.current_context()
    es = ctx.execution_state or ctx.new_execution_state()
    with FlyteContextManager.with_context(ctx.with_execution_state(es.with_params(runner=runner))):
        yield runner
