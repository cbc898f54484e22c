"""Replace what a task (or workflow) computes while testing a workflow that calls it.

```python
with task_mock(t1) as m:
    m.return_value = 5
    assert wf(a=1) == 5

@patch(t1)
def test_wf(mock_t1):
    mock_t1.return_value = 5
    assert wf(a=1) == 5
```
The mock replaces the entity's `execute`, so it receives the native inputs as keyword arguments and its
return value is converted like a real result. A mocked task always runs in the calling process, whatever
the executor.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any
from unittest.mock import MagicMock

from flytelite.core.base_task import PythonTask
from flytelite.core.context_manager import SecretsManager
from flytelite.core.workflow import WorkflowBase
from flytelite.exec.executors import discard_process_pools

__all__ = ["SecretsManager", "patch", "task_mock"]

logger = logging.getLogger("flytelite")


def _check(target: Any) -> None:
    if not isinstance(target, PythonTask | WorkflowBase):
        raise ValueError(f"Can only mock tasks and workflows declared in Python, but got {type(target).__name__}")


@contextlib.contextmanager
def task_mock(t: Any) -> Iterator[MagicMock]:
    """Replace `t.execute` with a `MagicMock` for the `with` block and yield the mock."""
    _check(t)
    m = MagicMock()

    def _call(*args: Any, **kwargs: Any) -> Any:
        logger.warning("Invoking mock method for task: '%s'", t.name)
        return m(*args, **kwargs)

    had_own = "execute" in vars(t)
    saved = vars(t).get("execute")
    t.execute = _call
    try:
        yield m
    finally:
        if had_own:
            t.execute = saved
        else:
            del t.execute
        # Process workers forked while the mock was in place would keep running it.
        discard_process_pools()


def patch(target: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a test so that `target.execute` is a `MagicMock`, passed as the test's first argument."""
    _check(target)

    def wrapper(test_fn: Callable[..., Any]) -> Callable[..., Any]:
        # Not functools.wraps: test runners would read the mock parameter from the wrapped signature.
        def new_test(*args: Any, **kwargs: Any) -> Any:
            with task_mock(target) as m:
                return test_fn(m, *args, **kwargs)

        new_test.__name__ = test_fn.__name__
        new_test.__qualname__ = test_fn.__qualname__
        new_test.__module__ = test_fn.__module__
        new_test.__doc__ = test_fn.__doc__
        return new_test

    return wrapper
