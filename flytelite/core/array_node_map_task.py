"""`ArrayNodeMapTask`: run one task over every element of its list inputs.

The map task's interface turns each unbound input `T` of the wrapped task into `List[T]` and its output
into `List[T]` (`List[Optional[T]]` when `min_success_ratio` is below 1, failed items being None). Inputs
bound with `functools.partial` are passed whole to every item. Inside a workflow the graph runner fans the
items out through its executor (`flytelite.exec._map_runner`); `execute` here is the plain loop used when
the map task itself is called as a task, and the one-item path of a pod (`FLYTE_K8S_ARRAY_INDEX`).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import math
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from flyteidl.core.tasks_pb2 import Container, ExtendedResources, K8sPod, Sql
from flyteidl.core.workflow_pb2 import ArrayNode, NodeMetadata

from flytelite.core._context_stack import CONTEXT_STACK
from flytelite.core.array_node import array_node
from flytelite.core.base_task import PythonTask, Task, TaskResolverMixin
from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.interface import Interface
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.python_auto_container import entrypoint_args
from flytelite.core.python_function_task import PythonFunctionTask, PythonInstanceTask
from flytelite.core.tracker import TrackedInstance, extract_task_module
from flytelite.errors import FlyteUserException, add_note

if TYPE_CHECKING:  # settings are only needed when serializing
    from flytelite.configuration import SerializationSettings

__all__ = ["ArrayNodeMapTask", "ArrayNodeMapTaskResolver", "map_task", "transform_interface_to_list_interface"]

MAP_ENTRYPOINT = "flytelite-map-execute"


def transform_interface_to_list_interface(
    interface: Interface, bound_inputs: set[str], optional_outputs: bool
) -> Interface:
    """Return the map interface: unbound inputs and the outputs become lists."""
    inputs: dict[str, Any] = {}
    for k, (t, default) in interface.inputs_with_defaults.items():
        inputs[k] = (t, default) if k in bound_inputs else list[t]  # type: ignore[valid-type]  # runtime type
    outputs = {
        k: list[t | None] if optional_outputs else list[t]  # type: ignore[valid-type]
        for k, t in interface.outputs.items()
    }
    return Interface(inputs=inputs, outputs=outputs)


class ArrayNodeMapTask(PythonTask[Any]):
    """Map `python_function_task` (a task or a `functools.partial` of one) over list inputs.

    Args:
        python_function_task: a `@task` in default mode, a `PythonInstanceTask`, or a partial of either.
        concurrency: how many items may run at once (None or 0: no limit).
        min_successes: how many items must succeed.
        min_success_ratio: the fraction of items that must succeed (default 1.0).
        bound_inputs: inputs passed whole rather than mapped over.
        run_all_sub_nodes: run every item even once the minimum can no longer be met, then check the minimum
            (by default the map fails as soon as too many items have failed).

    Attributes:
        python_function_task: the task run for each item.
        bound_inputs: the inputs passed whole to every item.
        concurrency: how many items may run at once (None: no limit).
        min_successes: how many items must succeed, if set.
        run_all_sub_nodes: whether every item runs even after the failure threshold is met.
    """

    def __init__(
        self,
        python_function_task: Any,
        concurrency: int | None = None,
        min_successes: int | None = None,
        min_success_ratio: float | None = None,
        bound_inputs: set[str] | None = None,
        run_all_sub_nodes: bool = False,
        **kwargs: Any,
    ) -> None:
        self._partial = python_function_task if isinstance(python_function_task, functools.partial) else None
        actual: Any = self._partial.func if self._partial is not None else python_function_task
        is_default_fn = (
            isinstance(actual, PythonFunctionTask)
            and actual.execution_mode == PythonFunctionTask.ExecutionBehavior.DEFAULT
        )
        if not (is_default_fn or isinstance(actual, PythonInstanceTask)):
            raise ValueError(
                "Only PythonFunctionTask with default execution mode (not @dynamic or @eager) and PythonInstanceTask "
                "are supported in map tasks."
            )
        n_outputs = len(actual.python_interface.outputs)
        if n_outputs > 1:
            raise ValueError("Only tasks with a single output are supported in map tasks.")
        self.bound_inputs: set[str] = set(bound_inputs or ())
        if self._partial is not None:
            self.bound_inputs.update(self._partial.keywords)
        optional = min_success_ratio is not None and min_success_ratio != 1 and n_outputs == 1
        interface = transform_interface_to_list_interface(actual.python_interface, self.bound_inputs, optional)
        self.python_function_task: Any = actual
        if isinstance(actual, PythonInstanceTask):
            mod, f = actual.task_type, actual.lhs
        else:
            _, mod, f, _ = extract_task_module(actual.task_function)
        bound = ",".join(sorted(self.bound_inputs))
        import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a map task's name hashes

        digest = hashlib.md5(f"{bound}{concurrency}{min_successes}{min_success_ratio}".encode()).hexdigest()
        self.concurrency: int | None = concurrency
        self.min_successes: int | None = min_successes
        self._min_success_ratio = min_success_ratio
        self.run_all_sub_nodes: bool = run_all_sub_nodes
        exact = type(actual) in (PythonFunctionTask, PythonInstanceTask)
        self._execution_mode = ArrayNode.MINIMAL_STATE if exact else ArrayNode.FULL_STATE
        kwargs.setdefault("metadata", actual.metadata)
        super().__init__(
            task_type=actual.task_type,
            name=f"{mod}.map_{f}_{digest}-arraynode",
            interface=interface,
            task_type_version=1,
            **kwargs,
        )

    @property
    def min_success_ratio(self) -> float:
        """Return the fraction of items that must succeed."""
        return 1.0 if self._min_success_ratio is None else self._min_success_ratio

    @property
    def execution_mode(self) -> int:
        """Return the flyteidl `ArrayNode.ExecutionMode`."""
        return int(self._execution_mode)

    def construct_node_metadata(self) -> NodeMetadata:
        """Return the node metadata: named after the whole map task."""
        md = super().construct_node_metadata()
        md.name = self.name
        return md

    def sub_node_metadata(self) -> NodeMetadata:
        """Return the metadata of the inner node of the array node: the task's, named after the whole map task."""
        md = PythonTask.construct_node_metadata(self)
        md.name = self.name
        return md

    # --- serialization: the inner task's container, with the map command -----------------------------
    @contextlib.contextmanager
    def prepare_target(self) -> Iterator[None]:
        """Make the inner task build its container with the map-task command, for the duration of the block."""
        self.python_function_task.set_command_fn(self.get_command)
        try:
            yield
        finally:
            self.python_function_task.reset_command_fn()

    def set_command_prefix(self, cmd: list[str] | None) -> None:
        """Put `cmd` (e.g. the fast-execute prefix) before the map command."""
        self._cmd_prefix = cmd

    def get_command(self, settings: SerializationSettings) -> list[str]:
        """Return the `flytelite-map-execute` arguments: the map resolver, bound vars and the inner task's loader."""
        resolver = ArrayNodeMapTaskResolver()
        args = entrypoint_args(MAP_ENTRYPOINT, resolver.name(), resolver.loader_args(settings, self))
        prefix: list[str] | None = getattr(self, "_cmd_prefix", None)
        return [*prefix, *args] if prefix else args

    def get_container(self, settings: SerializationSettings) -> Container | None:
        """Return the inner task's container running the map command."""
        with self.prepare_target():
            container: Container | None = self.python_function_task.get_container(settings)
            return container

    def get_k8s_pod(self, settings: SerializationSettings) -> K8sPod | None:
        """Return the inner task's pod running the map command."""
        with self.prepare_target():
            pod: K8sPod | None = self.python_function_task.get_k8s_pod(settings)
            return pod

    def get_sql(self, settings: SerializationSettings) -> Sql | None:
        """Return the inner task's SQL definition."""
        with self.prepare_target():
            sql: Sql | None = self.python_function_task.get_sql(settings)
            return sql

    def get_custom(self, settings: SerializationSettings) -> dict[str, Any]:
        """Return the inner task's custom data (`{}` when none)."""
        custom: dict[str, Any] | None = self.python_function_task.get_custom(settings)
        return custom or {}

    def get_config(self, settings: SerializationSettings) -> dict[str, str] | None:
        """Return the inner task's config."""
        config: dict[str, str] | None = self.python_function_task.get_config(settings)
        return config

    def get_extended_resources(self, settings: SerializationSettings) -> ExtendedResources | None:
        """Return the inner task's accelerator and shared memory."""
        er: ExtendedResources | None = self.python_function_task.get_extended_resources(settings)
        return er

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._partial is not None:
            kwargs = {**self._partial.keywords, **kwargs}
        return super().__call__(*args, **kwargs)

    def execute(self, **kwargs: Any) -> Any:
        """Run the items one after another (or the single item of a pod) and return the output list."""
        es = FlyteContextManager.current_context().execution_state
        if es is not None and es.mode == ExecutionState.Mode.TASK_EXECUTION:
            return self._execute_one(_array_index(), kwargs)
        mapped = [k for k in self.python_interface.inputs if k not in self.bound_inputs]
        n = len(kwargs[mapped[0]]) if mapped else 0
        needed = self.min_successes if self.min_successes is not None else math.ceil(n * self.min_success_ratio)
        results: list[Any] = []
        errors: list[tuple[int, Exception]] = []
        item_context = _item_contexts(FlyteContextManager.current_context())
        run_item = self._item_runner(kwargs)
        outer = CONTEXT_STACK.get()
        try:
            for i in range(n):
                # each item runs with its own context pushed, as in a `with_context` block (set directly: a hot loop)
                CONTEXT_STACK.set((*outer, item_context()))
                try:
                    results.append(run_item(i))
                except Exception as e:
                    errors.append((i, e))
                    results.append(None)
                    if n - len(errors) < needed and not self.run_all_sub_nodes:
                        break
        finally:
            CONTEXT_STACK.set(outer)
        if n - len(errors) < needed:
            i, first = errors[0] if self.run_all_sub_nodes else errors[-1]
            if needed == n:
                add_note(first, f"in item {i} of map task '{self.name}'")
                raise first
            raise FlyteUserException(
                f"map task '{self.name}': too many items failed ({len(errors)} of {n}; item {i}: {first})"
            ) from first
        return results if self.python_interface.outputs else None

    def _execute_one(self, i: int, kwargs: dict[str, Any]) -> Any:
        return self._item_runner(kwargs)(i)

    def _item_runner(self, kwargs: dict[str, Any]) -> Callable[[int], Any]:
        """Return `run(i)`, which runs the task on item `i` (the per-run lookups done once: a hot loop)."""
        execute = self.python_function_task.execute
        bound = {k: v for k, v in kwargs.items() if k in self.bound_inputs}
        mapped = [(k, v) for k, v in kwargs.items() if k not in self.bound_inputs]
        first_field = bool(getattr(self.python_function_task.python_interface, "output_tuple_name", None))
        if len(mapped) == 1 and not bound and not first_field:  # the common case: one mapped input
            name, values = mapped[0]
            return lambda i: execute(**{name: values[i]})

        def run(i: int) -> Any:
            out = execute(**bound, **{k: v[i] for k, v in mapped})
            if first_field and isinstance(out, tuple):
                return out[0]  # the one field of a `NamedTuple("o", slope=float)` output
            return out

        return run


def _item_contexts(ctx: FlyteContext) -> Callable[[], FlyteContext]:
    """Return a maker of the context each item runs in: like a task execution, its own sandbox, its decks handed up."""
    es = ctx.execution_state
    params = ctx.user_space_params
    if es is None or params is None:
        return lambda: ctx
    decks = params.decks  # an item's decks are the map's (as the runner hands each item's decks up)

    def item_context() -> FlyteContext:
        item = params.with_task_sandbox()
        item._decks = decks
        return ctx.with_execution_state(es.with_params(user_space_params=item))

    return item_context


class ArrayNodeMapTaskResolver(TrackedInstance, TaskResolverMixin):
    """Finds a map task in its pod: `vars <bound,csv> resolver <inner resolver> <inner loader args...>`.

    The entrypoint instantiates this class (its `--resolver` value is the class path) and the inner resolver loads the
    task that is mapped; the bound inputs are given back so the interface is rebuilt as it was declared.
    """

    def name(self) -> str:
        """Return the class path (the `--resolver` value)."""
        return "flytelite.core.array_node_map_task.ArrayNodeMapTaskResolver"

    @property
    def location(self) -> str:
        """Return the class path (the `--resolver` value)."""
        return self.name()

    def load_task(self, loader_args: list[str], max_concurrency: int = 0) -> ArrayNodeMapTask:
        """Load the inner task through its resolver and wrap it in an `ArrayNodeMapTask`.

        Raises:
            ValueError: the loader args are not `vars <csv> resolver <location> <args...>`.
        """
        if len(loader_args) < 4 or loader_args[0] != "vars" or loader_args[2] != "resolver":
            raise ValueError(f"expected map loader args 'vars <csv> resolver <location> ...', got {loader_args}")
        _, bound_vars, _, location, *inner_args = loader_args
        module_name, _, attr = location.rpartition(".")
        inner_resolver = getattr(importlib.import_module(module_name), attr)
        if isinstance(inner_resolver, type):
            inner_resolver = inner_resolver()
        inner = inner_resolver.load_task(loader_args=inner_args)
        bound = {v for v in bound_vars.split(",") if v}
        return ArrayNodeMapTask(inner, concurrency=max_concurrency or None, bound_inputs=bound)

    def loader_args(self, settings: SerializationSettings, t: Task) -> list[str]:
        """Return `["vars", <sorted bound inputs>, "resolver", <inner location>, <inner loader args...>]`."""
        if not isinstance(t, ArrayNodeMapTask):
            raise TypeError(f"ArrayNodeMapTaskResolver serializes map tasks only, got {type(t).__name__}")
        inner = t.python_function_task
        return [
            "vars",
            ",".join(sorted(t.bound_inputs)),
            "resolver",
            inner.task_resolver.location,
            *inner.task_resolver.loader_args(settings, inner),
        ]

    def get_all_tasks(self) -> list[Task]:
        """Return no tasks: map tasks are made from other tasks, not stored."""
        return []


def _array_index() -> int:
    var = os.environ.get("BATCH_JOB_ARRAY_INDEX_VAR_NAME", "")
    offset = int(os.environ.get("BATCH_JOB_ARRAY_INDEX_OFFSET", "0") or 0)
    return offset + int(os.environ.get(var, "0") or 0)


def map_task(
    target: Any,
    concurrency: int | None = None,
    min_successes: int | None = None,
    min_success_ratio: float = 1.0,
    run_all_sub_nodes: bool = False,
    **kwargs: Any,
) -> Any:
    """Return a map task running `target` (a task, a partial of one, or a launch plan) over list inputs.

    A launch plan is mapped by an `ArrayNode` (flytekit's `array_node`); anything else by an `ArrayNodeMapTask`.

    Args:
        target: the task to run per item; `functools.partial` binds inputs passed whole to every item.
        concurrency: how many items may run at once (None or 0: no limit).
        min_successes: how many items must succeed.
        min_success_ratio: the fraction of items that must succeed; below 1 the output holds None for failures.
        run_all_sub_nodes: run every item even once the minimum can no longer be met, then check it.
    """
    if isinstance(target, LaunchPlan):
        return array_node(
            target,
            concurrency=concurrency,
            min_successes=min_successes,
            min_success_ratio=min_success_ratio,
            run_all_sub_nodes=run_all_sub_nodes,
        )
    return ArrayNodeMapTask(
        target,
        concurrency=concurrency,
        min_successes=min_successes,
        min_success_ratio=min_success_ratio,
        run_all_sub_nodes=run_all_sub_nodes,
        **kwargs,
    )
