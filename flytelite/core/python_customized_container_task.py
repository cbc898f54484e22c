"""Customized-container tasks: a prebuilt image runs the task from its `TaskTemplate` (e.g. `SQLite3Task`).

Write one by subclassing `ShimTaskExecutor` (the logic, `execute_from_model`) and `PythonCustomizedContainerTask`
(override `get_custom` to put into the template everything the executor needs), passing the executor class as
`executor_type`. The command names `default_task_template_resolver`, whose loader args are
`{{.taskTemplatePath}} <executor module>.<executor class>`: at run time it downloads the template and builds an
`ExecutableTemplateShimTask`, so no user code is imported in the container.
"""

from __future__ import annotations

import abc
import importlib
import os
from typing import Any, TypeVar

from flyteidl.core.identifier_pb2 import Identifier, ResourceType
from flyteidl.core.security_pb2 import Secret
from flyteidl.core.tasks_pb2 import Container, TaskTemplate
from google.protobuf.struct_pb2 import Struct

from flytelite.configuration import Image, ImageConfig, SerializationSettings
from flytelite.core.base_task import PythonTask, Task, TaskResolverMixin
from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.interface import typed_interface
from flytelite.core.python_auto_container import (
    ENTRYPOINT,
    entrypoint_args,
    get_registerable_container_image,
    secrets_context,
)
from flytelite.core.resources import Resources, ResourceSpec, container_resources
from flytelite.core.shim_task import ExecutableTemplateShimTask, ShimTaskExecutor
from flytelite.core.tracker import FlyteTrackedABC, TrackedInstance
from flytelite.errors import FlyteAssertion

__all__ = ["PythonCustomizedContainerTask", "TaskTemplateResolver", "default_task_template_resolver"]

TC = TypeVar("TC")


class PythonCustomizedContainerTask(ExecutableTemplateShimTask, PythonTask[TC], metaclass=FlyteTrackedABC):
    """A task run in its own prebuilt image from its template alone (subclasses must define `get_custom`).

    Args:
        name: the task name.
        task_config: plugin configuration.
        container_image: the image that runs the task; None uses the default image of the serialization settings
            (flytekit defaults to its own image, which cannot load flytelite's resolver).
        executor_type: the `ShimTaskExecutor` subclass with the logic.
        task_resolver: the resolver (default: `default_task_template_resolver`).
        task_type: the task type.
        requests: resource requests.
        limits: resource limits.
        environment: env vars for the container.
        secret_requests: secrets the task needs.
        **kwargs: passed on to the task base classes (`interface=`, or `query_template=`… for SQL tasks).

    Attributes:
        resources: requests and limits.
        container_image: the configured image (None: the default image).
        task_resolver: the task-template resolver.
    """

    SERIALIZE_SETTINGS = SerializationSettings(
        project="PLACEHOLDER_PROJECT",
        domain="LOCAL",
        version="PLACEHOLDER_VERSION",
        env=None,
        image_config=ImageConfig(
            default_image=Image(name="custom_container_task", fqn="flyteorg.io/placeholder", tag="image")
        ),
    )

    def __init__(
        self,
        name: str,
        task_config: TC,
        container_image: str | None,
        executor_type: type[ShimTaskExecutor[Any]],
        task_resolver: TaskTemplateResolver | None = None,
        task_type: str = "python-task",
        requests: Resources | None = None,
        limits: Resources | None = None,
        environment: dict[str, str] | None = None,
        secret_requests: list[Secret] | None = None,
        **kwargs: Any,
    ) -> None:
        sec_ctx = secrets_context(secret_requests)
        super().__init__(
            None,
            executor_type,
            task_type=task_type,
            name=name,
            task_config=task_config,
            security_ctx=sec_ctx,
            environment=environment,
            **kwargs,
        )
        self.resources: ResourceSpec = ResourceSpec(requests=requests or Resources(), limits=limits or Resources())
        self.container_image: str | None = container_image
        self.task_resolver: TaskTemplateResolver = task_resolver or default_task_template_resolver

    @abc.abstractmethod
    def get_custom(self, settings: SerializationSettings) -> dict[str, Any]:
        """Return everything the executor needs at run time (it lands in the template's `custom`)."""

    def get_config(self, settings: SerializationSettings) -> dict[str, str]:
        """Return `{}`: put configuration into `custom` instead."""
        return {}

    @property
    def task_template(self) -> TaskTemplate:
        """Return the template (serialized with placeholder settings on first use when run locally)."""
        if self._task_template is None:
            self._task_template = self.serialize_to_model(self.SERIALIZE_SETTINGS)
        return self._task_template

    def get_command(self, settings: SerializationSettings) -> list[str]:
        """Return the container arguments: the entrypoint, the task-template resolver and its loader args."""
        loader_args = self.task_resolver.loader_args(settings, self)
        return entrypoint_args(ENTRYPOINT, self.task_resolver.location, loader_args, checkpoints=False)

    def get_image(self, settings: SerializationSettings) -> str:
        """Return the image to register with."""
        return get_registerable_container_image(self.container_image, settings.image_config)

    def get_container(self, settings: SerializationSettings) -> Container:
        """Return the container: the image, the command in `args`, resources and env."""
        env = {**(settings.env or {}), **self.environment}
        return Container(
            image=self.get_image(settings),
            command=[],
            args=self.get_command(settings),
            resources=container_resources(self.resources),
            env=[{"key": k, "value": v} for k, v in env.items()],
        )

    def serialize_to_model(self, settings: SerializationSettings) -> TaskTemplate:
        """Return this task's `TaskTemplate` for `settings` (and keep it as `task_template`)."""
        ident = Identifier(
            resource_type=ResourceType.TASK,
            project=settings.project or "",
            domain=settings.domain or "",
            name=self._name,
            version=settings.version or "",
        )
        custom = Struct()
        custom.update(self.get_custom(settings))
        tt = TaskTemplate(
            id=ident,
            type=self.task_type,
            metadata=self.metadata.to_taskmetadata_model(),
            interface=typed_interface(self),
            custom=custom,
            container=self.get_container(settings),
            config=self.get_config(settings),
        )
        self._task_template = tt
        return tt


def _load_object(path: str) -> Any:
    module, _, attr = path.rpartition(".")
    if not module:
        raise FlyteAssertion(f"expected '<module>.<name>', got {path!r}")
    return getattr(importlib.import_module(module), attr)


class TaskTemplateResolver(TrackedInstance, TaskResolverMixin):
    """Loads a task from its serialized template: loader args are `<template path> <executor class path>`."""

    def name(self) -> str:
        """Return the resolver's name."""
        return "task template resolver"

    def load_task(self, loader_args: list[str]) -> ExecutableTemplateShimTask:  # type: ignore[override]
        """Download the template and build a shim task around it and the named executor.

        Raises:
            FlyteAssertion: the loader args are not `<template path> <executor class path>`.
        """
        if len(loader_args) != 2:
            raise FlyteAssertion(f"expected loader args '<task template path> <executor>', got {loader_args}")
        ctx = FlyteContextManager.current_context()
        es = ctx.execution_state
        folder = es.working_dir if es is not None else ctx.file_access.get_random_local_directory()
        local = os.path.join(folder, "task_template.pb")
        ctx.file_access.get_data(loader_args[0], local)
        with open(local, "rb") as fh:
            tt = TaskTemplate.FromString(fh.read())
        return ExecutableTemplateShimTask(tt, _load_object(loader_args[1]))

    def loader_args(self, settings: Any, t: Task) -> list[str]:
        """Return `["{{.taskTemplatePath}}", "<executor module>.<executor class>"]`."""
        executor = getattr(t, "executor_type", None)
        if executor is None:
            raise FlyteAssertion(f"task '{t.name}' has no executor_type; the task-template resolver cannot load it")
        return ["{{.taskTemplatePath}}", f"{executor.__module__}.{executor.__name__}"]

    def get_all_tasks(self) -> list[Task]:
        """Return no tasks: templates are loaded one at a time."""
        return []


default_task_template_resolver = TaskTemplateResolver()
