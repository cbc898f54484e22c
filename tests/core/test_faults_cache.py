"""Faults the local task cache must outlive: empty, truncated, corrupted and foreign entries, and killed writers."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from flytelite.core.local_cache import LocalTaskCache
from flytelite.core.task import task

runs: list[int] = []


@task(cache=True, cache_version="1")
def cached_square(x: int) -> int:
    runs.append(x)
    return x * x


@task(cache=True, cache_version="1")
def cached_nothing(x: int) -> None:
    runs.append(x)


@pytest.fixture(autouse=True)
def _setup(private_local_cache: Path) -> None:
    runs.clear()


def _only_entry(folder: Path) -> Path:
    (entry,) = folder.glob("*.pb")
    return entry


def _truncate(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[: len(data) - 3])


def _flip_last_byte(p: Path) -> None:
    data = bytearray(p.read_bytes())
    data[-1] ^= 0xFF
    p.write_bytes(bytes(data))


def _garbage(p: Path) -> None:
    p.write_bytes(b"\xff\xff\xff not a cache entry")


def _half_header(p: Path) -> None:
    p.write_bytes(p.read_bytes()[:30])


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: p.write_bytes(b""), "is empty"),
        (_truncate, "checksum mismatch"),
        (_half_header, "truncated"),
        (_flip_last_byte, "checksum mismatch"),
        (_garbage, "is not a flytelite cache entry"),
    ],
    ids=["empty", "truncated", "half-header", "corrupted", "garbage"],
)
def test_a_bad_entry_is_recomputed_with_a_warning_naming_it(
    private_local_cache: Path, caplog: pytest.LogCaptureFixture, damage: Callable[[Path], None], reason: str
) -> None:
    assert cached_square(x=3) == 9
    entry = _only_entry(private_local_cache)
    damage(entry)
    with caplog.at_level(logging.WARNING, logger="flytelite"):
        assert cached_square(x=3) == 9
    assert runs == [3, 3]
    message = caplog.text
    assert str(entry) in message and f"task '{cached_square.name}'" in message
    assert reason in message and "running the task again" in message
    assert cached_square(x=3) == 9  # the recomputed result was stored again
    assert runs == [3, 3]


def test_an_empty_entry_of_a_task_without_outputs_is_not_a_hit(private_local_cache: Path) -> None:
    cached_nothing(x=1)
    _only_entry(private_local_cache).write_bytes(b"")
    cached_nothing(x=1)
    assert runs == [1, 1]


def test_an_unreadable_entry_is_a_miss(private_local_cache: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert cached_square(x=4) == 16
    entry = _only_entry(private_local_cache)
    entry.unlink()
    entry.mkdir()  # reading it fails with IsADirectoryError
    with caplog.at_level(logging.WARNING, logger="flytelite"):
        assert cached_square(x=4) == 16
    assert "cannot be read" in caplog.text and str(entry) in caplog.text


_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from flyteidl.core.literals_pb2 import Literal, LiteralMap, Primitive, Scalar
    import flytelite.core.local_cache as lc

    real_fdopen = os.fdopen

    class Dying:
        def __init__(self, f):
            self.f = f
        def __enter__(self):
            return self
        def __exit__(self, *a):
            return False
        def write(self, data):
            self.f.write(data[: len(data) // 2])
            self.f.flush()
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 in the middle of writing the entry

    lc.os.fdopen = lambda fd, mode: Dying(real_fdopen(fd, mode))
    lm = LiteralMap(literals={"o0": Literal(scalar=Scalar(primitive=Primitive(integer=99)))})
    inputs = LiteralMap(literals={"x": Literal(scalar=Scalar(primitive=Primitive(integer=int(sys.argv[1]))))})
    lc.LocalTaskCache.set(sys.argv[2], "1", inputs, (), lm)
    """
)


def test_a_writer_killed_mid_write_leaves_no_entry(private_local_cache: Path) -> None:
    env = {**os.environ, "FLYTELITE_LOCAL_CACHE_DIR": str(private_local_cache)}
    proc = subprocess.run(
        [sys.executable, "-c", _WRITER, "5", cached_square.name], env=env, capture_output=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert not list(private_local_cache.glob("*.pb"))  # only a temp file is left behind
    assert cached_square(x=5) == 25
    assert runs == [5]
    assert LocalTaskCache.clear() == 1
    assert not list(private_local_cache.iterdir())  # clear also removes the dead writer's temp file
