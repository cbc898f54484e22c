"""Run one task: find it through its resolver (`load_task`) and run it as a node (`run_task_node`).

Every way a task runs goes through this module:

- a top-level call `t(a=1)` is a one-node run: `Task.local_execute` converts the inputs and calls `run_task_node`;
- the graph runner (`flytelite.exec`) calls `run_task_node` for a task node it runs in this process, and for a node
  it sends to a worker uses the same cache helpers here while the worker runs `execute_task`;
- a worker process or Dask worker (`flytelite.exec._remote_call.run_task`) and the container entrypoint
  (`flytelite-execute`) find the task with `load_task` and run it with `execute_task`.

`run_task_node` = local cache lookup → `execute_task` (retries around `sandbox_execute` / `dispatch_execute`) →
cache store, reporting `cached` / `running` / `succeeded` / `failed` to an optional `notify` callback (the graph
runner turns them into node events).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from flyteidl.core.literals_pb2 import LiteralMap

from flytelite.core.context_manager import ExecutionState, FlyteContext, with_retry_checkpoints
from flytelite.errors import FlyteRecoverableException, FlyteTypeException
from flytelite.loggers import get_logger
from flytelite.models._convert import model_to_pb

__all__ = [
    "Notify",
    "cached_outputs",
    "call_with_retries",
    "execute_task",
    "load_object_from_module",
    "load_resolver",
    "load_task",
    "run_task_node",
    "store_outputs",
    "task_context",
    "task_from_resolver",
]

logger = get_logger("flytelite")

T = TypeVar("T")

Notify = Callable[[str, "BaseException | None"], None]
"""Receives `("cached" | "running" | "succeeded" | "failed", error or None)` as a task node runs."""


# --- finding a task ------------------------------------------------------------------------------------------------
def load_object_from_module(location: str) -> Any:
    """Import `module.attr` and return the attribute.

    Raises:
        ValueError: `location` has no dot.
    """
    module_name, _, attr = location.rpartition(".")
    if not module_name:
        raise ValueError(f"Invalid object location {location!r}: expected 'module.attribute'")
    return getattr(importlib.import_module(module_name), attr)


def load_resolver(location: str) -> Any:
    """Return the task resolver at `location`: a module-level instance, or a class (the map task resolver) made."""
    resolver = load_object_from_module(location)
    return resolver() if isinstance(resolver, type) else resolver


def task_from_resolver(resolver: Any, loader_args: list[str], max_concurrency: int | None = None) -> Any:
    """Return the task `resolver` finds for `loader_args` (a map task's resolver also takes `max_concurrency`)."""
    if max_concurrency is not None:
        return resolver.load_task(loader_args, max_concurrency)
    return resolver.load_task(loader_args)


def load_task(resolver_location: str, loader_args: list[str], max_concurrency: int | None = None) -> Any:
    """Return the task that the resolver at `resolver_location` finds for `loader_args`."""
    return task_from_resolver(load_resolver(resolver_location), loader_args, max_concurrency)


# --- the local cache -----------------------------------------------------------------------------------------------
def cached_outputs(task: Any, inputs: LiteralMap) -> LiteralMap | None:
    """Return the cached outputs of `task` on `inputs`, or None (not cacheable, cache off or overwrite, miss)."""
    md: Any = getattr(task, "metadata", None)
    if not getattr(md, "cache", False):
        return None
    from flytelite.core.local_cache import LocalTaskCache  # only cacheable tasks load it

    if not LocalTaskCache.is_enabled() or LocalTaskCache.is_overwrite():
        return None
    out = LocalTaskCache.get(task.name, md.cache_version, inputs, md.cache_ignore_input_vars)
    logger.info("local cache %s for task %s", "hit" if out is not None else "miss", task.name)
    return out


def store_outputs(task: Any, inputs: LiteralMap, outputs: LiteralMap) -> None:
    """Store the outputs of a cacheable task in the local cache (when the cache is on)."""
    md: Any = getattr(task, "metadata", None)
    if not getattr(md, "cache", False):
        return
    from flytelite.core.local_cache import LocalTaskCache  # only cacheable tasks load it

    if LocalTaskCache.is_enabled():
        LocalTaskCache.set(task.name, md.cache_version, inputs, md.cache_ignore_input_vars, outputs)


# --- running -------------------------------------------------------------------------------------------------------
def call_with_retries(fn: Callable[[], T], retries: int, name: str = "") -> T:
    """Return `fn()`, calling it again (up to `retries` more times) after each `FlyteRecoverableException`.

    This is how a Flyte cluster treats a node's retry budget; other exceptions fail at once.
    """
    attempt = 0
    while True:
        try:
            return fn()
        except FlyteRecoverableException as exc:
            if attempt >= retries:
                raise
            attempt += 1
            logger.warning("task %s failed with a recoverable error (%s); retry %d", name, exc, attempt)


_last_task_context: tuple[FlyteContext | None, Any, FlyteContext | None] = (None, None, None)


def task_context(ctx: FlyteContext, task: Any) -> FlyteContext:
    """Return `ctx` in the task's local execution mode (the last one built is reused: a run's tasks share it)."""
    global _last_task_context
    mode = task.local_execution_mode()
    es = ctx.execution_state
    if es is not None and es.mode == mode:
        return ctx
    last_ctx, last_mode, last_out = _last_task_context
    if last_ctx is ctx and last_mode == mode and last_out is not None:
        return last_out
    es = es.with_params(mode=mode) if es is not None else ExecutionState(working_dir=".", mode=mode)
    out = ctx.with_execution_state(es)
    _last_task_context = (ctx, mode, out)
    return out


def execute_task(task: Any, ctx: FlyteContext, inputs: LiteralMap, retries: int = 0) -> Any:
    """Run `task` once on `inputs` in `ctx`, again after a recoverable error up to `retries` times.

    In a local mode with execution parameters the task runs through `sandbox_execute` (a private working directory
    per execution), else (in a pod) through `dispatch_execute`. Each attempt restores the checkpoint an earlier one
    saved. Returns what the task returned, a plugin's flytekit-style model made a protobuf (a `LiteralMap`, or in a
    pod a `DynamicJobSpec`).
    """
    es = ctx.execution_state
    if retries:
        ctx = with_retry_checkpoints(ctx)
    sandboxed = es is not None and es.is_local_execution() and es.user_space_params is not None
    run = getattr(task, "sandbox_execute", None) if sandboxed else None
    if run is None:
        run = task.dispatch_execute
    if not retries:
        result = run(ctx, inputs)
    else:
        result = call_with_retries(lambda: run(ctx, inputs), retries, getattr(task, "name", ""))
    return result if type(result) is LiteralMap else model_to_pb(result)


def _as_literal_map(task: Any, result: Any) -> LiteralMap:
    if isinstance(result, LiteralMap):
        return result
    if result is None:  # a plugin task without outputs may return nothing
        return LiteralMap()
    raise FlyteTypeException(f"task '{task.name}' returned {type(result).__name__} instead of a LiteralMap")


def run_task_node(
    task: Any, inputs: LiteralMap, ctx: FlyteContext, *, retries: int = 0, notify: Notify | None = None
) -> LiteralMap:
    """Run `task` as a node in this process: local cache, `execute_task` with retries, cache store.

    Args:
        task: the task.
        inputs: its inputs.
        ctx: the context of the run (the task's local execution mode is set here).
        retries: how many times a `FlyteRecoverableException` re-runs it.
        notify: told `cached`, or `running` then `succeeded` / `failed` (with the error).

    Returns:
        The outputs.
    """
    cacheable = getattr(getattr(task, "metadata", None), "cache", False)  # else neither cache helper does anything
    cached = cached_outputs(task, inputs) if cacheable else None
    if cached is not None:
        if notify is not None:
            notify("cached", None)
        return cached
    if notify is not None:
        notify("running", None)
    try:
        out = execute_task(task, task_context(ctx, task), inputs, retries)
        if type(out) is not LiteralMap:
            out = _as_literal_map(task, out)
        if cacheable:
            store_outputs(task, inputs, out)
    except BaseException as e:
        if notify is not None:
            notify("failed", e)
        raise
    if notify is not None:
        notify("succeeded", None)
    return out
