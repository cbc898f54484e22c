"""Task conformance: the same function and instance tasks run under flytekit and flytelite give equal results and
equal kinds of errors, and their `TaskMetadata` and typed-interface protobufs are equal (runtime version aside).

flytekit is a test-only oracle; it is imported only under `tests/conformance/`.
"""

from __future__ import annotations

import datetime
import typing

import pytest

flytekit = pytest.importorskip("flytekit")

from flytekit.core.base_task import TaskMetadata as KitTaskMetadata  # noqa: E402
from flytekit.core.base_task import kwtypes as kit_kwtypes  # noqa: E402
from flytekit.core.interface import Interface as KitInterface  # noqa: E402
from flytekit.core.python_function_task import PythonInstanceTask as KitInstanceTask  # noqa: E402

from flytelite.core.base_task import TaskMetadata as LiteTaskMetadata  # noqa: E402
from flytelite.core.base_task import kwtypes as lite_kwtypes  # noqa: E402
from flytelite.core.interface import Interface as LiteInterface  # noqa: E402
from flytelite.core.python_function_task import PythonInstanceTask as LiteInstanceTask  # noqa: E402
from flytelite.core.task import task as lite_task  # noqa: E402


class Pair(typing.NamedTuple):
    total: int
    label: str


def add(a: int, b: int = 2) -> int:
    """Add two numbers.

    Args:
        a: the first number
        b: the second number

    Returns:
        the sum
    """
    return a + b


def pair(a: int, names: list[str]) -> Pair:
    return Pair(a * len(names), ",".join(names))


def maybe(a: typing.Optional[int] = None) -> typing.Optional[str]:  # noqa: UP045 - flytekit users spell it so
    return None if a is None else str(a)


def explode(a: int) -> int:
    if a > 0:
        raise KeyError(f"no key {a}")
    return a


FUNCTIONS = (add, pair, maybe, explode)
KIT = {f.__name__: flytekit.task(f) for f in FUNCTIONS}
LITE = {f.__name__: lite_task(f) for f in FUNCTIONS}


class KitEcho(KitInstanceTask[None]):
    def __init__(self, name: str) -> None:
        super().__init__(
            name=name, task_config=None, interface=KitInterface(kit_kwtypes(a=int, s=str), kit_kwtypes(o0=str))
        )

    def execute(self, **kwargs: typing.Any) -> str:
        return kwargs["s"] * kwargs["a"]


class LiteEcho(LiteInstanceTask[None]):
    def __init__(self, name: str) -> None:
        super().__init__(
            name=name, task_config=None, interface=LiteInterface(lite_kwtypes(a=int, s=str), lite_kwtypes(o0=str))
        )

    def execute(self, **kwargs: typing.Any) -> str:
        return kwargs["s"] * kwargs["a"]


kit_echo = KitEcho(name="my.echo")
lite_echo = LiteEcho(name="my.echo")

CALLS = [
    ("add", (1,), {}),
    ("add", (), {"a": 1, "b": 5}),
    ("pair", (), {"a": 2, "names": ["x", "y"]}),
    ("maybe", (), {}),
    ("maybe", (), {"a": 4}),
    ("explode", (), {"a": 0}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS)
def test_function_task_results_are_equal(
    name: str, args: tuple[typing.Any, ...], kwargs: dict[str, typing.Any]
) -> None:
    assert LITE[name](*args, **kwargs) == KIT[name](*args, **kwargs)


def test_named_tuple_output_has_the_same_shape() -> None:
    kit, lite = KIT["pair"](a=1, names=["q"]), LITE["pair"](a=1, names=["q"])
    assert type(kit).__name__ == type(lite).__name__ == "Pair"
    assert kit._fields == lite._fields


def test_instance_task_results_and_names_are_equal() -> None:
    assert lite_echo(a=3, s="ab") == kit_echo(a=3, s="ab")
    assert lite_echo.name == kit_echo.name
    assert lite_echo.construct_node_metadata().name == kit_echo.construct_node_metadata().name
    assert lite_echo.lhs == "lite_echo" and kit_echo.lhs == "kit_echo"


ERROR_CALLS = [
    ("add", (), {}, TypeError),  # a missing input
    ("add", (), {"a": "abc"}, TypeError),  # a value of the wrong type
    ("explode", (), {"a": 1}, KeyError),  # an exception inside the task keeps its type
]


@pytest.mark.parametrize(("name", "args", "kwargs", "kind"), ERROR_CALLS)
def test_errors_have_the_same_kind(
    name: str, args: tuple[typing.Any, ...], kwargs: dict[str, typing.Any], kind: type[BaseException]
) -> None:
    with pytest.raises(kind):
        KIT[name](*args, **kwargs)
    with pytest.raises(kind):
        LITE[name](*args, **kwargs)


def test_unknown_input_is_rejected_by_both() -> None:
    # flytekit raises AssertionError here; flytelite raises TypeError (documented departure).
    with pytest.raises(AssertionError):
        KIT["add"](a=1, c=2)
    with pytest.raises(TypeError):
        LITE["add"](a=1, c=2)


@pytest.mark.parametrize("name", [f.__name__ for f in FUNCTIONS])
def test_typed_interfaces_are_equal(name: str) -> None:
    assert LITE[name].interface == KIT[name].interface.to_flyte_idl()


def test_instance_task_typed_interface_is_equal() -> None:
    assert lite_echo.interface == kit_echo.interface.to_flyte_idl()


METADATA_CASES: list[dict[str, typing.Any]] = [
    {},
    {"retries": 3, "timeout": 30, "interruptible": True},
    {"interruptible": False, "deprecated": "old", "pod_template_name": "pt"},
    {"cache": True, "cache_version": "1", "cache_serialize": True, "cache_ignore_input_vars": ("a", "b")},
    {"timeout": datetime.timedelta(minutes=2), "generates_deck": True, "is_eager": True},
    {"labels": {"team": "x"}, "annotations": {"note": "y"}},
]


@pytest.mark.parametrize("fields", METADATA_CASES)
def test_task_metadata_models_are_equal_except_runtime(fields: dict[str, typing.Any]) -> None:
    kit = KitTaskMetadata(**fields).to_taskmetadata_model().to_flyte_idl()
    lite = LiteTaskMetadata(**fields).to_taskmetadata_model()
    assert lite.runtime.type == kit.runtime.type and lite.runtime.flavor == kit.runtime.flavor == "python"
    kit.ClearField("runtime")
    lite.ClearField("runtime")
    assert lite == kit


@pytest.mark.parametrize("fields", [{"cache": True}, {"cache_serialize": True}, {"cache_ignore_input_vars": ("a",)}])
def test_task_metadata_validation_matches(fields: dict[str, typing.Any]) -> None:
    with pytest.raises(ValueError):
        KitTaskMetadata(**fields)
    with pytest.raises(ValueError):
        LiteTaskMetadata(**fields)


def test_task_decorator_metadata_matches() -> None:
    def body(a: int) -> int:
        return a

    options = {"retries": 2, "timeout": 10, "cache": True, "cache_version": "v", "interruptible": True}
    kit = flytekit.task(**options)(body).metadata.to_taskmetadata_model().to_flyte_idl()
    lite = lite_task(**options)(body).metadata.to_taskmetadata_model()  # type: ignore[call-overload]
    kit.ClearField("runtime")
    lite.ClearField("runtime")
    assert lite == kit


def test_default_command_matches_after_the_documented_renames() -> None:
    from flytekit.configuration import ImageConfig as KitImageConfig
    from flytekit.configuration import SerializationSettings as KitSettings

    from flytelite.configuration import ImageConfig, SerializationSettings

    kit = kit_echo.get_default_command(KitSettings(image_config=KitImageConfig.auto(img_name="a/b:1")))
    lite = lite_echo.get_default_command(SerializationSettings(image_config=ImageConfig.auto(img_name="a/b:1")))
    renamed = [a.replace("pyflyte-execute", "flytelite-execute").replace("flytekit.", "flytelite.") for a in kit]
    assert lite[:-1] == renamed[:-1]
    assert (kit[-1], lite[-1]) == ("kit_echo", "lite_echo")


def test_serialized_context_is_byte_identical() -> None:
    from flytekit.configuration import FastSerializationSettings as KitFast
    from flytekit.configuration import ImageConfig as KitImageConfig
    from flytekit.configuration import SerializationSettings as KitSettings

    from flytelite.configuration import FastSerializationSettings, ImageConfig, SerializationSettings

    images = ("repo/app:1", {"gpu": "repo/gpu@sha256:ab"})
    kit = KitSettings(
        image_config=KitImageConfig.from_images(*images),
        project="p",
        domain="d",
        version="v",
        env={"A": "1"},
        fast_serialization_settings=KitFast(enabled=True, destination_dir="/root", distribution_location="s3://b/x"),
    )
    lite = SerializationSettings(
        image_config=ImageConfig.from_images(*images),
        project="p",
        domain="d",
        version="v",
        env={"A": "1"},
        fast_serialization_settings=FastSerializationSettings(
            enabled=True, destination_dir="/root", distribution_location="s3://b/x"
        ),
    )
    assert lite.serialized_context == kit.serialized_context
    assert SerializationSettings.from_transport(kit.serialized_context) == lite
    assert KitSettings.from_transport(lite.serialized_context) == kit
