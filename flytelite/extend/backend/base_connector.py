"""Connectors: run a task type by calling an external service instead of starting a pod.

A connector serves one task category (`task_type_name`, `task_type_version`) and is registered once:

```python
@dataclass
class JobMeta(ResourceMeta):
    job_id: str

class MyConnector(AsyncConnectorBase):
    name = "My Connector"

    def __init__(self):
        super().__init__(task_type_name="my_task", metadata_type=JobMeta)

    def create(self, task_template, output_prefix, inputs=None, **kwargs) -> JobMeta: ...
    def get(self, resource_meta: JobMeta, **kwargs) -> Resource: ...
    def delete(self, resource_meta: JobMeta, **kwargs) -> None: ...

ConnectorRegistry.register(MyConnector())
```

A task class that mixes in `AsyncConnectorExecutorMixin` (or `SyncConnectorExecutorMixin` for a `SyncConnectorBase`)
runs locally through its connector: the task is serialized to its `TaskTemplate`, the connector creates the job and is
polled until the job ends, and the job's outputs become the task's outputs. On a cluster, Flyte's connector service
calls the same connector; flytelite does not provide that service.
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import inspect
import json
import logging
import sys
import typing
from collections.abc import Coroutine
from types import FrameType
from typing import Any, ClassVar

from flyteidl.admin.agent_pb2 import Agent, GetTaskLogsResponse, GetTaskMetricsResponse
from flyteidl.admin.agent_pb2 import Resource as _Resource
from flyteidl.admin.agent_pb2 import TaskCategory as _TaskCategory
from flyteidl.core.execution_pb2 import TaskExecution, TaskLog
from flyteidl.core.literals_pb2 import LiteralMap as _LiteralMapPb
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct

from flytelite.configuration import DEFAULT_IMAGE_NAME, Image, ImageConfig, SerializationSettings
from flytelite.configuration.default_images import DefaultImages
from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.type_engine import TypeEngine
from flytelite.core.utils import load_proto_from_file, write_proto_to_file
from flytelite.errors import FlyteConnectorNotFound, FlyteNotImplementedException, FlyteUserException, add_note
from flytelite.extend.backend.utils import is_terminal_phase, mirror_async_methods, render_task_template
from flytelite.models._view import to_pb, view_of
from flytelite.models.literals import LiteralMap
from flytelite.tools.translator import get_serializable

__all__ = [
    "AsyncConnectorBase",
    "AsyncConnectorExecutorMixin",
    "ConnectorBase",
    "ConnectorRegistry",
    "Resource",
    "ResourceMeta",
    "SyncConnectorBase",
    "SyncConnectorExecutorMixin",
    "TaskCategory",
    "local_connector_loop",
]

logger = logging.getLogger("flytelite")

local_connector_loop = asyncio.new_event_loop()
"""The one event loop local runs drive connectors in (flytekit's name), so a connector keeps its loop across calls."""


@dataclasses.dataclass(frozen=True, slots=True)
class TaskCategory:
    """A task type and version a connector serves (`bigquery_query_job_task`, version 0).

    Attributes:
        name: the task type.
        version: the task type version.
    """

    name: str
    version: int = 0

    def __str__(self) -> str:
        return f"{self.name}_v{self.version}"


def _from_dict(cls: Any, src: dict[str, Any]) -> Any:
    """Build dataclass `cls` from a JSON dict, nested dataclass fields included."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name not in src:
            continue
        value = src[f.name]
        # the field's dataclass type, also inside `Optional[...]` / `X | None`
        nested = [t for t in (hints.get(f.name), *typing.get_args(hints.get(f.name))) if dataclasses.is_dataclass(t)]
        values[f.name] = _from_dict(nested[0], value) if nested and isinstance(value, dict) else value
    return cls(**values)


@dataclasses.dataclass
class ResourceMeta:
    """What a connector needs to find a job again (subclass it with fields such as `job_id`)."""

    def encode(self) -> bytes:
        """Return the fields as JSON bytes."""
        return json.dumps(dataclasses.asdict(self)).encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> ResourceMeta:
        """Rebuild the metadata from `encode()`'s bytes."""
        meta: ResourceMeta = _from_dict(cls, json.loads(data.decode("utf-8")))
        return meta


@dataclasses.dataclass
class Resource:
    """The state of a job: its phase, a message, log links, outputs and connector-specific info.

    `outputs` is a `LiteralMap` or a dict of Python values (converted with the task's output types).
    """

    phase: int  # a TaskExecution.Phase
    message: str | None = None
    log_links: list[TaskLog] | None = None
    outputs: Any = None
    custom_info: dict[str, Any] | None = None

    async def to_flyte_idl(self) -> _Resource:
        """Return the `flyteidl.admin.agent_pb2.Resource` message (async, as flytekit's)."""
        if self.outputs is None:
            outputs = None
        elif isinstance(self.outputs, dict):
            outputs = TypeEngine.dict_to_literal_map(FlyteContextManager.current_context(), self.outputs)
        else:
            outputs = to_pb(self.outputs)
        custom = json_format.Parse(json.dumps(self.custom_info), Struct()) if self.custom_info else None
        return _Resource(
            phase=self.phase, message=self.message, log_links=self.log_links, outputs=outputs, custom_info=custom
        )

    @classmethod
    def from_flyte_idl(cls, pb2_object: _Resource) -> Resource:
        """Read a `flyteidl.admin.agent_pb2.Resource` message."""
        return cls(
            phase=pb2_object.phase,
            message=pb2_object.message,
            log_links=list(pb2_object.log_links),
            outputs=LiteralMap.from_flyte_idl(pb2_object.outputs) if pb2_object.HasField("outputs") else None,
            custom_info=(
                json_format.MessageToDict(pb2_object.custom_info) if pb2_object.HasField("custom_info") else None
            ),
        )


class ConnectorBase(abc.ABC):  # noqa: B024  # flytekit's base: abstract by convention, with no abstract method
    """Base of every connector: the task category it serves.

    Attributes:
        task_category: the task category the connector serves.
    """

    name = "Base Connector"

    def __init__(self, task_type_name: str, task_type_version: int = 0, **kwargs: Any) -> None:
        self.task_category: TaskCategory = TaskCategory(name=task_type_name, version=task_type_version)


class SyncConnectorBase(ConnectorBase):
    """A connector that answers in one call (`do`), for quick requests such as an API call."""

    name = "Base Sync Connector"

    @abc.abstractmethod
    def do(self, task_template: Any, output_prefix: str, inputs: Any = None, **kwargs: Any) -> Resource:
        """Run the task and return its final `Resource` (may be `async def`)."""


class AsyncConnectorBase(ConnectorBase):
    """A connector for long jobs: `create` starts one, `get` reports its state, `delete` cancels it.

    Each method may be `async def`.

    Attributes:
        metadata_type: the `ResourceMeta` subclass `create` returns.
    """

    name = "Base Async Connector"

    def __init__(self, metadata_type: type[ResourceMeta], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata_type: type[ResourceMeta] = metadata_type

    @abc.abstractmethod
    def create(
        self,
        task_template: Any,
        output_prefix: str,
        inputs: Any = None,
        task_execution_metadata: Any = None,
        **kwargs: Any,
    ) -> ResourceMeta:
        """Start the job; return what `get` and `delete` need to find it."""

    @abc.abstractmethod
    def get(self, resource_meta: ResourceMeta, **kwargs: Any) -> Resource:
        """Return the job's state (with its outputs once it succeeded, unless it writes `outputs.pb` itself)."""

    @abc.abstractmethod
    def delete(self, resource_meta: ResourceMeta, **kwargs: Any) -> None:
        """Cancel the job (idempotent)."""

    def get_metrics(self, resource_meta: ResourceMeta, **kwargs: Any) -> GetTaskMetricsResponse:
        """Return the job's metrics (optional: connectors that report none keep this)."""
        raise FlyteNotImplementedException(f"connector '{self.name}' does not report metrics")

    def get_logs(self, resource_meta: ResourceMeta, **kwargs: Any) -> GetTaskLogsResponse:
        """Return the job's logs (optional: connectors that report none keep this)."""
        raise FlyteNotImplementedException(f"connector '{self.name}' does not report logs")


AnyConnector = SyncConnectorBase | AsyncConnectorBase


class ConnectorRegistry:
    """Every registered connector, by task category, and their metadata by connector name."""

    _REGISTRY: ClassVar[dict[TaskCategory, AnyConnector]] = {}
    _METADATA: ClassVar[dict[str, Agent]] = {}

    @staticmethod
    def register(connector: AnyConnector, override: bool = False) -> None:
        """Make `connector` serve its task category.

        Raises:
            ValueError: another connector serves the category and `override` is False.
        """
        category = connector.task_category
        if category in ConnectorRegistry._REGISTRY and not override:
            raise ValueError(f"Duplicate connector for task type: {category}")
        ConnectorRegistry._REGISTRY[category] = connector
        pb_category = _TaskCategory(name=category.name, version=category.version)
        metadata = ConnectorRegistry._METADATA.get(connector.name)
        if metadata is None:
            ConnectorRegistry._METADATA[connector.name] = Agent(
                name=connector.name,
                supported_task_types=[category.name],
                supported_task_categories=[pb_category],
                is_sync=isinstance(connector, SyncConnectorBase),
            )
        else:
            metadata.supported_task_categories.append(pb_category)
            metadata.supported_task_types.append(category.name)

    @staticmethod
    def get_connector(task_type_name: str, task_type_version: int = 0) -> AnyConnector:
        """Return the connector serving a task category.

        Raises:
            FlyteConnectorNotFound: none is registered.
        """
        category = TaskCategory(name=task_type_name, version=task_type_version)
        if category not in ConnectorRegistry._REGISTRY:
            raise FlyteConnectorNotFound(f"Cannot find connector for task category: {category}.")
        return ConnectorRegistry._REGISTRY[category]

    get_agent = get_connector  # the former name

    @staticmethod
    def list_connectors() -> list[Agent]:
        """Return the metadata of every registered connector."""
        return list(ConnectorRegistry._METADATA.values())

    @staticmethod
    def get_connector_metadata(name: str) -> Agent:
        """Return a connector's metadata by its name.

        Raises:
            FlyteConnectorNotFound: no connector has that name.
        """
        if name not in ConnectorRegistry._METADATA:
            raise FlyteConnectorNotFound(f"Cannot find connector for name: {name}.")
        return ConnectorRegistry._METADATA[name]

    list_agents = list_connectors
    get_agent_metadata = get_connector_metadata


# --- local execution -------------------------------------------------------------------------------------------------
def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    return local_connector_loop.run_until_complete(coro)


def _local_template(task: Any, ctx: FlyteContext) -> Any:
    """Return the task's `TaskTemplate` (a `flytelite.models.task.TaskTemplate`), as the connector would receive it."""
    ss = ctx.serialization_settings
    if ss is None:
        image = Image.look_up_image_info(DEFAULT_IMAGE_NAME, DefaultImages.default_image())
        ss = SerializationSettings(image_config=ImageConfig(default_image=image, images=[image]))
    template = get_serializable({}, ss, task).template
    if template.metadata.HasField("timeout"):
        logger.info("Timeout is not supported for local execution. Ignoring the timeout.")
    return view_of(template)


def _outputs(task: Any, ctx: FlyteContext, outputs: Any) -> Any:
    if outputs is None:
        return _LiteralMapPb()
    if isinstance(outputs, dict):
        return TypeEngine.dict_to_literal_map(ctx, outputs, type_hints=task.python_interface.outputs)
    return outputs


class SyncConnectorExecutorMixin:
    """Mix into a task class so that a local run calls its `SyncConnectorBase` connector's `do`.

    The task class must come after this mixin in the bases (`class MyTask(SyncConnectorExecutorMixin, PythonTask)`).
    """

    name: str

    def execute(self, **kwargs: Any) -> Any:
        """Serialize the task, call the connector with the inputs, and return the outputs as a `LiteralMap`.

        Raises:
            FlyteUserException: the job did not succeed.
        """
        ctx = FlyteContextManager.current_context()
        template = _local_template(self, ctx)
        connector = ConnectorRegistry.get_connector(template.type, template.task_type_version)
        output_prefix = ctx.file_access.get_random_remote_directory()
        resource: Resource = _run(self._do(connector, template, output_prefix, kwargs))  # type: ignore[arg-type]
        if resource.phase != TaskExecution.SUCCEEDED:
            raise FlyteUserException(f"Failed to run the task {self.name} with error: {resource.message}")
        return _outputs(self, ctx, resource.outputs)

    async def _do(
        self, connector: SyncConnectorBase, template: Any, output_prefix: str, inputs: dict[str, Any] | None = None
    ) -> Resource:
        ctx = FlyteContextManager.current_context()
        try:
            literal_map = TypeEngine.dict_to_literal_map(ctx, inputs or {}, self.get_input_types())  # type: ignore[attr-defined]
            resource: Resource = await mirror_async_methods(
                connector.do, task_template=template, inputs=view_of(literal_map), output_prefix=output_prefix
            )
        except Exception as e:
            if sys.version_info >= (3, 11):
                add_note(e, f"Failed to run the task {self.name}")
            raise
        return resource


class AsyncConnectorExecutorMixin:
    """Mix into a task class so that a local run creates its job with its `AsyncConnectorBase` connector and polls it.

    The task class must come after this mixin in the bases (`class MyTask(AsyncConnectorExecutorMixin, PythonTask)`).
    Interrupting the run (Ctrl-C) deletes the job.
    """

    name: str
    _clean_up_task: bool = False
    _connector: Any = None
    resource_meta: ResourceMeta | None = None
    poll_interval: float = 1.0  # seconds between two `get` calls

    def execute(self, **kwargs: Any) -> Any:
        """Serialize the task, create the job, poll it to its end, and return its outputs as a `LiteralMap`.

        Raises:
            FlyteUserException: the job did not succeed.
        """
        ctx = FlyteContextManager.current_context()
        output_prefix = ctx.file_access.get_random_remote_directory()
        template = _local_template(self, ctx)
        self._connector = ConnectorRegistry.get_connector(template.type, template.task_type_version)
        resource_meta = _run(self._create(template, output_prefix, kwargs))
        try:
            resource: Resource = _run(self._get(resource_meta))
        except KeyboardInterrupt:
            self._delete(resource_meta)
            raise
        if resource.phase != TaskExecution.SUCCEEDED:
            raise FlyteUserException(f"Failed to run the task {self.name} with error: {resource.message}")
        if resource.outputs is None and to_pb(template).interface.outputs.variables:
            # the connector wrote outputs.pb under the output prefix instead of returning the outputs
            local = ctx.file_access.get_random_local_path()
            ctx.file_access.get_data(f"{output_prefix}/outputs.pb", local)
            return load_proto_from_file(_LiteralMapPb, local)
        return _outputs(self, ctx, resource.outputs)

    async def _create(self, template: Any, output_prefix: str, inputs: dict[str, Any] | None = None) -> ResourceMeta:
        ctx = FlyteContextManager.current_context()
        literal_map = TypeEngine.dict_to_literal_map(ctx, inputs or {}, self.get_input_types())  # type: ignore[attr-defined]
        if isinstance(self, PythonFunctionTask):
            # the job runs the task's own container: give it its inputs where the container args point
            path = ctx.file_access.get_random_local_path()
            write_proto_to_file(literal_map, path)
            ctx.file_access.put_data(path, f"{output_prefix}/inputs.pb")
            template = render_task_template(template, output_prefix)
        resource_meta: ResourceMeta = await mirror_async_methods(
            self._connector.create, task_template=template, inputs=view_of(literal_map), output_prefix=output_prefix
        )
        self.resource_meta = resource_meta
        return resource_meta

    async def _get(self, resource_meta: ResourceMeta) -> Resource:
        phase, last = TaskExecution.RUNNING, None
        resource = Resource(phase=phase)
        while not is_terminal_phase(phase):
            if last is not None:
                await asyncio.sleep(self.poll_interval)
            resource = await mirror_async_methods(self._connector.get, resource_meta=resource_meta)
            if self._clean_up_task:
                raise KeyboardInterrupt(f"task {self.name} was interrupted")
            phase = resource.phase
            if phase != last:
                logger.info("Task %s: phase %s %s", self.name, TaskExecution.Phase.Name(phase), resource.message or "")
                for link in resource.log_links or ():
                    logger.info("  %s: %s", link.name, link.uri)
            last = phase
        return resource

    def _delete(self, resource_meta: ResourceMeta) -> None:
        if inspect.iscoroutinefunction(self._connector.delete):
            asyncio.run(self._connector.delete(resource_meta=resource_meta))
        else:
            self._connector.delete(resource_meta=resource_meta)

    def connector_signal_handler(self, resource_meta: ResourceMeta, signum: int, frame: FrameType | None) -> Any:
        """Delete the job and stop polling (flytekit's signal handler; install it with `signal.signal`)."""
        self._delete(resource_meta)
        self._clean_up_task = True

    agent_signal_handler = connector_signal_handler
