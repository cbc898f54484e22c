"""Tasks the object-store entrypoint tests run in subprocesses (`tests.storage.files_tasks`)."""

from __future__ import annotations

import os
from pathlib import Path

from flytelite.core.context_manager import current_context
from flytelite.core.task import task
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile


@task
def shout(f: FlyteFile) -> FlyteFile:
    """Return an upper-cased copy of the input file."""
    out = Path(current_context().working_directory) / "shout.txt"
    with open(f) as fh:
        out.write_text(fh.read().upper())
    return FlyteFile(str(out))


@task
def split_lines(f: FlyteFile) -> FlyteDirectory:
    """Write each line of the input file to its own file in a folder."""
    folder = Path(current_context().working_directory) / "lines"
    folder.mkdir()
    for i, line in enumerate(Path(f.download()).read_text().splitlines()):
        (folder / f"{i:03d}.txt").write_text(line)
    return FlyteDirectory(str(folder))


@task
def count(d: FlyteDirectory) -> int:
    """Count the files in a folder."""
    return len(os.listdir(d))
