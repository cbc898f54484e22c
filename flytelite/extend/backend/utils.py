"""Helpers for connector authors (flytekit's `flytekit.extend.backend.utils` path)."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from flyteidl.core.execution_pb2 import TaskExecution

from flytelite.core.context_manager import current_context
from flytelite.models._view import to_pb

__all__ = [
    "convert_to_flyte_phase",
    "get_agent_secret",
    "get_connector_secret",
    "is_terminal_phase",
    "mirror_async_methods",
    "render_task_template",
]

_PHASES: dict[str, int] = {
    **dict.fromkeys(("failed", "timeout", "timedout", "canceled", "cancelled", "skipped"), TaskExecution.FAILED),
    "internal_error": TaskExecution.RETRYABLE_FAILED,
    **dict.fromkeys(("done", "succeeded", "success", "completed"), TaskExecution.SUCCEEDED),
    **dict.fromkeys(("running", "terminating"), TaskExecution.RUNNING),
    "pending": TaskExecution.INITIALIZING,
}
_TERMINAL = frozenset(
    (TaskExecution.SUCCEEDED, TaskExecution.ABORTED, TaskExecution.FAILED, TaskExecution.RETRYABLE_FAILED)
)


def mirror_async_methods(func: Callable[..., Any], **kwargs: Any) -> Awaitable[Any]:
    """Return an awaitable of `func(**kwargs)`: the coroutine of an async function, else the call in a thread.

    Must be called with an event loop running (inside a coroutine).
    """
    if inspect.iscoroutinefunction(func):
        result: Awaitable[Any] = func(**kwargs)
        return result
    return asyncio.get_running_loop().run_in_executor(None, functools.partial(func, **kwargs))


def convert_to_flyte_phase(state: str) -> int:
    """Return the Flyte `TaskExecution.Phase` of an external job state (`"succeeded"`, `"pending"`, ...).

    Raises:
        ValueError: the state is not one of the known names.
    """
    phase = _PHASES.get(state.lower())
    if phase is None:
        raise ValueError(f"Unrecognized state: {state}")
    return phase


def is_terminal_phase(phase: int) -> bool:
    """Tell whether a `TaskExecution.Phase` is final (succeeded, aborted, failed, retryable failure)."""
    return phase in _TERMINAL


def get_connector_secret(secret_key: str) -> str:
    """Return the secret `secret_key` (no group) from the current context's secrets."""
    return str(current_context().secrets.get(key=secret_key))


get_agent_secret = get_connector_secret

_PLACEHOLDERS = (
    ("{{.input}}", "{prefix}/inputs.pb"),
    ("{{.outputPrefix}}", "{prefix}"),
    ("{{.rawOutputDataPrefix}}", "{prefix}/raw_output"),
    ("{{.checkpointOutputPrefix}}", "{prefix}/checkpoint_output"),
    ("{{.prevCheckpointPrefix}}", "{prefix}/prev_checkpoint"),
)


def render_task_template(tt: Any, file_prefix: str) -> Any:
    """Fill the input, output, raw-output and checkpoint placeholders of a task template's container args in place.

    Args:
        tt: a `TaskTemplate` (the protobuf or `flytelite.models.task.TaskTemplate`).
        file_prefix: the folder that holds `inputs.pb` and receives the outputs.

    Returns:
        `tt` itself.
    """
    args = to_pb(tt).container.args
    for i, arg in enumerate(args):
        for placeholder, value in _PLACEHOLDERS:
            arg = arg.replace(placeholder, value.format(prefix=file_prefix))
        args[i] = arg
    return tt
