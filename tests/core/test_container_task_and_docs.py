"""`ContainerTask` (container, data config, pod, local run without Docker), the missing-return check, `Documentation`
and `ImageConfig.auto` reading flytekit's config files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from flyteidl.core.security_pb2 import Secret
from flyteidl.core.tasks_pb2 import DataLoadingConfig, IOStrategy

from flytelite.configuration import Image, ImageConfig, SerializationSettings, read_config_images
from flytelite.core import container_task as ct_module
from flytelite.core.container_task import ContainerTask, _parse_output
from flytelite.core.interface import kwtypes
from flytelite.core.pod_template import PodTemplate
from flytelite.core.resources import Resources
from flytelite.core.task import task
from flytelite.errors import (
    FlyteMissingReturnValueException,
    FlyteMissingTypeException,
    FlyteSystemUnavailableException,
)
from flytelite.models.documentation import Description, Documentation, SourceCode

SETTINGS = SerializationSettings(image_config=ImageConfig.auto(img_name="reg/default:1"))


def _ellipse(**kwargs: object) -> ContainerTask:
    return ContainerTask(
        name="ellipse",
        image="reg/shell:2",
        input_data_dir="/var/inputs",
        output_data_dir="/var/outputs",
        inputs=kwtypes(a=float, b=float),
        outputs=kwtypes(area=float),
        command=["./area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
        **kwargs,  # type: ignore[arg-type]  # test helper passes through
    )


def test_container_has_user_command_and_data_config() -> None:
    t = _ellipse(environment={"K": "V"}, requests=Resources(cpu="1"), metadata_format=ContainerTask.MetadataFormat.YAML)
    assert t.task_type == "raw-container"
    c = t.get_container(SETTINGS)
    assert c is not None
    assert list(c.command) == ["./area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"] and list(c.args) == []
    assert c.image == "reg/shell:2" and [(e.key, e.value) for e in c.env] == [("K", "V")]
    assert (c.data_config.input_path, c.data_config.output_path) == ("/var/inputs", "/var/outputs")
    assert c.data_config.enabled and c.data_config.format == DataLoadingConfig.YAML
    assert not c.data_config.HasField("io_strategy")
    assert t.get_config(SETTINGS) == {} and t.get_k8s_pod(SETTINGS) is None


def test_io_strategy_sets_one_mode() -> None:
    c = _ellipse(io_strategy=ContainerTask.IOStrategy.DO_NOT_UPLOAD).get_container(SETTINGS)
    assert c is not None and c.data_config.io_strategy.upload_mode == IOStrategy.DO_NOT_UPLOAD
    c = _ellipse(io_strategy=ContainerTask.IOStrategy.DOWNLOAD_STREAM).get_container(SETTINGS)
    assert c is not None and c.data_config.io_strategy.download_mode == IOStrategy.DOWNLOAD_STREAM


def test_pod_template_moves_the_container_into_the_pod() -> None:
    t = _ellipse(pod_template=PodTemplate(primary_container_name="main", labels={"l": "1"}), pod_template_name="pt")
    assert t.get_container(SETTINGS) is None and t.metadata.pod_template_name == "pt"
    pod = t.get_k8s_pod(SETTINGS)
    assert pod is not None and pod.data_config.input_path == "/var/inputs" and dict(pod.metadata.labels) == {"l": "1"}
    (main,) = pod.pod_spec["containers"]
    assert main["name"] == "main" and main["command"][0] == "./area.sh"
    assert t.get_config(SETTINGS) == {"primary_container_name": "main"}


def test_bad_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="resource"):
        _ellipse(resources=Resources(cpu="1"), limits=Resources(cpu="2"))
    with pytest.raises(TypeError, match="Secret"):
        _ellipse(secret_requests=["not-a-secret"])
    t = _ellipse(secret_requests=[Secret(group="g", key="k")])
    assert t.security_context is not None and t.security_context.secrets[0].group == "g"


def test_local_run_without_docker_engine_names_the_task(monkeypatch: pytest.MonkeyPatch) -> None:
    t = _ellipse()
    with pytest.raises(FlyteSystemUnavailableException, match=r"ContainerTask 'ellipse'.*Docker"):
        t(a=1.0, b=2.0)
    # Without a `docker` command the engine is unavailable too.
    monkeypatch.setattr(ct_module.shutil, "which", lambda _: None)
    assert ct_module.docker_engine_available() is False


@pytest.mark.skipif(shutil.which("docker") is None, reason="needs the docker client to build the command line")
def test_docker_command_renders_inputs_and_mounts_outputs(tmp_path: Path) -> None:
    cmd = _ellipse(environment={"K": "V"})._docker_command({"a": 1.5, "b": 2.0}, str(tmp_path))
    assert cmd[:3] == ["docker", "run", "--rm"]
    assert f"{tmp_path}:/var/outputs:rw" in cmd and "K=V" in cmd
    assert cmd[-5:] == ["reg/shell:2", "./area.sh", "1.5", "2.0", "/var/outputs"]


def test_output_files_are_parsed_like_flytekit() -> None:
    assert _parse_output("False\n", bool) is False and _parse_output("yes", bool) is True
    assert _parse_output("3\n", int) == 3 and _parse_output("2.5", float) == 2.5
    assert _parse_output("2024-01-02T03:04:05", dt.datetime) == dt.datetime(2024, 1, 2, 3, 4, 5)
    assert _parse_output("1 day, 2:03:04", dt.timedelta) == dt.timedelta(days=1, hours=2, minutes=3, seconds=4)
    with pytest.raises(ValueError):
        _parse_output("soon", dt.timedelta)


def test_missing_return_is_reported_at_declaration() -> None:
    with pytest.raises(FlyteMissingReturnValueException, match="no_return function must return a value"):

        @task
        def no_return(a: int) -> int:
            print("returns nothing")  # the word in a string does not count
            # return a   (nor in a comment)

    @task
    def nested_only(a: int) -> int | None:
        def inner() -> int:
            return 1

        inner()
        return None

    @task
    def generator(a: int) -> int:
        yield a  # type: ignore[misc]  # a generator counts as returning (as in flytekit)

    @task
    def nothing(a: int) -> None:
        print(a)

    assert nested_only.name.endswith("nested_only") and generator.name and nothing.name


def test_missing_annotation_raises_missing_type() -> None:
    with pytest.raises(FlyteMissingTypeException, match="'a'"):

        @task
        def untyped(a) -> int:  # type: ignore[no-untyped-def]  # the missing annotation is the point
            return 1


def test_docstring_fills_documentation() -> None:
    @task(docs=Documentation(source_code=SourceCode(link="https://x")))
    def described(a: int) -> int:
        """Short line.

        Longer text.
        """
        return a

    docs = described.docs
    assert isinstance(docs, Documentation)
    assert docs.short_description == "Short line." and docs.long_description == Description(value="Longer text.")
    msg = docs.to_flyte_idl()
    assert msg.short_description == "Short line." and msg.source_code.link == "https://x"
    assert Documentation.from_flyte_idl(msg) == docs


def test_image_config_reads_images_from_config_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    yaml_file = tmp_path / "config.yaml"
    yaml_file.write_text(
        "admin:\n  endpoint: dns:///x\nimages:\n  spark: reg/spark:3  # comment\n  'gpu': \"reg/gpu\"\nother: 1\n"
    )
    cfg = ImageConfig.auto(config_file=str(yaml_file), img_name="reg/d:1")
    assert cfg.find_image("spark") == Image(name="spark", fqn="reg/spark", tag="3")
    assert cfg.find_image("gpu") == Image(name="gpu", fqn="reg/gpu")
    assert cfg.default_image == Image(name="default", fqn="reg/d", tag="1")
    ini = tmp_path / "flytekit.config"
    ini.write_text("[images]\nxyz=reg/xyz:9\n")
    assert read_config_images(str(ini)) == {"xyz": "reg/xyz:9"}
    monkeypatch.setenv("FLYTECTL_CONFIG", str(yaml_file))
    assert ImageConfig.auto().find_image("spark") is not None


def test_yaml_images_block_reader_matches_pyyaml() -> None:
    yaml = pytest.importorskip("yaml")
    text = "images:\n  a: reg/a:1\n  b: reg/b@sha256:00\nstorage:\n  type: s3\n"
    from flytelite.configuration import _yaml_images_block

    assert _yaml_images_block(text) == {str(k): str(v) for k, v in yaml.safe_load(text)["images"].items()}
