"""Run one flytesnacks example module under one SDK and write what happened as JSON.

This file is executed as a script in a fresh interpreter, once per example and SDK, so flytekit and flytelite never
share a process. It imports nothing from either SDK until it knows which one it runs (`--sdk`), and nothing from the
test suite. The harness (`harness.py`) starts it and compares the two JSON records.

Steps, each recorded with its outcome (`ok`, the canonical `value`, the normalised `stdout`, or the `error`):

1. `import`: import `<package>.<module>` from the project folder (the current directory).
2. `call:<name>`: call each entity the module defines (task, workflow, launch plan) whose inputs all have defaults
   or are of simple types (int, float, str, bool, datetime, lists and dicts of them, the module's own enums and
   dataclasses), which get fixed sample values. The
   flytekit run decides the calls and passes them to the flytelite run (`--calls`), so both make the same calls in
   the same order. A result is canonicalised through the SDK's own type engine: the literal of each output, as a
   JSON dict, with blob URIs replaced by a digest of the data they point at (a pickle by the unpickled object's
   state, a msgpack payload decoded first).
3. `main`: execute the body of the module's `if __name__ == "__main__":` block in the module's namespace.

Only `print()` output is recorded (the SDKs' log handlers differ and are not compared). A step that runs longer than
`STEP_TIMEOUT_S` (a sensor polling for a sample path) is stopped and marked `timeout`.

Network access is refused (anything but loopback raises `NetworkBlockedError`) and recorded, so an example that
needs the network is reported as such instead of failing in both SDKs for the same boring reason. Random generators
are seeded so that examples which draw random numbers print the same numbers with both SDKs.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import dataclasses
import hashlib
import importlib
import inspect
import io
import json
import os
import random
import re
import signal
import socket
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

_LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0"}
NETWORK_ATTEMPTS: list[str] = []
UNCALLED: list[str] = []  # entities whose inputs have neither defaults nor sample values
STEP_TIMEOUT_S = 60


class NetworkBlockedError(ConnectionRefusedError):
    """Raised instead of reaching a non-loopback host."""


class StepTimeoutError(BaseException):
    """Raised (by SIGALRM) in a step that runs longer than `STEP_TIMEOUT_S`, e.g. a sensor polling forever."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise StepTimeoutError(f"the step did not finish within {STEP_TIMEOUT_S}s")


def _block_network() -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def host_of(address: Any) -> Any:
        return address[0] if isinstance(address, tuple) and address else None

    def refuse(host: Any) -> None:
        NETWORK_ATTEMPTS.append(str(host))
        raise NetworkBlockedError(f"flytesnacks harness: network access to {host!r} is blocked")

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and host_of(address) not in _LOCAL_HOSTS:
            refuse(host_of(address))
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and host_of(address) not in _LOCAL_HOSTS:
            refuse(host_of(address))
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        if host not in _LOCAL_HOSTS:
            refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo


def _seed() -> None:
    random.seed(0)
    with contextlib.suppress(ImportError):
        import numpy

        numpy.random.seed(0)


# ---------------------------------------------------------------------------------------------------- normalising
_HEX_ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
_TMP_PATH = re.compile(r"(?:file://)?/(?:tmp|var/folders)/[^\s'\"),\]}]*")


def normalise_text(text: str, roots: list[str]) -> str:
    """Make output comparable across SDKs: no temp paths, object addresses or SDK names.

    A path in the temp folder has random parts, so it becomes `<tmp-path>`; `roots` (the project folder's
    spellings) become `<root>`, keeping the path inside it.
    """
    tmp = tempfile.gettempdir()
    for root in sorted({tmp, os.path.realpath(tmp)}, key=len, reverse=True):
        # `tar -v` prints paths without their leading slash; a placeholder keeps the next pass from matching again
        text = re.sub("/?" + re.escape(root.lstrip("/")) + r"[^\s'\"),\]}]*", "\0TMP\0", text)
    text = text.replace("\0TMP\0", "<tmp-path>")
    for root in sorted(roots, key=len, reverse=True):
        if root:
            text = text.replace(root, "<root>")
    text = _TMP_PATH.sub("<tmp-path>", text)
    text = _HEX_ADDR.sub(" at 0x?", text)
    return re.sub(r"\bflytekit\b", "flytelite", text)


def _builtin_bases(exc_type: type) -> list[str]:
    return sorted(c.__name__ for c in exc_type.__mro__ if c.__module__ == "builtins" and c is not object)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def _missing_module(exc: BaseException, own: set[str]) -> str | None:
    """Return the third-party module whose absence caused `exc` (the innermost such), if that is what happened."""
    for e in reversed(_chain(exc)):
        if isinstance(e, ModuleNotFoundError) and e.name and e.name.split(".")[0] not in own:
            return e.name
        if isinstance(e, ImportError):
            m = re.search(r"[Mm]odule ([\w.]+) is not yet installed", str(e))
            if m and m.group(1).split(".")[0] not in own:
                return m.group(1)
    return None


def describe_error(exc: BaseException, roots: list[str], own: set[str]) -> dict[str, Any]:
    message = normalise_text(str(exc), roots)
    return {
        "type": normalise_text(f"{type(exc).__module__}.{type(exc).__qualname__}", roots),
        "builtins": _builtin_bases(type(exc)),
        "message": message[:2000],
        "missing_module": _missing_module(exc, own),
        "traceback": "".join(traceback.format_exception(exc))[-6000:],
    }


# ------------------------------------------------------------------------------------------------- canonical values
def _digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _digest_parquet(path: str) -> str | None:
    try:
        import pyarrow.parquet as pq

        return "table:" + _digest_bytes(repr(pq.read_table(path).to_pylist()).encode())
    except Exception:
        return None


def digest_uri(uri: str, tabular: bool) -> Any:
    """Replace a local blob URI by a digest of its content (remote URIs are kept as written)."""
    path = uri[len("file://") :] if uri.startswith("file://") else uri
    if "://" in path or not os.path.exists(path):
        return uri if "://" in path else "<missing local blob>"
    if tabular:
        table = _digest_parquet(path)
        if table is not None:
            return table
    if os.path.isfile(path):
        return "file:" + _digest_bytes(Path(path).read_bytes())
    files = []
    for p in sorted(Path(path).rglob("*")):
        if p.is_file():
            files.append(f"{p.relative_to(path)}={_digest_bytes(p.read_bytes())}")
    return {"dir": files}


def _plain(obj: Any, depth: int = 0) -> Any:
    """A JSON-able picture of an unpickled object: its class and state, not the pickle's bytes (whose memo
    depends on which equal strings happen to be one object)."""
    if depth > 20 or obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, list | tuple | set | frozenset):
        items = [_plain(v, depth + 1) for v in obj]
        return sorted(items, key=repr) if isinstance(obj, set | frozenset) else items
    if isinstance(obj, dict):
        return {repr(k): _plain(v, depth + 1) for k, v in obj.items()}
    state = getattr(obj, "__dict__", None)
    name = f"{type(obj).__module__}.{type(obj).__qualname__}"
    if isinstance(state, dict):
        return {"__class__": name, **{k: _plain(v, depth + 1) for k, v in state.items()}}
    return {"__class__": name, "repr": _HEX_ADDR.sub(" at 0x?", repr(obj))}


def _digest_pickle(uri: str) -> Any:
    path = uri[len("file://") :] if uri.startswith("file://") else uri
    try:
        import cloudpickle

        with open(path, "rb") as f:
            return {"unpickled": _plain(cloudpickle.load(f))}
    except Exception as exc:
        return f"<unreadable pickle: {type(exc).__name__}>"


def _canonical_msgpack(node: Any, tabular: bool) -> Any:
    """A msgpack payload (dataclass, pydantic model) with the local paths inside it digested."""
    if isinstance(node, dict):
        return {
            k: digest_uri(v, tabular or "file_format" in node)
            if k in ("uri", "path") and isinstance(v, str)
            else _canonical_msgpack(v, tabular)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_canonical_msgpack(v, tabular) for v in node]
    return node


def _canonical_literal(node: Any, tabular: bool = False) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, val in node.items():
            if key == "uri" and isinstance(val, str):
                pickled = node.get("metadata", {}).get("type", {}).get("format") == "PythonPickle"
                out[key] = _digest_pickle(val) if pickled else digest_uri(val, tabular)
            elif key == "binary" and isinstance(val, dict) and val.get("tag") == "msgpack":
                import base64

                import msgpack

                payload = msgpack.unpackb(base64.b64decode(val.get("value", "")), strict_map_key=False)
                out[key] = {"tag": "msgpack", "value": _canonical_msgpack(payload, tabular)}
            else:
                out[key] = _canonical_literal(val, tabular or key in ("structuredDataset", "schema"))
        return out
    if isinstance(node, list):
        return [_canonical_literal(v, tabular) for v in node]
    return node


def canonical_output(sdk: Any, value: Any, python_type: Any, roots: list[str]) -> Any:
    """The literal the SDK's type engine makes of `value`, as JSON with blob contents digested."""
    from google.protobuf.json_format import MessageToDict

    type_engine = sdk.core.type_engine.TypeEngine
    ctx = sdk.core.context_manager.FlyteContextManager.current_context()
    try:
        literal_type = type_engine.to_literal_type(python_type)
        literal = type_engine.to_literal(ctx, value, python_type, literal_type)
        if inspect.iscoroutine(literal):
            literal = asyncio.run(literal)
        pb = literal.to_flyte_idl() if hasattr(literal, "to_flyte_idl") else literal
        return {"literal": _canonical_literal(MessageToDict(pb))}
    except Exception as exc:
        return {"unconvertible": f"{type(exc).__name__}", "repr": normalise_text(repr(value), roots)[:2000]}


# ------------------------------------------------------------------------------------------------------- entities
def _entity_classes(sdk: Any) -> tuple[type, ...]:
    classes = []
    for mod_name, cls_name in (
        ("core.base_task", "Task"),
        ("core.workflow", "WorkflowBase"),
        ("core.launch_plan", "LaunchPlan"),
    ):
        mod = importlib.import_module(f"{sdk.__name__}.{mod_name}")
        classes.append(getattr(mod, cls_name))
    return tuple(classes)


def _imported_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
    return names


_SAMPLES: dict[Any, Any] = {int: 3, float: 2.5, str: "flyte", bool: True}
_SAMPLE_DATETIME = "2024-05-06T07:08:09"


def sample_value(tp: Any, module: Any) -> Any:
    """A fixed value, JSON-encoded (see `decode_sample`), for a simple input type, or raise LookupError.

    Simple: int, float, str, bool, datetime, Optional of one, lists and str-keyed dicts of them, and enums and
    dataclasses (of simple fields) that the example module itself defines.
    """
    import datetime
    import enum
    import typing

    if tp in _SAMPLES:
        return _SAMPLES[tp]
    if tp is datetime.datetime:
        return {"$datetime": _SAMPLE_DATETIME}
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and len(args) == 1:
        return [sample_value(args[0], module) for _ in range(3)]
    if origin is dict and len(args) == 2 and args[0] is str:
        return {"a": sample_value(args[1], module), "b": sample_value(args[1], module)}
    if origin is typing.Union and len(args) == 2 and type(None) in args:
        return sample_value(next(a for a in args if a is not type(None)), module)
    if isinstance(tp, type) and tp.__module__ == module.__name__ and getattr(module, tp.__qualname__, None) is tp:
        if issubclass(tp, enum.Enum):
            return {"$enum": tp.__qualname__, "name": next(iter(tp)).name}
        if dataclasses.is_dataclass(tp):
            hints = typing.get_type_hints(tp)
            fields = {
                f.name: sample_value(hints[f.name], module)
                for f in dataclasses.fields(tp)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            }
            return {"$dataclass": tp.__qualname__, "fields": fields}
    raise LookupError(tp)


def decode_sample(value: Any, module: Any) -> Any:
    """Turn an encoded sample back into the value (classes are looked up in this run's module)."""
    import datetime

    if isinstance(value, list):
        return [decode_sample(v, module) for v in value]
    if not isinstance(value, dict):
        return value
    if "$datetime" in value:
        return datetime.datetime.fromisoformat(value["$datetime"])
    if "$enum" in value:
        return getattr(module, value["$enum"])[value["name"]]
    if "$dataclass" in value:
        fields = {k: decode_sample(v, module) for k, v in value["fields"].items()}
        return getattr(module, value["$dataclass"])(**fields)
    return {k: decode_sample(v, module) for k, v in value.items()}


def plan_call(entity: Any, module: Any) -> dict[str, Any] | None:
    """How to call an entity: no arguments when every input has a default, else sample values for the inputs
    without one (when they are all simple types); None when it cannot be called. Decided on the flytekit side only.
    """
    inputs = dict(entity.python_interface.inputs)
    saved = getattr(entity, "saved_inputs", None)
    if saved is not None:  # a launch plan: fixed and default inputs
        defaulted = set(saved)
    else:
        fn = getattr(entity, "task_function", None) or getattr(entity, "function", None)
        try:
            params = inspect.signature(fn).parameters if fn is not None else {}
        except (TypeError, ValueError):
            params = {}
        defaulted = {n for n, p in params.items() if p.default is not inspect.Parameter.empty}
    try:
        kwargs = {name: sample_value(tp, module) for name, tp in inputs.items() if name not in defaulted}
    except LookupError:
        return None
    return {"kwargs": kwargs}


def find_calls(sdk: Any, module: Any, tree: ast.Module) -> list[dict[str, Any]]:
    """The entities the module defines (not imports) that can be called, in definition order, with their inputs."""
    classes = _entity_classes(sdk)
    skip = _imported_names(tree)
    calls = []
    for name, obj in vars(module).items():
        if name.startswith("__") or name in skip or not isinstance(obj, classes):
            continue
        try:
            plan = plan_call(obj, module)
        except Exception:  # an annotation the sampler cannot even look at (e.g. unhashable Annotated metadata)
            plan = None
        if plan is not None:
            calls.append({"name": name, **plan})
        else:
            UNCALLED.append(name)
    return calls


def _outputs(entity: Any, result: Any) -> list[tuple[str, Any, Any]]:
    outputs = dict(entity.python_interface.outputs)
    if not outputs:
        return []
    if len(outputs) == 1:
        ((name, tp),) = outputs.items()
        if isinstance(result, tuple) and getattr(result, "_fields", None) == (name,):
            result = result[0]  # a single named output comes back as its NamedTuple
        return [(name, tp, result)]
    values = list(result) if isinstance(result, tuple) else [result]
    return [(name, tp, v) for (name, tp), v in zip(outputs.items(), values, strict=False)]


# --------------------------------------------------------------------------------------------------------- steps
@contextlib.contextmanager
def _capture_prints() -> Any:
    """Collect what `print()` writes to stdout; log handlers (which differ between the SDKs) are not captured."""
    import builtins

    buf = io.StringIO()
    real_print = builtins.print

    def capturing_print(*args: Any, **kwargs: Any) -> None:
        target = kwargs.get("file")
        if target is None or target is sys.stdout:
            kwargs["file"] = buf
        real_print(*args, **kwargs)

    builtins.print = capturing_print
    try:
        yield buf
    finally:
        builtins.print = real_print


@dataclasses.dataclass
class Recorder:
    sdk: Any
    roots: list[str]
    own: set[str]
    steps: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def run(self, name: str, fn: Any) -> tuple[bool, Any]:
        record: dict[str, Any] = {"step": name}
        result: Any = None
        attempts_before = len(NETWORK_ATTEMPTS)
        with _capture_prints() as buf:
            signal.alarm(STEP_TIMEOUT_S)
            try:
                result = fn()
                if inspect.iscoroutine(result):
                    result = asyncio.run(result)
                record["ok"] = True
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                record["ok"] = False
                record["error"] = describe_error(exc, self.roots, self.own)
                record["timeout"] = isinstance(exc, StepTimeoutError)
            finally:
                signal.alarm(0)
        record["stdout"] = normalise_text(buf.getvalue(), self.roots)[-8000:]
        record["network"] = sorted(set(NETWORK_ATTEMPTS[attempts_before:]))
        self.steps.append(record)
        return record["ok"], result


def main_block(tree: ast.Module) -> ast.Module | None:
    for node in tree.body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__"
        ):
            return ast.Module(body=node.body, type_ignores=[])
    return None


def plugin_roots() -> list[str]:
    """The folders the loaded `flytekitplugins.*` modules came from (the one that holds `flytekitplugins/`): the
    harness checks that each SDK used its own copy of the plugins only."""
    marker = f"{os.sep}flytekitplugins{os.sep}"
    roots = set()
    for name, mod in list(sys.modules.items()):
        path = getattr(mod, "__file__", None)
        if name.startswith("flytekitplugins.") and path:
            real = os.path.realpath(path)
            roots.add(real[: real.rfind(marker)] if marker in real else real)
    return sorted(roots)


def run(args: argparse.Namespace) -> dict[str, Any]:
    project_dir = os.getcwd()
    sys.path[0] = project_dir  # not this script's folder: nothing of the test suite is importable here
    roots = [project_dir, os.path.realpath(project_dir)]
    package = args.module.split(".")[0]
    own = {"flytekit", "flytelite", package}
    source_path = Path(project_dir, *args.module.split(".")).with_suffix(".py")
    tree = ast.parse(source_path.read_text(encoding="utf-8"))
    sdk = importlib.import_module(args.sdk)
    importlib.import_module(f"{args.sdk}.core.type_engine")
    importlib.import_module(f"{args.sdk}.core.context_manager")
    rec = Recorder(sdk, roots, own)

    ok, module = rec.run("import", lambda: importlib.import_module(args.module))
    calls: list[dict[str, Any]] = []
    if ok:
        calls = json.loads(args.calls) if args.calls is not None else find_calls(sdk, module, tree)
        for call in calls:
            _seed()
            name, kwargs = call["name"], call["kwargs"]
            entity = getattr(module, name, None)
            if entity is None:
                rec.steps.append({"step": f"call:{name}", "ok": False, "error": {"type": "<missing>", "builtins": []}})
                continue
            ok_call, result = rec.run(f"call:{name}", lambda e=entity, kw=kwargs: e(**decode_sample(kw, module)))
            if ok_call:
                rec.steps[-1]["value"] = {
                    out: canonical_output(sdk, v, tp, roots) for out, tp, v in _outputs(entity, result)
                }
        block = main_block(tree)
        if block is not None:
            _seed()
            code = compile(block, str(source_path), "exec")
            rec.run("main", lambda: exec(code, vars(module)))
    return {
        "sdk": args.sdk,
        "calls": calls,
        "steps": rec.steps,
        "network": sorted(set(NETWORK_ATTEMPTS)),
        "uncalled": UNCALLED,
        "loaded_flytekit": any(m == "flytekit" or m.startswith("flytekit.") for m in sys.modules),
        "plugin_roots": plugin_roots(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sdk", choices=["flytekit", "flytelite"], required=True)
    parser.add_argument("--module", required=True, help="<package>.<module>, importable from the cwd")
    parser.add_argument("--out", required=True)
    parser.add_argument("--calls", default=None, help="JSON list of calls to make (decided by the flytekit run)")
    args = parser.parse_args()
    _block_network()
    _seed()
    signal.signal(signal.SIGALRM, _on_alarm)
    record = run(args)
    Path(args.out).write_text(json.dumps(record, indent=1, default=repr), encoding="utf-8")
    sys.stdout.flush()
    os._exit(0)  # examples may leave non-daemon threads (servers, pools) behind


if __name__ == "__main__":
    main()
