"""Calling tasks: argument checks before execute, native results, @task options and local retries."""

from __future__ import annotations

import datetime
import importlib
import typing
from pathlib import Path

import pytest

from flytelite.core.base_task import TaskMetadata
from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.task import TaskPlugins, task
from flytelite.errors import FlyteRecoverableException, FlyteTypeException, FlyteValidationException


class Out(typing.NamedTuple):
    total: int
    label: str


executed: list[str] = []


@task
def add(a: int, b: int = 10) -> int:
    executed.append("add")
    return a + b


@task
def both(a: int) -> Out:
    return Out(a * 2, f"n{a}")


@task
def nothing(a: int | None) -> None:
    executed.append(f"nothing {a}")


def test_positional_keyword_defaults_and_optional() -> None:
    assert add(1) == 11
    assert add(1, 2) == 3
    assert add(b=5, a=1) == 6
    assert nothing() is None
    assert executed[-1] == "nothing None"


def test_multiple_outputs_return_the_named_tuple() -> None:
    r = both(a=3)
    assert r == (6, "n3")
    assert r.total == 6 and type(r).__name__ == "Out"


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        ((), {}, r"task '.*add', input 'a': expected int, got nothing"),
        ((), {"a": 1, "c": 2}, r"task '.*add', input 'c': no such input \(got int\)"),
        ((), {"a": "abc"}, r"task '.*add', input 'a': expected int, got str"),
        ((1, 2, 3), {}, r"takes 2 input\(s\) \(a: int, b: int\) but 3 positional"),
        ((1,), {"a": 2}, r"multiple values for input 'a'"),
    ],
)
def test_bad_calls_raise_one_type_error_before_execute(
    args: tuple[typing.Any, ...], kwargs: dict[str, typing.Any], pattern: str
) -> None:
    before = len(executed)
    with pytest.raises(FlyteTypeException, match=pattern):
        add(*args, **kwargs)
    assert len(executed) == before


def test_task_names_and_interface() -> None:
    assert add.name.endswith("test_task_calls.add")
    assert isinstance(add, PythonFunctionTask)
    assert add.python_interface.inputs == {"a": int, "b": int}
    assert add.execution_mode == PythonFunctionTask.ExecutionBehavior.DEFAULT


def test_task_options_flow_into_metadata_and_container() -> None:
    @task(
        retries=3,
        timeout=datetime.timedelta(seconds=9),
        interruptible=True,
        deprecated="use other",
        cache=True,
        cache_version="7",
        cache_serialize=True,
        cache_ignore_input_vars=("x",),
        environment={"E": "1"},
        pod_template_name="tmpl",
        labels={"l": "v"},
        annotations={"a": "v"},
        container_image="repo/img:1",
        shared_memory=True,
    )
    def configured(x: int) -> int:
        return x

    md = configured.metadata
    assert md == TaskMetadata(
        cache=True,
        cache_version="7",
        cache_serialize=True,
        cache_ignore_input_vars=("x",),
        retries=3,
        interruptible=True,
        deprecated="use other",
        timeout=datetime.timedelta(seconds=9),
        pod_template_name="tmpl",
        labels={"l": "v"},
        annotations={"a": "v"},
    )
    assert configured.environment == {"E": "1"}  # type: ignore[attr-defined]
    assert configured.container_image == "repo/img:1"  # type: ignore[attr-defined]


def test_unknown_task_option_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'templat'"):
        task(templat=1)  # type: ignore[call-overload]


def test_cache_without_version_is_rejected() -> None:
    # flytekit 1.16: `cache=True` without a version becomes `Cache()`, which needs a version or a cache policy.
    with pytest.raises(ValueError, match="at least one cache policy"):
        task(cache=True)
    with pytest.raises(FlyteValidationException, match="cache_version"):
        task(cache=True, cache_version="")


def test_task_plugins_choose_the_class_by_config_type() -> None:
    class MyConfig:
        pass

    class MyTask(PythonFunctionTask[MyConfig]):
        pass

    TaskPlugins.register_pythontask_plugin(MyConfig, MyTask)

    @task(task_config=MyConfig())
    def plugged(a: int) -> int:
        return a

    assert isinstance(plugged, MyTask)
    assert plugged(a=2) == 2
    with pytest.raises(TypeError, match="already registered"):
        TaskPlugins.register_pythontask_plugin(MyConfig, PythonFunctionTask)


attempts: list[int] = []


@task(retries=2)
def flaky(n: int) -> int:
    attempts.append(n)
    if len(attempts) < n:
        raise FlyteRecoverableException(f"attempt {len(attempts)}")
    return len(attempts)


def test_recoverable_errors_are_retried_locally() -> None:
    attempts.clear()
    assert flaky(n=3) == 3
    attempts.clear()
    with pytest.raises(FlyteRecoverableException, match="attempt 3"):
        flaky(n=4)
    assert len(attempts) == 3


@task(retries=5)
def fails_hard(n: int) -> int:
    attempts.append(n)
    if n >= 0:
        raise ValueError("not recoverable")
    return n


def test_other_errors_are_not_retried() -> None:
    attempts.clear()
    with pytest.raises(ValueError, match="not recoverable"):
        fails_hard(n=1)
    assert attempts == [1]


def test_nested_function_outside_test_module_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nested_app_mod.py").write_text(
        "from flytelite.core.task import task\n"
        "def outer():\n"
        "    @task\n"
        "    def inner(a: int) -> int:\n"
        "        return a\n"
        "    return inner\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("nested_app_mod")
    with pytest.raises(FlyteValidationException, match="nested/inner"):
        mod.outer()


def test_option_names_are_the_keys_of_task_options() -> None:
    # `split_task_options` checks names against a literal set so that running a task never builds the `TypedDict`.
    from flytelite.core import _task_options
    from flytelite.core.task import TaskOptions

    assert frozenset(TaskOptions.__annotations__) == _task_options._OPTION_NAMES
    assert _task_options.TaskOptions is TaskOptions
