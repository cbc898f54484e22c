"""`ImageSpec`: naming, validation, builders, and its use as a task's container image."""

from __future__ import annotations

from pathlib import Path

import pytest

from flytelite.configuration import Image, ImageConfig, SerializationSettings
from flytelite.core.python_auto_container import get_registerable_container_image
from flytelite.errors import FlyteValidationException
from flytelite.image_spec import CopyFileDetection, ImageBuildEngine, ImageSpec, ImageSpecBuilder


def test_name_registry_and_tag() -> None:
    spec = ImageSpec(name="Wine", registry="GHCR.io/Me", packages=["pandas"])
    assert spec.name == "wine"
    assert spec.image_name().startswith("ghcr.io/me/wine:")
    assert spec.image_name() == ImageSpec(name="wine", registry="ghcr.io/me", packages=["pandas"]).image_name()
    assert spec.tag != ImageSpec(name="wine", registry="ghcr.io/me", packages=["numpy"]).tag
    assert ImageSpec(name="x", tag_format="{spec_hash}-dev").tag.endswith("-dev")


def test_builder_and_secret_mounts_do_not_change_the_tag() -> None:
    assert ImageSpec(name="x", builder="envd").tag == ImageSpec(name="x").tag
    assert ImageSpec(name="x", pip_secret_mounts=[("a", "b")]).tag == ImageSpec(name="x").tag


def test_requirements_content_enters_the_tag(tmp_path: Path) -> None:
    req = tmp_path / "req.txt"
    req.write_text("pandas\n")
    first = ImageSpec(name="x", requirements=str(req)).tag
    req.write_text("numpy\n")
    assert ImageSpec(name="x", requirements=str(req)).tag != first


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(FlyteValidationException, match="registry"):
        ImageSpec(registry="Not A Registry!")
    with pytest.raises(FlyteValidationException, match="packages must be a list of strings"):
        ImageSpec(packages="pandas")  # type: ignore[arg-type]  # the mistake under test
    with pytest.raises(FlyteValidationException, match="source files"):
        _ = ImageSpec(name="x", source_root=".", source_copy_mode=CopyFileDetection.ALL).tag


def test_with_methods_return_changed_copies() -> None:
    base = ImageSpec(name="x", packages=["a"])
    more = base.with_packages("b").with_apt_packages(["git"]).with_commands("echo hi")
    assert base.packages == ["a"]
    assert more.packages == ["a", "b"]
    assert more.apt_packages == ["git"]
    assert more.commands == ["echo hi"]


def test_registerable_image_prefers_the_config_then_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ImageSpec(name="surface-build", packages=["a"])
    cfg = ImageConfig.from_images("cr.io/default:v1")
    assert get_registerable_container_image(spec, cfg) == spec.image_name()
    listed = ImageConfig(default_image=cfg.default_image, images=[Image(name=spec.id, fqn="cr.io/built", tag="t1")])
    assert get_registerable_container_image(spec, listed) == "cr.io/built:t1"

    built: list[str] = []

    class Recorder(ImageSpecBuilder):
        def build_image(self, image_spec: ImageSpec) -> str | None:
            built.append(image_spec.image_name())
            return "cr.io/real:1"

    monkeypatch.setattr(ImageBuildEngine, "_REGISTRY", {"rec": (Recorder(), 1)})
    monkeypatch.setattr(ImageBuildEngine, "_IMAGE_NAME_TO_REAL_NAME", {})
    monkeypatch.setattr(ImageBuildEngine, "_BUILT", set())
    other = ImageSpec(name="surface-build2", builder="rec")
    assert get_registerable_container_image(other, cfg) == "cr.io/real:1"
    assert get_registerable_container_image(other, cfg) == "cr.io/real:1"
    assert len(built) == 1


def test_task_container_image_serializes_to_the_spec_name() -> None:
    from flytelite.core.task import task
    from flytelite.tools.translator import get_serializable

    spec = ImageSpec(name="surface-task", registry="ghcr.io/me")

    @task(container_image=spec)
    def t(a: int) -> int:
        return a

    settings = SerializationSettings(image_config=ImageConfig.from_images("cr.io/default:v1"))
    assert get_serializable({}, settings, t).template.container.image == spec.image_name()
