"""The task classes every task derives from: `Task` (no Python types) and `PythonTask` (a Python interface).

```
Task                      task type, name, TypedInterface, TaskMetadata; local_execute, sandbox_execute
└── PythonTask            + Interface; dispatch_execute: pre_execute -> inputs -> execute -> post_execute -> outputs
    └── PythonAutoContainerTask (python_auto_container.py)   container image, resources, resolver, command
        ├── PythonInstanceTask  (python_function_task.py)    a platform-defined `execute`
        └── PythonFunctionTask  (python_function_task.py)    a user function (`@task`)
```
`TaskResolverMixin` is the contract that finds a task again inside the container.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as _dt
import sys
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flyteidl.core.interface_pb2 import TypedInterface
from flyteidl.core.literals_pb2 import LiteralMap, RetryStrategy
from flyteidl.core.types_pb2 import LiteralType

from flytelite.core import _call as _call
from flytelite.core._decks import DeckField
from flytelite.core.context_manager import (
    ExecutionParameters,
    ExecutionState,
    FlyteContext,
    FlyteContextManager,
    FlyteEntities,
)
from flytelite.core.interface import Interface, kwtypes, transform_interface_to_typed_interface, typed_interface
from flytelite.core.task_node import run_task_node
from flytelite.core.tracker import TrackedInstance
from flytelite.core.type_engine import TypeEngine
from flytelite.core.utils import timeit
from flytelite.errors import (
    FlyteDownloadDataException,
    FlyteNonRecoverableSystemException,
    FlyteRecoverableException,
    FlyteTypeException,
    FlyteUploadDataException,
    FlyteUserRuntimeException,
    FlyteValidationException,
    TypeTransformerFailedError,
    add_note,
)
from flytelite.loggers import get_logger
from flytelite.models._convert import view_of

if TYPE_CHECKING:  # the task, workflow and security protos are loaded when a task is serialized or compiled
    from flyteidl.core.security_pb2 import SecurityContext
    from flyteidl.core.tasks_pb2 import Container as _Container
    from flyteidl.core.tasks_pb2 import ExtendedResources, K8sPod, Sql
    from flyteidl.core.tasks_pb2 import TaskMetadata as _TaskMetadataModel
    from flyteidl.core.workflow_pb2 import NodeMetadata

__all__ = [
    "IgnoreOutputs",
    "PythonTask",
    "Task",
    "TaskMetadata",
    "TaskResolverMixin",
    "kwtypes",
]

logger = get_logger("flytelite")

T = TypeVar("T")

_SDK_VERSION = "0.1.0"  # flytelite's version; kept here because the package root is not importable from L3


# `repr`, `==` and `hash` are written below rather than generated: each generated method is compiled from source
# when the class is built (~0.15 ms apiece), and every process that declares a task builds this class.
@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class TaskMetadata:
    """Caching, retries, timeout and the other platform settings of a task (flytekit's fields and rules).

    A frozen dataclass: `dataclasses.replace`, `fields` and `asdict` work on it; `repr`, `==` and `hash` are the ones
    a frozen dataclass has (by the fields, in order).

    Raises:
        FlyteValidationException: `cache` without `cache_version`, `cache_serialize` or `cache_ignore_input_vars`
            without `cache`, or a `timeout` that is neither seconds nor a timedelta.
    """

    cache: bool = False
    cache_serialize: bool = False
    cache_version: str = ""
    cache_ignore_input_vars: tuple[str, ...] = ()
    interruptible: bool | None = None
    deprecated: str = ""
    retries: int = 0
    timeout: _dt.timedelta | int | None = None
    pod_template_name: str | None = None
    generates_deck: bool = False
    is_eager: bool = False
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.timeout:
            if isinstance(self.timeout, int):
                object.__setattr__(self, "timeout", _dt.timedelta(seconds=self.timeout))
            elif not isinstance(self.timeout, _dt.timedelta):
                raise FlyteValidationException(
                    "timeout should be duration represented as either a datetime.timedelta or int seconds"
                )
        object.__setattr__(self, "cache_ignore_input_vars", tuple(self.cache_ignore_input_vars or ()))
        if self.cache and not self.cache_version:
            raise FlyteValidationException("Caching is enabled ``cache=True`` but ``cache_version`` is not set.")
        if self.cache_serialize and not self.cache:
            raise FlyteValidationException(
                "Cache serialize is enabled ``cache_serialize=True`` but ``cache`` is not enabled."
            )
        if self.cache_ignore_input_vars and not self.cache:
            raise FlyteValidationException(
                f"Cache ignore input vars are specified ``cache_ignore_input_vars={self.cache_ignore_input_vars}``"
                " but ``cache`` is not enabled."
            )
        if self.retries < 0:
            raise FlyteValidationException(f"retries must be zero or more, got {self.retries}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self) if f.compare)

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    @property
    def retry_strategy(self) -> RetryStrategy:
        """Return the `RetryStrategy` protobuf."""
        return RetryStrategy(retries=self.retries)

    def to_taskmetadata_model(self) -> _TaskMetadataModel:
        """Return the `TaskMetadata` protobuf (runtime: FLYTE_SDK, flytelite's version, flavor "python")."""
        from flyteidl.core.tasks_pb2 import K8sObjectMetadata, RuntimeMetadata
        from flyteidl.core.tasks_pb2 import TaskMetadata as _TaskMetadataModel

        m = _TaskMetadataModel(
            discoverable=self.cache,
            runtime=RuntimeMetadata(type=RuntimeMetadata.RuntimeType.FLYTE_SDK, version=_SDK_VERSION, flavor="python"),
            retries=self.retry_strategy,
            discovery_version=self.cache_version,
            deprecated_error_message=self.deprecated,
            cache_serializable=self.cache_serialize,
            pod_template_name=self.pod_template_name or "",
            cache_ignore_input_vars=list(self.cache_ignore_input_vars),
            is_eager=self.is_eager,
            metadata=K8sObjectMetadata(labels=self.labels or {}, annotations=self.annotations or {}),
        )
        m.generates_deck.value = self.generates_deck
        if isinstance(self.timeout, _dt.timedelta) and self.timeout:
            m.timeout.FromTimedelta(self.timeout)
        if self.interruptible is not None:
            m.interruptible = self.interruptible
        return m


_METADATA_FIELDS = frozenset(f.name for f in dataclasses.fields(TaskMetadata))


class IgnoreOutputs(Exception):
    """Raise from a task to say its outputs should not be written (e.g. a non-leader worker)."""


_LOCAL_TASK_EXECUTION = ExecutionState.Mode.LOCAL_TASK_EXECUTION  # read once: an enum member read costs ~0.1 µs


class Task:
    """The base of all tasks: a task type, a name, a `TypedInterface` and `TaskMetadata`; no Python types.

    Keyword arguments that are `TaskMetadata` fields (`retries=`, `timeout=`, `cache=`, …) are merged into
    `metadata`; any other unknown keyword raises `TypeError` (flytekit silently drops them).
    """

    def __init__(
        self,
        task_type: str,
        name: str,
        interface: TypedInterface | None,
        metadata: TaskMetadata | None = None,
        task_type_version: int = 0,
        security_ctx: SecurityContext | None = None,
        docs: Any = None,
        **kwargs: Any,
    ) -> None:
        unknown = sorted(k for k in kwargs if k not in _METADATA_FIELDS)
        if unknown:
            raise TypeError(f"unknown keyword argument(s) {', '.join(map(repr, unknown))} for task {name!r}")
        metadata = metadata if metadata is not None else TaskMetadata()
        if kwargs:
            metadata = dataclasses.replace(metadata, **kwargs)
        self._task_type = task_type
        self._name = name
        self._interface = interface if interface is not None else TypedInterface()
        self._metadata = metadata
        self._task_type_version = task_type_version
        self._security_ctx = security_ctx
        self._docs = docs
        FlyteEntities.entities.append(self)

    @property
    def interface(self) -> Any:
        """Return the typed interface as flytekit's `models.interface.TypedInterface` (a view over the protobuf)."""
        return view_of(self._interface)

    @property
    def metadata(self) -> TaskMetadata:
        """Return the task metadata."""
        return self._metadata

    @property
    def name(self) -> str:
        """Return the task name."""
        return self._name

    @property
    def task_type(self) -> str:
        """Return the task type (`python-task`, `sql_task`, …)."""
        return self._task_type

    @property
    def task_type_version(self) -> int:
        """Return the version of the task type's plugin contract."""
        return self._task_type_version

    @property
    def python_interface(self) -> Interface | None:
        """Return the native interface (None for a task without Python types)."""
        return None

    @property
    def security_context(self) -> SecurityContext | None:
        """Return the security context (requested secrets)."""
        return self._security_ctx

    @property
    def docs(self) -> Any:
        """Return the documentation entity, if any."""
        return self._docs

    def get_type_for_input_var(self, k: str, v: Any) -> Any:
        """Return the Python type of input `k` (here: the type of the value)."""
        return type(v)

    def get_type_for_output_var(self, k: str, v: Any) -> Any:
        """Return the Python type of output `k` (here: the type of the value)."""
        return type(v)

    def get_input_types(self) -> dict[str, Any] | None:
        """Return `{name: type}` of the inputs (None without a Python interface)."""
        return None

    def local_execution_mode(self) -> ExecutionState.Mode:
        """Return the mode a local call of this task runs in."""
        return _LOCAL_TASK_EXECUTION

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the task: local run at the top level, a node while a workflow compiles."""
        return _call.flyte_entity_call_handler(self, *args, **kwargs)

    def compile(self, ctx: FlyteContext, *args: Any, **kwargs: Any) -> Any:
        """Create the node of this task in the workflow being compiled (implemented by `PythonTask`)."""
        raise FlyteTypeException(f"task {self.name!r} of type {type(self).__name__} cannot be used in a workflow")

    def local_execute(self, ctx: FlyteContext, **kwargs: Any) -> Any:
        """Run the task locally as a one-node run: inputs to literals, then `run_task_node` (cache, retries)."""
        input_map = _call.inputs_to_literal_map(ctx, self, kwargs)
        outputs = run_task_node(self, input_map, ctx, retries=self.metadata.retries)
        expected = typed_interface(self).outputs.variables
        produced = outputs.literals
        fits = len(expected) == len(produced)
        for k in produced if fits else ():
            if k not in expected:
                fits = False
                break
        if not fits:
            raise FlyteValidationException(
                f"task '{self.name}' produced outputs {sorted(produced)} but declares {sorted(expected)}"
            )
        return _call.create_task_output(self, outputs)

    def sandbox_execute(self, ctx: FlyteContext, input_literal_map: LiteralMap) -> Any:
        """Run `dispatch_execute` with execution parameters private to this execution (working dir, checkpoint)."""
        es = ctx.execution_state
        if es is None or es.user_space_params is None:
            raise FlyteValidationException(f"task '{self.name}' needs an execution state to run locally")
        params = es.user_space_params.with_task_sandbox()
        sandboxed = ctx.with_execution_state(es.with_params(user_space_params=params))
        try:
            return self.dispatch_execute(sandboxed, input_literal_map)
        finally:
            # Each execution renders its own decks; handing them up keeps flytekit's view that, after a local call,
            # `current_context().decks` holds the decks its tasks made.
            decks = params.decks
            if decks:
                es.user_space_params.decks.extend(decks)

    def dispatch_execute(self, ctx: FlyteContext, input_literal_map: LiteralMap) -> Any:
        """Convert inputs, run `execute`, convert outputs (implemented by `PythonTask`)."""
        raise FlyteTypeException(f"task {self.name!r} of type {type(self).__name__} cannot be executed in Python")

    def pre_execute(self, user_params: ExecutionParameters | None) -> ExecutionParameters | None:
        """Adjust the execution parameters before inputs are converted (default: unchanged)."""
        return user_params

    def execute(self, **kwargs: Any) -> Any:
        """Run the task's work (overridden by every concrete task)."""
        raise FlyteTypeException(f"task {self.name!r} of type {type(self).__name__} has no execute method")

    def get_container(self, settings: Any) -> _Container | None:
        """Return the container definition (None: not a container task)."""
        return None

    def get_k8s_pod(self, settings: Any) -> K8sPod | None:
        """Return the pod definition (None: no pod template)."""
        return None

    def get_sql(self, settings: Any) -> Sql | None:
        """Return the SQL definition (None: not a SQL task)."""
        return None

    def get_custom(self, settings: Any) -> dict[str, Any] | None:
        """Return plugin-specific custom data (None: none)."""
        return None

    def get_config(self, settings: Any) -> dict[str, str] | None:
        """Return the task config map (None: none)."""
        return None

    def get_extended_resources(self, settings: Any) -> ExtendedResources | None:
        """Return accelerators and shared memory (None: none)."""
        return None


def _merge_docstring(docs: Any, docstring: Any) -> Any:
    """Return `docs` completed with the docstring's descriptions (flytekit's rule: the docstring wins when set)."""
    if docstring is None:
        return docs
    short, long = docstring.short_description, docstring.long_description
    if docs is None and not (short or long):
        return None
    from flytelite.models.documentation import Description, Documentation  # only documented tasks need them

    if docs is None:
        return Documentation(short_description=short, long_description=Description(value=long))
    if isinstance(docs, Documentation):
        if short:
            docs.short_description = short
        if long:
            docs.long_description = Description(value=long)
    return docs


def is_dynamic_job_spec(value: Any) -> bool:
    """Tell whether `value` is a `DynamicJobSpec`, without loading the dynamic-task protos (~5 ms) to ask.

    Whatever builds a spec loads them, so while they are not loaded no value can be one.
    """
    module = sys.modules.get("flyteidl.core.dynamic_job_pb2")
    return module is not None and isinstance(value, module.DynamicJobSpec)


class PythonTask(TrackedInstance, Task, Generic[T]):
    """A task with a native Python interface; `execute(**inputs)` is the work.

    Args:
        task_type: the plugin's task type.
        name: the task name.
        task_config: plugin configuration (kept as `task_config`).
        interface: the native interface (`Interface(inputs=kwtypes(a=int), outputs=kwtypes(o0=int))`).
        environment: env vars for the container.
        disable_deck: deprecated opposite of `enable_deck`.
        enable_deck: render decks for this task.
        deck_fields: which decks to render.
    """

    def __init__(
        self,
        task_type: str,
        name: str,
        task_config: T | None = None,
        interface: Interface | None = None,
        environment: dict[str, str] | None = None,
        disable_deck: bool | None = None,
        enable_deck: bool | None = None,
        deck_fields: tuple[DeckField | str, ...] | None = (
            DeckField.SOURCE_CODE,
            DeckField.DEPENDENCIES,
            DeckField.TIMELINE,
            DeckField.INPUT,
            DeckField.OUTPUT,
        ),
        **kwargs: Any,
    ) -> None:
        super().__init__(
            task_type=task_type,
            name=name,
            interface=transform_interface_to_typed_interface(interface, allow_partial_artifact_id_binding=True),
            **kwargs,
        )
        self._python_interface = interface if interface is not None else Interface()
        self._environment = environment or {}
        self._task_config = task_config
        if disable_deck is not None and enable_deck is not None:
            raise ValueError("only one of [disable_deck, enable_deck] can be set")
        self._disable_deck = not enable_deck if enable_deck is not None else (disable_deck is not False)
        self._deck_fields = list(deck_fields) if deck_fields is not None and self.enable_deck else []
        members = set(DeckField)
        for field in self._deck_fields:
            if field not in members:
                raise ValueError(
                    f"Element {field} from deck_fields param is not a valid deck field. "
                    f"Please use one of {sorted(f.value for f in DeckField)}"
                )
        if self.enable_deck:
            self._metadata = dataclasses.replace(self._metadata, generates_deck=True)
        self._docs = _merge_docstring(self._docs, self._python_interface.docstring)

    @property
    def python_interface(self) -> Interface:
        """Return the native interface."""
        return self._python_interface

    @property
    def task_config(self) -> T | None:
        """Return the plugin configuration."""
        return self._task_config

    @property
    def environment(self) -> dict[str, str]:
        """Return the env vars for the container."""
        return self._environment

    @property
    def enable_deck(self) -> bool:
        """Tell whether decks are rendered."""
        return not self._disable_deck

    @property
    def disable_deck(self) -> bool:
        """Tell whether decks are not rendered (deprecated; use `enable_deck`)."""
        return self._disable_deck

    @property
    def deck_fields(self) -> list[Any]:
        """Return the decks rendered when decks are on."""
        return self._deck_fields

    def get_type_for_input_var(self, k: str, v: Any) -> Any:
        """Return the declared Python type of input `k`."""
        return self._python_interface.inputs[k]

    def get_type_for_output_var(self, k: str, v: Any) -> Any:
        """Return the declared Python type of output `k`."""
        return self._python_interface.outputs[k]

    def get_input_types(self) -> dict[str, Any]:
        """Return `{name: type}` of the inputs."""
        return self._python_interface.inputs

    def construct_node_metadata(self) -> NodeMetadata:
        """Return the metadata of a node running this task (name = last dotted part of the task name)."""
        from flyteidl.core.workflow_pb2 import NodeMetadata

        md = NodeMetadata(name=self.name.rsplit(".", 1)[-1], retries=self.metadata.retry_strategy)
        if isinstance(self.metadata.timeout, _dt.timedelta) and self.metadata.timeout:
            md.timeout.FromTimedelta(self.metadata.timeout)
        if self.metadata.interruptible is not None:
            md.interruptible = self.metadata.interruptible
        return md

    def compile(self, ctx: FlyteContext, *args: Any, **kwargs: Any) -> Any:
        """Create the node of this task in the workflow being compiled and return its output promises."""
        return _call.compile_entity(ctx, self, **kwargs)

    def dispatch_execute(self, ctx: FlyteContext, input_literal_map: LiteralMap) -> Any:
        """Run one execution on literals: pre_execute, inputs, `execute`, post_execute, outputs.

        Returns a `LiteralMap` (or a `LiteralMap`/`DynamicJobSpec` that `execute` returned as is). Locally, errors
        keep their type and get the task name as a note; in a pod (`TASK_EXECUTION`) conversion errors become
        `FlyteNonRecoverableSystemException` and user errors `FlyteUserRuntimeException`.
        """
        params = self.pre_execute(ctx.user_space_params)
        enable_deck = self.enable_deck
        if enable_deck and params is not None:
            if DeckField.TIMELINE in self.deck_fields and params.timeline_deck not in params.decks:
                params.decks.append(params.timeline_deck)
            params = params.with_enable_deck(True)
        es = ctx.execution_state
        if es is None or es.user_space_params is not params:  # else `ctx` already is the context to run in
            es = es or ctx.new_execution_state()
            exec_ctx = ctx.with_execution_state(es.with_params(user_space_params=params))
        else:
            exec_ctx = ctx
        local = es.is_local_execution()
        with FlyteContextManager.with_context(exec_ctx):
            try:
                native_inputs = TypeEngine.literal_map_to_kwargs(exec_ctx, input_literal_map, self.get_input_types())
            except (FlyteUploadDataException, FlyteDownloadDataException):
                raise
            except Exception as exc:
                if local:
                    add_note(exc, f"Error encountered while converting inputs of '{self.name}'")
                    raise
                raise FlyteNonRecoverableSystemException(exc) from exc
            try:
                if enable_deck:
                    with timeit("Execute user level code"):
                        native_outputs = self.execute(**native_inputs)
                else:
                    native_outputs = self.execute(**native_inputs)
            except (IgnoreOutputs, FlyteRecoverableException):
                raise
            except Exception as exc:
                if local:
                    add_note(exc, f"Error encountered while executing '{self.name}'")
                    raise
                raise FlyteUserRuntimeException(exc) from exc
            native_outputs = self.post_execute(params, native_outputs)
            if isinstance(native_outputs, LiteralMap) or is_dynamic_job_spec(native_outputs):
                return native_outputs
            try:
                outputs = self._output_to_literal_map(native_outputs, exec_ctx)
                if enable_deck:
                    self._write_decks(native_inputs, self._outputs_as_map(native_outputs), exec_ctx, params)
                return outputs
            except (FlyteUploadDataException, FlyteDownloadDataException):
                raise
            except Exception as exc:
                if local:
                    raise
                raise FlyteNonRecoverableSystemException(exc) from exc

    def _outputs_as_map(self, native_outputs: Any) -> dict[str, Any]:
        interface = self.python_interface
        names = list(interface.outputs)  # protobuf maps do not keep declaration order
        if not names:
            return {}
        if len(names) == 1:
            if interface.output_tuple_name and isinstance(native_outputs, tuple):
                return {names[0]: native_outputs[0]}
            return {names[0]: native_outputs}
        if not isinstance(native_outputs, tuple) or len(native_outputs) != len(names):
            got = len(native_outputs) if isinstance(native_outputs, tuple) else f"a {type(native_outputs).__name__}"
            raise FlyteTypeException(
                f"task '{self.name}' must return {len(names)} values ({', '.join(names)}), got {got}"
            )
        return dict(zip(names, native_outputs, strict=True))

    def _output_type(self, name: str) -> LiteralType:
        return typed_interface(self).outputs.variables[name].type

    def _output_to_literal_map(self, native_outputs: Any, ctx: FlyteContext) -> LiteralMap:
        """Convert what `execute` returned into the output `LiteralMap`."""
        registry = TypeEngine.registry()
        out = LiteralMap()
        literals = out.literals
        for k, v in self._outputs_as_map(native_outputs).items():
            py_type = self.get_type_for_output_var(k, v)
            if isinstance(v, tuple):
                raise FlyteTypeException(
                    f"Output({k}) in task '{self.name}' received a tuple {v}, instead of {py_type}"
                )
            try:
                registry.fill_literal(ctx, v, py_type, literals, k, self._output_type)
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                path = getattr(exc, "path", "")
                reason = getattr(exc, "reason", None) or str(exc)
                err = TypeTransformerFailedError(f"task '{self.name}', output '{k}{path}': {reason}")
                err.path, err.reason = f"{k}{path}", reason
                raise err from exc
            except (FlyteUploadDataException, FlyteDownloadDataException) as exc:
                # storage failures stay system errors (retryable) but say which task and output they hit
                raise exc.with_prefix(f"task '{self.name}', output '{k}': ") from exc
        return out

    def post_execute(self, user_params: ExecutionParameters | None, rval: Any) -> Any:
        """Adjust what `execute` returned (default: unchanged)."""
        return rval

    def _write_decks(
        self,
        native_inputs: dict[str, Any],
        native_outputs_as_map: dict[str, Any],
        ctx: FlyteContext,
        new_user_params: ExecutionParameters | None,
    ) -> None:
        """Add the input and output decks; in a local run also write `deck.html` (its path is logged).

        In a pod the entrypoint writes the page (`flytelite.deck.render_deck_html`) next to `outputs.pb`.
        """
        if not self.enable_deck:
            return
        from flytelite.deck.deck import output_deck, write_io_decks  # only tasks with decks load the renderers

        write_io_decks(
            ctx,
            self.deck_fields,
            native_inputs,
            {k: self.get_type_for_input_var(k, v) for k, v in native_inputs.items()},
            native_outputs_as_map,
            {k: self.get_type_for_output_var(k, v) for k, v in native_outputs_as_map.items()},
        )
        es = ctx.execution_state
        if es is not None and es.is_local_execution() and new_user_params is not None:
            output_deck(self.name.split(".")[-1], new_user_params, ctx)

    @abc.abstractmethod
    def execute(self, **kwargs: Any) -> Any:
        """Run the task's work on native inputs and return native outputs."""


class TaskResolverMixin:
    """Finds a task again inside the container: `loader_args` at serialization, `load_task` at run time."""

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """Return the importable dotted path of this resolver (the `--resolver` value)."""

    @abc.abstractmethod
    def name(self) -> str:
        """Return a human-readable name."""

    @abc.abstractmethod
    def load_task(self, loader_args: list[str]) -> Task:
        """Return the task named by `loader_args`."""

    @abc.abstractmethod
    def loader_args(self, settings: Any, t: Task) -> list[str]:
        """Return the strings after `--` that identify `t`."""

    @abc.abstractmethod
    def get_all_tasks(self) -> list[Task]:
        """Return every task this resolver knows."""

    def task_name(self, t: Task) -> str | None:
        """Return a custom name for `t`, or None to keep its own."""
        return None
