"""Conformance of the task extras: `Cache` versions, deck flags, the missing-return check and `ContainerTask`
templates, flytekit and flytelite side by side (runtime version/flavor normalised away).

flytekit is a test-only oracle; it is imported only under `tests/conformance/`.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

flytekit = pytest.importorskip("flytekit")

from flytekit import Cache as KitCache  # noqa: E402
from flytekit import ContainerTask as KitContainerTask  # noqa: E402
from flytekit import task as kit_task  # noqa: E402
from flytekit.configuration import ImageConfig as KitImageConfig  # noqa: E402
from flytekit.configuration import SerializationSettings as KitSettings  # noqa: E402
from flytekit.core.base_task import kwtypes as kit_kwtypes  # noqa: E402
from flytekit.core.pod_template import PodTemplate as KitPodTemplate  # noqa: E402
from flytekit.core.resources import Resources as KitResources  # noqa: E402
from flytekit.models.documentation import Description as KitDescription  # noqa: E402
from flytekit.models.documentation import Documentation as KitDocumentation  # noqa: E402
from flytekit.models.documentation import SourceCode as KitSourceCode  # noqa: E402
from flytekit.tools.translator import get_serializable as kit_get_serializable  # noqa: E402
from google.protobuf import json_format  # noqa: E402

from flytelite.configuration import ImageConfig, SerializationSettings  # noqa: E402
from flytelite.core.cache import Cache  # noqa: E402
from flytelite.core.container_task import ContainerTask  # noqa: E402
from flytelite.core.interface import kwtypes  # noqa: E402
from flytelite.core.pod_template import PodTemplate  # noqa: E402
from flytelite.core.resources import Resources  # noqa: E402
from flytelite.core.task import task  # noqa: E402
from flytelite.models.documentation import Description, Documentation, SourceCode  # noqa: E402
from flytelite.tools.translator import get_serializable  # noqa: E402


class SaltedNamePolicy:
    def get_version(self, salt: str, params: Any) -> str:
        return f"{salt}:{params.func.__name__}:{params.container_image}:{params.pod_template_name}"


def square(a: int) -> int:
    return a * a


def forgets_value(a: int) -> int:
    print(a)


CACHE_CASES: list[tuple[str, dict[str, Any]]] = [
    ("version", {"version": "v1", "serialize": True, "ignored_inputs": ("a",)}),
    ("ignored_str", {"version": "v2", "ignored_inputs": "a"}),
    ("policy", {"salt": "pepper", "policies": SaltedNamePolicy()}),
    ("policies", {"policies": [SaltedNamePolicy(), SaltedNamePolicy()], "ignored_inputs": "a"}),
]


def _md(t: Any) -> tuple[Any, ...]:
    md = t.metadata
    return (md.cache, md.cache_version, md.cache_serialize, tuple(md.cache_ignore_input_vars))


@pytest.mark.parametrize(("case", "kwargs"), CACHE_CASES, ids=[c[0] for c in CACHE_CASES])
def test_cache_objects_give_the_same_metadata(case: str, kwargs: dict[str, Any]) -> None:
    options = {"container_image": "reg/img:1", "pod_template_name": "pt"}
    kit = kit_task(cache=KitCache(**kwargs), **options)(square)
    lite = task(cache=Cache(**kwargs), **options)(square)
    assert _md(kit) == _md(lite)
    kit_model = kit.metadata.to_taskmetadata_model().to_flyte_idl()
    lite_model = lite.metadata.to_taskmetadata_model()
    kit_model.runtime.Clear()
    lite_model.runtime.Clear()
    assert kit_model == lite_model


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cache": True}, "at least one cache policy"),
        ({"cache": True, "cache_serialize": True}, "at least one cache policy"),
        ({"cache": True, "cache_version": ""}, "cache_version"),
    ],
    ids=["cache_true", "cache_true_serialize", "empty_version"],
)
def test_cache_without_version_fails_alike(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kit_task(**options)(square)
    with pytest.raises(ValueError, match=message):
        task(**options)(square)


def test_cache_object_with_deprecated_options_fails_alike() -> None:
    with pytest.raises(ValueError, match="deprecated"):
        kit_task(cache=KitCache(version="1"), cache_serialize=True)(square)
    with pytest.raises(ValueError, match="deprecated"):
        task(cache=Cache(version="1"), cache_serialize=True)(square)


def test_missing_return_fails_alike() -> None:
    with pytest.raises(flytekit.exceptions.user.FlyteMissingReturnValueException) as kit_err:
        kit_task(forgets_value)
    from flytelite.errors import FlyteMissingReturnValueException

    with pytest.raises(FlyteMissingReturnValueException) as lite_err:
        task(forgets_value)
    assert str(kit_err.value) == str(lite_err.value)
    assert lite_err.value.error_code == kit_err.value._ERROR_CODE


def test_deck_flags_and_fields_match() -> None:
    kit = kit_task(enable_deck=True, deck_fields=("Input", "Output"))(square)
    lite = task(enable_deck=True, deck_fields=("Input", "Output"))(square)
    assert (kit.enable_deck, [str(f.value if hasattr(f, "value") else f) for f in kit.deck_fields]) == (
        lite.enable_deck,
        [str(f.value if hasattr(f, "value") else f) for f in lite.deck_fields],
    )
    with pytest.raises(ValueError, match="not a valid deck field"):
        kit_task(enable_deck=True, deck_fields=("Nope",))(square)
    with pytest.raises(ValueError, match="not a valid deck field"):
        task(enable_deck=True, deck_fields=("Nope",))(square)


def test_documentation_protos_match() -> None:
    kit = KitDocumentation(
        short_description="s", long_description=KitDescription(value="l"), source_code=KitSourceCode(link="x")
    ).to_flyte_idl()
    lite = Documentation(
        short_description="s", long_description=Description(value="l"), source_code=SourceCode(link="x")
    ).to_flyte_idl()
    assert kit == lite


def _normalised(template: Any) -> dict[str, Any]:
    d = json_format.MessageToDict(template)
    d["metadata"]["runtime"] = {**d["metadata"]["runtime"], "version": "<v>", "flavor": "<f>"}
    return d


def _containers() -> list[tuple[str, Any, Any]]:
    common = {
        "image": "reg/shell:2",
        "input_data_dir": "/var/inputs",
        "output_data_dir": "/var/outputs",
        "command": ["./area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
    }
    cases: list[tuple[str, Any, Any]] = [
        (
            "basic",
            KitContainerTask(
                name="c_basic", inputs=kit_kwtypes(a=float, b=float), outputs=kit_kwtypes(area=float), **common
            ),
            ContainerTask(name="c_basic", inputs=kwtypes(a=float, b=float), outputs=kwtypes(area=float), **common),
        ),
        (
            "args_env_resources_yaml",
            KitContainerTask(
                name="c_full",
                inputs=kit_kwtypes(a=float, b=float),
                outputs=kit_kwtypes(area=float),
                arguments=["--verbose", "{{.inputs.a}}"],
                environment={"K": "V"},
                requests=KitResources(cpu="1", mem="1Gi"),
                limits=KitResources(cpu="2"),
                metadata_format=KitContainerTask.MetadataFormat.YAML,
                **common,
            ),
            ContainerTask(
                name="c_full",
                inputs=kwtypes(a=float, b=float),
                outputs=kwtypes(area=float),
                arguments=["--verbose", "{{.inputs.a}}"],
                environment={"K": "V"},
                requests=Resources(cpu="1", mem="1Gi"),
                limits=Resources(cpu="2"),
                metadata_format=ContainerTask.MetadataFormat.YAML,
                **common,
            ),
        ),
        (
            "no_io_dirs_proto",
            KitContainerTask(
                name="c_min",
                image="{{.image.default.fqn}}:x",
                command=["true"],
                metadata_format=KitContainerTask.MetadataFormat.PROTO,
                resources=KitResources(cpu=("1", "2")),
            ),
            ContainerTask(
                name="c_min",
                image="{{.image.default.fqn}}:x",
                command=["true"],
                metadata_format=ContainerTask.MetadataFormat.PROTO,
                resources=Resources(cpu=("1", "2")),
            ),
        ),
        (
            "pod_template",
            KitContainerTask(
                name="c_pod",
                pod_template=KitPodTemplate(primary_container_name="main", labels={"l": "1"}),
                pod_template_name="pt",
                **common,
            ),
            ContainerTask(
                name="c_pod",
                pod_template=PodTemplate(primary_container_name="main", labels={"l": "1"}),
                pod_template_name="pt",
                **common,
            ),
        ),
    ]
    return cases


@pytest.mark.parametrize("case", range(4), ids=["basic", "args_env_resources_yaml", "no_io_dirs_proto", "pod"])
def test_container_task_templates_match(case: int) -> None:
    _, kit, lite = _containers()[case]
    kit_settings = KitSettings(
        image_config=KitImageConfig.auto(img_name="reg/default:1"), project="p", domain="d", version="v"
    )
    lite_settings = SerializationSettings(
        image_config=ImageConfig.auto(img_name="reg/default:1"), project="p", domain="d", version="v"
    )
    kit_tt = kit_get_serializable(OrderedDict(), kit_settings, kit).template.to_flyte_idl()
    lite_tt = get_serializable(OrderedDict(), lite_settings, lite).template
    assert _normalised(kit_tt) == _normalised(lite_tt)


@pytest.mark.parametrize("enable", [True, False])
def test_deck_task_templates_match(enable: bool) -> None:
    kit = kit_task(enable_deck=enable)(square)
    lite = task(enable_deck=enable)(square)
    kit_settings = KitSettings(image_config=KitImageConfig.auto(img_name="reg/default:1"))
    lite_settings = SerializationSettings(image_config=ImageConfig.auto(img_name="reg/default:1"))
    kit_md = kit_get_serializable(OrderedDict(), kit_settings, kit).template.metadata.to_flyte_idl()
    lite_md = get_serializable(OrderedDict(), lite_settings, lite).template.metadata
    kit_md.runtime.Clear()
    lite_md.runtime.Clear()
    assert kit_md == lite_md
    assert lite_md.generates_deck.value is enable
