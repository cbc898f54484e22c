"""Lay out the two sibling apps (flytelite's `fl_app` and its flytekit copy `fk_app`) in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent / "srcs" / "fl_app"
BIN = Path(sys.executable).parent
_RENAMES = [
    ("flytelite.core.dynamic", "flytekit.core.dynamic_workflow_task"),
    ("flytelite", "flytekit"),
    ("fl_app", "fk_app"),
]


def make_apps(folder: Path) -> Path:
    """Copy `fl_app` into `folder` and write `fk_app` beside it; return `folder`."""
    shutil.copytree(SRC, folder / "fl_app", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "fk_app").mkdir()
    for f in SRC.glob("*.py"):
        text = f.read_text()
        for old, new in _RENAMES:
            text = text.replace(old, new)
        (folder / "fk_app" / f.name).write_text(text)
    return folder


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a console script of this venv in `cwd` and fail with its output when it fails."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [str(BIN / cmd[0]), *cmd[1:]], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300
    )
    return proc
