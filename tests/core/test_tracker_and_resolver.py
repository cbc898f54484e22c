"""Instance tracking (`find_lhs`), module names, resolvers and the container command."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import pytest
from flyteidl.core.security_pb2 import Secret
from flyteidl.core.tasks_pb2 import Resources as ResourcesModel

from flytelite.configuration import ImageConfig, SerializationSettings
from flytelite.core.base_task import Task, TaskResolverMixin
from flytelite.core.python_auto_container import (
    DefaultTaskResolver,
    PythonAutoContainerTask,
    default_task_resolver,
    get_registerable_container_image,
)
from flytelite.core.resources import Resources
from flytelite.core.tracker import extract_task_module, get_full_module_path
from flytelite.errors import FlyteAssertion, FlyteSystemException

from . import tasks_for_tests as tft

SETTINGS = SerializationSettings(image_config=ImageConfig.from_images("repo/app:v1", {"gpu": "repo/gpu:v2"}))
MOD = tft.__name__


def test_instance_knows_its_module_and_variable() -> None:
    assert tft.add_one.instantiated_in == MOD
    assert tft.add_one.find_lhs() == "add_one"
    assert tft.add_one.lhs == "add_one"
    assert tft.add_one.location == f"{MOD}.add_one"
    assert tft.add_one.name == "my.add_one"


def test_find_lhs_failure_names_the_module() -> None:
    orphan = tft.unassigned_holder[0]
    with pytest.raises(FlyteSystemException, match=f"Error looking for LHS in {MOD}"):
        orphan.find_lhs()


def test_extract_task_module_for_instances_and_functions() -> None:
    assert extract_task_module(tft.add_one)[:3] == (f"{MOD}.add_one", MOD, "add_one")
    assert extract_task_module(tft.double)[:3] == (f"{MOD}.double", MOD, "double")
    assert extract_task_module(tft.double)[3].endswith("tasks_for_tests.py")


def test_package_root_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pkg = tmp_path / "outer" / "inner"
    pkg.mkdir(parents=True)
    for d in (tmp_path / "outer", pkg):
        (d / "__init__.py").write_text("")
    (pkg / "mod.py").write_text("def f() -> None:\n    pass\n")
    monkeypatch.syspath_prepend(str(pkg))
    import importlib

    mod = importlib.import_module("mod")
    assert get_full_module_path(mod, "mod") == "outer.inner.mod"
    monkeypatch.setenv("FLYTE_PYTHON_PACKAGE_ROOT", ".")
    assert get_full_module_path(mod, "mod") == "mod"
    monkeypatch.setenv("FLYTE_PYTHON_PACKAGE_ROOT", str(tmp_path / "outer"))
    assert get_full_module_path(mod, "mod") == "inner.mod"


def test_tracking_from_a_script_run_as_main(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text(
        textwrap.dedent(
            """
            from tests_core_helper import make
            held = make()
            if __name__ == "__main__":
                print(held.instantiated_in, held.find_lhs())
            """
        )
    )
    (tmp_path / "tests_core_helper.py").write_text(
        textwrap.dedent(
            """
            from flytelite.core.base_task import kwtypes
            from flytelite.core.interface import Interface
            from flytelite.core.python_function_task import PythonInstanceTask

            class T(PythonInstanceTask[None]):
                def execute(self, **kw):
                    return None

            def make():
                return T(name="held", task_config=None, interface=Interface(kwtypes(), kwtypes()))
            """
        )
    )
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "script.py"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["script", "held"]


def test_default_command_for_instance_and_function_tasks() -> None:
    head = [
        "flytelite-execute",
        "--inputs",
        "{{.input}}",
        "--output-prefix",
        "{{.outputPrefix}}",
        "--raw-output-data-prefix",
        "{{.rawOutputDataPrefix}}",
        "--checkpoint-path",
        "{{.checkpointOutputPrefix}}",
        "--prev-checkpoint",
        "{{.prevCheckpointPrefix}}",
        "--resolver",
        "flytelite.core.python_auto_container.default_task_resolver",
        "--",
    ]
    assert tft.add_one.get_default_command(SETTINGS) == [*head, "task-module", MOD, "task-name", "add_one"]
    assert tft.double.get_command(SETTINGS) == [*head, "task-module", MOD, "task-name", "double"]


def test_default_resolver_round_trip() -> None:
    r = default_task_resolver
    assert isinstance(r, DefaultTaskResolver)
    assert r.name() == "DefaultTaskResolver"
    assert r.location == "flytelite.core.python_auto_container.default_task_resolver"
    args = r.loader_args(SETTINGS, tft.add_one)
    assert r.load_task(args) is tft.add_one
    assert tft.add_one in r.get_all_tasks()
    with pytest.raises(FlyteAssertion, match="task-module"):
        r.load_task(["bogus"])


class ListResolver(TaskResolverMixin):
    """A custom resolver keeping tasks in a list."""

    def __init__(self) -> None:
        self.tasks: list[Task] = []

    @property
    def location(self) -> str:
        return "tests.core.list_resolver"

    def name(self) -> str:
        return "ListResolver"

    def load_task(self, loader_args: list[str]) -> Task:
        return self.tasks[int(loader_args[0])]

    def loader_args(self, settings: typing.Any, t: Task) -> list[str]:
        if t not in self.tasks:
            self.tasks.append(t)
        return [str(self.tasks.index(t))]

    def get_all_tasks(self) -> list[Task]:
        return list(self.tasks)


def test_custom_resolver_with_set_resolver_and_command_fn() -> None:
    t = tft.AddOne(name="custom_resolved")
    resolver = ListResolver()
    t.set_resolver(resolver)
    cmd = t.get_command(SETTINGS)
    assert cmd[cmd.index("--resolver") + 1] == "tests.core.list_resolver"
    assert cmd[-2:] == ["--", "0"]
    assert resolver.load_task(cmd[-1:]) is t
    assert resolver.task_name(t) is None
    t.set_command_fn(lambda s: ["custom", s.image_config.default_image.full])  # type: ignore[union-attr]
    assert t.get_command(SETTINGS) == ["custom", "repo/app:v1"]
    t.reset_command_fn()
    assert t.get_command(SETTINGS)[0] == "flytelite-execute"


def test_container_image_resources_env_and_secrets() -> None:
    t = tft.AddOne(
        name="containered",
        container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}",
        resources=Resources(cpu=("1", "2"), mem="1Gi"),
        environment={"A": "1"},
        secret_requests=[Secret(group="g", key="k")],
        shared_memory="2Gi",
    )
    t.set_resolver(ListResolver())  # created inside a function: no module variable for the default resolver
    c = t.get_container(SETTINGS)
    assert c is not None
    assert c.image == "repo/gpu:v2"
    assert list(c.command) == [] and c.args[0] == "flytelite-execute"
    names = ResourcesModel.ResourceName
    assert [(e.name, e.value) for e in c.resources.requests] == [(names.CPU, "1"), (names.MEMORY, "1Gi")]
    assert [(e.name, e.value) for e in c.resources.limits] == [(names.CPU, "2")]  # single value: request only
    assert {kv.key: kv.value for kv in c.env} == {"A": "1"}
    assert t.security_context is not None and t.security_context.secrets[0].group == "g"
    ext = t.get_extended_resources(SETTINGS)
    assert ext is not None and ext.shared_memory.size_limit == "2Gi"
    assert t.get_config(SETTINGS) == {}
    with pytest.raises(ValueError, match="can not be used together"):
        tft.AddOne(name="both", resources=Resources(cpu="1"), limits=Resources(cpu="1"))
    with pytest.raises(TypeError, match="Secret"):
        tft.AddOne(name="badsecret", secret_requests=["nope"])


def test_registerable_image_rules() -> None:
    cfg = SETTINGS.image_config
    assert get_registerable_container_image(None, cfg) == "repo/app:v1"
    assert get_registerable_container_image("plain:1", cfg) == "plain:1"
    assert get_registerable_container_image("{{.image.default}}", cfg) == "repo/app:v1"
    with pytest.raises(FlyteAssertion, match="not found"):
        get_registerable_container_image("{{.image.nope.fqn}}", cfg)
    with pytest.raises(ValueError, match="An image is required"):
        get_registerable_container_image(None, ImageConfig())


def test_pod_template_moves_the_container_out() -> None:
    class PT:
        primary_container_name = "main"

    t = tft.AddOne(name="podded", pod_template=PT(), pod_template_name="named")
    assert isinstance(t, PythonAutoContainerTask)
    assert t.get_container(SETTINGS) is None
    assert t.get_config(SETTINGS) == {"primary_container_name": "main"}
    assert t.metadata.pod_template_name == "named"
