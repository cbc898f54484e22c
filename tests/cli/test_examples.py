"""Every example in `examples/` runs through `flytelite run` as its docstring says (and `graph` draws it)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import EXAMPLES

Invoke = Callable[..., Result]

# examples that are scripts, not entity modules (run by tests/test_examples.py)
SCRIPTS = {"hello.py"}


def _commands(path: Path) -> list[list[str]]:
    """Return the `flytelite ...` commands listed in an example's docstring."""
    text = path.read_text(encoding="utf-8")
    doc = text.split('"""')[1] if text.startswith('"""') else ""
    return [shlex.split(m)[1:] for m in re.findall(r"^\s*(flytelite (?:run|graph) .+)$", doc, re.M)]


EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.py") if p.name not in SCRIPTS)


def test_every_example_documents_how_to_run_it() -> None:
    assert EXAMPLE_FILES
    for path in EXAMPLE_FILES:
        assert any(cmd[0] == "run" for cmd in _commands(path)), f"{path.name} lists no `flytelite run` command"


@pytest.mark.parametrize(
    "command",
    [pytest.param(cmd, id=f"{p.name}:{' '.join(cmd[2:4])}") for p in EXAMPLE_FILES for cmd in _commands(p)],
)
def test_example_command_succeeds(invoke: Invoke, command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_pipeline_demo_output(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    result = invoke("run", "--json", "examples/pipeline.py", "pipeline", "--text", "hello brave new world")
    assert result.exit_code == 0, result.output
    assert '"best": "hello"' in result.stdout and '"keyword": "brave"' in result.stdout


def test_plugin_guide_code_runs_as_written() -> None:
    import subprocess
    import sys

    doc = (EXAMPLES.parent / "docs" / "writing-an-instance-task-plugin.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert blocks
    proc = subprocess.run(
        [sys.executable, "-c", "\n\n".join(blocks)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
