"""What runs on the Dask scheduler and workers: the environment probe, the code-bundle plugin and the task call.

The client (`dask_executor.DaskExecutor`) ships the user's code as the fast-register archive (`fast<md5>.tar.gz`,
`flytelite.tools.repo.fast_package`) in a `CodeBundlePlugin`. The scheduler keeps the plugin and runs its `setup` on
every worker, those that join later included: the archive is unpacked into the worker's local directory, put first
on `sys.path`, and the modules of an older version of the same code are forgotten, so the next import loads the new
one. Each task carries the digest of the code it was submitted with, and `run_on_worker` refuses to run it on a
worker that has another version.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import io
import os
import pickle
import platform
import shutil
import sys
import tarfile
import threading
import traceback
from typing import Any

import distributed

from flytelite.errors import FlyteNonRecoverableSystemException, FlyteUserRuntimeException, add_note
from flytelite.exec._dask_errors import DaskCodeError
from flytelite.exec._remote_call import RemoteTaskError, load_task, run_task

__all__ = ["CodeBundlePlugin", "install_bundle", "probe", "run_on_worker"]

# root key (one per source folder of the client) -> (digest, unpacked folder)
_installed: dict[str, tuple[str, str]] = {}
_lock = threading.Lock()


def flytelite_version() -> str:
    """Return the installed flytelite version (the distribution's metadata)."""
    try:
        return importlib.metadata.version("flytelite")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def probe() -> dict[str, str]:
    """Return what the client compares with its own environment (run on the scheduler and on each worker)."""
    return {"flytelite": flytelite_version(), "python": platform.python_version()}


def _module_names(members: list[str]) -> set[str]:
    """Return the top-level module and package names an archive's `.py` members define."""
    names = set()
    for m in members:
        if m.endswith(".py"):
            names.add(m.split("/", 1)[0].removesuffix(".py"))
    return {n for n in names if n.isidentifier() and not n.startswith("flytelite")}


def _forget(names: set[str], old_folder: str | None) -> None:
    """Drop the modules named `names` (and their submodules), and any loaded from `old_folder`, from `sys.modules`."""
    for mod_name, mod in list(sys.modules.items()):
        top = mod_name.split(".", 1)[0]
        file = getattr(mod, "__file__", None) or ""
        if top in names or (old_folder and file.startswith(old_folder + os.sep)):
            sys.modules.pop(mod_name, None)


def install_bundle(key: str, digest: str, archive: bytes, base_dir: str) -> str:
    """Unpack code version `digest` of source folder `key` under `base_dir` and make it the one imports find.

    Returns:
        The folder the code was unpacked into (first on `sys.path`).
    """
    with _lock:
        current = _installed.get(key)
        if current is not None and current[0] == digest:
            return current[1]
        folder = os.path.join(base_dir, "flytelite-code", digest)
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            members = tar.getnames()
            if not os.path.isdir(folder):
                tmp = f"{folder}.{os.getpid()}.{threading.get_ident()}.tmp"
                tar.extractall(tmp, filter="data")
                try:
                    os.rename(tmp, folder)
                except OSError:  # another worker process on this machine unpacked it first
                    shutil.rmtree(tmp, ignore_errors=True)
        old_folder = current[1] if current is not None else None
        if old_folder in sys.path:
            sys.path.remove(old_folder)
        _forget(_module_names(members), old_folder)
        sys.path.insert(0, folder)
        importlib.invalidate_caches()
        _installed[key] = (digest, folder)
        return folder


class CodeBundlePlugin(distributed.WorkerPlugin):
    """A worker plugin carrying one version of the user's code (the fast-register archive's bytes).

    Args:
        key: names the client's source folder (a plugin of the same name replaces the older version).
        digest: the archive's digest (its `fast<md5>` name).
        archive: the gzip tar of the source files.
    """

    def __init__(self, key: str, digest: str, archive: bytes) -> None:
        self.key = key
        self.digest = digest
        self.archive = archive

    def setup(self, worker: Any) -> None:
        """Unpack the code on `worker` and make it importable."""
        install_bundle(self.key, self.digest, self.archive, str(worker.local_directory))


def _address() -> str:
    try:
        return str(distributed.get_worker().address)
    except ValueError:
        return "(not on a worker)"


def _check_code(code: tuple[str, str] | None) -> None:
    if code is None:
        return
    key, digest = code
    have = _installed.get(key)
    if have is None or have[0] != digest:
        running = f"version {have[0][:12]}" if have is not None else "no version"
        raise DaskCodeError(
            f"Dask worker {_address()} has {running} of your code, but this task was sent with version {digest[:12]}: "
            "another client shipped other code to this cluster meanwhile (use one cluster per code version)"
        )


def _portable(exc: BaseException, task_name: str) -> BaseException:
    """Return `exc` with a note naming the worker, or a `RemoteTaskError` copy when it cannot be pickled."""
    note = f"(raised on Dask worker {_address()})"
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        trace = "".join(traceback.format_exception(exc))
        return RemoteTaskError(type(exc).__name__, f"{exc} [task '{task_name}'] {note}", trace)
    add_note(exc, note)
    return exc


def run_on_worker(
    code: tuple[str, str] | None,
    resolver_location: str,
    loader_args: list[str],
    inputs_bytes: bytes,
    *,
    raw_output_prefix: str | None = None,
    retries: int = 0,
    pod: bool = False,
) -> bytes:
    """Run one task on a worker (`_remote_call.run_task`), checking the code version first.

    Args:
        code: `(source key, digest)` of the code the task was submitted with, or None when no code was shipped.
        resolver_location, loader_args, inputs_bytes, raw_output_prefix, retries: as for `run_task`.
        pod: run in task-execution mode, as in a pod (outputs such as files go to the raw-output prefix).

    Raises:
        DaskCodeError: the worker has another version of the code, or cannot import the task's module.
        Exception: the user's exception, with its type, message and notes (a `RemoteTaskError` when it cannot be
            pickled).
    """
    _check_code(code)
    try:
        task = load_task(resolver_location, loader_args)
    except ImportError as e:
        raise DaskCodeError(
            f"Dask worker {_address()} cannot import the code of task {' '.join(loader_args)}: {e} "
            "(flytelite ships the folders of your modules to the workers; installed packages must be installed there)"
        ) from None
    name = str(getattr(task, "name", loader_args[-1]))
    try:
        return run_task(
            resolver_location,
            loader_args,
            inputs_bytes,
            raw_output_prefix=raw_output_prefix,
            local=not pod,
            retries=retries,
        )
    except Exception as e:
        failure = _original(e, name)
    # raised outside the `except` block, so that flytelite's wrapper does not become the error's context
    raise _portable(failure, name)


def _original(e: Exception, task_name: str) -> BaseException:
    """Return what user code raised, unwrapped from what `run_task` and `dispatch_execute` put around it."""
    inner: BaseException | None = None
    if isinstance(e, RemoteTaskError):  # local mode: the original is the context of the copy run_task made
        inner = e.__context__
    elif isinstance(e, FlyteUserRuntimeException):  # task-execution mode wraps what user code raised, as in a pod
        inner = e.__cause__
        if inner is not None:
            add_note(inner, f"Error encountered while executing '{task_name}'")
    elif isinstance(e, FlyteNonRecoverableSystemException):  # ... and conversion errors
        inner = e.__cause__
    if inner is None:
        return e
    if inner.__context__ is e:
        inner.__context__ = None
    return inner
