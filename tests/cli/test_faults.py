"""Faults the `flytelite` command must report in one clear line: bad values, broken packages, unreachable engines.

And `--json` keeps standard output to the JSON document even when the user's code prints, at import or while it
runs, from Python or from a subprocess.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import ENTITIES

Invoke = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[2]
FLYTELITE = Path(sys.executable).parent / "flytelite"


# --- values no type can carry are usage errors -----------------------------------------------------
@pytest.mark.parametrize(
    ("entity", "args", "message"),
    [
        ("echo_int", ["--a", "99999999999999999999999"], "'--a': 99999999999999999999999 is not a valid int"),
        ("echo_int", ["--a", "-9223372036854775809"], "does not fit in 64 bits"),
        ("maybe", ["--a", "99999999999999999999"], "'--a': 99999999999999999999 is not a valid Optional[int]"),
        ("inc", ["--a", "9223372036854775808"], "Invalid value for '--a'"),
        ("chain", ["--a", "99999999999999999999999"], "Invalid value for '--a'"),  # a workflow's input
        ("multi", ["--a", "18446744073709551616"], "does not fit in 64 bits"),
    ],
)
def test_an_int_beyond_64_bits_is_a_usage_error(invoke: Invoke, entity: str, args: list[str], message: str) -> None:
    result = invoke("run", ENTITIES, entity, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and "the run failed" not in result.output


def test_the_largest_int64_still_runs(invoke: Invoke) -> None:
    result = invoke("run", "--json", ENTITIES, "echo_int", "--a", "9223372036854775807")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"o0": 9223372036854775807}


# --- packages that fail to import ------------------------------------------------------------------
def _package(tmp_path: Path, files: dict[str, str]) -> str:
    name = f"broken_{uuid.uuid4().hex[:8]}"
    for rel, text in files.items():
        path = tmp_path / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return name


@pytest.mark.parametrize("verb", ["package", "serialize"])
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"__init__.py": "raise RuntimeError('boom at import')\n"}, "__init__.py:1: RuntimeError: boom at import"),
        (
            {"__init__.py": "", "wf.py": "x = 1\nimport no_such_module_zz\n"},
            "wf.py:2: ModuleNotFoundError: No module named 'no_such_module_zz'",
        ),
        ({"__init__.py": "", "sub/__init__.py": "1 / 0\n"}, "__init__.py:1: ZeroDivisionError: division by zero"),
    ],
    ids=["raises", "missing-dependency", "subpackage"],
)
def test_a_package_that_fails_to_import_is_one_clear_line(
    invoke: Invoke, tmp_path: Path, verb: str, files: dict[str, str], expected: str
) -> None:
    pkg = _package(tmp_path, files)
    if verb == "package":
        args = ["--pkgs", pkg, "package", "-s", str(tmp_path), "-o", str(tmp_path / "out.tgz"), "-i", "img:1"]
    else:
        args = ["--pkgs", pkg, "serialize", "--local-source-root", str(tmp_path), "-i", "img:1", "workflows"]
        args += ["-f", str(tmp_path / "out")]
    result = invoke(*args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.strip()]
    assert line.startswith(f"Error: importing package '{pkg}' failed at {pkg}")
    assert line.endswith(expected)
    assert not (tmp_path / "out.tgz").exists()


def test_a_package_that_does_not_exist_is_one_clear_line(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("--pkgs", "no_such_pkg_zz", "package", "-s", str(tmp_path), "-o", str(tmp_path / "x.tgz"))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: cannot import package 'no_such_pkg_zz' from {tmp_path}: "
        "ModuleNotFoundError: No module named 'no_such_pkg_zz'"
    )


def test_verbose_adds_the_users_traceback(invoke: Invoke, tmp_path: Path) -> None:
    pkg = _package(tmp_path, {"__init__.py": "def f():\n    raise KeyError('k')\nf()\n"})
    result = invoke("-v", "--pkgs", pkg, "package", "-s", str(tmp_path), "-o", str(tmp_path / "x.tgz"))
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.output and "in f" in result.output
    assert "flytelite/" not in result.output.replace(str(tmp_path), "")  # none of our frames


# --- an engine that cannot be reached --------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_dask_scheduler_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    env = {**os.environ, "FLYTELITE_DASK_TIMEOUT": "5"}
    cmd = [str(FLYTELITE), "run", "--engine", f"dask={address}", ENTITIES, "echo_int", "--a", "1"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and address in errors[0] and "dask engine cannot start" in errors[0]
    assert proc.stdout == ""


# --- --json keeps stdout pure ----------------------------------------------------------------------
_NOISY = """
import subprocess
import sys

from flytelite import task, workflow

print("printed at import")


@task
def noisy(a: int) -> int:
    print("printed by the task")
    sys.stdout.write("written to sys.stdout\\n")
    subprocess.run(["echo", "echoed by a subprocess"], check=True)
    return a + 1


@workflow
def noisy_wf(a: int) -> int:
    return noisy(a=noisy(a=a))
"""


@pytest.mark.parametrize("engine", ["serial", "processes"])
def test_json_stdout_holds_only_the_json_when_user_code_prints(tmp_path: Path, engine: str) -> None:
    module = tmp_path / f"noisy_{uuid.uuid4().hex[:8]}.py"
    module.write_text(_NOISY, encoding="utf-8")
    cmd = [str(FLYTELITE), "run", "--json", "--engine", engine, str(module), "noisy_wf", "--a", "1"]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"o0": 3}
    for text in ("printed at import", "printed by the task", "written to sys.stdout", "echoed by a subprocess"):
        assert text in proc.stderr


def test_json_stdout_is_pure_in_process_too(invoke: Invoke, tmp_path: Path) -> None:
    module = tmp_path / f"noisy_{uuid.uuid4().hex[:8]}.py"
    module.write_text(_NOISY.replace('subprocess.run(["echo", "echoed by a subprocess"], check=True)', ""))
    result = invoke("run", "--json", str(module), "noisy_wf", "--a", "1")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"o0": 3}
    assert "printed at import" in result.stderr and "printed by the task" in result.stderr
