"""Behaviours kept as flytekit has them (compared side by side in `tests/conformance/test_behaviours.py`).

A one-field `NamedTuple` output, subworkflow mutable defaults, `dispatch_execute` of a `@dynamic` in a pod,
`resources=` pairs in `with_overrides`, and `SyncCheckpoint` with path-like arguments.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from flyteidl.core.tasks_pb2 import Resources as ResourcesModel

from flytelite.configuration import ImageConfig, SerializationSettings
from flytelite.core.checkpointer import SyncCheckpoint
from flytelite.core.map_task import map_task
from flytelite.core.resources import Resources, ResourceSpec
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.errors import FlyteAssertion
from flytelite.tools.translator import get_serializable

Slope = typing.NamedTuple("o", slope=float)  # noqa: UP014 - the functional form (class name "o") users write


@task
def fit(x: float) -> Slope:
    return Slope(slope=x * 2)


@task
def plus_one(s: float) -> float:
    return s + 1


@workflow
def uses_slope(x: float) -> float:
    return plus_one(s=fit(x=x).slope)  # type: ignore[no-any-return]


@workflow
def passes_slope(x: float) -> Slope:
    return fit(x=x)  # type: ignore[no-any-return]


def test_one_field_named_tuple_output_is_a_named_tuple() -> None:
    out = fit(x=1.5)
    assert isinstance(out, tuple) and out._fields == ("slope",) and type(out).__name__ == "o"
    assert out.slope == 3.0 and out[0] == 3.0
    assert uses_slope(x=1.5) == 4.0  # attribute access on the promise inside the workflow
    assert passes_slope(x=1.5).slope == 3.0
    assert map_task(fit)(x=[1.0, 2.0]) == [2.0, 4.0]  # a mapped item gives its one field


@task
def total(xs: list[int]) -> int:
    return sum(xs)


@workflow
def sub_with_default(xs: list[int] = [1, 2, 3]) -> int:  # noqa: B006 - the behaviour under test
    return total(xs=xs)  # type: ignore[no-any-return]


@workflow
def parent() -> int:
    return sub_with_default()  # type: ignore[no-any-return]


def test_subworkflow_mutable_default_binds_its_value() -> None:
    assert parent() == 6
    binding = parent.nodes[0].bindings[0]
    assert [b.scalar.primitive.integer for b in binding.binding.collection.bindings] == [1, 2, 3]
    assert sub_with_default.python_interface.inputs_with_defaults["xs"][1] == [1, 2, 3]  # not shared, not changed


def test_task_mutable_default_is_still_rejected_in_a_workflow() -> None:
    @task
    def t(xs: list[int] = [1]) -> int:  # noqa: B006 - the behaviour under test
        return sum(xs)

    assert t() == 1
    with pytest.raises(FlyteAssertion, match="mutable default"):

        @workflow
        def wf() -> int:
            return t()  # type: ignore[no-any-return]

        wf.compile()


SETTINGS = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"), project="p", domain="d")


@task(resources=Resources(cpu="1", mem=("1Gi", "2Gi")))
def sized(x: int) -> int:
    return x


@workflow
def overridden(x: int) -> int:
    a = sized(x=x).with_overrides(resources=Resources(cpu=("1", "3"), mem="3Gi"))
    return sized(x=a).with_overrides(resources=Resources(mem="5Gi"))  # type: ignore[no-any-return]


def _entries(rs: typing.Any) -> list[tuple[typing.Any, str]]:
    return [(e.name, e.value) for e in rs]


def test_resources_pairs_are_request_and_limit_a_single_value_a_request() -> None:
    assert ResourceSpec.from_multiple_resource(Resources(cpu=("1", "3"), mem="3Gi")) == ResourceSpec(
        requests=Resources(cpu="1", mem="3Gi"), limits=Resources(cpu="3")
    )
    cpu, mem = ResourcesModel.ResourceName.CPU, ResourcesModel.ResourceName.MEMORY
    nodes = get_serializable({}, SETTINGS, overridden).template.nodes
    first, second = (n.task_node.overrides.resources for n in nodes)
    assert _entries(first.requests) == [(cpu, "1"), (mem, "3Gi")] and _entries(first.limits) == [(cpu, "3")]
    assert _entries(second.requests) == [(mem, "5Gi")] and not second.limits
    container = get_serializable({}, SETTINGS, sized).template.container
    assert _entries(container.resources.limits) == [(mem, "2Gi")]
    assert overridden(x=2) == 2


_DYNAMIC_IN_A_POD = """
import typing
from flytelite import dynamic, task
from flytelite.configuration import ImageConfig, SerializationSettings
from flytelite.core.context_manager import ExecutionState, FlyteContextManager
from flytelite.core.type_engine import TypeEngine

@task
def square(x: int) -> int:
    return x * x

@dynamic
def squares(n: int) -> typing.List[int]:
    return [square(x=i) for i in range(n)]

settings = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"), project="p", domain="d")
ctx = FlyteContextManager.current_context().with_serialization_settings(settings)
with FlyteContextManager.with_context(ctx) as ctx:
    es = ctx.new_execution_state().with_params(mode=ExecutionState.Mode.TASK_EXECUTION)
    with FlyteContextManager.with_context(ctx.with_execution_state(es)) as ctx:
        spec = squares.dispatch_execute(ctx, TypeEngine.dict_to_literal_map(ctx, {"n": 3}))
print(type(spec).__name__, [n.id for n in spec.nodes], len(spec.tasks), spec.min_successes)
"""


def test_dynamic_dispatch_execute_in_task_execution_returns_the_job_spec(tmp_path: Path) -> None:
    # A fresh interpreter: nothing has imported the dynamic compiler (flytelite.tools._dynamic) beforehand.
    script = tmp_path / "dyn_pod.py"
    script.write_text(_DYNAMIC_IN_A_POD)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "DynamicJobSpec ['dn0', 'dn1', 'dn2'] 1 3"


@pytest.mark.parametrize("kind", ["str", "pathlib", "py.path"])
def test_sync_checkpoint_takes_path_like_arguments(tmpdir: typing.Any, kind: str) -> None:
    base = Path(str(tmpdir))
    convert: typing.Callable[[Path], typing.Any] = {
        "str": str,
        "pathlib": lambda p: p,
        "py.path": lambda p: tmpdir.join(p.name),
    }[kind]
    (base / "src").mkdir()
    (base / "src" / "prev").write_bytes(b"prev")
    (base / "dest").mkdir()
    cp = SyncCheckpoint(checkpoint_dest=convert(base / "dest"), checkpoint_src=convert(base / "src"))
    assert cp.prev_exists() and cp.read() == b"prev"
    (base / "restore").mkdir()
    restored = SyncCheckpoint(checkpoint_dest=str(base / "dest"), checkpoint_src=convert(base / "src"))
    assert os.listdir(restored.restore(convert(base / "restore"))) == ["prev"]
    (base / "one.txt").write_text("1")
    cp.save(convert(base / "one.txt"))
    cp.save(io.BytesIO(b"x"))  # any stream, as flytekit accepts
    assert sorted(os.listdir(base / "dest")) == ["_dst_cp", "one.txt"]
    (base / "folder").mkdir()
    (base / "folder" / "a").write_text("a")
    cp.save(convert(base / "folder"))
    assert sorted(os.listdir(base / "dest")) == ["_dst_cp", "a", "one.txt"]


def test_sync_checkpoint_read_of_an_empty_previous_checkpoint_is_none(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    assert SyncCheckpoint(checkpoint_dest=tmp_path / "dest", checkpoint_src=tmp_path / "src").read() is None
