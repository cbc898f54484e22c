"""`PythonInstanceTask` (a platform-defined `execute`) and `PythonFunctionTask` (a user function, `@task`).

An instance task is found in the container by `<module>.<variable>` (its variable name, `TrackedInstance.lhs`); a
function task by `<module>.<function name>`.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flytelite.core._decks import Deck, DeckField
from flytelite.core.base_task import TaskResolverMixin
from flytelite.core.context_manager import ExecutionParameters, FlyteContext, FlyteContextManager
from flytelite.core.docstring import Docstring
from flytelite.core.interface import transform_function_to_interface
from flytelite.core.python_auto_container import PythonAutoContainerTask, default_task_resolver
from flytelite.core.task_node import load_object_from_module
from flytelite.core.tracker import extract_task_module, is_functools_wrapped_module_level, isnested, istestfunction
from flytelite.errors import FlyteValidationException

__all__ = ["PythonFunctionTask", "PythonInstanceTask"]

T = TypeVar("T")

DYNAMIC_COMPILER = "flytelite.tools._dynamic.compile_into_workflow"
"""Compiles a dynamic task's body into a `DynamicJobSpec` in a pod; a layer above (it serializes), found by name."""


class PythonInstanceTask(PythonAutoContainerTask[T]):
    """The base of tasks whose `execute` is written by a plugin, not by the user (`ShellTask`, `SQLite3Task`).

    ```python
    class Echo(PythonInstanceTask[None]):
        def __init__(self, name: str) -> None:
            super().__init__(name=name, task_config=None, interface=Interface(kwtypes(a=int), kwtypes(o0=int)))

        def execute(self, **kwargs: int) -> int:
            return kwargs["a"]

    echo = Echo(name="echo")   # found in the container as <module>.echo
    ```

    Raises:
        TypeError: the class does not define `execute` (flytekit accepts it and returns None when called).
    """

    def __init__(
        self,
        name: str,
        task_config: T | None,
        task_type: str = "python-task",
        task_resolver: TaskResolverMixin | None = None,
        **kwargs: Any,
    ) -> None:
        if getattr(type(self).execute, "__isabstractmethod__", False):
            raise TypeError(f"{type(self).__name__} must define execute(self, **kwargs) to be a PythonInstanceTask")
        super().__init__(name=name, task_config=task_config, task_type=task_type, task_resolver=task_resolver, **kwargs)


class PythonFunctionTask(PythonAutoContainerTask[T]):
    """A task that runs a Python function; its interface comes from the function's annotations and docstring.

    Args:
        task_config: plugin configuration.
        task_function: the function.
        task_type: the task type.
        ignore_input_vars: inputs left out of the interface.
        execution_mode: DEFAULT (call the function), DYNAMIC (build a sub-workflow), EAGER.
        task_resolver: the resolver.
        node_dependency_hints: entities a dynamic task launches (dynamic only).
        **kwargs: the `PythonAutoContainerTask` options and `TaskMetadata` fields.

    Raises:
        FlyteValidationException: a nested function with the default resolver (outside test modules), or
            `node_dependency_hints` on a non-dynamic task.
    """

    class ExecutionBehavior(enum.Enum):
        """How `execute` runs the function."""

        DEFAULT = 1
        DYNAMIC = 2
        EAGER = 3

    def __init__(
        self,
        task_config: T | None,
        task_function: Callable[..., Any],
        task_type: str = "python-task",
        ignore_input_vars: list[str] | None = None,
        execution_mode: ExecutionBehavior = ExecutionBehavior.DEFAULT,
        task_resolver: TaskResolverMixin | None = None,
        node_dependency_hints: Iterable[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if task_function is None:
            raise FlyteValidationException("TaskFunction is a required parameter for PythonFunctionTask")
        self._native_interface = transform_function_to_interface(task_function, Docstring(callable_=task_function))
        interface = self._native_interface.remove_inputs(ignore_input_vars)
        name, _, _, _ = extract_task_module(task_function)
        super().__init__(
            task_type=task_type,
            name=name,
            interface=interface,
            task_config=task_config,
            task_resolver=task_resolver,
            **kwargs,
        )
        if (
            self._task_resolver is default_task_resolver
            and isnested(task_function)
            and not istestfunction(task_function)
            and not is_functools_wrapped_module_level(task_function)
        ):
            raise FlyteValidationException(
                "TaskFunction cannot be a nested/inner or local function. It should be accessible at a module level "
                "for Flyte to execute it. Test modules with names beginning with `test_` are allowed to have nested "
                "tasks. If you're decorating your task function with custom decorators, use functools.wraps or "
                "functools.update_wrapper on the function wrapper. Alternatively if you want to create your own tasks "
                "with custom behavior use the TaskResolverMixin"
            )
        if node_dependency_hints is not None and execution_mode != self.ExecutionBehavior.DYNAMIC:
            raise FlyteValidationException(
                "node_dependency_hints should only be used on dynamic tasks. On static tasks and workflows its "
                "redundant because flyte can find the node dependencies automatically"
            )
        self._task_function = task_function
        self._execution_mode = execution_mode
        self._node_dependency_hints = node_dependency_hints

    @property
    def execution_mode(self) -> ExecutionBehavior:
        """Return how `execute` runs the function."""
        return self._execution_mode

    @property
    def node_dependency_hints(self) -> Iterable[Any] | None:
        """Return the entities a dynamic task may launch."""
        return self._node_dependency_hints

    @property
    def task_function(self) -> Callable[..., Any]:
        """Return the user function."""
        return self._task_function

    @property
    def name(self) -> str:
        """Return the task name (`<module>.<function>`, prefixed by the creating module when that differs)."""
        if self.instantiated_in and self.instantiated_in not in self._name:
            return f"{self.instantiated_in}.{self._name}"
        return self._name

    def execute(self, **kwargs: Any) -> Any:
        """Call the function (DEFAULT) or run it as a dynamic workflow (DYNAMIC)."""
        if self._execution_mode == _DYNAMIC:
            return self.dynamic_execute(self._task_function, **kwargs)
        return self._task_function(**kwargs)

    def dynamic_execute(self, task_function: Callable[..., Any], **kwargs: Any) -> Any:
        """Run a dynamic task: locally its body's sub-graph through the run's graph runner, in a pod its spec.

        Returns the outputs `LiteralMap` (locally, or in a pod when the body creates no node), else the
        `DynamicJobSpec` Flyte runs next (`flytelite.tools._dynamic.compile_into_workflow`).
        """
        ctx = FlyteContextManager.current_context()
        es = ctx.execution_state
        if es is not None and es.is_local_execution():
            # Local modes compile the body into a sub-graph and run it through the graph runner of the run.
            from flytelite.core.workflow import run_dynamic_locally  # with the workflow protos: dynamic tasks only

            return run_dynamic_locally(self, ctx, **kwargs)
        # In a pod (or a test in TASK_EXECUTION mode, as in flytekit) `dispatch_execute` returns the DynamicJobSpec
        # that the entrypoint writes as futures.pb (a body that creates no node: its outputs).
        compile_into_workflow = load_object_from_module(DYNAMIC_COMPILER)
        return compile_into_workflow(self, ctx, **kwargs)

    def _write_decks(
        self,
        native_inputs: dict[str, Any],
        native_outputs_as_map: dict[str, Any],
        ctx: FlyteContext,
        new_user_params: ExecutionParameters | None,
    ) -> None:
        """Add the source-code and dependencies decks (when in `deck_fields`), then the input/output decks."""
        if self.enable_deck:
            from flytelite.deck.renderer import PythonDependencyRenderer, SourceCodeRenderer  # only for decks

            if DeckField.SOURCE_CODE in self.deck_fields:
                with contextlib.suppress(OSError, TypeError):  # no source: e.g. defined in an interactive session
                    source = inspect.getsource(self._task_function)
                    Deck(DeckField.SOURCE_CODE.value).append(SourceCodeRenderer().to_html(source))
            if DeckField.DEPENDENCIES in self.deck_fields:
                Deck(DeckField.DEPENDENCIES.value).append(PythonDependencyRenderer().to_html())
        super()._write_decks(native_inputs, native_outputs_as_map, ctx, new_user_params)

    def __repr__(self) -> str:
        return f"PythonFunctionTask({self.name}{inspect.signature(self._task_function)})"


_DYNAMIC = PythonFunctionTask.ExecutionBehavior.DYNAMIC  # read once: an enum member read costs ~0.1 µs
