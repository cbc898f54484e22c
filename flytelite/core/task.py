"""The `@task` decorator.

Every option is declared once, in `TaskOptions` (`flytelite.core._task_options_spec`);
`flytelite.core._task_options` splits them between the `TaskMetadata` and the task. `@task` and `@task(...)` both
work, and the decorated object keeps the function's call signature for type checkers.

```python
@task(retries=2, requests=Resources(cpu="1"))
def add(a: int, b: int = 1) -> int:
    return a + b
```
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Protocol, TypeVar, overload

from flytelite.core._task_options import split_task_options
from flytelite.core.base_task import TaskMetadata
from flytelite.core.python_function_task import PythonFunctionTask

if TYPE_CHECKING:
    from typing_extensions import Unpack  # only annotations use it; typing_extensions costs ~8 ms to import

    from flytelite.core._task_options_spec import TaskOptions
    from flytelite.core.eager import eager
    from flytelite.core.echo import Echo
    from flytelite.core.reference_entity import ReferenceTask, reference_task

__all__ = [
    "Echo",
    "ReferenceTask",
    "TaskOptions",
    "TaskPlugins",
    "eager",
    "reference_task",
    "split_task_options",
    "task",
]


# name -> the module that defines it, imported on first use: `eager` needs `asyncio` (about 20 ms with `ssl`) and
# the reference entities are six dataclasses (about 8 ms to build), none of which a plain `@task` uses, and `Echo`
# is a task class of its own; `TaskOptions` is for type checkers (a `TypedDict`, ~0.7 ms to build). There is no
# import cycle: those modules do not import this one.
_LAZY = {
    "Echo": "flytelite.core.echo",
    "TaskOptions": "flytelite.core._task_options_spec",
    "eager": "flytelite.core.eager",
    "ReferenceTask": "flytelite.core.reference_entity",
    "reference_task": "flytelite.core.reference_entity",
}


def __getattr__(name: str) -> Any:
    """Provide the names of `_LAZY` (at flytekit's `flytekit.core.task` path) on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


P = ParamSpec("P")
R = TypeVar("R", covariant=True)
T = TypeVar("T")


class TaskPlugins:
    """Which task class `@task` builds for a given `task_config` type (plugins register theirs)."""

    _PYTHONFUNCTION_TASK_PLUGINS: dict[type, type[PythonFunctionTask[Any]]] = {}

    @classmethod
    def register_pythontask_plugin(cls, plugin_config_type: type, plugin: type[PythonFunctionTask[Any]]) -> None:
        """Use `plugin` for `task_config` values of `plugin_config_type`.

        Raises:
            TypeError: another plugin is registered for that type.
        """
        existing = cls._PYTHONFUNCTION_TASK_PLUGINS.get(plugin_config_type)
        if existing is not None and existing is not plugin:
            raise TypeError(f"A plugin is already registered for {plugin_config_type}: {existing}")
        cls._PYTHONFUNCTION_TASK_PLUGINS[plugin_config_type] = plugin

    @classmethod
    def find_pythontask_plugin(cls, plugin_config_type: type) -> type[PythonFunctionTask[Any]]:
        """Return the task class for a `task_config` type (`PythonFunctionTask` by default)."""
        return cls._PYTHONFUNCTION_TASK_PLUGINS.get(plugin_config_type, PythonFunctionTask)


class TaskFunction(Protocol, Generic[P, R]):
    """What `@task` returns, for type checkers: callable like the function, with the task's attributes."""

    @property
    def name(self) -> str: ...

    @property
    def metadata(self) -> TaskMetadata: ...

    @property
    def task_function(self) -> Callable[..., Any]: ...

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...


def _make_task(fn: Callable[..., Any], options: dict[str, Any]) -> Any:
    metadata, rest = split_task_options(options, fn)
    task_config = rest.pop("task_config", None)
    plugin = TaskPlugins.find_pythontask_plugin(type(task_config))
    return plugin(task_config, fn, metadata=metadata, **rest)


@overload
def task(
    _task_function: None = None, **options: Unpack[TaskOptions]
) -> Callable[[Callable[P, R]], TaskFunction[P, R]]: ...


@overload
def task(_task_function: Callable[P, R], **options: Unpack[TaskOptions]) -> TaskFunction[P, R]: ...


def task(_task_function: Callable[P, R] | None = None, **options: Unpack[TaskOptions]) -> Any:
    """Turn a typed function into a task; use as `@task` or `@task(cache=True, cache_version="1", retries=2, ...)`.

    Raises:
        TypeError: an unknown option.
        FlyteValidationException: an invalid combination (`cache` without `cache_version`, …).
    """
    opts: dict[str, Any] = dict(options)
    if _task_function is not None:
        return _make_task(_task_function, opts)

    def wrapper(fn: Callable[P, R]) -> TaskFunction[P, R]:
        made: TaskFunction[P, R] = _make_task(fn, opts)
        return made

    split_task_options(opts)  # report a bad option at the decorator, before any function is seen
    return wrapper
