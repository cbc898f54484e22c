"""Conformance of the surface pieces with flytekit: gate nodes, schedules, notifications, failure nodes,
references, eager metadata and ImageSpec names serialize to the same protobufs; local results agree.

Both SDKs serialize the same workflows in this process; nodes, launch-plan metadata and the failure node are
compared as protobufs (runtime metadata and container args differ by design and are not compared).
"""

from __future__ import annotations

import datetime
import typing
from collections import OrderedDict

import pytest

fk = pytest.importorskip("flytekit")

import flytekit.image_spec.image_spec as fk_image  # noqa: E402
from flytekit.configuration import ImageConfig as FkImageConfig  # noqa: E402
from flytekit.configuration import SerializationSettings as FkSettings  # noqa: E402
from flytekit.tools.translator import get_serializable as fk_get_serializable  # noqa: E402
from flytekit.types.error import FlyteError as FkFlyteError  # noqa: E402

import flytelite.exec  # noqa: E402,F401  (registers the graph runner)
from flytelite.configuration import ImageConfig, SerializationSettings  # noqa: E402
from flytelite.core import gate as fl_gate  # noqa: E402
from flytelite.core.launch_plan import LaunchPlan  # noqa: E402
from flytelite.core.notification import Email, PagerDuty, Slack  # noqa: E402
from flytelite.core.reference_entity import reference_launch_plan, reference_task  # noqa: E402
from flytelite.core.schedule import CronSchedule, FixedRate  # noqa: E402
from flytelite.core.task import task  # noqa: E402
from flytelite.core.workflow import workflow  # noqa: E402
from flytelite.image_spec import image_spec as fl_image  # noqa: E402
from flytelite.models.core.execution import WorkflowExecutionPhase  # noqa: E402
from flytelite.tools.translator import get_serializable  # noqa: E402
from flytelite.types.error import FlyteError  # noqa: E402

HOUR = datetime.timedelta(hours=1)


# --- the same app in both SDKs (functions renamed so that both give the same entity names) -------------
def _named(fn: typing.Any, name: str) -> typing.Any:
    fn.__name__ = fn.__qualname__ = name
    return fn


def _fk_double(x: int) -> int:
    return x * 2


def _fl_double(x: int) -> int:
    return x * 2


def _fk_clean_up(x: int, err: FkFlyteError | None = None) -> None:
    pass


def _fl_clean_up(x: int, err: FlyteError | None = None) -> None:
    pass


def _ref(x: int) -> int: ...


fk_double = fk.task(_named(_fk_double, "double"))
fl_double = task(_named(_fl_double, "double"))
fk_clean_up = fk.task(_named(_fk_clean_up, "clean_up"))
fl_clean_up = task(_named(_fl_clean_up, "clean_up"))
fk_ref_t = fk.reference_task(project="p", domain="d", name="remote.t", version="v1")(_ref)
fl_ref_t = reference_task(project="p", domain="d", name="remote.t", version="v1")(_ref)
fk_ref_lp = fk.reference_launch_plan(project="p", domain="d", name="remote.lp", version="v2")(_ref)
fl_ref_lp = reference_launch_plan(project="p", domain="d", name="remote.lp", version="v2")(_ref)


def _fk_body(x: int) -> int:
    fk.sleep(datetime.timedelta(minutes=5))
    fk.wait_for_input("factor", timeout=HOUR, expected_type=int)
    z = fk.approve(fk_double(x=x), "check", timeout=datetime.timedelta(hours=2))
    return fk_ref_lp(x=fk_ref_t(x=z))


def _fl_body(x: int) -> int:
    fl_gate.sleep(datetime.timedelta(minutes=5))
    fl_gate.wait_for_input("factor", timeout=HOUR, expected_type=int)
    z = fl_gate.approve(fl_double(x=x), "check", timeout=datetime.timedelta(hours=2))
    return fl_ref_lp(x=fl_ref_t(x=z))  # type: ignore[no-any-return]


_fk_body.__qualname__ = _fk_body.__name__ = "surface_wf"
_fl_body.__qualname__ = _fl_body.__name__ = "surface_wf"
fk_surface_wf = fk.workflow(on_failure=fk_clean_up)(_fk_body)
fl_surface_wf = workflow(on_failure=fl_clean_up)(_fl_body)


def _fk_template() -> typing.Any:
    spec = fk_get_serializable(
        OrderedDict(), FkSettings(image_config=FkImageConfig.auto_default_image()), fk_surface_wf
    )
    return spec.template.to_flyte_idl()


def _fl_template() -> typing.Any:
    settings = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"))
    return get_serializable({}, settings, fl_surface_wf).template


def test_gate_and_reference_nodes_match_flytekit() -> None:
    kit, lite = _fk_template(), _fl_template()
    assert [n.id for n in lite.nodes] == [n.id for n in kit.nodes]
    for k, li in zip(kit.nodes, lite.nodes, strict=True):
        kind = k.WhichOneof("target")
        assert li.WhichOneof("target") == kind, k.id
        assert li.metadata == k.metadata, k.id
        assert list(li.inputs) == list(k.inputs), k.id
        assert list(li.upstream_node_ids) == list(k.upstream_node_ids), k.id
        if kind == "gate_node" or k.task_node.reference_id.project or kind == "workflow_node":
            assert getattr(li, kind) == getattr(k, kind), k.id
    kinds = [n.WhichOneof("target") for n in lite.nodes]
    assert kinds.count("gate_node") == 3
    assert lite.nodes[-1].workflow_node.launchplan_ref.version == "v2"


def test_failure_node_matches_flytekit() -> None:
    kit, lite = _fk_template(), _fl_template()
    assert lite.failure_node.id == kit.failure_node.id
    assert lite.failure_node.metadata == kit.failure_node.metadata
    assert list(lite.failure_node.inputs) == list(kit.failure_node.inputs)
    assert lite.interface == kit.interface


def _lp_metadata(fk_lp: typing.Any) -> typing.Any:
    settings = FkSettings(image_config=FkImageConfig.auto_default_image())
    return fk_get_serializable(OrderedDict(), settings, fk_lp).spec.entity_metadata.to_flyte_idl()


def test_launch_plan_schedule_and_notifications_match_flytekit() -> None:
    phases = [WorkflowExecutionPhase.FAILED, WorkflowExecutionPhase.SUCCEEDED]
    fk_phases = [fk.WorkflowExecutionPhase.FAILED, fk.WorkflowExecutionPhase.SUCCEEDED]
    cases = [
        (
            CronSchedule(schedule="*/5 * * * *", kickoff_time_input_arg="x"),
            fk.CronSchedule(schedule="*/5 * * * *", kickoff_time_input_arg="x"),
        ),
        (CronSchedule(schedule="@daily", offset="PT1H"), fk.CronSchedule(schedule="@daily", offset="PT1H")),
        (FixedRate(datetime.timedelta(hours=6)), fk.FixedRate(datetime.timedelta(hours=6))),
        (FixedRate(datetime.timedelta(minutes=90)), fk.FixedRate(datetime.timedelta(minutes=90))),
        (FixedRate(datetime.timedelta(days=2)), fk.FixedRate(datetime.timedelta(days=2))),
    ]
    for i, (lite_sched, kit_sched) in enumerate(cases):
        notes = [Email(phases, ["a@x.io"]), PagerDuty(phases[:1], ["p@x.io"]), Slack(phases[1:], ["s@x.io"])]
        fk_notes = [
            fk.Email(fk_phases, ["a@x.io"]),
            fk.PagerDuty(fk_phases[:1], ["p@x.io"]),
            fk.Slack(fk_phases[1:], ["s@x.io"]),
        ]
        lp = LaunchPlan.get_or_create(fl_surface_wf, name=f"sched{i}", schedule=lite_sched, notifications=notes)
        kit_lp = fk.LaunchPlan.get_or_create(
            fk_surface_wf, name=f"sched{i}", schedule=kit_sched, notifications=fk_notes
        )
        settings = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"))
        lite_md = get_serializable({}, settings, lp).spec.entity_metadata
        assert lite_md == _lp_metadata(kit_lp)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"name": "Wine", "registry": "ghcr.io/Me", "packages": ["pandas==2.2"], "python_version": "3.11"},
        {"name": "x", "base_image": "python:3.11-slim", "apt_packages": ["git"], "env": {"A": "1"}},
        {"name": "x", "commands": ["echo hi"], "tag_format": "{spec_hash}-dev", "platform": "linux/arm64"},
        {"name": "x", "registry": "localhost:30000", "pip_extra_index_url": ["https://x"], "cuda": "12.1"},
    ],
)
def test_image_spec_names_match_flytekit(kwargs: dict[str, typing.Any]) -> None:
    lite, kit = fl_image.ImageSpec(**kwargs), fk_image.ImageSpec(**kwargs)
    assert lite.id == kit.id
    assert lite.image_name() == kit.image_name()


def test_image_spec_with_files_and_base_spec_matches_flytekit(tmp_path: typing.Any) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("numpy\npandas\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.txt").write_text("a")
    lite = fl_image.ImageSpec(
        name="c", requirements=str(req), copy=[str(tmp_path / "data")], base_image=fl_image.ImageSpec(name="base")
    )
    kit = fk_image.ImageSpec(
        name="c", requirements=str(req), copy=[str(tmp_path / "data")], base_image=fk_image.ImageSpec(name="base")
    )
    assert lite.image_name() == kit.image_name()


def test_image_spec_is_the_serialized_container_image() -> None:
    spec = fl_image.ImageSpec(name="surface", registry="ghcr.io/me", packages=["numpy"])

    @task(container_image=spec)
    def uses_spec(x: int) -> int:
        return x

    settings = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"))
    template = get_serializable({}, settings, uses_spec).template
    assert (
        template.container.image
        == fk_image.ImageSpec(name="surface", registry="ghcr.io/me", packages=["numpy"]).image_name()
    )


def test_eager_task_metadata_matches_flytekit() -> None:
    from flytelite.core.eager import eager

    @fk.eager
    async def fk_eager(x: int) -> int:
        return x

    @eager
    async def fl_eager(x: int) -> int:
        return x

    settings = FkSettings(image_config=FkImageConfig.auto_default_image())
    kit = fk_get_serializable(OrderedDict(), settings, fk_eager).template.to_flyte_idl()
    lite = get_serializable({}, SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1")), fl_eager)
    assert lite.template.metadata.is_eager == kit.metadata.is_eager is True
    assert lite.template.metadata.generates_deck == kit.metadata.generates_deck
    assert lite.template.interface == kit.interface


def test_local_results_match_flytekit() -> None:
    from flytekit.core.task import Echo as FkEcho

    from flytelite.core.task import Echo

    assert Echo(name="surface_echo", inputs={"a": int, "b": str})(a=1, b="x") == tuple(
        FkEcho(name="surface_echo", inputs={"a": int, "b": str})(a=1, b="x")
    )
    # flytekit's local sleep returns at once (a VoidPromise); flytelite's returns None at once
    assert fl_gate.sleep(datetime.timedelta(hours=5)) is None
