"""`_F_RUNTIME_PACKAGES`: the entrypoint pip-installs them before it imports the task (with a fake pip, no network).

The fake `pip` package shadows the real one on `PYTHONPATH`, so `python -m pip install ...` runs it: it records its
arguments and "installs" a module the task module imports at its top, which only works if the install came first.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.entrypoint.conftest import Pod, int_lit

FAKE_PIP = textwrap.dedent(
    """
    import json, os, sys
    args = sys.argv[1:]
    with open(os.environ["FAKE_PIP_LOG"], "a") as f:
        f.write(json.dumps(args) + "\\n")
    if args[:1] == ["install"]:
        with open(os.path.join(os.environ["FAKE_SITE"], "rt_pkg.py"), "w") as f:
            f.write("VALUE = 100\\n")
    """
)
TASKS = textwrap.dedent(
    """
    import rt_pkg
    from flytelite.core.task import task

    @task
    def uses_pkg(a: int) -> int:
        return rt_pkg.VALUE + a
    """
)


def _layout(tmp: Path) -> dict[str, str]:
    (tmp / "fakepip" / "pip").mkdir(parents=True)
    (tmp / "fakepip" / "pip" / "__init__.py").write_text("")
    (tmp / "fakepip" / "pip" / "__main__.py").write_text(FAKE_PIP)
    (tmp / "site").mkdir()
    (tmp / "code").mkdir()
    (tmp / "code" / "rt_tasks.py").write_text(TASKS)
    return {
        "PYTHONPATH": ":".join(str(tmp / d) for d in ("fakepip", "site", "code")),
        "FAKE_PIP_LOG": str(tmp / "pip.log"),
        "FAKE_SITE": str(tmp / "site"),
    }


def test_runtime_packages_are_installed_before_the_task_loads(pod: Pod, tmp_path: Path) -> None:
    env = _layout(tmp_path)
    pod.write_inputs(a=int_lit(1))
    env["_F_RUNTIME_PACKAGES"] = "rt-pkg==1.0  toolz"
    proc = pod.run("flytelite-execute", ["task-module", "rt_tasks", "task-name", "uses_pkg"], env=env)
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["outputs.pb"], proc.stderr
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 101
    calls = [json.loads(line) for line in (tmp_path / "pip.log").read_text().splitlines()]
    assert calls == [["install", "rt-pkg==1.0", "toolz"]]


def test_without_runtime_packages_pip_is_not_run(pod: Pod, tmp_path: Path) -> None:
    env = _layout(tmp_path)
    pod.write_inputs(a=int_lit(1))
    proc = pod.run("flytelite-execute", ["task-module", "rt_tasks", "task-name", "uses_pkg"], env=env)
    assert proc.returncode == 0
    assert not (tmp_path / "pip.log").exists()
    assert pod.files() == ["error.pb"]
    assert "rt_pkg" in pod.error().message  # the task's import fails: nothing installed it
