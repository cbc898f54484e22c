"""`@eager`, failure handlers receiving `FlyteError`, sensors, `Echo`, and checkpoints kept across local retries."""

from __future__ import annotations

import asyncio
import datetime
import threading
import time
import typing
from pathlib import Path

import pytest

import flytelite.exec  # noqa: F401  (registers the graph runner)
from flytelite.core.context_manager import current_context
from flytelite.core.eager import EagerAsyncPythonFunctionTask, eager
from flytelite.core.task import Echo, task
from flytelite.core.workflow import workflow
from flytelite.errors import FlyteRecoverableException, FlyteTimeout, FlyteValidationException
from flytelite.exceptions.eager import EagerException
from flytelite.sensor.file_sensor import FileSensor
from flytelite.types.error import FlyteError

_barrier = threading.Barrier(2, timeout=5)


@task
def add_one(x: int) -> int:
    return x + 1


@task
def meet(x: int) -> int:
    _barrier.wait()  # both calls must be running at the same time, or this times out
    return x


@task
def fail(x: int) -> int:
    if x > 0:
        raise ValueError(f"bad {x}")
    return x


@eager
async def pipeline(x: int) -> int:
    a = await add_one(x=x)
    b, c = await asyncio.gather(meet(x=a), meet(x=a + 1))
    return a + b + c


@eager
async def outer(x: int) -> int:
    return await pipeline(x=x) * 10  # type: ignore[no-any-return]


@eager
async def catches(x: int) -> str:
    try:
        await fail(x=x)
    except EagerException as e:
        return f"{type(e.__cause__).__name__}: {e.__cause__}"
    return "ok"


def test_eager_runs_awaited_calls_and_gathers_concurrently() -> None:
    assert isinstance(pipeline, EagerAsyncPythonFunctionTask)
    assert pipeline.metadata.is_eager
    assert asyncio.run(pipeline(x=1)) == 2 + 2 + 3
    assert asyncio.run(outer(x=1)) == 70


def test_eager_call_failure_is_an_eager_exception() -> None:
    assert asyncio.run(catches(x=1)).startswith("ValueError: bad 1")
    assert asyncio.run(catches(x=0)) == "ok"


def test_eager_rejects_an_unawaited_call_and_a_sync_function() -> None:
    @eager
    async def forgets(x: int) -> int:
        return await add_one(x=add_one(x=x))  # type: ignore[no-any-return]

    with pytest.raises(FlyteValidationException, match="un-awaited call"):
        asyncio.run(forgets(x=1))
    with pytest.raises(FlyteValidationException, match="async def"):
        eager(lambda x: x)


@eager
async def as_node(x: int) -> int:
    return await add_one(x=x)  # type: ignore[no-any-return]


@workflow
def wf_with_eager(x: int) -> int:
    return as_node(x=x)  # type: ignore[no-any-return]


def test_eager_task_runs_as_a_workflow_node() -> None:
    assert wf_with_eager(x=4) == 5


seen: list[tuple[str, FlyteError | None]] = []


@task
def clean_up(name: str, err: FlyteError | None = None) -> None:
    seen.append((name, err))


@task
def explode(name: str) -> int:
    if name:
        raise ValueError(f"kaput {name}")
    return 0


@workflow(on_failure=clean_up)
def failing(name: str) -> int:
    return explode(name=name)  # type: ignore[no-any-return]


def test_failure_handler_receives_the_error() -> None:
    seen.clear()
    with pytest.raises(ValueError, match="kaput x"):
        failing(name="x")
    assert len(seen) == 1
    name, err = seen[0]
    assert name == "x"
    assert isinstance(err, FlyteError)
    assert err.failed_node_id == "n0"
    assert "kaput x" in err.message


def test_file_sensor_waits_for_the_path(tmp_path: Path) -> None:
    target = tmp_path / "ready.txt"
    sensor = FileSensor(name="surface_wait", timeout=datetime.timedelta(seconds=10))
    sensor.poll_interval = 0.05  # type: ignore[misc]  # faster polling for the test
    timer = threading.Timer(0.2, target.write_text, args=("x",))
    timer.start()
    start = time.monotonic()
    sensor(path=str(target))
    assert target.exists()
    assert time.monotonic() - start >= 0.15
    assert sensor.task_type == "sensor"
    assert sensor.get_custom(None)["sensor_name"] == "FileSensor"


def test_file_sensor_times_out(tmp_path: Path) -> None:
    sensor = FileSensor(name="surface_wait_short", timeout=1)
    sensor.poll_interval = 0.05  # type: ignore[misc]  # faster polling for the test
    with pytest.raises(FlyteTimeout, match="surface_wait_short"):
        sensor(path=str(tmp_path / "never"))


def test_echo_returns_its_inputs() -> None:
    echo = Echo(name="surface.echo", inputs={"a": int, "b": str})
    assert echo.task_type == "echo"
    assert list(echo.python_interface.outputs) == ["o0", "o1"]
    assert tuple(echo(a=1, b="x")) == (1, "x")
    assert Echo(name="surface.echo1", inputs={"a": float})(a=1.5) == 1.5


attempts: list[tuple[bool, int]] = []


@task(retries=3)
def resumable(n: int) -> int:
    cp = current_context().checkpoint
    prev = cp.read()
    done = int(prev.decode()) if prev else 0
    attempts.append((cp.prev_exists(), done))
    cp.write(str(done + 1).encode())
    if done < 2:
        raise FlyteRecoverableException(f"attempt {done}")
    return done + n


@workflow
def resumable_wf(n: int) -> int:
    return resumable(n=n)  # type: ignore[no-any-return]


@pytest.mark.parametrize("run", [resumable, resumable_wf])
def test_checkpoints_are_kept_across_local_retries(run: typing.Any) -> None:
    attempts.clear()
    assert run(n=10) == 12
    assert attempts == [(False, 0), (True, 1), (True, 2)]


def test_checkpointer_path_reexports_sync_checkpoint(tmp_path: Path) -> None:
    from flytelite.core.checkpointer import Checkpoint, SyncCheckpoint

    first = SyncCheckpoint(checkpoint_dest=str(tmp_path / "a"))
    assert isinstance(first, Checkpoint)
    assert first.read() is None and not first.prev_exists()
    first.write(b"state")
    second = SyncCheckpoint(checkpoint_dest=str(tmp_path / "b"), checkpoint_src=str(tmp_path / "a"))
    assert second.prev_exists()
    assert second.read() == b"state"
    restored = second.restore()
    assert restored is not None and [p.read_bytes() for p in restored.iterdir()] == [b"state"]
