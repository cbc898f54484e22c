"""Serialization conformance, in process: `ImageSpec` images in tasks, dynamic tasks and node overrides.

`pyflyte package` would try to build an `ImageSpec`, so these cases serialize with both SDKs in this process (with
flytekit's image build turned off) and compare the protobufs. `map_task(launch_plan)` is compared archive to archive
in `test_serialization.py` (`fl_app.wf.map_lp_wf`).
"""

from __future__ import annotations

import base64
import gzip
import json
import typing
from collections import OrderedDict

import pytest

fk = pytest.importorskip("flytekit")

import flytekit.image_spec.image_spec as fk_image  # noqa: E402
from flytekit.configuration import Image as FkImage  # noqa: E402
from flytekit.configuration import ImageConfig as FkImageConfig  # noqa: E402
from flytekit.configuration import SerializationSettings as FkSettings  # noqa: E402
from flytekit.core.context_manager import FlyteEntities as FkEntities  # noqa: E402
from flytekit.tools.translator import get_serializable as fk_get_serializable  # noqa: E402

from flytelite.configuration import Image, ImageConfig, SerializationSettings  # noqa: E402
from flytelite.core.context_manager import FlyteEntities  # noqa: E402
from flytelite.core.dynamic import dynamic  # noqa: E402
from flytelite.core.python_auto_container import get_registerable_container_image  # noqa: E402
from flytelite.core.task import task  # noqa: E402
from flytelite.core.workflow import workflow  # noqa: E402
from flytelite.image_spec import image_spec as fl_image  # noqa: E402
from flytelite.tools.translator import get_serializable  # noqa: E402

SPEC: dict[str, typing.Any] = {
    "name": "gaps",
    "registry": "ghcr.io/me",
    "packages": ["numpy"],
    "runtime_packages": ["rich==13.7.1", "toolz"],
}
fk_spec = fk_image.ImageSpec(**SPEC)
fl_spec = fl_image.ImageSpec(**SPEC)


@fk.task(container_image=fk_spec)
def fk_spec_task(x: int) -> int:
    return x


@task(container_image=fl_spec)
def fl_spec_task(x: int) -> int:
    return x


@fk.dynamic
def fk_dyn(n: int) -> typing.List[int]:
    return [fk_spec_task(x=i) for i in range(n)]


@dynamic
def fl_dyn(n: int) -> typing.List[int]:
    return [fl_spec_task(x=i) for i in range(n)]


@fk.task
def fk_plain(a: int) -> int:
    return a


@task
def fl_plain(a: int) -> int:
    return a


@workflow
def fl_override_wf(a: int) -> int:
    return fl_plain(a=a).with_overrides(container_image=fl_spec)


@pytest.fixture(autouse=True)
def _no_image_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep flytekit from building (or looking up) images; flytelite builds nothing without a builder."""
    monkeypatch.setattr(fk_image.ImageBuildEngine, "build", classmethod(lambda cls, spec: None))


def _settings(images: dict[str, str] | None = None) -> tuple[typing.Any, SerializationSettings]:
    images = images or {}
    kit = FkSettings(
        image_config=FkImageConfig.create_from(
            FkImage.look_up_image_info("default", "cr.io/img:v1"),
            [FkImage.look_up_image_info(k, v) for k, v in images.items()],
        ),
        project="p",
        domain="d",
        version="v1",
    )
    lite = SerializationSettings(
        image_config=ImageConfig.create_from(
            Image.look_up_image_info("default", "cr.io/img:v1"),
            [Image.look_up_image_info(k, v) for k, v in images.items()],
        ),
        project="p",
        domain="d",
        version="v1",
    )
    return kit, lite


def _env(container: typing.Any) -> dict[str, str]:
    return {e.key: e.value for e in container.env}


def _transport(container: typing.Any) -> dict[str, typing.Any]:
    settings: dict[str, typing.Any] = json.loads(gzip.decompress(base64.b64decode(_env(container)["_F_SS_C"])))
    return settings


def test_image_spec_task_container_matches_flytekit() -> None:
    kit_s, lite_s = _settings()
    kit = fk_get_serializable(OrderedDict(), kit_s, fk_spec_task).template.container.to_flyte_idl()
    lite = get_serializable({}, lite_s, fl_spec_task).template.container
    assert lite.image == kit.image == fk_spec.image_name()
    assert _env(lite) == _env(kit) == {"_F_RUNTIME_PACKAGES": "rich==13.7.1 toolz"}


def test_image_listed_under_the_spec_id_wins_alike() -> None:
    kit_s, lite_s = _settings({fk_spec.id: "cr.io/built:abc"})
    kit = fk_get_serializable(OrderedDict(), kit_s, fk_spec_task).template.container.to_flyte_idl()
    lite = get_serializable({}, lite_s, fl_spec_task).template.container
    assert lite.image == kit.image == "cr.io/built:abc"


def test_dynamic_task_carries_image_spec_images_like_flytekit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FkEntities, "entities", [fk_spec_task, fk_dyn])
    monkeypatch.setattr(FlyteEntities, "entities", [fl_spec_task, fl_dyn])
    kit_s, lite_s = _settings()
    kit = fk_get_serializable(OrderedDict(), kit_s, fk_dyn).template.container.to_flyte_idl()
    lite = get_serializable({}, lite_s, fl_dyn).template.container
    kit_cfg, lite_cfg = _transport(kit)["image_config"], _transport(lite)["image_config"]
    assert lite_cfg == kit_cfg
    fqn, tag = fk_spec.image_name().rsplit(":", 1)
    assert {"name": fk_spec.id, "fqn": fqn, "tag": tag, "digest": None} in lite_cfg["images"]
    # In the pod, the dynamic task's sub-task resolves the spec through the transported settings to the same image.
    in_pod = SerializationSettings.from_transport(_env(lite)["_F_SS_C"])
    assert get_registerable_container_image(fl_spec, in_pod.image_config) == fk_spec.image_name()


def test_node_override_image_spec_is_flytekits_image_name() -> None:
    # flytekit 1.16.31 passes the ImageSpec object itself to the protobuf (a TypeError); flytelite writes the name
    # flytekit computes for the spec, the one a task with `container_image=` that spec registers with.
    _, lite_s = _settings()
    node = get_serializable({}, lite_s, fl_override_wf).template.nodes[0]
    assert node.task_node.overrides.container_image == fk_spec.image_name()
