"""The container entrypoints: `flytelite-execute`, `flytelite-map-execute` and `flytelite-fast-execute`.

They take exactly `pyflyte-execute`'s options and read and write the same files, so a Flyte cluster runs flytelite
tasks unchanged:

```
flytelite-execute --inputs <inputs.pb> --output-prefix <dir> [--raw-output-data-prefix P] [--checkpoint-path C]
    [--prev-checkpoint C0] [--resolver <module.resolver>] [--dynamic-addl-distro D] [--dynamic-dest-dir DD] [--test]
    -- <loader args...>
```

The task is found by its resolver and loader args (the same loading path as local process runs,
`flytelite.exec.remote_call.load_task`) and runs in `TASK_EXECUTION` mode. Every result file (`outputs.pb`,
`futures.pb`, `error.pb`, offloaded literals) is written into a local engine dir first and then uploaded in one step,
each file replacing its destination atomically, so no partial file is ever visible. A failure becomes `error.pb`
and the exit code stays 0 unless `FLYTE_FAIL_ON_ERROR` is true. The parser is `argparse`: no click, no rich, no
admin protos are imported (the dynamic-task compiler is imported only for dynamic tasks).
"""

from __future__ import annotations

import argparse
import base64
import datetime as _dt
import logging
import os
import re
import shutil
import sys
import tempfile
import textwrap
import traceback
from collections.abc import Sequence
from typing import Any

from flyteidl.core.dynamic_job_pb2 import DynamicJobSpec
from flyteidl.core.errors_pb2 import ContainerError, ErrorDocument
from flyteidl.core.execution_pb2 import ExecutionError
from flyteidl.core.literals_pb2 import Literal, LiteralMap, LiteralOffloadedMetadata

from flytelite.bin.entrypoint_context import run_subprocess, setup_execution
from flytelite.bin.map_item import run_map_item
from flytelite.core.base_task import IgnoreOutputs
from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.core.workflow import is_dynamic_task
from flytelite.deck import DECK_FILE_NAME, render_deck_html
from flytelite.errors import (
    FlyteException,
    FlyteNonRecoverableSystemException,
    FlyteRecoverableException,
    FlyteSystemException,
    FlyteUserException,
    FlyteUserRuntimeException,
)
from flytelite.tools.module_loader import load_object_from_module

__all__ = [
    "execute_task_cmd",
    "fast_execute_task_cmd",
    "get_traceback_str",
    "main",
    "map_execute_task_cmd",
    "normalize_inputs",
]

logger = logging.getLogger("flytelite.entrypoint")

INPUTS_FILE = "inputs.pb"
OUTPUTS_FILE = "outputs.pb"
FUTURES_FILE = "futures.pb"
ERROR_FILE = "error.pb"
_TEMPLATE = re.compile(r"^\{\{\s*\..*\}\}$")
_MB = 1024 * 1024


# --- command line ----------------------------------------------------------------------------------
def _parser(prog: str, is_map: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, allow_abbrev=False, description="Run one Flyte task in this container.")
    p.add_argument("--inputs", required=True)
    p.add_argument("--output-prefix", required=True)
    p.add_argument("--raw-output-data-prefix", default=None)
    p.add_argument("--checkpoint-path", default=None)
    p.add_argument("--prev-checkpoint", default=None)
    p.add_argument("--test", action="store_true", default=False)
    p.add_argument("--dynamic-addl-distro", default=None)
    p.add_argument("--dynamic-dest-dir", default=None)
    p.add_argument("--resolver", required=is_map, default="flytelite.core.python_auto_container.default_task_resolver")
    if is_map:
        p.add_argument("--max-concurrency", type=int, default=0)
        p.add_argument("--experimental", action="store_true", default=False)
    p.add_argument("resolver_args", nargs="*")
    return p


def _split(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    argv = list(argv)
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1 :]
    return argv, []


def parse_args(argv: Sequence[str], prog: str, is_map: bool = False) -> argparse.Namespace:
    """Parse the options; everything after `--` is the resolver's loader args."""
    opts, tail = _split(argv)
    ns = _parser(prog, is_map).parse_args(opts)
    ns.resolver_args = [*ns.resolver_args, *tail]
    return ns


def normalize_inputs(
    raw_output_data_prefix: str | None, checkpoint_path: str | None, prev_checkpoint: str | None
) -> tuple[str | None, str | None, str | None]:
    """Treat unfilled `{{.…}}` templates (and an empty previous checkpoint) as not given."""

    def unset(v: str | None) -> str | None:
        return None if v is None or _TEMPLATE.match(v) else v

    prev = unset(prev_checkpoint)
    if prev in ("", '""'):
        prev = None
    return unset(raw_output_data_prefix), unset(checkpoint_path), prev


# --- error documents -------------------------------------------------------------------------------
def get_traceback_str(e: BaseException) -> str:
    """Return `Trace:\\n\\n<traceback>\\nMessage:\\n\\n    <Type>: <msg>` (user errors: the user's exception)."""
    root: BaseException = e
    if isinstance(e, FlyteUserRuntimeException) and e.__cause__ is not None:
        root = e.__cause__
    trace = textwrap.indent("".join(traceback.format_exception(type(root), root, root.__traceback__)), "    ")
    value = e.value if isinstance(e, FlyteUserRuntimeException) else e
    message = textwrap.indent(f"{type(value).__name__}: {value}", "    ")
    return f"Trace:\n\n{trace}\nMessage:\n\n{message}"


def _error_document(e: BaseException) -> ErrorDocument:
    user = isinstance(e, (FlyteUserRuntimeException, FlyteUserException))
    if isinstance(e, FlyteUserRuntimeException):
        code = e.error_code
        recoverable = isinstance(e.value, FlyteRecoverableException)
    elif isinstance(e, FlyteUserException):
        code = e.error_code
        recoverable = isinstance(e, FlyteRecoverableException)
    else:
        code = "SYSTEM"
        recoverable = not isinstance(e, FlyteNonRecoverableSystemException)
    err = ContainerError(
        code=code,
        message=get_traceback_str(e),
        kind=ContainerError.RECOVERABLE if recoverable else ContainerError.NON_RECOVERABLE,
        origin=ExecutionError.USER if user else ExecutionError.SYSTEM,
        worker=os.environ.get("FLYTE_INTERNAL_WORKER_NAME") or os.environ.get("_F_WN") or "",
    )
    ts = e.timestamp if isinstance(e, FlyteException) else _dt.datetime.now(_dt.timezone.utc)
    err.timestamp.FromDatetime(ts.astimezone(_dt.timezone.utc).replace(tzinfo=None))
    return ErrorDocument(error=err)


def _error_file_name() -> str:
    if os.environ.get("FLYTE_INTERNAL_DIST_ERROR_STRATEGY") or os.environ.get("_F_DES"):
        return f"error-{os.urandom(16).hex()}.pb"
    return ERROR_FILE


# --- inputs and outputs ----------------------------------------------------------------------------
def _read_inputs(ctx: FlyteContext, inputs_path: str) -> LiteralMap:
    es = ctx.execution_state
    local = os.path.join(es.working_dir if es else tempfile.mkdtemp(), INPUTS_FILE)
    try:
        ctx.file_access.get_data(inputs_path, local)
        with open(local, "rb") as f:
            data = f.read()
    except Exception as e:
        raise FlyteSystemException(f"could not read the task inputs from {inputs_path!r}: {e}") from e
    lm = LiteralMap()
    try:
        lm.ParseFromString(data)
    except Exception as e:
        raise FlyteNonRecoverableSystemException(
            f"the task inputs at {inputs_path!r} are not a serialized flyteidl LiteralMap: {e}"
        ) from e
    return lm


def _offload(outputs: LiteralMap, task: Any, output_prefix: str, is_map: bool) -> dict[str, Any]:
    """Return `{file name: message}` for the outputs, moving literals above `_F_L_MIN_SIZE_MB` to their own file."""
    files: dict[str, Any] = {}
    if os.environ.get("_F_L_MIN_SIZE_MB") is None:
        return {OUTPUTS_FILE: outputs}
    min_size = int(os.environ.get("_F_L_MIN_SIZE_MB", "10")) * _MB
    max_size = int(os.environ.get("_F_L_MAX_SIZE_MB", "1000")) * _MB
    out = LiteralMap()
    for k, lit in outputs.literals.items():
        size = lit.ByteSize()
        if size >= max_size:
            raise ValueError(
                f"Literal {k} is too large to be offloaded. Max literal size is {max_size} whereas "
                f"the literal size is {size} bytes"
            )
        if size < min_size:
            out.literals[k].CopyFrom(lit)
            continue
        inferred = task.interface.outputs.variables[k].type
        if is_map:
            inferred = inferred.collection_type
        name = f"{k}_offloaded_metadata.pb"
        import hashlib  # only outputs over the offloading threshold need it (`_hashlib` loads OpenSSL: ~5 ms)

        digest = (
            lit.hash or base64.b64encode(hashlib.sha256(lit.SerializeToString(deterministic=True)).digest()).decode()
        )
        out.literals[k].CopyFrom(
            Literal(
                offloaded_metadata=LiteralOffloadedMetadata(
                    uri=f"{output_prefix}/{name}", size_bytes=size, inferred_type=inferred
                ),
                hash=digest,
            )
        )
        files[name] = lit
    files[OUTPUTS_FILE] = out
    return files


def _upload(ctx: FlyteContext, engine_dir: str, output_prefix: str) -> None:
    """Move every file of `engine_dir` to `output_prefix` (local: atomic replace per file)."""
    if ctx.file_access.is_remote(output_prefix):
        ctx.file_access.put_data(engine_dir, output_prefix, is_multipart=True)
        return
    dest = output_prefix[len("file://") :] if output_prefix.startswith("file://") else output_prefix
    os.makedirs(dest, exist_ok=True)
    for name in sorted(os.listdir(engine_dir)):
        tmp = os.path.join(dest, f".{name}.{os.urandom(16).hex()}.tmp")
        shutil.copyfile(os.path.join(engine_dir, name), tmp)
        os.replace(tmp, os.path.join(dest, name))


# --- dispatch --------------------------------------------------------------------------------------
def _load(resolver: str, loader_args: list[str], is_map: bool, max_concurrency: int) -> Any:
    try:
        resolver_obj: Any = load_object_from_module(resolver)
    except Exception as e:
        raise FlyteUserRuntimeException(
            RuntimeError(f"could not load the task resolver {resolver!r}: {type(e).__name__}: {e}")
        ) from e
    if isinstance(resolver_obj, type):
        resolver_obj = resolver_obj()
    try:
        if is_map:
            return resolver_obj.load_task(loader_args, max_concurrency)
        return resolver_obj.load_task(loader_args)
    except Exception as e:
        raise FlyteUserRuntimeException(
            RuntimeError(
                f"could not load the task with resolver {resolver!r} and loader args {loader_args}: "
                f"{type(e).__name__}: {e}"
            )
        ) from e


def _run(ctx: FlyteContext, task: Any, inputs: LiteralMap, is_map: bool) -> Any:
    if is_dynamic_task(task):
        # Deferred on purpose: the compiler loads the admin protos (~25 ms), which only dynamic tasks need.
        import flytelite.tools.dynamic  # noqa: F401  # registers the dynamic compiler
    if is_map:
        return run_map_item(ctx, task, inputs)
    return task.dispatch_execute(ctx, inputs)


def dispatch_execute(ctx: FlyteContext, ns: argparse.Namespace, is_map: bool) -> str | None:
    """Load, run and write the results of one task; return the name of the file written, or None.

    Raises nothing: every failure becomes the error document.
    """
    es = ctx.execution_state
    engine_dir = es.engine_dir if es and es.engine_dir else tempfile.mkdtemp(prefix="flytelite-engine-")
    os.makedirs(engine_dir, exist_ok=True)
    files: dict[str, Any]
    task: Any = None
    try:
        with FlyteContextManager.with_context(ctx) as run_ctx:
            # Loaded in the task-execution context, as flytekit does: declaration-time checks meant for scripts and
            # notebooks (reading the function's source) are skipped in a pod.
            task = _load(ns.resolver, ns.resolver_args, is_map, getattr(ns, "max_concurrency", 0))
            inputs = _read_inputs(ctx, ns.inputs)
            outputs = _run(run_ctx, task, inputs, is_map)
        if isinstance(outputs, DynamicJobSpec):
            files = {FUTURES_FILE: outputs}
        elif isinstance(outputs, LiteralMap):
            files = _offload(outputs, task, ns.output_prefix.rstrip("/"), is_map)
        else:
            files = {
                _error_file_name(): _error_document(
                    FlyteNonRecoverableSystemException(
                        f"UNKNOWN_OUTPUT: task returned {type(outputs).__name__}, "
                        "expected a LiteralMap or DynamicJobSpec"
                    )
                )
            }
    except IgnoreOutputs:
        logger.warning("IgnoreOutputs raised: no outputs written")
        return None
    except FlyteUserRuntimeException as e:
        if isinstance(e.value, IgnoreOutputs):
            return None
        files = {_error_file_name(): _error_document(e)}
    except Exception as e:
        files = {_error_file_name(): _error_document(e)}
    for name, msg in files.items():
        with open(os.path.join(engine_dir, name), "wb") as f:
            f.write(msg.SerializeToString())
    _write_deck(ctx, task, engine_dir)
    _upload(ctx, engine_dir, ns.output_prefix)
    return next((n for n in files if n.startswith("error")), OUTPUTS_FILE if OUTPUTS_FILE in files else FUTURES_FILE)


def _write_deck(ctx: FlyteContext, task: Any, engine_dir: str) -> None:
    """Write `deck.html` (the task's decks, also after a failure) into the engine dir when the task enables decks."""
    params = ctx.user_space_params
    if task is None or not getattr(task, "enable_deck", False) or params is None:
        return
    try:
        with open(os.path.join(engine_dir, DECK_FILE_NAME), "w", encoding="utf-8") as f:
            f.write(render_deck_html(params))
    except Exception as e:  # a deck never fails the task (as in flytekit)
        logger.error("Failed to write %s: %s", DECK_FILE_NAME, e)


def _fail_on_error() -> bool:
    return os.environ.get("FLYTE_FAIL_ON_ERROR", "").strip().lower() in ("1", "true", "t", "yes", "y")


def _execute(argv: Sequence[str], prog: str, is_map: bool) -> int:
    ns = parse_args(argv, prog, is_map)
    if not ns.resolver_args:
        print(f"{prog}: no loader args given after --", file=sys.stderr)
        return 2
    raw, ckpt, prev = normalize_inputs(ns.raw_output_data_prefix, ns.checkpoint_path, ns.prev_checkpoint)
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    ctx = setup_execution(raw, ns.output_prefix, ckpt, prev, ns.dynamic_addl_distro, ns.dynamic_dest_dir)
    if ns.test:
        _load(ns.resolver, ns.resolver_args, is_map, getattr(ns, "max_concurrency", 0))
        return 0
    written = dispatch_execute(ctx, ns, is_map)
    return 1 if written and written.startswith("error") and _fail_on_error() else 0


def execute_task_cmd(argv: Sequence[str] | None = None) -> None:
    """Run `flytelite-execute` (console script)."""
    sys.exit(_execute(sys.argv[1:] if argv is None else argv, "flytelite-execute", is_map=False))


def map_execute_task_cmd(argv: Sequence[str] | None = None) -> None:
    """Run `flytelite-map-execute` (console script): one item of a map task."""
    sys.exit(_execute(sys.argv[1:] if argv is None else argv, "flytelite-map-execute", is_map=True))


# --- fast execute ----------------------------------------------------------------------------------
def download_distribution(additional_distribution: str, destination: str) -> None:
    """Fetch the code archive and unpack it into `destination`."""
    from flytelite.storage import FileAccessProvider

    os.makedirs(destination, exist_ok=True)
    fa = FileAccessProvider(local_sandbox_dir=tempfile.mkdtemp(prefix="flytelite-fast-"), raw_output_prefix="")
    local = os.path.join(destination, os.path.basename(additional_distribution))
    fa.get_data(additional_distribution, local)
    if local.endswith(".tar.gz"):
        import tarfile  # only fast-execute unpacks an archive (`tarfile` with its codecs costs ~6 ms)

        with tarfile.open(local, "r:gz") as tar:
            tar.extractall(destination, filter="data")
    elif not local.endswith("pkl.gz"):
        raise ValueError(f"Unrecognized additional distribution format for {additional_distribution}")


def _fast_execute(argv: Sequence[str]) -> int:
    opts, cmd = _split(argv)
    p = argparse.ArgumentParser(prog="flytelite-fast-execute", allow_abbrev=False)
    p.add_argument("--additional-distribution", required=False, default=None)
    p.add_argument("--dest-dir", required=False, default=None)
    ns = p.parse_args(opts)
    if not cmd:
        print("flytelite-fast-execute: no command given after --", file=sys.stderr)
        return 2
    dest = ns.dest_dir or os.getcwd()
    if ns.additional_distribution:
        download_distribution(ns.additional_distribution, dest)
        i = cmd.index("--resolver") if "--resolver" in cmd else len(cmd)
        cmd = [*cmd[:i], "--dynamic-addl-distro", ns.additional_distribution, "--dynamic-dest-dir", dest, *cmd[i:]]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), os.path.realpath(dest)) if p)
    return run_subprocess(cmd, env=env)


def fast_execute_task_cmd(argv: Sequence[str] | None = None) -> None:
    """Run `flytelite-fast-execute` (console script): unpack the code, then run the task command."""
    sys.exit(_fast_execute(sys.argv[1:] if argv is None else argv))


def main() -> None:
    """Run `flytelite-execute`."""
    execute_task_cmd()


if __name__ == "__main__":
    main()
