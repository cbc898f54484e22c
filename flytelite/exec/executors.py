"""The executors a graph runner hands ready nodes to.

An executor is anything with `submit(fn, *args) -> Future` and `shutdown(wait)`: every
`concurrent.futures.Executor` qualifies (threads, processes, Dask's `client.get_executor()`), plus the
`SerialExecutor` here, which runs work immediately in the caller's thread (flytekit's order).

`FLYTELITE_EXECUTOR=serial|threads|processes` picks the default; `get_executor("threads")` returns a
shared pool, created on first use. A shared process pool that a dead worker broke (`kill -9`, the
out-of-memory killer) is replaced by a fresh one on the next `get_executor`; the run that lost the worker fails.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, runtime_checkable

from flytelite.exec._kinds import EXECUTOR_ENV_VAR, executor_kind
from flytelite.loggers import get_logger

__all__ = [
    "EXECUTOR_ENV_VAR",
    "NodeExecutor",
    "SerialExecutor",
    "discard_process_pools",
    "executor_kind",
    "get_executor",
    "is_broken",
    "is_in_process",
    "replace_if_broken",
]

R = TypeVar("R")


@runtime_checkable
class NodeExecutor(Protocol):
    """Runs submitted work and returns futures (the subset of `concurrent.futures.Executor` we use)."""

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> cf.Future[R]:
        """Schedule `fn(*args, **kwargs)` and return its future."""
        ...

    def shutdown(self, wait: bool = True) -> None:
        """Release the executor's resources."""
        ...


class SerialExecutor(cf.Executor):
    """Run each submission at once in the calling thread; the returned future is already done."""

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> cf.Future[R]:
        fut: cf.Future[R] = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:
            fut.set_exception(e)
        return fut


def is_in_process(executor: Any) -> bool:
    """Tell whether `executor` runs work in this process (so Python objects may be passed as they are)."""
    return isinstance(executor, SerialExecutor) or _is_pool(executor, "thread", "ThreadPoolExecutor")


def _is_pool(executor: Any, module: str, name: str) -> bool:
    """Tell whether `executor` is an instance of `concurrent.futures.<module>.<name>`, without importing that module.

    `concurrent.futures` loads its pool modules on first access (the process pool's brings `multiprocessing`, ~10 ms).
    No instance of a class can exist before its module is loaded, so a module missing from `sys.modules` answers no.
    """
    loaded = sys.modules.get(f"concurrent.futures.{module}")
    return loaded is not None and isinstance(executor, getattr(loaded, name))


_shared: dict[str, cf.Executor] = {}
_lock = threading.Lock()
logger = get_logger("flytelite")
_atexit_registered = False


def _register_atexit() -> None:
    global _atexit_registered
    atexit.register(_shutdown_shared)
    _atexit_registered = True


def get_executor(kind: str | None = None, max_workers: int | None = None) -> cf.Executor:
    """Return the executor for `kind` (default: `$FLYTELITE_EXECUTOR`, else `serial`).

    Pools are shared by all runs of this process and created on first use. A process pool that a dead worker broke
    is replaced by a fresh one here.

    Raises:
        ValueError: for an unknown kind.
    """
    kind = executor_kind(kind)
    key = f"{kind}:{max_workers}"
    broken: cf.Executor | None = None
    with _lock:
        ex = _shared.get(key)
        if ex is not None and is_broken(ex):
            broken, ex = ex, None
        if ex is None:
            ex = _new_executor(kind, max_workers)
            _shared[key] = ex
            if not _atexit_registered:
                _register_atexit()
    if broken is not None:
        logger.warning("a worker process of the shared %s pool died; replaced the pool", kind)
        broken.shutdown(wait=False, cancel_futures=True)
    return ex


def is_broken(executor: Any) -> bool:
    """Tell whether `executor` is a process pool that a dead worker made unusable (every submit would fail).

    A worker killed by a signal (`kill -9`, the out-of-memory killer) or exiting abruptly breaks a
    `ProcessPoolExecutor` for good: `get_executor` then replaces the shared pool instead of handing it out.
    """
    return _is_pool(executor, "process", "ProcessPoolExecutor") and bool(getattr(executor, "_broken", False))


def replace_if_broken(executor: cf.Executor, broken: bool = False) -> None:
    """Drop `executor` from the shared pools when it is broken, so the next `get_executor` starts a fresh one.

    Args:
        executor: the pool a run used.
        broken: the caller saw it fail with `BrokenProcessPool` (so no need to look at the pool's state).
    """
    if not (broken or is_broken(executor)):
        return
    with _lock:
        keys = [k for k, ex in _shared.items() if ex is executor]
        for k in keys:
            del _shared[k]
    if keys:
        logger.warning("a worker process of a shared process pool died; the next run starts a fresh pool")
        executor.shutdown(wait=False, cancel_futures=True)


def _new_executor(kind: str, max_workers: int | None) -> cf.Executor:
    if kind == "serial":
        return SerialExecutor()
    if kind == "threads":
        return cf.ThreadPoolExecutor(max_workers=max_workers or 32, thread_name_prefix="flytelite")
    return cf.ProcessPoolExecutor(max_workers=max_workers or os.cpu_count() or 2)


def discard_process_pools() -> None:
    """Shut down the shared process pools, so the next run forks workers from the process as it is now.

    Workers are forked copies of this process: a pool started while a task was mocked (or otherwise changed) keeps
    that version in its workers for as long as it lives.
    """
    with _lock:
        keys = [k for k, ex in _shared.items() if _is_pool(ex, "process", "ProcessPoolExecutor")]
        pools = [_shared.pop(k) for k in keys]
    for ex in pools:
        ex.shutdown(wait=True, cancel_futures=True)


def _shutdown_shared() -> None:
    with _lock:
        pools = list(_shared.values())
        _shared.clear()
    for ex in pools:
        ex.shutdown(wait=True, cancel_futures=True)
