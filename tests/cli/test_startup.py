"""What `flytelite run` pays at start-up and exit: the modules it loads and how it treats the garbage collector."""

from __future__ import annotations

import gc
import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from flytelite.cli._values import json_text
from tests.cli.conftest import ENTITIES

Invoke = Callable[..., Result]

_WORKFLOW = """
from flytelite import task, workflow


@task
def inc(a: int) -> int:
    return a + 1


@workflow
def wf(a: int) -> int:
    return inc(a=a)
"""

# The probe runs the group as the `flytelite` program does (`main()`); the exit hook it registers first runs last,
# after the program's own, and prints whether the heap was frozen and which modules were loaded.
_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("PROBE", gc.get_freeze_count() > 0, " ".join(sorted(sys.modules)), file=sys.stderr))
from flytelite.cli.main import main
sys.argv = ["flytelite", *sys.argv[1:]]
main()
"""


def _probe(tmp_path: Path, *args: str) -> tuple[str, bool, set[str]]:
    (tmp_path / "startup_wf.py").write_text(_WORKFLOW)
    cmd = [sys.executable, "-c", _PROBE, *args]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path, check=True)
    line = next(x for x in run.stderr.splitlines() if x.startswith("PROBE "))
    _, frozen, modules = line.split(" ", 2)
    return run.stdout, frozen == "True", set(modules.split())


def test_a_run_with_scalar_inputs_and_outputs_loads_no_json_and_freezes_the_heap_at_exit(tmp_path: Path) -> None:
    stdout, frozen, modules = _probe(tmp_path, "run", "startup_wf.py", "wf", "--a", "1")
    assert stdout == "o0: 2\n"
    assert frozen
    assert "json" not in modules and "flytelite.exec.executors" not in modules


def test_json_output_still_loads_json(tmp_path: Path) -> None:
    stdout, _, modules = _probe(tmp_path, "run", "--json", "startup_wf.py", "wf", "--a", "1")
    assert json.loads(stdout) == {"o0": 2}
    assert "json" in modules


def test_in_process_invocation_leaves_the_collector_as_it_was(invoke: Invoke) -> None:
    frozen_before = gc.get_freeze_count()
    result = invoke("run", "--json", ENTITIES, "chain", "--a", "1")
    assert result.exit_code == 0, result.output
    assert gc.isenabled() and gc.get_freeze_count() == frozen_before


def test_importing_the_command_leaves_the_collector_as_it_was() -> None:
    code = (
        "import gc, sys\nwas = sys.argv[1] == 'on'\nif not was:\n    gc.disable()\n"
        "import flytelite.cli.main\nprint(gc.isenabled() == was)\n"
    )
    for state in ("on", "off"):
        out = subprocess.run([sys.executable, "-c", code, state], check=True, capture_output=True, text=True)
        assert out.stdout.split() == ["True"], state


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, -5, 10**30, 1.5, 0.1, -0.0, 1e300, math.nan, math.inf, -math.inf, "x", [1, 2.5], {"a": 1}],
)
def test_json_text_writes_what_json_dumps_writes(value: object) -> None:
    for indent in (None, 2):
        assert json_text(value, indent) == json.dumps(value, indent=indent, default=str)
