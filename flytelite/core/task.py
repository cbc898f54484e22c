"""The `@task` decorator.

Every option is declared once, in `TaskOptions`; `split_task_options` sends each to where it belongs
(`TaskMetadata`, the container task, the task itself). `@task` and `@task(...)` both work, and the decorated
object keeps the function's call signature for type checkers.

```python
@task(retries=2, requests=Resources(cpu="1"))
def add(a: int, b: int = 1) -> int:
    return a + b
```
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from typing import Any, Generic, Literal, Protocol, TypedDict, TypeVar, overload

from typing_extensions import ParamSpec, Unpack

from flytelite.core.base_task import TaskMetadata, TaskResolverMixin
from flytelite.core.cache import Cache, VersionParameters
from flytelite.core.echo import Echo
from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.reference_entity import ReferenceTask, reference_task
from flytelite.core.resources import Resources
from flytelite.deck.deck import DeckField
from flytelite.errors import FlyteValidationException
from flytelite.models.security import Secret

__all__ = [
    "Echo",
    "ReferenceTask",
    "TaskOptions",
    "TaskPlugins",
    "reference_task",
    "split_task_options",
    "task",
]

P = ParamSpec("P")
R = TypeVar("R", covariant=True)
T = TypeVar("T")


class TaskOptions(TypedDict, total=False):
    """Every option of `@task` (flytekit's names and meanings)."""

    task_config: Any
    cache: bool | Cache
    cache_version: str
    cache_serialize: bool
    cache_ignore_input_vars: tuple[str, ...]
    retries: int
    interruptible: bool | None
    deprecated: str
    timeout: _dt.timedelta | int
    container_image: Any
    environment: dict[str, str]
    requests: Resources
    limits: Resources
    resources: Resources
    secret_requests: list[Secret]
    execution_mode: PythonFunctionTask.ExecutionBehavior
    node_dependency_hints: Iterable[Any]
    task_resolver: TaskResolverMixin
    docs: Any
    disable_deck: bool
    enable_deck: bool
    deck_fields: tuple[DeckField | str, ...] | None
    pod_template: Any
    pod_template_name: str
    accelerator: Any
    pickle_untyped: bool
    shared_memory: Literal[True] | str
    labels: dict[str, str]
    annotations: dict[str, str]


_METADATA_OPTIONS: tuple[str, ...] = ("cache", "cache_version", "cache_serialize", "cache_ignore_input_vars")
_METADATA_OPTIONS += ("retries", "interruptible", "deprecated", "timeout")
_OPTION_NAMES = frozenset(TaskOptions.__annotations__)


def _cache_settings(options: dict[str, Any], fn: Callable[..., Any] | None) -> dict[str, Any]:
    """Return the TaskMetadata cache fields (flytekit 1.16's rules).

    `cache=True` without `cache_version` becomes `Cache(serialize=..., ignored_inputs=...)`, whose version comes from
    the cache policies (none by default: `ValueError`). A `Cache` excludes the deprecated `cache_*` options. Without
    `fn` (options checked before the function is known) a policy-computed version is a placeholder.
    """
    cache = options.get("cache", False)
    if cache is True and options.get("cache_version") is None:
        cache = Cache(
            serialize=bool(options.get("cache_serialize", False)),
            ignored_inputs=tuple(options.get("cache_ignore_input_vars") or ()),
        )
    if not isinstance(cache, Cache):
        return {
            "cache": bool(cache),
            "cache_version": options.get("cache_version") or "",
            "cache_serialize": bool(options.get("cache_serialize", False)),
            "cache_ignore_input_vars": tuple(options.get("cache_ignore_input_vars") or ()),
        }
    deprecated = ("cache_version", "cache_serialize", "cache_ignore_input_vars")
    if cache is options.get("cache") and any(k in options for k in deprecated):
        raise FlyteValidationException(
            "cache_serialize, cache_version, and cache_ignore_input_vars are deprecated. Please use Cache object"
        )
    # Checked before the function is known: the version is computed later, in `_make_task`.
    version = cache.version if cache.version is not None else "<computed from the task function>"
    if fn is not None:
        params = VersionParameters(
            func=fn,
            container_image=options.get("container_image"),
            pod_template=options.get("pod_template"),
            pod_template_name=options.get("pod_template_name"),
        )
        version = cache.get_version(params)
    return {
        "cache": True,
        "cache_version": version,
        "cache_serialize": cache.serialize,
        "cache_ignore_input_vars": cache.get_ignored_inputs(),
    }


def split_task_options(
    options: dict[str, Any], fn: Callable[..., Any] | None = None
) -> tuple[TaskMetadata, dict[str, Any]]:
    """Split `@task` options into the `TaskMetadata` and the task constructor's keyword arguments.

    Pass the decorated function as `fn`: a `Cache` without a version computes it from the function. Without `fn`
    the options are only checked (the returned metadata then lacks a policy-computed version).

    Raises:
        TypeError: an unknown option (e.g. `template=` for `pod_template=`).
        ValueError: `cache=True` or `Cache()` without a version and no cache policy, or a policy that fails.
    """
    unknown = sorted(set(options) - _OPTION_NAMES)
    if unknown:
        raise TypeError(f"Unrecognized argument(s) for task: {', '.join(map(repr, unknown))}")
    md_fields = _cache_settings(options, fn)
    md_fields.update({k: options[k] for k in _METADATA_OPTIONS if k in options and not k.startswith("cache")})
    metadata = TaskMetadata(**md_fields)
    rest = {k: v for k, v in options.items() if k not in _METADATA_OPTIONS}
    rest.pop("pickle_untyped", None)
    return metadata, rest


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
