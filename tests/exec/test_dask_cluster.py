"""The Dask engine on a real cluster: a `dask scheduler` and two `dask worker` processes in their own folders on
127.0.0.1, sharing only the test S3 server. The user's code lives in a temporary folder only this process sees."""

from __future__ import annotations

import importlib
import socket
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("distributed")

from flytelite.core.python_auto_container import default_task_resolver
from flytelite.exec import run_task, use_executor
from flytelite.exec.dask_executor import (
    DaskCodeError,
    DaskEngineError,
    DaskExecutor,
    DaskResourceError,
)
from tests.exec.dask_cluster import S3_CREDENTIALS, Cluster, dask_cluster_fixture, start_cluster, worker_env  # noqa: F401

USER_CODE = '''
import os
import tempfile
import time
from pathlib import Path

import distributed

from flytelite import Resources, task, workflow
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile


class MyError(Exception):
    """An exception type only the user's module defines."""


def worker_name() -> str:
    return str(distributed.get_worker().name)


@task
def where() -> str:
    return worker_name()


@task(requests=Resources(gpu="1"))
def on_gpu() -> str:
    return worker_name()


@task(requests=Resources(cpu="4"))
def too_many_cpus() -> int:
    return 1


@task(requests=Resources(mem="3Gi"))
def too_much_memory() -> int:
    return 1


@task(requests=Resources(gpu="1"))
def make_files(text: str) -> tuple[FlyteFile, FlyteDirectory]:
    folder = Path(tempfile.mkdtemp())
    (folder / "d").mkdir()
    (folder / "d" / "a.txt").write_text(text + "-a")
    (folder / "d" / "b.txt").write_text(text + "-b")
    (folder / "f.txt").write_text(text)
    return FlyteFile(str(folder / "f.txt")), FlyteDirectory(str(folder / "d"))


@task
def read_files(f: FlyteFile, d: FlyteDirectory) -> str:
    with open(f.download()) as fh:
        text = fh.read()
    local = Path(d.download())
    return text + ":" + ",".join(sorted(p.read_text() for p in local.iterdir()))


@workflow
def files_wf(text: str) -> tuple[str, FlyteFile, FlyteDirectory]:
    f, d = make_files(text=text)
    return read_files(f=f, d=d), f, d


@task
def boom(x: int) -> int:
    if x > 0:
        raise MyError(f"bad input {x}")
    return x


@workflow
def boom_wf(x: int) -> int:
    return boom(x=x)


@task
def bad_value(x: int) -> int:
    if x > 0:
        raise ValueError(f"no {x}")
    return x


@task
def sleepy(s: float) -> float:
    time.sleep(s)
    return s


@workflow
def gpu_wf() -> str:
    return on_gpu()
'''


def _write_module(folder: Path, name: str, code: str) -> ModuleType:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(code))
    sys.modules.pop(name, None)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def user_code(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("user-project")
    yield _write_module(folder, "dask_user_wf", USER_CODE)
    sys.modules.pop("dask_user_wf", None)
    sys.path.remove(str(folder))


@pytest.fixture(scope="module")
def executor(dask_cluster: Cluster) -> Iterator[DaskExecutor]:
    ex = DaskExecutor(dask_cluster.address, timeout=20)
    yield ex
    ex.shutdown()


def _run(ex: DaskExecutor, wf: Any, prefix: str | None, **inputs: Any) -> Any:
    """Run a workflow (called) or a task (as a one-node graph, as `flytelite run` does) on `ex`."""
    from flytelite.cli._execute import run_entity, run_settings
    from flytelite.core.workflow import WorkflowBase

    with run_settings(prefix), use_executor(ex):
        if isinstance(wf, WorkflowBase):
            return wf(**inputs)
        out = run_entity(wf, inputs, ex)
        return next(iter(out.values()), None)


def test_files_and_folders_made_on_a_worker_go_to_the_raw_output_prefix(executor, user_code, s3) -> None:  # type: ignore[no-untyped-def]
    text, f, d = _run(executor, user_code.files_wf, s3.url("raw"), text="hello")
    assert text == "hello:hello-a,hello-b"
    assert f.remote_source.startswith(s3.url("raw") + "/")
    assert d.remote_source.startswith(s3.url("raw") + "/")
    with open(f.download()) as fh:
        assert fh.read() == "hello"


def test_a_local_raw_output_prefix_is_refused_before_anything_runs(executor, user_code, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DaskEngineError, match=r"raw-output prefix .* folder on this machine.*s3://"):
        _run(executor, user_code.files_wf, str(tmp_path / "raw"), text="x")
    assert not (tmp_path / "raw").exists()


def test_the_users_exception_keeps_its_type_message_and_notes(executor, user_code, s3) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(user_code.MyError, match="bad input 3") as info:
        _run(executor, user_code.boom_wf, s3.url("raw"), x=3)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "Error encountered while executing 'dask_user_wf.boom'" in notes
    assert "raised on Dask worker" in notes
    assert "while running node 'n0'" in notes
    with pytest.raises(ValueError, match="no 5"):
        _run(executor, user_code.bad_value, s3.url("raw"), x=5)


def test_resources_map_to_worker_resources(executor, user_code, s3) -> None:  # type: ignore[no-untyped-def]
    assert {_run(executor, user_code.gpu_wf, s3.url("raw")) for _ in range(3)} == {"w0"}
    with pytest.raises(DaskResourceError, match=r"too_many_cpus' requests 4 CPU.*most any of the 2 workers has is 2"):
        _run(executor, user_code.too_many_cpus, s3.url("raw"))
    with pytest.raises(DaskResourceError, match=r"requests 3 GiB of memory"):
        _run(executor, user_code.too_much_memory, s3.url("raw"))


def test_workers_run_the_clients_version_of_the_code(dask_cluster: Cluster, tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    code = """
        from flytelite import task, workflow

        @task
        def version() -> int:
            return {v}

        @workflow
        def wf() -> int:
            return version()
    """
    folder = tmp_path / "proj"
    try:
        for v in (1, 2):
            module = _write_module(folder, "dask_versioned", code.format(v=v))
            ex = DaskExecutor(dask_cluster.address, timeout=20)
            try:
                assert {_run(ex, module.wf, s3.url("raw")) for _ in range(4)} == {v}
            finally:
                ex.shutdown()
    finally:
        sys.modules.pop("dask_versioned", None)
        sys.path.remove(str(folder))


def test_a_task_without_an_importable_module_is_named(executor, s3) -> None:  # type: ignore[no-untyped-def]
    args = ["task-module", "__main__", "task-name", "t"]
    with pytest.raises(DaskCodeError, match=r"'__main__'.*notebook.*move the task into a \.py module"):
        executor.submit(run_task, default_task_resolver.location, args, b"", raw_output_prefix=s3.url("raw"))


def test_a_module_the_workers_cannot_import_is_named(executor, tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    # a dependency installed here only (in a site-packages folder, which is not shipped)
    _write_module(tmp_path / "site-packages", "dask_only_here", "VALUE = 1\n")
    module = _write_module(
        tmp_path / "proj",
        "dask_needs_dep",
        """
        import dask_only_here
        from flytelite import task

        @task
        def t() -> int:
            return dask_only_here.VALUE
        """,
    )
    try:
        with pytest.raises(DaskCodeError, match=r"cannot import the code of task .*dask_needs_dep.*dask_only_here"):
            _run(executor, module.t, s3.url("raw"))
    finally:
        for name in ("dask_only_here", "dask_needs_dep"):
            sys.modules.pop(name, None)
        sys.path.remove(str(tmp_path / "site-packages"))
        sys.path.remove(str(tmp_path / "proj"))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_scheduler_fails_fast() -> None:
    start = time.monotonic()
    with pytest.raises(DaskEngineError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:\d+: .*refused"):
        DaskExecutor(f"tcp://127.0.0.1:{_closed_port()}")
    assert time.monotonic() - start < 3


def test_no_workers_fail_in_bounded_time_and_late_workers_get_the_code(
    tmp_path: Path, user_code, s3, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    cluster = start_cluster(tmp_path / "c", worker_env())
    try:
        monkeypatch.setenv("FLYTELITE_DASK_TIMEOUT", "1.5")
        ex = DaskExecutor(cluster.address)
        try:
            start = time.monotonic()
            with pytest.raises(DaskEngineError, match=r"has had no workers for 1\.5s.*FLYTELITE_DASK_TIMEOUT"):
                _run(ex, user_code.where, s3.url("raw"))
            assert time.monotonic() - start < 6
            # a worker that joins later (an adaptive cluster scaling up) gets the code and runs the task
            cluster.add_worker("late")
            cluster.wait_for_workers(1)
            assert _run(ex, user_code.where, s3.url("raw")) == "late"
        finally:
            ex.shutdown()
    finally:
        cluster.stop()


def test_a_lost_scheduler_fails_the_run(tmp_path: Path, user_code, s3) -> None:  # type: ignore[no-untyped-def]
    cluster = start_cluster(tmp_path / "c", worker_env({"FLYTE_AWS_ENDPOINT": s3.endpoint, **S3_CREDENTIALS}))
    try:
        cluster.add_worker("solo")
        cluster.wait_for_workers(1)
        ex = DaskExecutor(cluster.address, timeout=2)
        try:
            with use_executor(ex):
                from flytelite.cli._execute import run_settings

                with run_settings(s3.url("raw")):
                    fut = ex.submit(
                        run_task,
                        default_task_resolver.location,
                        ["task-module", "dask_user_wf", "task-name", "sleepy"],
                        _inputs(s=30.0),
                        raw_output_prefix=s3.url("raw"),
                    )
                    time.sleep(0.5)
                    cluster.procs[0].kill()
                    start = time.monotonic()
                    with pytest.raises(DaskEngineError, match="lost the connection to the Dask scheduler"):
                        fut.result(timeout=15)
                    assert time.monotonic() - start < 10
        finally:
            ex.shutdown()
    finally:
        cluster.stop()


def _inputs(**values: float) -> bytes:
    from flyteidl.core.literals_pb2 import Literal, LiteralMap, Primitive, Scalar

    lm = LiteralMap(literals={k: Literal(scalar=Scalar(primitive=Primitive(float_value=v))) for k, v in values.items()})
    return lm.SerializeToString()


def test_workers_without_flytelite_are_detected_at_connect(tmp_path: Path) -> None:
    cluster = start_cluster(tmp_path / "c", worker_env())
    try:
        cluster.add_worker("bare", without_flytelite=True)
        cluster.wait_for_workers(1)
        expected = r"Dask worker tcp://127\.0\.0\.1:\d+ cannot import flytelite.*install"
        with pytest.raises(DaskEngineError, match=expected):
            DaskExecutor(cluster.address, timeout=10)
    finally:
        cluster.stop()


def test_a_scheduler_without_flytelite_is_detected_at_connect(tmp_path: Path) -> None:
    cluster = start_cluster(tmp_path / "c", worker_env(), without_flytelite=True)
    try:
        with pytest.raises(DaskEngineError, match=r"the Dask scheduler at tcp://\S+ cannot import flytelite.*install"):
            DaskExecutor(cluster.address, timeout=10)
    finally:
        cluster.stop()


def test_the_cli_runs_on_the_cluster_and_names_problems(dask_cluster: Cluster, user_code, s3) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from flytelite.cli.main import main

    result = CliRunner().invoke(
        main, ["run", "--engine", f"dask={dask_cluster.address}", user_code.__file__, "where"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "raw-output prefix" in result.output and "folder on this machine" in result.output
    engine = ["--engine", f"dask={dask_cluster.address}", "--raw-output-prefix", s3.url("raw")]
    result = CliRunner().invoke(main, ["run", *engine, user_code.__file__, "files_wf", "--text", "cli"])
    assert result.exit_code == 0, result.output
    assert "o0: cli:cli-a,cli-b" in result.stdout
    unreachable = f"dask=tcp://127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(main, ["run", "--engine", unreachable, user_code.__file__, "where"])
    assert result.exit_code != 0 and "cannot reach the Dask scheduler" in result.output


def test_the_progress_view_links_the_dask_dashboard(executor: DaskExecutor) -> None:
    from rich.console import Console

    from flytelite.cli._progress import LiveProgress, RunState

    link = executor.dashboard_link
    assert link is not None and link.startswith("http://127.0.0.1:")  # the scheduler's HTTP server
    state = RunState("wf")
    state.dashboard = link
    console = Console(record=True, width=200)
    console.print(LiveProgress(state, console=console).render())
    assert f"Dask dashboard: {link}" in console.export_text()
