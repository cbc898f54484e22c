"""Serialization settings and their `_F_SS_C` transport, resources, accelerators and SQL tasks."""

from __future__ import annotations

import pytest

from flytelite.configuration import (
    FastSerializationSettings,
    Image,
    ImageConfig,
    LocalConfig,
    SerializationSettings,
)
from flytelite.core.base_sql_task import SQLTask
from flytelite.core.base_task import kwtypes
from flytelite.core.resources import (
    Resources,
    ResourceSpec,
    construct_extended_resources,
    convert_resources_to_resource_model,
)
from flytelite.extras.accelerators import A100, T4, V5P, GPUAccelerator


def test_image_parsing_and_config() -> None:
    assert Image.look_up_image_info("x", "reg.io/app:1.2") == Image(name="x", fqn="reg.io/app", tag="1.2")
    img = Image.look_up_image_info("x", "reg.io:5000/app@sha256:abc")
    assert img.digest == "sha256:abc" and img.full == "reg.io:5000/app@sha256:abc" and img.version == "sha256:abc"
    with pytest.raises(ValueError, match="missing tag or digest"):
        Image.look_up_image_info("x", "reg.io/app")
    with pytest.raises(ValueError, match="both tag and digest"):
        Image(name="x", fqn="a", tag="1", digest="d")
    cfg = ImageConfig.from_images("a/b:1", {"spark": "a/spark:2"})
    assert cfg.default_image is not None and cfg.find_image("spark") is not None
    assert [i.name for i in cfg.images or []] == ["default", "spark"]
    assert ImageConfig.auto(img_name="c/d:3").default_image == Image(name="default", fqn="c/d", tag="3")


def test_settings_transport_round_trip_and_fields() -> None:
    s = SerializationSettings(
        image_config=ImageConfig.from_images("a/b:1"),
        project="p",
        domain="d",
        version="v",
        env={"K": "V"},
        default_resources=ResourceSpec(requests=Resources(cpu="1")),
        fast_serialization_settings=FastSerializationSettings(enabled=True, destination_dir="/root"),
    )
    assert s.flytekit_virtualenv_root == "/opt/venv"
    assert s.should_fast_serialize()
    d = s.to_dict()
    assert list(d) == [
        "image_config",
        "project",
        "domain",
        "version",
        "env",
        "default_resources",
        "git_repo",
        "python_interpreter",
        "flytekit_virtualenv_root",
        "fast_serialization_settings",
        "source_root",
    ]
    with_ctx = s.with_serialized_context()
    assert with_ctx.with_serialized_context() is with_ctx
    token = with_ctx.env["_F_SS_C"]  # type: ignore[index]
    back = SerializationSettings.from_transport(token)
    assert back.project == "p" and back.image_config == s.image_config
    assert ResourceSpec.coerce(back.default_resources) == s.default_resources
    assert s.serialized_context == s.serialized_context  # gzip with mtime 0: stable
    assert s.new_builder().build() == s
    assert SerializationSettings.for_image("x/y:1", "v1").image_config.default_image is not None


def test_local_config_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LocalConfig.auto() == LocalConfig(cache_enabled=True, cache_overwrite=False)
    monkeypatch.setenv("FLYTE_LOCAL_CACHE_ENABLED", "False")
    monkeypatch.setenv("FLYTE_LOCAL_CACHE_OVERWRITE", "yes")
    assert LocalConfig.auto() == LocalConfig(cache_enabled=False, cache_overwrite=True)


def test_resources_validation_and_split() -> None:
    with pytest.raises(TypeError):
        Resources(cpu=[object()])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="pair"):
        Resources(cpu=("1", "2", "3"))
    with pytest.raises(TypeError):
        Resources(mem=1.5)  # type: ignore[arg-type]
    spec = ResourceSpec.from_multiple_resource(Resources(cpu=("1", "2"), mem="1Gi", gpu=1))
    assert spec.requests == Resources(cpu="1", mem="1Gi", gpu=1)
    assert spec.limits == Resources(cpu="2")  # a single value is a request only, as in flytekit
    model = convert_resources_to_resource_model(requests=Resources(cpu=1, ephemeral_storage="1Gi"))
    assert [e.value for e in model.requests] == ["1", "1Gi"] and not model.limits


def test_extended_resources_and_accelerators() -> None:
    assert construct_extended_resources() is None
    ext = construct_extended_resources(accelerator=T4, shared_memory=True)
    assert ext is not None
    assert ext.gpu_accelerator.device == "nvidia-tesla-t4"
    assert ext.shared_memory.mount_path == "/dev/shm" and ext.shared_memory.size_limit == ""
    assert A100.partition_1g_5gb.to_flyte_idl().partition_size == "1g.5gb"  # type: ignore[attr-defined]
    assert A100.unpartitioned.to_flyte_idl().unpartitioned is True
    assert not A100.to_flyte_idl().HasField("partition_size")
    assert V5P.slice_2x2x1.to_flyte_idl().device == "tpu-v5p-slice"  # type: ignore[attr-defined]
    assert GPUAccelerator("custom").device == "custom"


def test_sql_task_query_rules() -> None:
    t = SQLTask(
        name="q",
        query_template="select *\n\tfrom t\n   where a = {{ .inputs.a }} and b = {{.Inputs.b}}",
        inputs=kwtypes(a=int, b=str),
        outputs=kwtypes(o0=int),
    )
    assert t.task_type == "sql_task"
    assert t.query_template == "select * from t where a = {{ .inputs.a }} and b = {{.Inputs.b}}"
    assert t.get_query(a=1, b="x") == "select * from t where a = 1 and b = x"
    with pytest.raises(ValueError, match="not found in inputs"):
        t.get_query(a=1)
    with pytest.raises(ValueError, match="Extra Inputs"):
        t.get_query(a=1, b="x", c=3)
    with pytest.raises(NotImplementedError, match="please mock"):
        t(a=1, b="x")
