"""Behaviour conformance: one source run under flytekit and under flytelite gives the same results.

Covers the behaviours that used to differ: a task with a one-field `NamedTuple` output, subworkflows with mutable
defaults, `Iterator[...]` / generator outputs (collections, JSON Lines blobs, files and folders), `dispatch_execute`
of a `@dynamic` in TASK_EXECUTION mode, `with_overrides(resources=...)` with `(request, limit)` pairs, gates reading
piped standard input, and `SyncCheckpoint` with path-like arguments.

The source below is written against flytelite; the flytekit copy is the same text with the import word switched (the
drop-in promise). Both load from a temporary folder. flytekit is a test-only oracle.
"""

from __future__ import annotations

import ast
import collections
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("flytekit")

from google.protobuf import json_format

SOURCE = """
import collections
import datetime
import os
import tempfile
import typing
from typing import Iterator

from flytelite import Resources, dynamic, task, workflow
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile
from flytelite.types.iterator import JSON

Slope = typing.NamedTuple("o", slope=float)


@task
def fit(x: float) -> Slope:
    return Slope(slope=x * 2)


@task
def fit_plain(x: float) -> typing.NamedTuple("fit_out", slope=float):
    return x * 3


@task
def plus_one(s: float) -> float:
    return s + 1


@workflow
def uses_attribute(x: float) -> float:
    return plus_one(s=fit(x=x).slope)


@workflow
def returns_named(x: float) -> Slope:
    return fit(x=x)


@workflow
def sub_named(x: float) -> Slope:
    return fit(x=x)


@workflow
def parent_named(x: float) -> float:
    return plus_one(s=sub_named(x=x).slope)


@task
def total(xs: typing.List[int]) -> int:
    return sum(xs)


@workflow
def sub_list_default(xs: typing.List[int] = [1, 2, 3]) -> int:
    return total(xs=xs)


@workflow
def sub_dict_default(d: typing.Dict[str, int] = {"a": 4}) -> int:
    return total(xs=[d["a"]]) if False else total(xs=[5])


@workflow
def parent_of_defaults() -> int:
    return sub_list_default()


@workflow
def parent_overrides_default(ys: typing.List[int]) -> int:
    return sub_list_default(xs=ys)


@task
def evens(n: int) -> Iterator[int]:
    for i in range(n):
        yield i * 2


@task
def add_up(xs: Iterator[int]) -> int:
    return sum(xs)


@task
def add_up_list(xs: typing.List[int]) -> int:
    return sum(xs)


@task
def rows(n: int) -> Iterator[JSON]:
    for i in range(n):
        yield {"i": i, "name": f"row {i}", "tags": ["a", i]}


@task
def count_rows(r: Iterator[JSON]) -> int:
    return sum(row["i"] for row in r)


@task
def files(n: int) -> Iterator[FlyteFile]:
    for i in range(n):
        p = os.path.join(tempfile.mkdtemp(), f"f{i}.txt")
        with open(p, "w") as fh:
            fh.write(str(i))
        yield FlyteFile(p)


@task
def read_files(fs: Iterator[FlyteFile]) -> str:
    out = ""
    for f in fs:
        with open(f) as fh:
            out += fh.read()
    return out


@task
def folders(n: int) -> Iterator[FlyteDirectory]:
    for i in range(n):
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "x.txt"), "w") as fh:
            fh.write(str(i))
        yield FlyteDirectory(d)


@task
def read_folders(ds: Iterator[FlyteDirectory]) -> str:
    out = ""
    for d in ds:
        with open(os.path.join(d, "x.txt")) as fh:
            out += fh.read()
    return out


@workflow
def iterate(n: int) -> int:
    return add_up(xs=evens(n=n))


@workflow
def iterate_into_list(n: int) -> int:
    return add_up_list(xs=evens(n=n))


@workflow
def iterate_json(n: int) -> int:
    return count_rows(r=rows(n=n))


@workflow
def iterate_files(n: int) -> str:
    return read_files(fs=files(n=n))


@workflow
def iterate_folders(n: int) -> str:
    return read_folders(ds=folders(n=n))


@workflow
def returns_iterator(n: int) -> Iterator[int]:
    return evens(n=n)


@task(resources=Resources(cpu="1", mem=("1Gi", "2Gi")))
def sized(x: int) -> int:
    return x


@workflow
def overridden(x: int) -> int:
    a = sized(x=x).with_overrides(resources=Resources(cpu=("1", "3"), mem="3Gi"))
    b = sized(x=a).with_overrides(resources=Resources(cpu="2", mem=("1Gi", "2Gi"), gpu=1))
    c = sized(x=b).with_overrides(requests=Resources(cpu="1"), limits=Resources(cpu="2"))
    return sized(x=c).with_overrides(resources=Resources(mem="5Gi"))


@task
def square(x: int) -> int:
    return x * x


@dynamic
def squares(n: int) -> typing.List[int]:
    return [square(x=i) for i in range(n)]


@dynamic
def no_nodes(n: int) -> int:
    return n + 1
"""

_RENAMES = [("flytelite", "flytekit")]


def _load(folder: Path, name: str, text: str) -> ModuleType:
    path = folder / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mods(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    folder = tmp_path_factory.mktemp("behaviours")
    kit_text = SOURCE
    for old, new in _RENAMES:
        kit_text = kit_text.replace(old, new)
    return _load(folder, "bh_kit", kit_text), _load(folder, "bh_lite", SOURCE)


def _plain(v: Any) -> Any:
    """Return `v` with named tuples as (class name, fields, values) and iterators as lists, for comparing SDKs."""
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return (type(v).__name__, tuple(v._fields), tuple(_plain(x) for x in v))
    if hasattr(v, "__next__"):
        return ("iterator", [_plain(x) for x in v])
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _outcome(fn: Callable[[], Any]) -> Any:
    try:
        return ("ok", _plain(fn()))
    except Exception as e:  # the comparison is of builtin bases, as users catch them
        return ("error", [b.__name__ for b in type(e).__mro__ if b.__module__ == "builtins"])


CALLS: list[tuple[str, dict[str, Any]]] = [
    ("fit", {"x": 1.5}),
    ("fit_plain", {"x": 1.5}),
    ("uses_attribute", {"x": 1.5}),
    ("returns_named", {"x": 1.5}),
    ("parent_named", {"x": 1.5}),
    ("sub_list_default", {}),
    ("sub_list_default", {"xs": [7]}),
    ("sub_dict_default", {}),
    ("parent_of_defaults", {}),
    ("parent_overrides_default", {"ys": [4, 4]}),
    ("evens", {"n": 3}),
    ("add_up", {"xs": [1, 2]}),
    ("iterate", {"n": 4}),
    ("iterate_into_list", {"n": 4}),
    ("rows", {"n": 2}),
    ("iterate_json", {"n": 3}),
    ("iterate_files", {"n": 3}),
    ("iterate_folders", {"n": 2}),
    ("returns_iterator", {"n": 3}),
    ("overridden", {"x": 2}),
]


@pytest.mark.parametrize(("name", "inputs"), CALLS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CALLS)])
def test_calls_give_what_flytekit_gives(mods: tuple[ModuleType, ModuleType], name: str, inputs: dict[str, Any]) -> None:
    kit, lite = mods
    expected = _outcome(lambda: getattr(kit, name)(**inputs))
    assert expected[0] == "ok", expected
    assert _outcome(lambda: getattr(lite, name)(**inputs)) == expected


def test_one_field_named_tuple_is_returned_as_a_named_tuple(mods: tuple[ModuleType, ModuleType]) -> None:
    _, lite = mods
    out = lite.fit(x=2.0)
    assert isinstance(out, tuple) and out.slope == 4.0 and type(out).__name__ == "o"
    assert lite.returns_named(x=2.0).slope == 4.0


def _normalised(message: Any) -> Any:
    if hasattr(message, "to_flyte_idl"):
        message = message.to_flyte_idl()
    text = json.dumps(json_format.MessageToDict(message), sort_keys=True)
    for old, new in [("bh_kit", "M"), ("bh_lite", "M"), ("pyflyte-", "flytelite-"), ("flytekit.", "flytelite.")]:
        text = text.replace(old, new)
    out = json.loads(text)

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: ({**x, "version": "<v>"} if k == "runtime" else walk(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(out)


def _settings(sdk: str) -> Any:
    configuration = importlib.import_module(f"{sdk}.configuration")
    image = configuration.Image(name="default", fqn="cr.io/img", tag="v1")
    return configuration.SerializationSettings(
        project="p", domain="d", version="v1", image_config=configuration.ImageConfig(default_image=image), env={}
    )


def _serialize(sdk: str, entity: Any) -> Any:
    translator = importlib.import_module(f"{sdk}.tools.translator")
    return translator.get_serializable(collections.OrderedDict(), _settings(sdk), entity)


def test_resource_overrides_serialize_like_flytekit(mods: tuple[ModuleType, ModuleType]) -> None:
    kit, lite = mods
    kit_nodes = [_normalised(n.to_flyte_idl()) for n in _serialize("flytekit", kit.overridden).template.nodes]
    lite_nodes = [_normalised(n) for n in _serialize("flytelite", lite.overridden).template.nodes]
    assert lite_nodes == kit_nodes
    first = lite_nodes[0]["taskNode"]["overrides"]["resources"]
    assert first == {
        "requests": [{"name": "CPU", "value": "1"}, {"name": "MEMORY", "value": "3Gi"}],
        "limits": [{"name": "CPU", "value": "3"}],
    }
    kit_task = _serialize("flytekit", kit.sized).template.to_flyte_idl()
    lite_task = _serialize("flytelite", lite.sized).template
    assert _normalised(lite_task.container.resources) == _normalised(kit_task.container.resources)


def test_subworkflow_default_binds_like_flytekit(mods: tuple[ModuleType, ModuleType]) -> None:
    kit, lite = mods
    kit_nodes = [_normalised(n.to_flyte_idl()) for n in _serialize("flytekit", kit.parent_of_defaults).template.nodes]
    lite_nodes = [_normalised(n) for n in _serialize("flytelite", lite.parent_of_defaults).template.nodes]
    assert lite_nodes == kit_nodes


@pytest.mark.parametrize("name", ["evens", "add_up", "rows", "count_rows", "files", "folders"])
def test_iterator_interfaces_match(mods: tuple[ModuleType, ModuleType], name: str) -> None:
    kit, lite = mods
    assert _normalised(getattr(lite, name).interface) == _normalised(getattr(kit, name).interface)


def _in_task_execution(sdk: str, entity: Any, inputs: dict[str, Any]) -> Any:
    cm = importlib.import_module(f"{sdk}.core.context_manager")
    engine = importlib.import_module(f"{sdk}.core.type_engine").TypeEngine
    ctx = cm.FlyteContextManager.current_context().with_serialization_settings(_settings(sdk))
    with cm.FlyteContextManager.with_context(ctx) as ctx:
        es = ctx.new_execution_state().with_params(mode=cm.ExecutionState.Mode.TASK_EXECUTION)
        with cm.FlyteContextManager.with_context(ctx.with_execution_state(es)) as ctx:
            return entity.dispatch_execute(ctx, engine.dict_to_literal_map(ctx, inputs))


def test_dynamic_dispatch_execute_returns_the_job_spec(mods: tuple[ModuleType, ModuleType]) -> None:
    from flyteidl.core.dynamic_job_pb2 import DynamicJobSpec
    from flyteidl.core.literals_pb2 import LiteralMap

    kit, lite = mods
    kit_spec = _in_task_execution("flytekit", kit.squares, {"n": 3})
    lite_spec = _in_task_execution("flytelite", lite.squares, {"n": 3})
    assert isinstance(lite_spec, DynamicJobSpec)
    assert len(lite_spec.nodes) == 3
    assert _normalised(lite_spec) == _normalised(kit_spec)
    kit_out = _in_task_execution("flytekit", kit.no_nodes, {"n": 3})
    lite_out = _in_task_execution("flytelite", lite.no_nodes, {"n": 3})
    assert isinstance(lite_out, LiteralMap)
    assert _normalised(lite_out) == _normalised(kit_out)


def test_json_iterator_blobs_cross_sdks(mods: tuple[ModuleType, ModuleType]) -> None:
    import typing

    from flytekit.core.context_manager import FlyteContextManager as KitCM
    from flytekit.core.type_engine import TypeEngine as KitEngine
    from flytekit.types.iterator import JSON as KIT_JSON

    from flytelite.core.context_manager import FlyteContextManager as LiteCM
    from flytelite.core.type_engine import TypeEngine as LiteEngine
    from flytelite.types.iterator import JSON as LITE_JSON

    kit_t, lite_t = typing.Iterator[KIT_JSON], typing.Iterator[LITE_JSON]
    values = [{"a": 1, "é": [1, 2.5, None]}, [1, "x"], 3, "s", True]
    kit_lit = KitEngine.to_literal(KitCM.current_context(), iter(values), kit_t, KitEngine.to_literal_type(kit_t))
    lite_ctx = LiteCM.current_context()
    lite_lit = LiteEngine.to_literal(lite_ctx, iter(values), lite_t, LiteEngine.to_literal_type(lite_t))
    assert _normalised(LiteEngine.to_literal_type(lite_t)) == _normalised(KitEngine.to_literal_type(kit_t))
    assert lite_lit.scalar.blob.metadata == kit_lit.to_flyte_idl().scalar.blob.metadata
    assert list(LiteEngine.to_python_value(lite_ctx, kit_lit.to_flyte_idl(), lite_t)) == values
    assert list(KitEngine.to_python_value(KitCM.current_context(), _kit_literal(lite_lit), kit_t)) == values
    with pytest.raises(ValueError, match="The iterator is empty"):
        LiteEngine.to_literal(lite_ctx, iter([]), lite_t, LiteEngine.to_literal_type(lite_t))


def _kit_literal(pb: Any) -> Any:
    from flytekit.models.literals import Literal as KitLiteral

    return KitLiteral.from_flyte_idl(pb)


_GATES = """
import datetime
from flytelite import approve, task, wait_for_input, workflow

HOUR = datetime.timedelta(hours=1)


@task
def double(x: int) -> int:
    return x * 2


@task
def times(a: int, b: int) -> int:
    return a * b


@workflow
def gated(x: int) -> int:
    factor = wait_for_input("factor", timeout=HOUR, expected_type=int)
    return times(a=approve(double(x=x), "check", timeout=HOUR), b=factor)


@workflow
def listed(x: int) -> list[int]:
    return wait_for_input("xs", timeout=HOUR, expected_type=list[int])


if __name__ == "__main__":
    import sys
    try:
        print("RESULT", repr(globals()[sys.argv[1]](x=3)))
    except BaseException as e:
        print("ERROR", [b.__name__ for b in type(e).__mro__ if b.__module__ == "builtins"])
"""


def _run_gate(folder: Path, sdk: str, wf: str, stdin: str) -> str:
    script = folder / f"gates_{sdk}.py"
    script.write_text(_GATES.replace("flytelite", sdk))
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.run(
        [sys.executable, str(script), wf], input=stdin, capture_output=True, text=True, timeout=120, env=env
    )
    # prompts end without a newline, as flytekit's do, so the result line may follow one on the same line
    found = re.findall(r"(?:RESULT|ERROR) .*", proc.stdout)
    assert found, proc.stdout + proc.stderr
    return str(found[-1])


@pytest.mark.parametrize(
    ("wf", "stdin"),
    [
        ("gated", "5\ny\n"),  # piped, not a terminal
        ("gated", "5\n\n"),  # an empty answer approves
        ("gated", "abc\n5\nmaybe\nyes\n"),  # invalid answers are asked again
        ("gated", "5\nn\n"),  # refused
        ("listed", "[1, 2]\n"),
    ],
)
def test_gates_read_piped_stdin_like_flytekit(tmp_path: Path, wf: str, stdin: str) -> None:
    lite, kit = _run_gate(tmp_path, "flytelite", wf, stdin), _run_gate(tmp_path, "flytekit", wf, stdin)
    if kit.startswith("ERROR"):  # a flytelite error has at least flytekit's builtin bases
        assert lite.startswith("ERROR"), lite
        assert set(ast.literal_eval(kit[6:])) <= set(ast.literal_eval(lite[6:])), (lite, kit)
    else:
        assert lite == kit


def test_gates_fail_when_piped_stdin_ends(tmp_path: Path) -> None:
    # flytekit raises click's Abort (a RuntimeError); flytelite's error names the gate and is a RuntimeError too
    kit, lite = _run_gate(tmp_path, "flytekit", "gated", "5\n"), _run_gate(tmp_path, "flytelite", "gated", "5\n")
    assert kit.startswith("ERROR") and "RuntimeError" in kit, kit
    assert lite.startswith("ERROR") and set(ast.literal_eval(kit[6:])) <= set(ast.literal_eval(lite[6:])), (lite, kit)


def _checkpoint_outcomes(sdk: str, tmp: Path, convert: Callable[[Path], Any]) -> list[Any]:
    module = importlib.import_module(f"{sdk}.core.checkpointer")
    src, dest = tmp / "src", tmp / "dest"
    src.mkdir()
    dest.mkdir()
    (src / "prev").write_bytes(b"prev-bytes")
    cp = module.SyncCheckpoint(checkpoint_dest=convert(dest), checkpoint_src=convert(src))
    out: list[Any] = [cp.prev_exists(), _outcome(cp.read)]
    target = tmp / "restored"
    target.mkdir()
    cp2 = module.SyncCheckpoint(checkpoint_dest=convert(dest), checkpoint_src=convert(src))
    out.append(_outcome(lambda: sorted(os.listdir(cp2.restore(target)))))
    one = tmp / "one.txt"
    one.write_text("1")
    out.append(_outcome(lambda: (cp.save(one), sorted(os.listdir(dest)))[1]))
    out.append(_outcome(lambda: (cp.save(io.BytesIO(b"x")), sorted(os.listdir(dest)))[1]))
    out.append(_outcome(lambda: (cp.write(b"y"), (dest / "_dst_cp").read_bytes())[1]))
    return out


@pytest.mark.parametrize("kind", ["str", "path"])
def test_sync_checkpoint_accepts_paths_like_flytekit(tmp_path: Path, kind: str) -> None:
    convert: Callable[[Path], Any] = str if kind == "str" else (lambda p: p)
    (tmp_path / "kit").mkdir()
    (tmp_path / "lite").mkdir()
    kit = _checkpoint_outcomes("flytekit", tmp_path / "kit", convert)
    assert _checkpoint_outcomes("flytelite", tmp_path / "lite", convert) == kit


def test_sync_checkpoint_accepts_any_path_like(tmpdir: Any) -> None:
    from flytelite.core.checkpointer import SyncCheckpoint

    base = Path(str(tmpdir))
    (base / "src").mkdir()
    (base / "src" / "prev").write_bytes(b"prev")
    (base / "dest").mkdir()
    # pytest's `tmpdir` (a py.path.local) is os.PathLike but not a pathlib.Path; flytekit fails on it in save()
    cp = SyncCheckpoint(checkpoint_dest=tmpdir.join("dest"), checkpoint_src=tmpdir.join("src"))
    assert cp.read() == b"prev"
    one = tmpdir.join("one.txt")
    one.write("1")
    cp.save(one)
    assert sorted(os.listdir(base / "dest")) == ["one.txt"]
