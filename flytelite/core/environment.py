"""`Environment`: `@task` options shared by many tasks (flytekit's `flytekit.core.environment`).

```python
gpu = Environment(requests=Resources(gpu="1"), container_image="ghcr.io/me/train:1", retries=2)

@gpu.task
def train(x: int) -> int: ...

@gpu.task(retries=5)                  # per-task options override the environment's
def flaky(x: int) -> int: ...

big_gpu = gpu.extend(limits=Resources(mem="64Gi"))   # a new environment with more options
```
Options given later win; options that are dicts (`environment=`, `accelerator` settings, …) are merged key by
key. The options are those of `@task` (`@dynamic` for `env.dynamic`) and are checked when a task is declared.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from flytelite.core.dynamic import dynamic as _dynamic
from flytelite.core.task import TaskOptions
from flytelite.core.task import task as _task

if TYPE_CHECKING:  # only annotations use it; typing_extensions costs ~3 ms to import
    from typing_extensions import Unpack

__all__ = ["Environment", "inherit"]


def inherit(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Return a deep copy of `old` updated with `new`; nested dicts are merged key by key."""
    out = copy.deepcopy(dict(old))
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = inherit(out[key], value)
        else:
            out[key] = value
    return out


class Environment:
    """A set of `@task` options that tasks declared through it share.

    Raises:
        KeyError: `_task_function` given as an option.
    """

    def __init__(self, **overrides: Unpack[TaskOptions]) -> None:
        if "_task_function" in overrides:
            raise KeyError("Cannot override task function")
        self.overrides: dict[str, Any] = dict(overrides)

    def update(self, **overrides: Unpack[TaskOptions]) -> None:
        """Add or replace options of this environment in place."""
        self.overrides = inherit(self.overrides, overrides)

    def extend(self, **overrides: Unpack[TaskOptions]) -> Environment:
        """Return a new environment with this one's options plus `overrides`."""
        return self.__class__(**inherit(self.overrides, overrides))

    def __call__(self, _task_function: Callable[..., Any] | None = None, /, **overrides: Any) -> Any:
        """Declare a task with this environment's options (`@env` / `@env.task`, or `@env.task(retries=3)`).

        Raises:
            ValueError: the positional argument is not callable.
        """
        return self._declare(_task, _task_function, overrides)

    task = __call__

    def dynamic(self, _task_function: Callable[..., Any] | None = None, /, **overrides: Any) -> Any:
        """Declare a dynamic task with this environment's options (`@env.dynamic` or `@env.dynamic(...)`).

        Raises:
            ValueError: the positional argument is not callable.
        """
        return self._declare(_dynamic, _task_function, overrides)

    def _declare(self, decorator: Callable[..., Any], fn: Callable[..., Any] | None, overrides: dict[str, Any]) -> Any:
        if fn is not None:
            if not callable(fn):
                raise ValueError("The first positional argument must be a callable")
            return decorator(fn, **self.overrides)

        def inner(fn: Callable[..., Any]) -> Any:
            return decorator(fn, **inherit(self.overrides, overrides))

        return inner

    def show(self) -> None:
        """Print this environment's options in a panel (needs `rich`)."""
        from rich.console import Console  # local import: rich is only needed to display
        from rich.panel import Panel
        from rich.pretty import Pretty

        Console().print(Panel.fit(Pretty(self.overrides)))

    def __repr__(self) -> str:
        return f"Environment({self.overrides!r})"
