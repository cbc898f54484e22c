"""ShellTask / RawShellTask: templates over inputs and outputs, file and folder outputs, failures."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import flytelite.exec  # noqa: F401  (registers the local graph runner)
from flytelite.core.interface import kwtypes
from flytelite.core.workflow import workflow
from flytelite.errors import FlyteRecoverableException, FlyteValidationException
from flytelite.extras.tasks.shell import OutputLocation, RawShellTask, ShellTask, get_raw_shell_task, subproc_execute
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile


def test_file_in_file_out(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("hello\n")
    t = ShellTask(
        name="copy",
        script="cat {inputs.src} > {outputs.dst} && echo {inputs.n} >> {outputs.dst}",
        inputs=kwtypes(src=FlyteFile, n=int),
        output_locs=[OutputLocation(var="dst", var_type=FlyteFile, location="{inputs.src}.copy")],
    )
    out = t(src=FlyteFile(str(src)), n=7)
    assert isinstance(out, FlyteFile)
    assert Path(out).read_text() == "hello\n7\n"
    assert t.result is not None and t.result.returncode == 0


def test_directory_output_and_datetime_input(tmp_path: Path) -> None:
    t = ShellTask(
        name="stamp",
        script="mkdir -p {outputs.d} && echo {inputs.when} > {outputs.d}/when.txt",
        inputs=kwtypes(when=datetime.datetime, where=str),
        output_locs=[OutputLocation(var="d", var_type=FlyteDirectory, location="{inputs.where}/out")],
    )
    out = t(when=datetime.datetime(2024, 1, 2, 3, 4, 5), where=str(tmp_path))
    assert isinstance(out, FlyteDirectory)
    assert (Path(out) / "when.txt").read_text().startswith("2024-01-02T03:04:05")


def test_two_outputs_in_a_workflow(tmp_path: Path) -> None:
    t = ShellTask(
        name="two",
        script="echo a > {outputs.x}; echo b > {outputs.y}",
        inputs=kwtypes(base=str),
        output_locs=[
            OutputLocation(var="x", var_type=FlyteFile, location="{inputs.base}/x.txt"),
            OutputLocation(var="y", var_type=FlyteFile, location="{inputs.base}/y.txt"),
        ],
    )

    @workflow
    def wf(base: str) -> FlyteFile:
        x, _ = t(base=base)
        return x

    assert Path(wf(base=str(tmp_path))).read_text() == "a\n"


def test_failing_script_is_recoverable_and_shows_stderr() -> None:
    t = ShellTask(name="boom", script="echo broken-thing >&2; exit 3")
    with pytest.raises(FlyteRecoverableException) as info:
        t()
    msg = str(info.value)
    assert "boom" in msg and "return code 3" in msg and "broken-thing" in msg


def test_missing_output_names_task_output_and_path(tmp_path: Path) -> None:
    t = ShellTask(
        name="lazy",
        script="true",
        inputs=kwtypes(p=str),
        output_locs=[OutputLocation(var="f", var_type=FlyteFile, location="{inputs.p}/never.txt")],
    )
    with pytest.raises(FlyteValidationException) as info:
        t(p=str(tmp_path))
    assert "lazy" in str(info.value) and "'f'" in str(info.value) and "never.txt" in str(info.value)


def test_unknown_template_variable() -> None:
    t = ShellTask(name="typo", script="echo {inputs.nope}", inputs=kwtypes(a=int))
    with pytest.raises(FlyteValidationException, match="nope"):
        t(a=1)


def test_script_file_and_constructor_checks(tmp_path: Path) -> None:
    script = tmp_path / "s.sh"
    script.write_text("echo {inputs.a}\n")
    t = ShellTask(name="from_file", script_file=str(script), inputs=kwtypes(a=int))
    t(a=1)
    assert t.result is not None and t.result.output == "1"
    assert t.script_file == str(script)
    with pytest.raises(ValueError, match="Only either"):
        ShellTask(name="x", script="a", script_file=str(script))
    with pytest.raises(ValueError, match="Either a script"):
        ShellTask(name="x")
    with pytest.raises(ValueError, match="FileNotFound"):
        ShellTask(name="x", script_file=str(tmp_path / "missing.sh"))
    with pytest.raises(ValueError, match="FlyteFile/FlyteDirectory"):
        ShellTask(name="x", script="a", output_locs=[OutputLocation(var="o", var_type=int, location="p")])
    with pytest.raises(ValueError, match="TaskConfig"):
        ShellTask(name="x", script="a", task_config=object())


def test_interface_and_task_type() -> None:
    t = ShellTask(
        name="iface",
        script="true",
        inputs=kwtypes(a=int),
        output_locs=[OutputLocation(var="o", var_type=FlyteFile, location="/tmp/x")],
    )
    assert t.task_type == "python-task"
    assert list(t.interface.inputs) == ["a"]
    assert t.interface.outputs["o"].type.blob is not None


def test_raw_shell_task_exports_env(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_text('echo "$GREETING $1" > out.txt\n')
    raw = get_raw_shell_task("raw")
    assert isinstance(raw, RawShellTask)
    out = raw(env={"GREETING": "hi"}, script_args="there", script_file=str(script))
    assert (Path(out) / "out.txt").read_text() == "hi there\n"
    bad = tmp_path / "bad.sh"
    bad.write_text("exit 4\n")
    with pytest.raises(FlyteRecoverableException, match="return code 4"):
        raw(env={}, script_args="", script_file=str(bad))


def test_subproc_execute() -> None:
    assert subproc_execute(["echo", "hi"]).output == "hi\n"
    with pytest.raises(RuntimeError, match="return code 2"):
        subproc_execute("echo err >&2; exit 2", shell=True)
    with pytest.raises(RuntimeError, match="could not be found"):
        subproc_execute(["definitely-not-a-binary-flytelite"])


def test_debug_prints_the_script_between_rules_as_flytekit(capsys: pytest.CaptureFixture[str]) -> None:
    # flytekit prints the rule, the script and the rule again with three print() calls (blank lines included);
    # flytesnacks' shell_task example shows this output, so the exact lines are part of the behaviour.
    t = ShellTask(name="dbg", debug=True, script="true", inputs=kwtypes(x=int))
    t(x=1)
    rule = "=============================================="
    assert capsys.readouterr().out.startswith(f"\n{rule}\n\ntrue\n\n{rule}\n\n")
