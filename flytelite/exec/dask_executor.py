"""Run a workflow's nodes on a Dask cluster: the only public module that imports dask (the `dask` extra).

`DaskExecutor` is a `concurrent.futures.Executor` over a `distributed.Client`, so the graph runner uses it as it uses
a process pool: each task travels as *(resolver location, loader args, inputs bytes)* and runs through
`_remote_call.run_task` on a worker (`_dask_worker.run_on_worker`). With a scheduler address (a cluster of other
machines) it also:

- checks at connect time that the scheduler and the workers can import flytelite, of the same version;
- ships the folders of the user's modules to the workers (the fast-register archive, `_dask_worker.CodeBundlePlugin`)
  and checks per task that the worker runs the version this client sent;
- runs tasks as in a pod, so files, folders and dataframes are written under the raw-output prefix, which must be an
  object store every worker reaches (a local prefix is refused before anything runs);
- maps `Resources` requests to Dask worker resources, and refuses a request no worker can meet.

A scheduler that cannot be reached, is lost, or has no workers for `timeout` seconds (`FLYTELITE_DASK_TIMEOUT`,
default 60) fails the run with a `DaskEngineError`. The user's exceptions keep their type, message and notes.

```python
from flytelite.exec import use_executor
from flytelite.exec.dask_executor import DaskExecutor

with DaskExecutor("tcp://scheduler:8786") as ex, use_executor(ex):
    wf(a=5)
```
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import dataclasses
import functools
import itertools
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import distributed

from flytelite.exec._dask_code import CodeBundle, build_bundle, source_root, task_module
from flytelite.exec._dask_errors import DaskCodeError, DaskEngineError, DaskResourceError
from flytelite.exec._dask_resources import check_resources, dask_resources
from flytelite.exec._dask_worker import CodeBundlePlugin, flytelite_version, probe, run_on_worker
from flytelite.exec._remote_call import load_task, run_task

__all__ = ["TIMEOUT_ENV_VAR", "DaskCodeError", "DaskEngineError", "DaskExecutor", "DaskResourceError"]

TIMEOUT_ENV_VAR = "FLYTELITE_DASK_TIMEOUT"
DEFAULT_TIMEOUT = 60.0

R = TypeVar("R")


def _timeout(value: float | None) -> float:
    if value is not None:
        return float(value)
    text = os.environ.get(TIMEOUT_ENV_VAR, "").strip()
    try:
        return float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        raise DaskEngineError(f"{TIMEOUT_ENV_VAR}={text!r} is not a number of seconds") from None


def _check_reachable(address: str, timeout: float) -> None:
    """Fail at once when a TCP scheduler address refuses connections or does not resolve (Dask retries for long)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or not parts.hostname or not parts.port:
        return
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=min(timeout, 10.0)):
            pass
    except OSError as e:
        reason = "timed out" if isinstance(e, TimeoutError) else (e.strerror or str(e))
        raise DaskEngineError(
            f"cannot reach the Dask scheduler at {address}: {reason} (is `dask scheduler` running there?)"
        ) from None


def _failed(results: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in results.items() if isinstance(v, BaseException)}


class DaskExecutor(cf.Executor):
    """An executor on a Dask cluster: the scheduler at `address`, or a new local cluster when None.

    Args:
        address: a scheduler address (`tcp://host:8786`), or None for a local cluster of worker processes.
        n_workers: the number of workers of a new local cluster (default: Dask's choice).
        timeout: seconds to wait for the scheduler, and for a worker while tasks wait (default:
            `$FLYTELITE_DASK_TIMEOUT`, else 60).
        **client_kwargs: passed to `distributed.Client` (for example `processes=False` for thread workers).

    Raises:
        DaskEngineError: the scheduler cannot be reached, or it or its workers cannot import flytelite (or have
            another version of it).
    """

    def __init__(
        self,
        address: str | None = None,
        n_workers: int | None = None,
        *,
        timeout: float | None = None,
        **client_kwargs: Any,
    ) -> None:
        self.address = address
        self.timeout = _timeout(timeout)
        self.remote = address is not None
        if address is None:
            if n_workers is not None:
                client_kwargs.setdefault("n_workers", n_workers)
            client_kwargs.setdefault("dashboard_address", ":0")  # any free port: never clash with another cluster
        else:
            _check_reachable(address, self.timeout)
        client_kwargs.setdefault("timeout", self.timeout)
        try:
            self.client = distributed.Client(address, **client_kwargs)  # type: ignore[no-untyped-call]  # dask's API
        except (OSError, TimeoutError, ValueError) as e:
            where = f"the Dask scheduler at {address}" if address else "a local Dask cluster"
            raise DaskEngineError(f"cannot connect to {where} within {self.timeout:g}s: {e}") from None
        self._lock = threading.Lock()  # guards `_pending`
        self._info_lock = threading.Lock()  # guards `_tasks` and `_bundles`
        self._tasks: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, str] | None, dict[str, float]]] = {}
        self._bundles: dict[str, CodeBundle] = {}
        self._workers: tuple[float, dict[str, Any]] = (0.0, {})
        self._pending: set[cf.Future[Any]] = set()
        self._closed = threading.Event()
        self._queue: list[_Item] = []
        self._key_prefix = uuid.uuid4().hex[:16]
        self._counter = itertools.count()
        self._queue_ready = threading.Condition()
        self._done: list[tuple[Any, cf.Future[Any]]] = []  # finished Dask futures to deliver (event loop only)
        self._delivering = False  # a `_deliver_done` is running (event loop only)
        self._loop_tasks: set[asyncio.Future[None]] = set()  # our tasks on the event loop (event loop only)
        try:
            if self.remote:
                self._check_environment()
        except BaseException:
            self.client.close()  # type: ignore[no-untyped-call]
            raise
        self._watchdog = threading.Thread(target=self._watch, name="flytelite-dask-watchdog", daemon=True)
        self._watchdog.start()
        self._sender = threading.Thread(target=self._send_batches, name="flytelite-dask-sender", daemon=True)
        self._sender.start()

    # --- connect-time checks ----------------------------------------------------------------------
    def _check_environment(self) -> None:
        """Check that the scheduler and the workers import flytelite, of this client's version."""
        mine = flytelite_version()
        install = f"install flytelite {mine} (and your task's dependencies) in that environment"
        try:
            theirs = self.client.run_on_scheduler(probe)  # type: ignore[no-untyped-call]
        except Exception as e:
            raise DaskEngineError(
                f"the Dask scheduler at {self.address} cannot import flytelite ({type(e).__name__}: {e}): {install}"
            ) from None
        if theirs.get("flytelite") != mine:
            raise DaskEngineError(
                f"the Dask scheduler at {self.address} has flytelite {theirs.get('flytelite')}, this client {mine}: "
                f"{install}"
            )
        results = self.client.run(probe, on_error="return")
        for worker, err in sorted(_failed(results).items()):
            raise DaskEngineError(
                f"Dask worker {worker} cannot import flytelite ({type(err).__name__}: {err}): {install}"
            )
        for worker, info in sorted(results.items()):
            if info.get("flytelite") != mine:
                raise DaskEngineError(
                    f"Dask worker {worker} has flytelite {info.get('flytelite')}, this client {mine}: {install}"
                )

    @property
    def dashboard_link(self) -> str | None:
        """Return the URL of the cluster's Dask dashboard (None when it has none)."""
        try:
            info = self.client.scheduler_info(n_workers=0)
            if "dashboard" not in info.get("services", {}):
                return None
            return str(self.client.dashboard_link)
        except Exception:
            return None

    # --- submitting -------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> cf.Future[R]:
        """Schedule `fn(*args, **kwargs)` on a worker (`run_task` calls get the checks described above)."""
        if self._closed.is_set():
            raise RuntimeError("cannot schedule new work after shutdown")
        if fn is run_task:
            return self._submit_task(*args, **kwargs)
        return self._track(self.client.submit(fn, *args, pure=False, **kwargs))

    def _submit_task(
        self,
        location: str,
        loader_args: list[str],
        inputs_bytes: bytes,
        *,
        raw_output_prefix: str | None = None,
        local: bool = True,
        retries: int = 0,
    ) -> cf.Future[Any]:
        del local  # a remote cluster runs tasks as in a pod, a local one as a local run
        if self.remote:
            self.check_raw_output_prefix(raw_output_prefix)
        name, code, wanted = self._task_info(location, loader_args)
        resources = check_resources(name, wanted, self._known_workers()) if wanted else {}
        out = self._new_future()
        group = (tuple(sorted(resources.items())), raw_output_prefix, retries)
        key = f"{name}-{self._key_prefix}-{next(self._counter)}"  # unique per run, cheaper than a uuid per task
        item = _Item(group, (code, location, loader_args, inputs_bytes), key, out)
        with self._queue_ready:
            self._queue.append(item)
            self._queue_ready.notify()
        return out

    def check_raw_output_prefix(self, prefix: str | None) -> None:
        """Refuse a raw-output prefix the workers of a remote cluster cannot reach (a local folder).

        Raises:
            DaskEngineError: `prefix` is not an object-store URL.
        """
        if prefix and "://" in prefix and not prefix.startswith("file://"):
            return
        raise DaskEngineError(
            f"the raw-output prefix {prefix!r} is a folder on this machine, which the workers of the Dask scheduler "
            f"at {self.address} cannot reach: give an object store they all reach "
            "(`flytelite run --raw-output-prefix s3://bucket/runs ...`)"
        )

    def _task_info(self, location: str, loader_args: list[str]) -> tuple[str, tuple[str, str] | None, dict[str, float]]:
        """Return the task's name, the `(key, digest)` of its shipped code and its Dask resources (cached)."""
        key = (location, tuple(loader_args))
        hit = self._tasks.get(key)
        if hit is not None:
            return hit
        # not `self._lock`: shipping code waits for the event loop, whose callbacks take `self._lock`
        with self._info_lock:
            hit = self._tasks.get(key)
            if hit is None:
                task = _find_task(location, loader_args)
                name = str(getattr(task, "name", loader_args[-1]))
                hit = (name, self._code_for(loader_args, name), dask_resources(task))
                self._tasks[key] = hit
        return hit

    def _code_for(self, loader_args: list[str], task_name: str) -> tuple[str, str] | None:
        """Ship the source folder of the task's module (once per executor); return its `(key, digest)`."""
        module = task_module(loader_args)
        if not self.remote or module is None:
            return None
        root = source_root(module, task_name)
        if root is None:
            return None
        bundle = self._bundles.get(root)
        if bundle is None:
            bundle = build_bundle(root)
            plugin = CodeBundlePlugin(bundle.key, bundle.digest, bundle.archive)
            try:
                self.client.register_plugin(plugin, name=f"flytelite-code-{bundle.key}")
            except Exception as e:
                raise DaskCodeError(f"cannot install the code of {root} on the Dask workers: {e}") from None
            self._bundles[root] = bundle
        return bundle.key, bundle.digest

    def _known_workers(self) -> dict[str, Any]:
        """Return the scheduler's workers (address → info), refreshed at most every two seconds."""
        at, workers = self._workers
        if time.monotonic() - at > 2.0:
            workers = dict(self.client.scheduler_info(n_workers=-1).get("workers", {}))
            self._workers = (time.monotonic(), workers)
        return workers

    # --- futures ----------------------------------------------------------------------------------
    def _new_future(self) -> cf.Future[Any]:
        """Return a future the watchdog knows about (it fails those still waiting when the cluster is gone)."""
        out: cf.Future[Any] = cf.Future()
        with self._lock:
            self._pending.add(out)  # the watchdog drops it once done
        return out

    def _track(self, dask_future: Any) -> cf.Future[Any]:
        """Return a `concurrent.futures.Future` that follows `dask_future`."""
        out = self._new_future()
        self._follow([(dask_future, out)])
        return out

    def _follow(self, pairs: list[tuple[Any, cf.Future[Any]]]) -> None:
        """Complete each `out` with its `dask_future`'s outcome; cancelling `out` cancels the Dask task.

        One call into the event loop per batch; there each Dask future gets a waiter (`_await_done`), and finished
        results are fetched together (`_deliver`), so a batch of tasks costs one `gather` rather than one per task.
        """
        loop = self.client.loop
        if loop is None:
            for _, out in pairs:
                _settle(out, error=DaskEngineError("the Dask client is closed"))
            return
        for dask_future, out in pairs:
            out.add_done_callback(functools.partial(_cancel_if_cancelled, dask_future))
        loop.add_callback(self._await_all, pairs)

    # --- batching ---------------------------------------------------------------------------------
    def _send_batches(self) -> None:
        """Send queued tasks to the scheduler in batches (one graph update each, as `client.map` does).

        A map task submits its items one by one; one graph update per item would cost the scheduler (and this
        process) far more than the tasks themselves when they are short.
        """
        while True:
            with self._queue_ready:
                while not self._queue and not self._closed.is_set():
                    self._queue_ready.wait()
                if not self._queue:
                    return
            time.sleep(0.0005)  # let the rest of a burst of submissions arrive
            with self._queue_ready:
                items, self._queue = self._queue, []
            self._send(items)

    def _send(self, items: list[_Item]) -> None:
        groups: dict[tuple[Any, ...], list[_Item]] = {}
        for item in items:
            if not item.out.cancelled():
                groups.setdefault(item.group, []).append(item)
        for (resources, prefix, retries), group in groups.items():
            try:
                futures = self.client.map(
                    run_on_worker,
                    *zip(*[i.args for i in group], strict=True),
                    raw_output_prefix=prefix,
                    retries=retries,
                    pod=self.remote,
                    pure=False,
                    key=[i.key for i in group],
                    resources=dict(resources) or None,
                )
            except Exception as e:
                for i in group:
                    _settle(i.out, error=self._lost_error() if self.client.status != "running" else e)
                continue
            self._follow([(dask_future, i.out) for dask_future, i in zip(futures, group, strict=True)])

    # --- results (on the client's event loop) -------------------------------------------------------
    def _await_all(self, pairs: list[tuple[Any, cf.Future[Any]]]) -> None:
        for dask_future, out in pairs:
            self._keep(asyncio.ensure_future(self._await_done(dask_future, out)))

    def _keep(self, task: asyncio.Future[None]) -> None:
        """Hold a reference to `task` until it ends (the event loop keeps only weak ones)."""
        self._loop_tasks.add(task)
        task.add_done_callback(self._loop_tasks.discard)

    async def _await_done(self, dask_future: Any, out: cf.Future[Any]) -> None:
        """Wait for `dask_future` (the client's own completion event, no round trip), then queue it for delivery."""
        await dask_future._state.wait()
        self._done.append((dask_future, out))
        if not self._delivering:
            self._delivering = True
            self._keep(asyncio.ensure_future(self._deliver_done()))

    async def _deliver_done(self) -> None:
        """Deliver the finished futures in batches: those that finish while a batch is fetched form the next."""
        try:
            while self._done:
                batch, self._done = self._done, []
                await self._deliver(batch)
        finally:
            self._delivering = False

    async def _deliver(self, batch: list[tuple[Any, cf.Future[Any]]]) -> None:
        finished = [(f, out) for f, out in batch if f.status == "finished" and not out.done()]
        if finished:
            try:
                results = await self.client._gather([f for f, _ in finished])  # type: ignore[no-untyped-call]
            except Exception:  # a result was lost meanwhile, or the client is closing: one at a time
                for f, out in finished:
                    await self._cascade(f, out)
            else:
                for (_, out), result in zip(finished, results, strict=True):
                    _settle(out, result=result)
        for f, out in batch:
            if f.status != "finished" and not out.done():
                await self._cascade(f, out)

    async def _cascade(self, dask_future: Any, out: cf.Future[Any]) -> None:
        try:
            result = await dask_future._result(raiseit=False)
        except Exception as e:
            _settle(out, error=self._lost_error() if self.client.status != "running" else e)
            return
        status = dask_future.status
        if status == "finished":
            _settle(out, result=result)
        elif status == "cancelled":
            _settle(out, error=self._lost_error() if self.client.status != "running" else cf.CancelledError())
        else:
            _typ, exc, tb = result
            _settle(out, error=self._translate(exc).with_traceback(tb))

    def _translate(self, exc: BaseException) -> BaseException:
        """Turn a worker's failure to unpickle flytelite's task call into a clear error; keep anything else."""
        if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] == "flytelite":
            return DaskEngineError(
                f"a Dask worker of {self.address} cannot import flytelite ({exc}): install flytelite "
                f"{flytelite_version()} (and your task's dependencies) on every worker"
            )
        return exc

    def _lost_error(self) -> DaskEngineError:
        return DaskEngineError(
            f"lost the connection to the Dask scheduler at {self.address or 'of the local cluster'} "
            f"(no answer for {self.timeout:g}s; {TIMEOUT_ENV_VAR} sets how long to wait)"
        )

    # --- the watchdog -----------------------------------------------------------------------------
    def _watch(self) -> None:
        """Fail waiting tasks when the scheduler is lost, or has had no worker, for longer than `timeout`."""
        interval = max(0.05, min(1.0, self.timeout / 5))
        bad_since: float | None = None
        while not self._closed.wait(interval):
            with self._lock:
                waiting = [f for f in self._pending if not f.done()]
                self._pending = set(waiting)
            problem = self._problem() if waiting else None
            if problem is None:
                bad_since = None
                continue
            bad_since = bad_since or time.monotonic()
            if time.monotonic() - bad_since >= self.timeout:
                for f in waiting:
                    _settle(f, error=problem)
                bad_since = None

    def _problem(self) -> DaskEngineError | None:
        if self.client.status != "running":
            return self._lost_error()
        identity: dict[str, Any] = getattr(self.client, "_scheduler_identity", {}) or {}
        n = identity.get("n_workers", len(identity.get("workers", {})) or None)
        if n == 0:
            return DaskEngineError(
                f"the Dask scheduler at {self.address or 'of the local cluster'} has had no workers for "
                f"{self.timeout:g}s while tasks waited: start workers (`dask worker {self.address or 'ADDRESS'}`), "
                f"or wait longer ({TIMEOUT_ENV_VAR}, e.g. for an adaptive cluster that starts from zero)"
            )
        return None

    # --- closing ----------------------------------------------------------------------------------
    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop using the cluster: close the client (and the local cluster it started)."""
        del wait
        self._closed.set()
        with self._queue_ready:
            self._queue_ready.notify_all()
        self._sender.join(timeout=5)
        with self._lock:
            pending = list(self._pending)
        with contextlib.suppress(Exception):
            self.client.close()  # type: ignore[no-untyped-call]
        for f in pending:  # they cannot finish without the client
            if cancel_futures or not f.done():
                _settle(f, error=DaskEngineError("the Dask executor was shut down before the task finished"))


@dataclasses.dataclass(frozen=True, slots=True)
class _Item:
    """A task waiting to be sent: its batch group (resources, prefix, retries), call arguments, key and future."""

    group: tuple[Any, ...]
    args: tuple[Any, ...]
    key: str
    out: cf.Future[Any]


def _cancel_if_cancelled(dask_future: Any, out: cf.Future[Any]) -> None:
    if out.cancelled():
        dask_future.cancel()


def _settle(out: cf.Future[Any], *, result: Any = None, error: BaseException | None = None) -> None:
    """Complete `out` unless something (the watchdog, a cancel) completed it first."""
    with contextlib.suppress(cf.InvalidStateError):
        if error is not None:
            out.set_exception(error)
        else:
            out.set_result(result)


def _find_task(location: str, loader_args: list[str]) -> Any:
    """Return the task loader args name in this process, without importing a script run as `__main__` again."""
    module = task_module(loader_args)
    if module is not None and "task-name" in loader_args[:-1]:
        attr = loader_args[loader_args.index("task-name") + 1]
        mod = sys.modules.get(module)
        if mod is None:
            mod = sys.modules.get("__main__")
        task = getattr(mod, attr, None)
        if task is not None:
            return task
    try:
        return load_task(location, loader_args)
    except Exception:
        return None
