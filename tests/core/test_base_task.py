"""Task, PythonTask and TaskMetadata: construction rules, dispatch_execute, hooks and errors."""

from __future__ import annotations

import datetime
import sys
import typing

import pytest
from flyteidl.core.literals_pb2 import LiteralMap
from flyteidl.core.tasks_pb2 import RuntimeMetadata
from flyteidl.core.workflow_pb2 import NodeMetadata

from flytelite.core.base_task import IgnoreOutputs, PythonTask, Task, TaskMetadata, kwtypes
from flytelite.core.context_manager import ExecutionParameters, ExecutionState, FlyteContextManager, FlyteEntities
from flytelite.core.interface import Interface
from flytelite.core.python_function_task import PythonInstanceTask
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import (
    FlyteNonRecoverableSystemException,
    FlyteTypeException,
    FlyteUserRuntimeException,
    FlyteValidationException,
)


class Square(PythonInstanceTask[None]):
    def __init__(self, name: str = "sq", **kwargs: typing.Any) -> None:
        super().__init__(name=name, task_config=None, interface=Interface(kwtypes(x=int), kwtypes(o0=int)), **kwargs)

    def execute(self, **kwargs: typing.Any) -> int:
        return int(kwargs["x"]) ** 2


def _ctx(mode: ExecutionState.Mode) -> typing.Any:
    ctx = FlyteContextManager.current_context()
    return ctx.with_execution_state(ctx.new_execution_state().with_params(mode=mode))


def _lm(**values: int) -> LiteralMap:
    return TypeEngine.dict_to_literal_map(FlyteContextManager.current_context(), values, {k: int for k in values})


# --- TaskMetadata ------------------------------------------------------------------------------------------
def test_metadata_validation() -> None:
    with pytest.raises(FlyteValidationException, match="cache_version"):
        TaskMetadata(cache=True)
    with pytest.raises(FlyteValidationException, match="Cache serialize"):
        TaskMetadata(cache_serialize=True)
    with pytest.raises(FlyteValidationException, match="ignore input vars"):
        TaskMetadata(cache_ignore_input_vars=("a",))
    with pytest.raises(FlyteValidationException, match="timeout"):
        TaskMetadata(timeout="soon")  # type: ignore[arg-type]
    assert TaskMetadata(timeout=30).timeout == datetime.timedelta(seconds=30)


def test_metadata_model_defaults_and_fields() -> None:
    m = TaskMetadata().to_taskmetadata_model()
    assert m.runtime.type == RuntimeMetadata.RuntimeType.FLYTE_SDK
    assert m.runtime.flavor == "python"
    assert m.runtime.version
    assert not m.HasField("timeout") and not m.HasField("interruptible_value")
    full = TaskMetadata(
        cache=True,
        cache_version="1",
        cache_serialize=True,
        cache_ignore_input_vars=("a",),
        interruptible=True,
        deprecated="old",
        retries=3,
        timeout=datetime.timedelta(minutes=1),
        pod_template_name="pt",
        generates_deck=True,
        is_eager=True,
        labels={"l": "1"},
        annotations={"a": "2"},
    ).to_taskmetadata_model()
    assert full.discoverable and full.discovery_version == "1" and full.cache_serializable
    assert list(full.cache_ignore_input_vars) == ["a"]
    assert full.interruptible is True and full.deprecated_error_message == "old"
    assert full.retries.retries == 3 and full.timeout.seconds == 60
    assert full.pod_template_name == "pt" and full.generates_deck.value and full.is_eager
    assert dict(full.metadata.labels) == {"l": "1"} and dict(full.metadata.annotations) == {"a": "2"}


# --- construction ------------------------------------------------------------------------------------------
def test_every_task_is_registered_and_metadata_keywords_are_honoured() -> None:
    t = Square(name="sq_kw", retries=2, timeout=5, cache=True, cache_version="v")
    assert t in FlyteEntities.entities
    assert t.metadata.retries == 2
    assert t.metadata.timeout == datetime.timedelta(seconds=5)
    assert t.metadata.cache and t.metadata.cache_version == "v"


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'templat'"):
        Square(name="bad", templat=1)


def test_instance_task_without_execute_fails_at_construction() -> None:
    class NoExecute(PythonInstanceTask[None]):
        pass

    with pytest.raises(TypeError, match="must define execute"):
        NoExecute(name="x", task_config=None)


def test_defaults_of_serialization_hooks_and_types() -> None:
    t = Square(name="sq_hooks")
    base = Task(task_type="raw", name="raw", interface=None)
    for hook in (base.get_container, base.get_k8s_pod, base.get_sql, base.get_custom, base.get_config):
        assert hook(None) is None
    assert base.get_extended_resources(None) is None
    assert base.get_input_types() is None and base.python_interface is None
    assert base.get_type_for_input_var("a", 1.5) is float
    assert t.get_input_types() == {"x": int}
    assert t.get_type_for_input_var("x", "ignored") is int
    assert t.get_type_for_output_var("o0", "ignored") is int
    assert t.local_execution_mode() == ExecutionState.Mode.LOCAL_TASK_EXECUTION
    assert t.task_type == "python-task" and t.task_type_version == 0


def test_construct_node_metadata() -> None:
    t = Square(name="pkg.mod.square", retries=4, timeout=7, interruptible=True)
    md = t.construct_node_metadata()
    assert isinstance(md, NodeMetadata)
    assert md.name == "square" and md.retries.retries == 4 and md.timeout.seconds == 7 and md.interruptible


# --- dispatch_execute -----------------------------------------------------------------------------------
def test_dispatch_execute_returns_a_literal_map() -> None:
    out = Square(name="sq_dispatch").dispatch_execute(_ctx(ExecutionState.Mode.LOCAL_TASK_EXECUTION), _lm(x=4))
    assert out.literals["o0"].scalar.primitive.integer == 16


def test_pre_and_post_execute_overrides() -> None:
    seen: dict[str, typing.Any] = {}

    class Hooked(Square):
        def pre_execute(self, user_params: ExecutionParameters | None) -> ExecutionParameters | None:
            assert user_params is not None
            return user_params.builder().add_attr("TOKEN", "abc").build()

        def execute(self, **kwargs: typing.Any) -> int:
            seen["token"] = FlyteContextManager.current_context().user_space_params.get("token")  # type: ignore[union-attr]
            return int(kwargs["x"])

        def post_execute(self, user_params: ExecutionParameters | None, rval: typing.Any) -> typing.Any:
            seen["post_token"] = user_params.TOKEN if user_params else None
            return rval + 100

    assert Hooked(name="hooked")(x=1) == 101
    assert seen == {"token": "abc", "post_token": "abc"}


def test_literal_map_result_passes_through() -> None:
    class Raw(Square):
        def execute(self, **kwargs: typing.Any) -> typing.Any:
            return _lm(o0=99)

    out = Raw(name="raw_lm").dispatch_execute(_ctx(ExecutionState.Mode.LOCAL_TASK_EXECUTION), _lm(x=1))
    assert out.literals["o0"].scalar.primitive.integer == 99


def test_ignore_outputs_propagates() -> None:
    class Quiet(Square):
        def execute(self, **kwargs: typing.Any) -> int:
            raise IgnoreOutputs()

    with pytest.raises(IgnoreOutputs):
        Quiet(name="quiet").dispatch_execute(_ctx(ExecutionState.Mode.TASK_EXECUTION), _lm(x=1))


class Broken(Square):
    def execute(self, **kwargs: typing.Any) -> int:
        raise KeyError("missing thing")


def test_local_error_keeps_type_and_gets_a_note() -> None:
    with pytest.raises(KeyError) as info:
        Broken(name="broken")(x=1)
    if sys.version_info >= (3, 11):
        assert any("broken" in n for n in info.value.__notes__)


def test_remote_error_becomes_user_runtime_error() -> None:
    with pytest.raises(FlyteUserRuntimeException) as info:
        Broken(name="broken_remote").dispatch_execute(_ctx(ExecutionState.Mode.TASK_EXECUTION), _lm(x=1))
    assert isinstance(info.value.value, KeyError)


def test_remote_output_conversion_error_is_a_system_error() -> None:
    class WrongOut(Square):
        def execute(self, **kwargs: typing.Any) -> typing.Any:
            return "not an int"

    with pytest.raises(FlyteNonRecoverableSystemException):
        WrongOut(name="wrong_remote").dispatch_execute(_ctx(ExecutionState.Mode.TASK_EXECUTION), _lm(x=1))
    with pytest.raises(FlyteTypeException, match="task 'wrong_local', output 'o0'"):
        WrongOut(name="wrong_local")(x=1)


def test_multiple_outputs_need_a_tuple_of_the_right_size() -> None:
    class Two(PythonInstanceTask[None]):
        def __init__(self, name: str) -> None:
            super().__init__(name=name, task_config=None, interface=Interface(kwtypes(x=int), kwtypes(a=int, b=int)))

        def execute(self, **kwargs: typing.Any) -> typing.Any:
            return (1, 2, 3) if kwargs["x"] else (kwargs["x"], kwargs["x"] + 1)

    t = Two(name="two")
    result = t(x=0)
    assert (result.a, result.b) == (0, 1)
    with pytest.raises(FlyteTypeException, match="must return 2 values"):
        t(x=1)


def test_python_task_with_config_and_environment() -> None:
    class Configured(PythonTask[dict[str, int]]):
        def execute(self, **kwargs: typing.Any) -> None:
            return None

    t = Configured(task_type="custom", name="cfg", task_config={"k": 1}, environment={"A": "1"})
    assert t.task_config == {"k": 1} and t.environment == {"A": "1"}
    assert t.enable_deck is False and t.deck_fields == []
    assert t() is None
    with pytest.raises(ValueError, match="only one of"):
        Configured(task_type="custom", name="cfg2", enable_deck=True, disable_deck=False)


def test_task_metadata_compares_hashes_and_prints_as_a_frozen_dataclass() -> None:
    # `repr`, `==` and `hash` are written by hand (cheaper to build); they must be the generated ones'.
    import dataclasses

    reference = dataclasses.make_dataclass(
        "TaskMetadata", [(f.name, f.type, f) for f in dataclasses.fields(TaskMetadata)], frozen=True
    )
    values = {"cache": True, "cache_version": "1", "retries": 2, "timeout": datetime.timedelta(seconds=5)}
    md, ref = TaskMetadata(**values), reference(**values)
    assert repr(md) == repr(ref)
    assert hash(md) == hash(ref)
    assert md == TaskMetadata(**values) and md != TaskMetadata() and md != ref
    assert (md == 1) is False and md.__eq__(1) is NotImplemented
    assert dataclasses.replace(md, retries=3).retries == 3 and dataclasses.is_dataclass(md)
    with pytest.raises(dataclasses.FrozenInstanceError):
        md.retries = 4  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(TaskMetadata(labels={"a": "b"}))
