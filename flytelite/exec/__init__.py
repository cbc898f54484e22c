"""Local execution: the graph runner and the executors it hands work to (DESIGN.md §4).

A local run's graph runner is part of its execution state (`ExecutionState.runner`); when none is set,
`flytelite.core.workflow` asks `default_runner()` here, by name, for one on `$FLYTELITE_EXECUTOR`
(`serial|threads|processes`, default serial). For a block of code:

```python
with use_executor("threads", observer=print):
    wf(a=5)
```

The executors' names (`SerialExecutor`, `get_executor`, ...) and those of out-of-process runs (`run_task`, ...) are
re-exported on first access: their modules import `concurrent.futures` (with `logging`) and `tempfile`, ~11 ms
together, which a serial run never needs.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from flytelite.core.context_manager import FlyteContextManager
from flytelite.exec._kinds import EXECUTOR_ENV_VAR
from flytelite.exec._runner import GraphRunner
from flytelite.exec.events import NodeEvent, NodeEventKind, NodeObserver

if TYPE_CHECKING:
    import concurrent.futures as cf

    from flytelite.exec._map_runner import MapTaskFailedError
    from flytelite.exec._remote_call import RemoteTaskError, load_task, run_task
    from flytelite.exec.executors import NodeExecutor, SerialExecutor, get_executor, is_in_process

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


# name -> module of the names re-exported on first access (see the module docstring)
_LAZY_HOMES = {
    "MapTaskFailedError": "flytelite.exec._map_runner",
    "RemoteTaskError": "flytelite.exec._remote_call",
    "load_task": "flytelite.exec._remote_call",
    "run_task": "flytelite.exec._remote_call",
    "NodeExecutor": "flytelite.exec.executors",
    "SerialExecutor": "flytelite.exec.executors",
    "get_executor": "flytelite.exec.executors",
    "is_in_process": "flytelite.exec.executors",
}


def __getattr__(name: str) -> Any:
    home = _LAZY_HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_HOMES})
