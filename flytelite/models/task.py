"""flytekit's `flytekit.models.task` classes, as views over `flyteidl.core.tasks_pb2` (see `_view`).

Plugins build these and return them from `get_container`, `get_sql`, `get_k8s_pod`:
`Sql("select 1", Sql.Dialect.ANSI)`, `Container(image, command, args, resources, env, config)` (`env` and `config`
are dicts). `TaskSpec`, `Task`, `TaskClosure` and `TaskExecutionMetadata` (admin messages) load the admin
protos when first used.
"""

from __future__ import annotations

import importlib
from typing import Any

from flyteidl.core import compiler_pb2 as _compiler_pb
from flyteidl.core import tasks_pb2 as _pb
from flyteidl.core.tasks_pb2 import ContainerPort, ExtendedResources, GPUAccelerator, SharedMemory

from flytelite.models import interface as _interface  # noqa: F401 -- registers TypedInterface
from flytelite.models import security as _security  # noqa: F401 -- registers SecurityContext
from flytelite.models._view import View, consts, f
from flytelite.models.core import identifier as _identifier  # noqa: F401 -- registers Identifier
from flytelite.models.literals import RetryStrategy

__all__ = [
    "CompiledTask",
    "Container",
    "ContainerPort",
    "DataLoadingConfig",
    "ExtendedResources",
    "GPUAccelerator",
    "IOStrategy",
    "K8sObjectMetadata",
    "K8sPod",
    "Resources",
    "RetryStrategy",
    "RuntimeMetadata",
    "SharedMemory",
    "Sql",
    "TaskMetadata",
    "TaskTemplate",
]


class Resources(View):
    """Resource `requests` and `limits`, each a list of `Resources.ResourceEntry(name, value)`."""

    ResourceName = consts("ResourceName", dict(_pb.Resources.ResourceName.items()))

    class ResourceEntry(View):
        """One resource quantity: `ResourceEntry(Resources.ResourceName.CPU, "2")`."""

        _PB = _pb.Resources.ResourceEntry
        _FIELDS = (f("name"), f("value"))

    _PB = _pb.Resources
    _FIELDS = (f("requests"), f("limits"))


class RuntimeMetadata(View):
    """The SDK that built the task: `RuntimeMetadata(RuntimeMetadata.RuntimeType.FLYTE_SDK, "1.0", "python")`."""

    RuntimeType = consts("RuntimeType", dict(_pb.RuntimeMetadata.RuntimeType.items()))

    _PB = _pb.RuntimeMetadata
    _FIELDS = (f("type"), f("version"), f("flavor"))


class TaskMetadata(View):
    """Cache, retries, timeout and the other task settings, in flytekit's positional order."""

    _PB = _pb.TaskMetadata
    _FIELDS = (
        f("discoverable"),
        f("runtime"),
        f("timeout"),
        f("retries"),
        f("interruptible"),
        f("discovery_version"),
        f("deprecated_error_message"),
        f("cache_serializable"),
        f("pod_template_name"),
        f("cache_ignore_input_vars"),
        f("is_eager"),
        f("generates_deck", default=False),
        f("k8s_object_metadata", pb="metadata"),
    )


class IOStrategy(View):
    """How a raw container downloads inputs and uploads outputs."""

    DOWNLOAD_MODE_EAGER = _pb.IOStrategy.DOWNLOAD_EAGER
    DOWNLOAD_MODE_STREAM = _pb.IOStrategy.DOWNLOAD_STREAM
    DOWNLOAD_MODE_NO_DOWNLOAD = _pb.IOStrategy.DO_NOT_DOWNLOAD
    UPLOAD_MODE_EAGER = _pb.IOStrategy.UPLOAD_EAGER
    UPLOAD_MODE_ON_EXIT = _pb.IOStrategy.UPLOAD_ON_EXIT
    UPLOAD_MODE_NO_UPLOAD = _pb.IOStrategy.DO_NOT_UPLOAD

    _PB = _pb.IOStrategy
    _FIELDS = (f("download_mode"), f("upload_mode"))


class DataLoadingConfig(View):
    """Where a raw container finds its inputs and writes its outputs, and in which format."""

    LITERALMAP_FORMAT_PROTO = _pb.DataLoadingConfig.PROTO
    LITERALMAP_FORMAT_JSON = _pb.DataLoadingConfig.JSON
    LITERALMAP_FORMAT_YAML = _pb.DataLoadingConfig.YAML

    _PB = _pb.DataLoadingConfig
    _FIELDS = (
        f("input_path"),
        f("output_path"),
        f("enabled", default=True),
        f("format", default=_pb.DataLoadingConfig.PROTO),
        f("io_strategy"),
    )


class Container(View):
    """A container: image, command, args, `Resources`, `env` and `config` (dicts), data-loading config."""

    _PB = _pb.Container
    _FIELDS = (
        f("image"),
        f("command"),
        f("args"),
        f("resources"),
        f("env", conv="kv"),
        f("config", conv="kv"),
        f("data_loading_config", pb="data_config"),
    )

    env: dict[str, str]  # (the property is generated from the table; declared here for type checkers)

    def add_env(self, key: str, val: str) -> None:
        """Add (or replace) an environment variable."""
        self.env[key] = val


class K8sObjectMetadata(View):
    """Kubernetes `labels` and `annotations` (dicts)."""

    _PB = _pb.K8sObjectMetadata
    _FIELDS = (f("labels"), f("annotations"))


class K8sPod(View):
    """A pod target: metadata, the pod spec (a dict), data config and the primary container's name."""

    _PB = _pb.K8sPod
    _FIELDS = (
        f("metadata"),
        f("pod_spec", conv="dict"),
        f("data_config"),
        f("primary_container_name", conv="none_if_empty"),
    )


class Sql(View):
    """A SQL statement and its dialect: `Sql("select 1", Sql.Dialect.ANSI)` (flytekit's dialect numbers)."""

    Dialect = consts("Dialect", {"ANSI": 0, "HIVE": 1})

    _PB = _pb.Sql
    _FIELDS = (f("statement"), f("dialect"))


class TaskTemplate(View):
    """A task's complete definition; `custom` reads as a dict, `config` as a dict."""

    _PB = _pb.TaskTemplate
    _FIELDS = (
        f("id"),
        f("type"),
        f("metadata"),
        f("interface"),
        f("custom", conv="dict"),
        f("container"),
        f("task_type_version"),
        f("security_context"),
        f("config"),
        f("k8s_pod"),
        f("sql"),
        f("extended_resources", conv="raw"),
    )


class CompiledTask(View):
    """A compiled task: its template."""

    _PB = _compiler_pb.CompiledTask
    _FIELDS = (f("template"),)


_ADMIN = ("Task", "TaskClosure", "TaskExecutionMetadata", "TaskSpec")


def __getattr__(name: str) -> Any:
    # These are admin messages: its protos load only when it is first asked for (DESIGN.md §8).
    if name in _ADMIN:
        value = getattr(importlib.import_module("flytelite.models._admin"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
