"""The options `@task` (and `@eager`, `@dynamic`) accept, and how they split between metadata and the task.

Every option is declared once, in `TaskOptions` (`_task_options_spec`, loaded on first access of the name: the
`TypedDict` costs ~0.7 ms to build, and declaring or running a task needs only the option names);
`split_task_options` sends each to where it belongs: the `TaskMetadata` (cache, retries, interruptible, deprecation,
timeout) or the task constructor (everything else).
Both `flytelite.core.task` and `flytelite.core.eager` build on it, so neither imports the other's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flytelite.core.base_task import TaskMetadata
from flytelite.errors import FlyteValidationException

if TYPE_CHECKING:
    from flytelite.core._task_options_spec import TaskOptions

__all__ = ["TaskOptions", "split_task_options"]


def __getattr__(name: str) -> Any:
    if name == "TaskOptions":
        from flytelite.core._task_options_spec import TaskOptions

        return TaskOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_METADATA_OPTIONS: tuple[str, ...] = ("cache", "cache_version", "cache_serialize", "cache_ignore_input_vars")
_METADATA_OPTIONS += ("retries", "interruptible", "deprecated", "timeout")
# the keys of `TaskOptions` (a test checks that they stay the same)
_OPTION_NAMES = frozenset(
    (
        "task_config",
        "cache",
        "cache_version",
        "cache_serialize",
        "cache_ignore_input_vars",
        "retries",
        "interruptible",
        "deprecated",
        "timeout",
        "container_image",
        "environment",
        "requests",
        "limits",
        "resources",
        "secret_requests",
        "execution_mode",
        "node_dependency_hints",
        "task_resolver",
        "docs",
        "disable_deck",
        "enable_deck",
        "deck_fields",
        "pod_template",
        "pod_template_name",
        "accelerator",
        "pickle_untyped",
        "shared_memory",
        "labels",
        "annotations",
    )
)


def _plain_cache_settings(cache: Any, options: dict[str, Any]) -> dict[str, Any]:
    """Return the TaskMetadata cache fields of `cache=<bool>` with the deprecated `cache_*` options."""
    return {
        "cache": bool(cache),
        "cache_version": options.get("cache_version") or "",
        "cache_serialize": bool(options.get("cache_serialize", False)),
        "cache_ignore_input_vars": tuple(options.get("cache_ignore_input_vars") or ()),
    }


def _cache_settings(options: dict[str, Any], fn: Callable[..., Any] | None) -> dict[str, Any]:
    """Return the TaskMetadata cache fields (flytekit 1.16's rules).

    `cache=True` without `cache_version` becomes `Cache(serialize=..., ignored_inputs=...)`, whose version comes from
    the cache policies (none by default: `ValueError`). A `Cache` excludes the deprecated `cache_*` options. Without
    `fn` (options checked before the function is known) a policy-computed version is a placeholder.
    """
    cache = options.get("cache", False)
    if isinstance(cache, bool) and not (cache and options.get("cache_version") is None):
        return _plain_cache_settings(cache, options)
    from flytelite.core.cache import Cache, VersionParameters  # cache policies: only tasks given a `Cache` need them

    if cache is True:
        cache = Cache(
            serialize=bool(options.get("cache_serialize", False)),
            ignored_inputs=tuple(options.get("cache_ignore_input_vars") or ()),
        )
    if not isinstance(cache, Cache):
        return _plain_cache_settings(cache, options)
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
