"""`@dynamic`: a task whose body builds a workflow graph when it runs.

A dynamic task is a `PythonFunctionTask` in `DYNAMIC` mode. When it runs locally its body is compiled with
the actual input values (node ids `dn0`, `dn1`, …) and the resulting sub-graph runs through the graph
runner of the enclosing run (`flytelite.core.workflow.run_dynamic_locally`), so its nodes use the same
executor. Every `@task` option is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.task import task

__all__ = ["dynamic"]


def dynamic(_task_function: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Declare a dynamic task (`@dynamic` or `@dynamic(cache=True, ...)`); options are `@task`'s."""
    options["execution_mode"] = PythonFunctionTask.ExecutionBehavior.DYNAMIC
    if _task_function is not None:
        return task(_task_function, **options)
    return task(**options)
