"""Run one task from its resolver location, loader args and serialized inputs.

This is the path work takes when it leaves the process: the graph runner sends
`(resolver location, loader args, inputs LiteralMap bytes)` to a worker process, which calls `run_task`
and returns the outputs `LiteralMap` bytes. Loading and running are `flytelite.core.task_node`'s `load_task` and
`execute_task`, which the container entrypoint also uses, so a local run with processes and a run in a pod load and
execute a task the same way.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from typing import Any

from flyteidl.core.literals_pb2 import LiteralMap

from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.task_node import call_with_retries, execute_task, load_object_from_module, load_task
from flytelite.storage import FileAccessProvider

__all__ = ["RemoteTaskError", "call_with_retries", "load_object_from_module", "load_task", "run_task"]


class RemoteTaskError(Exception):
    """A task failed in another process; carries the original type name, message and traceback text.

    Only plain strings travel back, so any user exception (even one that cannot be pickled) is reported.
    """

    def __init__(self, type_name: str, message: str, trace: str) -> None:
        super().__init__(type_name, message, trace)
        self.type_name = type_name
        self.message = message
        self.trace = trace

    def __str__(self) -> str:
        return f"{self.type_name}: {self.message}\n\nTraceback in the worker process:\n{self.trace}"


def _context(raw_output_prefix: str | None, mode: ExecutionState.Mode) -> FlyteContext:
    base = FlyteContextManager.current_context()
    sandbox = tempfile.mkdtemp(prefix="flytelite-worker-")
    fa = base.file_access
    if raw_output_prefix:
        fa = FileAccessProvider(local_sandbox_dir=sandbox, raw_output_prefix=raw_output_prefix)
    params = base.user_space_params
    es = ExecutionState(working_dir=os.path.join(sandbox, "work"), mode=mode, user_space_params=params)
    return base.with_file_access(fa).with_execution_state(es)


_local_contexts: dict[tuple[int, str | None, ExecutionState.Mode], tuple[FlyteContext, FlyteContext]] = {}


def _local_context(raw_output_prefix: str | None, mode: ExecutionState.Mode) -> FlyteContext:
    """Return the context tasks of this process run in, built once per base context, prefix and mode.

    Each task execution still gets a private working directory (`sandbox_execute`, created on first use), so a
    warm worker pays for no folder a task does not use.
    """
    base = FlyteContextManager.current_context()
    key = (id(base), raw_output_prefix, mode)
    hit = _local_contexts.get(key)
    if hit is None:
        hit = (base, _context(raw_output_prefix, mode))  # the base is kept so its id is not reused
        _local_contexts[key] = hit
    return hit[1]


def _attempts(task: Any, inputs: LiteralMap, raw_output_prefix: str | None, local: bool, retries: int) -> Any:
    """Run `task` on `inputs` (`execute_task`), re-running it after a recoverable error up to `retries` times."""
    if not local:  # as in a pod: each attempt gets a fresh sandbox
        mode = ExecutionState.Mode.TASK_EXECUTION

        def in_pod() -> Any:
            with FlyteContextManager.with_context(_context(raw_output_prefix, mode)) as ctx:
                return execute_task(task, ctx, inputs)

        return call_with_retries(in_pod, retries, getattr(task, "name", ""))
    ctx = _local_context(raw_output_prefix, ExecutionState.Mode.LOCAL_TASK_EXECUTION)
    with FlyteContextManager.with_context(ctx) as c:
        return execute_task(task, c, inputs, retries)


def run_task(
    resolver_location: str,
    loader_args: list[str],
    inputs_bytes: bytes,
    *,
    raw_output_prefix: str | None = None,
    local: bool = True,
    retries: int = 0,
) -> bytes:
    """Load a task through its resolver, run it on the serialized inputs, and return serialized outputs.

    Args:
        resolver_location: importable path of the resolver
            (`flytelite.core.python_auto_container.default_task_resolver`).
        loader_args: the resolver's arguments (`["task-module", "m", "task-name", "t"]`).
        inputs_bytes: a serialized flyteidl `LiteralMap`.
        raw_output_prefix: where the task writes offloaded data (the parent run's prefix).
        local: run in local task mode (a local run) rather than in-pod task mode.
        retries: how many times to re-run the task after a `FlyteRecoverableException` (a local run's node
            retries; in a pod Flyte retries, so the entrypoint leaves it at 0).

    Raises:
        RemoteTaskError: when loading or running the task fails (only in local mode; the entrypoint
            handles the original exception itself).
    """
    try:
        task = load_task(resolver_location, loader_args)
        inputs = LiteralMap()
        inputs.ParseFromString(inputs_bytes)
        outputs = _attempts(task, inputs, raw_output_prefix, local, retries)
        if not isinstance(outputs, LiteralMap):
            outputs = LiteralMap()
        return bytes(outputs.SerializeToString(deterministic=True))
    except Exception as e:
        if not local:
            raise
        raise RemoteTaskError(type(e).__name__, str(e), traceback.format_exc()) from None
