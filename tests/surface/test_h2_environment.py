"""`Environment`: `@task` options shared by several tasks."""

from __future__ import annotations

import pytest

from flytelite.core.environment import Environment, inherit
from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.resources import Resources

ENV = Environment(retries=2, environment={"A": "1"}, requests=Resources(cpu="1"))


@ENV.task
def h2_env_plain(x: int) -> int:
    return x + 1


@ENV.task(retries=5, environment={"B": "2"})
def h2_env_more(x: int) -> int:
    return x * 2


@ENV.dynamic
def h2_env_dyn(x: int) -> int:
    return h2_env_plain(x=h2_env_more(x=x))  # type: ignore[no-any-return]


def test_tasks_take_the_environment_options() -> None:
    assert h2_env_plain.metadata.retries == 2
    assert h2_env_plain.environment == {"A": "1"}
    assert h2_env_plain.resources.requests.cpu == "1"
    assert h2_env_plain(x=1) == 2


def test_task_options_override_and_dicts_merge() -> None:
    assert h2_env_more.metadata.retries == 5
    assert h2_env_more.environment == {"A": "1", "B": "2"}
    assert ENV.overrides["environment"] == {"A": "1"}  # the environment itself is unchanged


def test_dynamic_tasks_share_the_options() -> None:
    assert h2_env_dyn.execution_mode == PythonFunctionTask.ExecutionBehavior.DYNAMIC
    assert h2_env_dyn.metadata.retries == 2
    assert h2_env_dyn(x=3) == 7


def test_extend_and_update() -> None:
    bigger = ENV.extend(environment={"C": "3"}, interruptible=True)
    assert bigger.overrides["environment"] == {"A": "1", "C": "3"} and bigger.overrides["interruptible"] is True
    assert "interruptible" not in ENV.overrides
    env = Environment(retries=1)
    env.update(retries=3)
    assert env.overrides == {"retries": 3}
    assert inherit({"d": {"x": [1]}}, {"d": {"y": 2}}) == {"d": {"x": [1], "y": 2}}


def test_bad_uses_are_refused() -> None:
    with pytest.raises(KeyError, match="task function"):
        Environment(_task_function=len)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="callable"):
        ENV.task(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tempalte"):
        Environment(tempalte=1).task(lambda x: x)  # type: ignore[call-arg]


def test_show_prints_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    ENV.show()
    out = capsys.readouterr().out
    assert "'retries': 2" in out and "'A': '1'" in out
