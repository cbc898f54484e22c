"""Workflow conformance: the same workflows give the same results in flytekit and in flytelite, on every executor.

The workflows live in `tests/exec/wf_module.py`, written against flytelite's flytekit-compatible import paths. The
flytekit copy is that same source with the imports switched to flytekit (the drop-in promise), loaded from a
temporary folder. flytekit is a test-only oracle.
"""

from __future__ import annotations

import importlib.util
import sys
import types
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("flytekit")

import flytelite.exec
from tests.exec import wf_module

_RENAMES = [
    ("flytelite.core.dynamic", "flytekit.core.dynamic_workflow_task"),
    ("flytelite.core.map_task", "flytekit.core.array_node_map_task"),
    ("flytelite", "flytekit"),
    ("tests.exec.wf_module.lp_fixed", "kit_wf_module.lp_fixed"),
]


@pytest.fixture(scope="module")
def kit_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    source = Path(wf_module.__file__).read_text()
    for old, new in _RENAMES:
        source = source.replace(old, new)
    folder = tmp_path_factory.mktemp("kit")
    path = folder / "kit_wf_module.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("kit_wf_module", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kit_wf_module"] = module
    spec.loader.exec_module(module)
    return module


def _plain(v: Any) -> Any:
    """Return `v` with named tuples as (field names, values), so both SDKs' tuple classes compare."""
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return (type(v).__name__, tuple(v._fields), tuple(_plain(x) for x in v))
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


@pytest.mark.parametrize("executor", ["serial", "threads", "processes"])
@pytest.mark.parametrize(
    ("name", "inputs"), wf_module.ALL_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(wf_module.ALL_CASES)]
)
def test_same_results_as_flytekit(kit_module: ModuleType, executor: str, name: str, inputs: dict[str, Any]) -> None:
    expected = getattr(kit_module, name)(**inputs)
    with flytelite.exec.use_executor(executor):
        actual = getattr(wf_module, name)(**inputs)
    assert _plain(actual) == _plain(expected)


@pytest.mark.parametrize("executor", ["serial", "threads", "processes"])
@pytest.mark.parametrize(
    ("name", "inputs", "message"),
    [("map_strict_wf", {"xs": [1, 3]}, "three is not allowed"), ("cond_fail_wf", {"a": -1}, "a must be positive")],
)
def test_same_failures_as_flytekit(
    kit_module: ModuleType, executor: str, name: str, inputs: dict[str, Any], message: str
) -> None:
    with pytest.raises(Exception, match=message):
        getattr(kit_module, name)(**inputs)
    with flytelite.exec.use_executor(executor), pytest.raises(Exception, match=message):
        getattr(wf_module, name)(**inputs)


def test_node_ids_and_bindings_match_flytekit(kit_module: ModuleType) -> None:
    for name in ("chain", "fan_out", "dataclasses_wf", "cond_wf", "parent_wf", "overrides_wf"):
        kit_wf, lite_wf = getattr(kit_module, name), getattr(wf_module, name)
        kit_wf.compile()
        assert [n.id for n in lite_wf.nodes] == [n.id for n in kit_wf.nodes], name
        assert [n.metadata.name for n in lite_wf.nodes] == [n.metadata.name for n in kit_wf.nodes], name
        for lite_node, kit_node in zip(lite_wf.nodes, kit_wf.nodes, strict=True):
            kit_bindings = [b.to_flyte_idl().SerializeToString(deterministic=True) for b in kit_node.bindings]
            lite_bindings = [b.SerializeToString(deterministic=True) for b in lite_node.bindings]
            assert lite_bindings == kit_bindings, (name, lite_node.id)
        kit_out = [b.to_flyte_idl().SerializeToString(deterministic=True) for b in kit_wf.output_bindings]
        assert [b.SerializeToString(deterministic=True) for b in lite_wf.output_bindings] == kit_out, name


def test_map_task_name_matches_flytekit(kit_module: ModuleType) -> None:
    kit_map = kit_module.map_task(kit_module.fail_on_three, min_success_ratio=0.5)
    lite_map = wf_module.map_task(wf_module.fail_on_three, min_success_ratio=0.5)
    assert lite_map.name.replace("tests.exec.wf_module", "kit_wf_module") == kit_map.name
    assert lite_map.interface == kit_map.interface.to_flyte_idl()


def _shape(t: Any) -> Any:
    """Return a type as (origin, args) recursively, so `typing.List[int]` and `list[int]` compare equal."""
    origin = typing.get_origin(t)
    if origin is None:
        return t
    if origin is types.UnionType:
        origin = typing.Union
    return (origin, tuple(_shape(a) for a in typing.get_args(t)))


@pytest.mark.parametrize("ratio", [1.0, 0.5])
def test_map_task_of_a_launch_plan_has_flytekits_name_and_interface(kit_module: ModuleType, ratio: float) -> None:
    from flytekit.core.array_node_map_task import map_task as kit_map_task

    from flytelite.core.map_task import map_task

    kit = kit_map_task(kit_module.lp_plus, min_success_ratio=ratio)
    lite = map_task(wf_module.lp_plus, min_success_ratio=ratio)
    assert lite.name == kit.name == "wf_module.lp_plus"
    for side in ("inputs", "outputs"):
        kit_types = {k: _shape(v) for k, v in getattr(kit.python_interface, side).items()}
        assert {k: _shape(v) for k, v in getattr(lite.python_interface, side).items()} == kit_types
    assert lite.construct_node_metadata().name == kit.construct_node_metadata().name
    assert lite.data_mode == kit.data_mode and lite.execution_mode == kit.execution_mode


def test_map_task_of_a_launch_plan_called_at_top_level(kit_module: ModuleType) -> None:
    from flytekit.core.array_node_map_task import map_task as kit_map_task

    from flytelite.core.map_task import map_task

    assert map_task(wf_module.lp_plus)(a=[1, 4]) == kit_map_task(kit_module.lp_plus)(a=[1, 4]) == [9, 15]
