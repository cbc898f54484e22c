"""The container entrypoints: `flytelite-execute`, `flytelite-map-execute` and `flytelite-fast-execute`.

They take exactly `pyflyte-execute`'s options and read and write the same files, so a Flyte cluster runs flytelite
tasks unchanged:

```
flytelite-execute --inputs <inputs.pb> --output-prefix <dir> [--raw-output-data-prefix P] [--checkpoint-path C]
    [--prev-checkpoint C0] [--resolver <module.resolver>] [--dynamic-addl-distro D] [--dynamic-dest-dir DD] [--test]
    -- <loader args...>
```

The task is found by its resolver and loader args and run by `flytelite.core.task_node` (the same loading and running
as local runs in worker processes) in `TASK_EXECUTION` mode. Every result file (`outputs.pb`,
`futures.pb`, `error.pb`, offloaded literals) is written into a local engine dir first and then uploaded in one step,
each file replacing its destination atomically, so no partial file is ever visible. A failure becomes `error.pb`
and the exit code stays 0 unless `FLYTE_FAIL_ON_ERROR` is true. No click, no rich, no admin protos are imported
(the dynamic-task compiler is imported only for dynamic tasks).

A pod's start-up time is mostly imports, so this module loads what every task needs and nothing else: a
well-formed command line is read without `argparse` (which parses anything else, and prints help and usage errors),
the protos of dynamic tasks, the map-item runner, the deck renderer, `tempfile`, `logging` and `traceback` are
loaded only by the tasks and failures that use them. The garbage collector pauses while this module imports the task
stack, and the console scripts freeze what is loaded once the task is (`dispatch_execute`), so the collections that
follow, the last ones at interpreter exit included, do not walk the modules again.
"""

from __future__ import annotations

import datetime as _dt
import gc
import os
import re
import sys
import types
import typing
from collections.abc import Sequence
from typing import Any

# Importing the task stack creates only objects that live until the process exits: a collection during these imports
# could free nothing and would walk them all again, so the collector pauses until they are done.
_collecting = gc.isenabled()
gc.disable()
try:
    from flyteidl.core.errors_pb2 import ContainerError, ErrorDocument
    from flyteidl.core.execution_pb2 import ExecutionError
    from flyteidl.core.literals_pb2 import Literal, LiteralMap, LiteralOffloadedMetadata

    from flytelite.bin._entrypoint_context import run_subprocess, setup_execution
    from flytelite.core.base_task import IgnoreOutputs, is_dynamic_job_spec
    from flytelite.core.context_manager import FlyteContext, FlyteContextManager
    from flytelite.core.task_node import execute_task, load_resolver, task_from_resolver
    from flytelite.errors import (
        FlyteException,
        FlyteNonRecoverableSystemException,
        FlyteSystemException,
        FlyteUploadDataException,
        FlyteUserException,
        FlyteUserRuntimeException,
        RecoverableFlyteException,
    )
    from flytelite.loggers import get_logger
    from flytelite.storage import make_temp_dir
finally:
    if _collecting:
        gc.enable()

if typing.TYPE_CHECKING:
    import argparse

__all__ = [
    "check_inputs",
    "execute_task_cmd",
    "fast_execute_task_cmd",
    "get_traceback_str",
    "main",
    "map_execute_task_cmd",
    "normalize_inputs",
]

logger = get_logger("flytelite.entrypoint")

INPUTS_FILE = "inputs.pb"
OUTPUTS_FILE = "outputs.pb"
FUTURES_FILE = "futures.pb"
ERROR_FILE = "error.pb"
_TEMPLATE = re.compile(r"^\{\{\s*\..*\}\}$")
_MB = 1024 * 1024


# --- command line ----------------------------------------------------------------------------------
# Options taking a value, and flags, with their defaults (`--resolver` is required of map tasks).
_VALUE_OPTIONS: dict[str, str | None] = {
    "inputs": None,
    "output_prefix": None,
    "raw_output_data_prefix": None,
    "checkpoint_path": None,
    "prev_checkpoint": None,
    "dynamic_addl_distro": None,
    "dynamic_dest_dir": None,
    "resolver": "flytelite.core.python_auto_container.default_task_resolver",
}
_REQUIRED = ("inputs", "output_prefix")


def _parser(prog: str, is_map: bool) -> argparse.ArgumentParser:
    import argparse  # only a command line `_parse_plain` does not read needs it (~3 ms to import)

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


def _parse_plain(opts: list[str], is_map: bool) -> dict[str, Any] | None:
    """Read `--name value` / `--name=value` options and flags; return None for anything `argparse` should handle.

    That is: help, an unknown option, a missing value or required option, a value that starts with `-`, loader args
    before `--`, or a map task's `--max-concurrency` that is not an integer.
    """
    values: dict[str, Any] = {**_VALUE_OPTIONS, "test": False}
    if is_map:
        values.update(resolver=None, max_concurrency=0, experimental=False)
    i = 0
    while i < len(opts):
        arg = opts[i]
        name, eq, value = arg.partition("=")
        key = name[2:].replace("-", "_")
        if not name.startswith("--") or "_" in name or key not in values:
            return None
        if key in ("test", "experimental"):
            if eq:
                return None
            values[key] = True
            i += 1
            continue
        if not eq:
            if i + 1 >= len(opts) or opts[i + 1].startswith("-"):
                return None
            value = opts[i + 1]
            i += 1
        if key == "max_concurrency":
            if not value.strip().lstrip("+-").isdigit():
                return None
            values[key] = int(value)
        else:
            values[key] = value
        i += 1
    if any(values[k] is None for k in (*_REQUIRED, *(("resolver",) if is_map else ()))):
        return None
    return values


def parse_args(argv: Sequence[str], prog: str, is_map: bool = False) -> types.SimpleNamespace:
    """Parse the options; everything after `--` is the resolver's loader args.

    Prints usage and exits (status 2, `argparse`'s) on a malformed command line, and prints help for `--help`.
    """
    opts, tail = _split(argv)
    values = _parse_plain(opts, is_map)
    if values is None:
        values = vars(_parser(prog, is_map).parse_args(opts))
    else:
        values["resolver_args"] = []
    values["resolver_args"] = [*values["resolver_args"], *tail]
    return types.SimpleNamespace(**values)


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
    import textwrap
    import traceback  # only failures format a traceback (with `linecache` and `tokenize`, ~3 ms to import)

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
        recoverable = isinstance(e.value, RecoverableFlyteException)
    elif isinstance(e, FlyteUserException):
        code = e.error_code
        recoverable = isinstance(e, RecoverableFlyteException)
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
    ts = e.timestamp if isinstance(e, FlyteException) else _dt.datetime.now(_dt.timezone.utc).timestamp()
    err.timestamp.FromNanoseconds(int(ts * 1_000_000_000))
    return ErrorDocument(error=err)


def _error_file_name() -> str:
    if os.environ.get("FLYTE_INTERNAL_DIST_ERROR_STRATEGY") or os.environ.get("_F_DES"):
        return f"error-{os.urandom(16).hex()}.pb"
    return ERROR_FILE


# --- inputs and outputs ----------------------------------------------------------------------------
def _read_inputs(ctx: FlyteContext, inputs_path: str) -> LiteralMap:
    fa = ctx.file_access
    try:
        if fa.is_remote(inputs_path):
            es = ctx.execution_state
            local = os.path.join(es.working_dir if es else make_temp_dir(), INPUTS_FILE)
            fa.get_data(inputs_path, local)
            inputs_path_to_read = local
        else:  # read in place: a local copy would be one more file written in the pod
            inputs_path_to_read = inputs_path[len("file://") :] if inputs_path.startswith("file://") else inputs_path
        with open(inputs_path_to_read, "rb") as f:
            data = f.read()
    except Exception as e:
        raise FlyteSystemException(f"could not read the task inputs from {inputs_path!r}: {_root_cause(e)}") from e
    lm = LiteralMap()
    try:
        lm.ParseFromString(data)
    except Exception as e:
        raise FlyteNonRecoverableSystemException(
            f"the task inputs at {inputs_path!r} are not a serialized flyteidl LiteralMap: {e}"
        ) from e
    return lm


def _may_be_absent(python_type: Any, default: Any) -> bool:
    """Tell whether an input may be left out of `inputs.pb`: it has a default, or is `Optional` (None applies)."""
    if default is not None:
        return True
    return typing.get_origin(python_type) in (typing.Union, types.UnionType) and type(None) in typing.get_args(
        python_type
    )


def check_inputs(task: Any, inputs: LiteralMap, inputs_path: str) -> None:
    """Fail before the user's code runs when `inputs.pb` lacks a declared input or holds an undeclared one.

    Flyte passes every input of the task's interface (defaults included), so a gap is the platform's fault, not the
    user's: the error is a `SYSTEM` error that names the inputs. An input with a default, or an `Optional` one, may
    be absent (the function's default applies).

    Raises:
        FlyteNonRecoverableSystemException: an input is missing or unexpected.
    """
    interface = getattr(task, "python_interface", None)
    declared = getattr(interface, "inputs_with_defaults", None)
    if not isinstance(declared, dict):
        return
    missing = [k for k, (t, default) in declared.items() if k not in inputs.literals and not _may_be_absent(t, default)]
    extra = sorted(k for k in inputs.literals if k not in declared)
    if not missing and not extra:
        return
    problems = []
    if missing:
        problems.append(f"no value for input{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    if extra:
        problems.append(f"undeclared input{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))}")
    name = getattr(task, "name", type(task).__name__)
    raise FlyteNonRecoverableSystemException(
        f"the inputs at {inputs_path!r} do not match task '{name}': {' and '.join(problems)} "
        f"(declared inputs: {', '.join(declared) or 'none'})"
    )


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
        from flytelite.core.interface import typed_interface  # only outputs over the offloading threshold need it

        inferred = typed_interface(task).outputs.variables[k].type
        if is_map:
            inferred = inferred.collection_type
        name = f"{k}_offloaded_metadata.pb"
        import base64
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


def _is_result_file(name: str) -> bool:
    return name in (OUTPUTS_FILE, FUTURES_FILE) or (name.startswith("error") and name.endswith(".pb"))


def _upload(ctx: FlyteContext, engine_dir: str, output_prefix: str) -> None:
    """Move every file of `engine_dir` to `output_prefix`, one at a time, the result file last.

    The result file (`outputs.pb`, `futures.pb` or `error.pb`) is what Flyte reads; uploading it after the files it
    refers to (offloaded literals, the deck) means that a pod killed or a store lost in the middle never leaves an
    `outputs.pb` whose offloaded literals are missing. Each file replaces its destination atomically (local: a temp
    file renamed; object stores: one PUT per object).
    """
    names = sorted(os.listdir(engine_dir), key=lambda n: (_is_result_file(n), n))
    if ctx.file_access.is_remote(output_prefix):
        prefix = output_prefix.rstrip("/")
        for name in names:
            ctx.file_access.put_data(os.path.join(engine_dir, name), f"{prefix}/{name}")
        return
    dest = output_prefix[len("file://") :] if output_prefix.startswith("file://") else output_prefix
    os.makedirs(dest, exist_ok=True)
    for name in names:
        tmp = os.path.join(dest, f".{name}.{os.urandom(16).hex()}.tmp")
        _copy_file(os.path.join(engine_dir, name), tmp)
        os.replace(tmp, os.path.join(dest, name))


def _copy_file(src: str, dst: str) -> None:
    """Copy `src` to `dst` (not `shutil`: importing it loads the bz2 and lzma codecs, ~3 ms of every cold start)."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(_MB):
            fout.write(chunk)


def _upload_or_report(
    ctx: FlyteContext, engine_dir: str, output_prefix: str, result: str, task_error: BaseException | None
) -> str:
    """Upload the results; when that fails, upload an error document saying so, or raise when even that fails.

    Returns the name of the result file that reached `output_prefix`.

    Raises:
        FlyteUploadDataException: nothing could be written (the store is unreachable); its message is one line that
            says where, why, and what the task's result was.
    """
    try:
        _upload(ctx, engine_dir, output_prefix)
        return result
    except Exception as e:
        failure: BaseException = e
    if task_error is None:  # the outputs were lost: try to say so in an error document
        err_dir = make_temp_dir(prefix="flytelite-engine-error-")
        name = _error_file_name()
        doc = _error_document(
            FlyteUploadDataException(f"could not write {result} to {output_prefix!r}: {_root_cause(failure)}")
        )
        with open(os.path.join(err_dir, name), "wb") as f:
            f.write(doc.SerializeToString())
        try:
            _upload(ctx, err_dir, output_prefix)
            return name
        except Exception as e:
            failure = e
    lost = f"the task failed: {_brief(task_error)}" if task_error is not None else f"the task's {result} was lost"
    raise FlyteUploadDataException(
        f"SYSTEM error: could not write the results to {output_prefix!r}: {_root_cause(failure)} ({lost})"
    ) from failure


def _brief(e: BaseException) -> str:
    """Return `e`'s own message on one line (a Flyte error without its code prefix and cause chain)."""
    if isinstance(e, FlyteUserRuntimeException) and e.__cause__ is not None:
        e = e.__cause__
    text = str(e.args[0]) if isinstance(e, FlyteException) and e.args else str(e)
    text = " ".join(text.split())
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _root_cause(e: BaseException) -> str:
    """Return the innermost cause of `e` (what actually went wrong) as `Type: message`, on one line."""
    seen = {id(e)}
    while e.__cause__ is not None and id(e.__cause__) not in seen:
        e = e.__cause__
        seen.add(id(e))
    return _brief(e)


# --- dispatch --------------------------------------------------------------------------------------
def _load(resolver: str, loader_args: list[str], is_map: bool, max_concurrency: int) -> Any:
    try:
        resolver_obj = load_resolver(resolver)
    except Exception as e:
        raise FlyteUserRuntimeException(
            RuntimeError(f"could not load the task resolver {resolver!r}: {type(e).__name__}: {e}")
        ) from e
    try:
        return task_from_resolver(resolver_obj, loader_args, max_concurrency if is_map else None)
    except Exception as e:
        raise FlyteUserRuntimeException(
            RuntimeError(
                f"could not load the task with resolver {resolver!r} and loader args {loader_args}: "
                f"{type(e).__name__}: {e}"
            )
        ) from e


def _run(ctx: FlyteContext, task: Any, inputs: LiteralMap, is_map: bool) -> Any:
    if is_map:
        from flytelite.bin._map_item import run_map_item  # map tasks only

        return run_map_item(ctx, task, inputs)
    return execute_task(task, ctx, inputs)  # in a pod Flyte retries, so no local retries


def dispatch_execute(
    ctx: FlyteContext, ns: argparse.Namespace | types.SimpleNamespace, is_map: bool, freeze_loaded: bool = False
) -> str | None:
    """Load, run and write the results of one task; return the name of the result file written, or None.

    Every failure of the task becomes the error document. With `freeze_loaded` (the console scripts, which own their
    process) everything alive once the task is loaded, the modules of flytelite and of the user's code, is moved out
    of the garbage collector's view (`gc.freeze()`): it lives until the process exits, and neither the collections
    during the task nor the ones at interpreter exit (about 6 ms for a plain task) walk it again.

    Raises:
        FlyteUploadDataException: no result file could be written (see `_upload_or_report`).
    """
    es = ctx.execution_state
    engine_dir = es.engine_dir if es and es.engine_dir else make_temp_dir(prefix="flytelite-engine-")
    os.makedirs(engine_dir, exist_ok=True)
    files: dict[str, Any]
    task: Any = None
    task_error: BaseException | None = None
    try:
        with FlyteContextManager.with_context(ctx) as run_ctx:
            # Loaded in the task-execution context, as flytekit does: declaration-time checks meant for scripts and
            # notebooks (reading the function's source) are skipped in a pod.
            task = _load(ns.resolver, ns.resolver_args, is_map, getattr(ns, "max_concurrency", 0))
            if freeze_loaded:
                gc.freeze()
            inputs = _read_inputs(ctx, ns.inputs)
            check_inputs(task, inputs, ns.inputs)
            outputs = _run(run_ctx, task, inputs, is_map)
        if is_dynamic_job_spec(outputs):
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
        task_error = e
    except Exception as e:
        files = {_error_file_name(): _error_document(e)}
        task_error = e
    for name, msg in files.items():
        with open(os.path.join(engine_dir, name), "wb") as f:
            f.write(msg.SerializeToString())
    _write_deck(ctx, task, engine_dir)
    result = next(n for n in files if _is_result_file(n))
    return _upload_or_report(ctx, engine_dir, ns.output_prefix, result, task_error)


def _write_deck(ctx: FlyteContext, task: Any, engine_dir: str) -> None:
    """Write `deck.html` (the task's decks, also after a failure) into the engine dir when the task enables decks."""
    params = ctx.user_space_params
    if task is None or not getattr(task, "enable_deck", False) or params is None:
        return
    from flytelite.deck import DECK_FILE_NAME, render_deck_html  # only tasks with decks render them

    try:
        with open(os.path.join(engine_dir, DECK_FILE_NAME), "w", encoding="utf-8") as f:
            f.write(render_deck_html(params))
    except Exception as e:  # a deck never fails the task (as in flytekit)
        logger.error("Failed to write %s: %s", DECK_FILE_NAME, e)


def _fail_on_error() -> bool:
    return os.environ.get("FLYTE_FAIL_ON_ERROR", "").strip().lower() in ("1", "true", "t", "yes", "y")


def _execute(argv: Sequence[str], prog: str, is_map: bool, as_program: bool = False) -> int:
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
    try:
        written = dispatch_execute(ctx, ns, is_map, freeze_loaded=as_program)
    except FlyteUploadDataException as e:  # nothing reached the output prefix: only the exit code can tell Flyte
        print(f"{prog}: {e.args[0] if e.args else e}", file=sys.stderr)
        return 1
    return 1 if written and written.startswith("error") and _fail_on_error() else 0


def execute_task_cmd(argv: Sequence[str] | None = None) -> None:
    """Run `flytelite-execute` (console script: without `argv` it reads `sys.argv` and owns the process)."""
    if argv is None:
        sys.exit(_execute(sys.argv[1:], "flytelite-execute", is_map=False, as_program=True))
    sys.exit(_execute(argv, "flytelite-execute", is_map=False))


def map_execute_task_cmd(argv: Sequence[str] | None = None) -> None:
    """Run `flytelite-map-execute` (console script): one item of a map task (without `argv`, as `execute_task_cmd`)."""
    if argv is None:
        sys.exit(_execute(sys.argv[1:], "flytelite-map-execute", is_map=True, as_program=True))
    sys.exit(_execute(argv, "flytelite-map-execute", is_map=True))


# --- fast execute ----------------------------------------------------------------------------------
def download_distribution(additional_distribution: str, destination: str) -> None:
    """Fetch the code archive and unpack it into `destination`."""
    from flytelite.storage import FileAccessProvider

    os.makedirs(destination, exist_ok=True)
    fa = FileAccessProvider(local_sandbox_dir=make_temp_dir(prefix="flytelite-fast-"), raw_output_prefix="")
    local = os.path.join(destination, os.path.basename(additional_distribution))
    fa.get_data(additional_distribution, local)
    if local.endswith(".tar.gz"):
        import tarfile  # only fast-execute unpacks an archive (`tarfile` with its codecs costs ~6 ms)

        with tarfile.open(local, "r:gz") as tar:
            tar.extractall(destination, filter="data")
    elif not local.endswith("pkl.gz"):
        raise ValueError(f"Unrecognized additional distribution format for {additional_distribution}")


def _fast_execute(argv: Sequence[str]) -> int:
    import argparse  # fast-execute starts the task in another process: its own start-up is not the one that counts

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
