"""`@eager`: an async workflow whose body is plain Python; each awaited call runs a task, workflow or launch plan.

```python
@eager
async def pipeline(x: int) -> int:
    a = await add_one(x=x)                                      # runs add_one, then continues
    b, c = await asyncio.gather(double(x=a), square(x=a))       # run side by side
    return b + c

result = asyncio.run(pipeline(x=1))                             # calling an eager workflow gives a coroutine
```
Locally every call made inside the body starts at once on a worker thread and its result is awaited, so calls
gathered together run concurrently. A failed call raises `flytelite.exceptions.eager.EagerException` at the
`await`, with the task's own error as its cause. Inside a workflow an eager task is a node like any task; run as
a node (or in a pod by `flytelite-execute`) it runs its calls in that process the same way.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import Any, TypeVar

from flytelite.core._call import (
    TaskOutputs,
    flyte_entity_call_handler,
    inputs_to_literal_map,
    normalize_call_args,
    outputs_to_native,
)
from flytelite.core._task_options import split_task_options
from flytelite.core.base_task import TaskMetadata
from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import EagerException, FlyteValidationException

__all__ = ["EagerAsyncPythonFunctionTask", "eager"]

T = TypeVar("T")
_EAGER = ExecutionState.Mode.EAGER_LOCAL_EXECUTION


class _EagerCall:
    """A call made inside an eager body: already running; `await` it for the result (errors: `EagerException`)."""

    __slots__ = ("_future", "_name")

    def __init__(self, name: str, future: asyncio.Future[Any]) -> None:
        self._name = name
        self._future = future

    def __await__(self) -> Generator[Any, None, Any]:
        return self._result().__await__()

    async def _result(self) -> Any:
        try:
            return await self._future
        except EagerException:
            raise
        except Exception as e:
            raise EagerException(f"Error executing {self._name} with error: {e}") from e

    def __repr__(self) -> str:
        return f"<eager call of {self._name}: await it for the result>"


class _EagerRunner:
    """The runner of an `@eager` body (its `ExecutionState.runner`): starts each call made in the body.

    Args:
        outer: the runner of the enclosing run (a graph runner, or None), which workflows called in the body use.
    """

    __slots__ = ("outer",)

    def __init__(self, outer: Any) -> None:
        self.outer = outer

    def start_call(self, entity: Any, inputs: dict[str, Any]) -> _EagerCall:
        """Start a call made inside an eager body and return its awaitable handle."""
        for k, v in inputs.items():
            if isinstance(v, _EagerCall):
                raise FlyteValidationException(
                    f"'{entity.name}', input '{k}': got an un-awaited call ({v!r}); inside @eager write "
                    "`x = await t(...)`"
                )
        loop = asyncio.get_running_loop()
        if isinstance(entity, EagerAsyncPythonFunctionTask):
            fut: asyncio.Future[Any] = asyncio.ensure_future(entity.run_async(inputs))
        else:
            cv = contextvars.copy_context()
            fut = loop.run_in_executor(None, cv.run, self._run_native, entity, inputs)
        return _EagerCall(entity.name, fut)

    def _run_native(self, entity: Any, inputs: dict[str, Any]) -> Any:
        """Run `entity` as a top-level local call (native values in and out) in the calling thread."""
        ctx = FlyteContextManager.current_context()
        es = ctx.execution_state
        es = es.with_params(mode=None, runner=self.outer) if es is not None else ctx.new_execution_state()
        with FlyteContextManager.with_context(ctx.with_execution_state(es)):
            return flyte_entity_call_handler(entity, **inputs)


class EagerAsyncPythonFunctionTask(PythonFunctionTask[T]):
    """An eager workflow: an `async def` whose awaited calls run tasks, workflows and launch plans.

    Args:
        task_config: plugin configuration.
        task_function: the `async def` function.
        task_type: the task type.
        ignore_input_vars: inputs left out of the interface.
        task_resolver: the resolver.
        enable_deck: render decks (on by default, as in flytekit).
        **kwargs: the `PythonAutoContainerTask` options and `TaskMetadata` fields.

    Raises:
        FlyteValidationException: the function is not an `async def`.
    """

    def __init__(
        self,
        task_config: T | None,
        task_function: Callable[..., Coroutine[Any, Any, Any]],
        task_type: str = "python-task",
        ignore_input_vars: list[str] | None = None,
        task_resolver: Any = None,
        enable_deck: bool = True,
        **kwargs: Any,
    ) -> None:
        if not asyncio.iscoroutinefunction(task_function):
            raise FlyteValidationException(f"@eager needs an `async def` function, got {task_function!r}")
        kwargs.pop("execution_mode", None)
        metadata = kwargs.pop("metadata", None) or TaskMetadata()
        super().__init__(
            task_config,
            task_function,
            task_type=task_type,
            ignore_input_vars=ignore_input_vars,
            execution_mode=PythonFunctionTask.ExecutionBehavior.EAGER,
            task_resolver=task_resolver,
            enable_deck=enable_deck,
            metadata=dataclasses.replace(metadata, is_eager=True),
            **kwargs,
        )

    def local_execution_mode(self) -> ExecutionState.Mode:
        """Return the mode the body runs in locally."""
        return _EAGER

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Return a coroutine running the workflow (a node while a workflow compiles)."""
        ctx = FlyteContextManager.current_context()
        es = ctx.execution_state
        if ctx.compilation_state is not None or (es is not None and es.mode == _EAGER):
            return super().__call__(*args, **kwargs)
        return self.run_async(normalize_call_args(self, args, kwargs))

    async def run_async(self, inputs: dict[str, Any]) -> Any:
        """Run the body on `inputs` (checked and converted like a task's) and return its native outputs."""
        ctx = FlyteContextManager.current_context()
        literals = inputs_to_literal_map(ctx, self, inputs)
        native = TypeEngine.literal_map_to_kwargs(ctx, literals, self.get_input_types())
        result = await self._run_body(ctx, native)
        outputs = self._output_to_literal_map(result, ctx)
        return outputs_to_native(ctx, self, TaskOutputs(self.name, outputs.literals))

    async def _run_body(self, ctx: FlyteContext, native: dict[str, Any]) -> Any:
        es = ctx.execution_state or ctx.new_execution_state()
        outer = es.runner.outer if isinstance(es.runner, _EagerRunner) else es.runner
        with FlyteContextManager.with_context(
            ctx.with_execution_state(es.with_params(mode=_EAGER, runner=_EagerRunner(outer)))
        ):
            return await self._task_function(**native)

    def execute(self, **kwargs: Any) -> Any:
        """Run the body to completion in a new event loop (as a workflow node or in a pod)."""
        ctx = FlyteContextManager.current_context()
        return asyncio.run(self._run_body(ctx, kwargs))


def eager(_fn: Callable[..., Awaitable[Any]] | None = None, **kwargs: Any) -> Any:
    """Turn an `async def` into an eager workflow (`@eager` or `@eager(retries=2, ...)`, `@task`'s options).

    Raises:
        TypeError: an unknown option.
    """
    kwargs.pop("enable_deck", None)

    def wrapper(fn: Callable[..., Any]) -> EagerAsyncPythonFunctionTask[Any]:
        metadata, rest = split_task_options(dict(kwargs), fn)
        rest.pop("execution_mode", None)
        task_config = rest.pop("task_config", None)
        return EagerAsyncPythonFunctionTask(task_config, fn, metadata=metadata, enable_deck=True, **rest)

    split_task_options(dict(kwargs))
    return wrapper(_fn) if _fn is not None else wrapper
