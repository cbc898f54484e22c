"""Serialization of launch-plan array nodes, `ImageSpec` images (node overrides, dynamic tasks, runtime packages),
and the `flytekit.core.task.eager` import path."""

from __future__ import annotations

import subprocess
import sys
import typing

import pytest
from flyteidl.admin import launch_plan_pb2, workflow_pb2
from flyteidl.core import workflow_pb2 as core_wf

from flytelite.configuration import Image, ImageConfig, SerializationSettings
from flytelite.core.array_node_map_task import map_task
from flytelite.core.context_manager import FlyteEntities
from flytelite.core.dynamic import dynamic
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.image_spec.image_spec import ImageSpec
from flytelite.tools.translator import get_serializable

SETTINGS = SerializationSettings(
    image_config=ImageConfig.from_images("cr.io/img:v1", {"other": "cr.io/other:v2"}),
    project="p",
    domain="d",
    version="v",
)
SPEC = ImageSpec(name="gaps-unit", registry="ghcr.io/me", packages=["numpy"], runtime_packages=["toolz", "rich==13"])


@task
def add(x: int, y: int) -> int:
    return x + y


@workflow
def add_wf(x: int, y: int) -> int:
    return add(x=x, y=y)


add_lp = LaunchPlan.get_or_create(add_wf, name="tests.tools.add_lp", fixed_inputs={"y": 10})


@workflow
def mapped(xs: typing.List[int]) -> typing.Tuple[typing.List[int | None], typing.List[int]]:
    a = map_task(add_lp, concurrency=3, min_success_ratio=0.5)(x=xs)
    b = map_task(add_lp, min_successes=2)(x=xs)
    return a, b


@task(container_image=SPEC)
def spec_task(a: int) -> int:
    return a


@workflow
def overridden(a: int) -> int:
    x = add(x=a, y=1).with_overrides(container_image=SPEC)
    return add(x=x, y=2).with_overrides(container_image="{{.image.other.fqn}}:v9")


@dynamic
def dyn(n: int) -> typing.List[int]:
    return [spec_task(a=i) for i in range(n)]


def test_launch_plan_array_node_points_at_the_launch_plan() -> None:
    mapping: dict[typing.Any, typing.Any] = {}
    spec = get_serializable(mapping, SETTINGS, mapped)
    first, second = (n.array_node for n in spec.template.nodes)
    assert first.node.id == "tests-tools-add-lp"
    assert first.node.WhichOneof("target") == "workflow_node"
    assert first.node.workflow_node.launchplan_ref.name == "tests.tools.add_lp"
    assert first.node.workflow_node.launchplan_ref.resource_type == 3  # LAUNCH_PLAN
    assert [b.var for b in first.node.inputs] == ["x"]  # the fixed input `y` is not mapped
    assert first.node.metadata.name == "tests.tools.add_lp"
    assert first.data_mode == core_wf.ArrayNode.SINGLE_INPUT_FILE
    assert first.execution_mode == core_wf.ArrayNode.FULL_STATE
    assert first.is_original_sub_node_interface.value is True
    assert (first.parallelism, first.min_success_ratio) == (3, 0.5)
    assert first.WhichOneof("success_criteria") == "min_success_ratio"
    assert second.WhichOneof("parallelism_option") is None
    assert (second.WhichOneof("success_criteria"), second.min_successes) == ("min_successes", 2)


def test_mapped_launch_plan_is_registered_before_the_workflow() -> None:
    mapping: dict[typing.Any, typing.Any] = {}
    get_serializable(mapping, SETTINGS, mapped)
    protos = list(mapping.values())
    kinds = [(type(p).__name__, p.id.name if isinstance(p, launch_plan_pb2.LaunchPlan) else None) for p in protos]
    lp_at = kinds.index(("LaunchPlan", "tests.tools.add_lp"))
    names = [p.template.id.name for p in protos if isinstance(p, workflow_pb2.WorkflowSpec)]
    assert names.index(add_wf.name) < names.index(mapped.name)
    assert lp_at < len(protos) - 1 and isinstance(protos[-1], workflow_pb2.WorkflowSpec)


def test_node_override_with_image_spec_is_its_image_name() -> None:
    nodes = get_serializable({}, SETTINGS, overridden).template.nodes
    assert nodes[0].task_node.overrides.container_image == SPEC.image_name()
    assert SPEC.image_name().startswith("ghcr.io/me/gaps-unit:")
    assert nodes[1].task_node.overrides.container_image == "{{.image.other.fqn}}:v9"  # strings pass unchanged


def test_image_spec_runtime_packages_go_into_the_container_env() -> None:
    container = get_serializable({}, SETTINGS, spec_task).template.container
    assert {e.key: e.value for e in container.env} == {"_F_RUNTIME_PACKAGES": "toolz rich==13"}
    assert {e.key for e in get_serializable({}, SETTINGS, add).template.container.env} == set()


def test_dynamic_task_transports_image_spec_images(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FlyteEntities, "entities", [spec_task, dyn])
    default = Image.look_up_image_info("default", "cr.io/img:v1")
    settings = SerializationSettings(image_config=ImageConfig(default_image=default), project="p", version="v")
    container = get_serializable({}, settings, dyn).template.container
    transport = {e.key: e.value for e in container.env}["_F_SS_C"]
    images = SerializationSettings.from_transport(transport).image_config.images or []
    assert [(i.name, i.full) for i in images] == [("default", "cr.io/img:v1"), (SPEC.id, SPEC.image_name())]


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize("first", ["flytelite.core.task", "flytelite.core.eager", "flytelite.core._task_options"])
def test_eager_imports_from_core_task_in_any_order(first: str) -> None:
    code = (
        f"import {first}\n"
        "from flytelite.core.task import eager, split_task_options, TaskOptions\n"
        "import flytelite.core.eager as e, flytelite.core._task_options as o\n"
        "print(eager is e.eager, split_task_options is o.split_task_options)"
    )
    assert _fresh(code) == "True True"


def test_plain_task_import_does_not_load_asyncio() -> None:
    assert _fresh("import sys\nfrom flytelite.core.task import task\nprint('asyncio' in sys.modules)") == "False"


def test_eager_from_core_task_makes_an_eager_task() -> None:
    from flytelite.core.task import eager

    @eager(retries=2)
    async def pipeline(x: int) -> int:
        return x

    assert pipeline.metadata.retries == 2
    with pytest.raises(TypeError, match="Unrecognized argument"):
        eager(bogus=1)
