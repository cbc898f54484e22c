"""`flytelite-execute` against an object store that goes away, or a pod killed while it uploads its results.

The pod talks to a private moto server on 127.0.0.1 that the test stops; the test reads the bucket through the
session's server (moto keeps one in-memory store per process, so both servers see the same buckets). When the store
is gone nothing can be written, not even `error.pb`: the entrypoint then prints one clear SYSTEM line and exits 1,
so Flyte sees the pod fail, and leaves no partial results behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flyteidl.core.literals_pb2 import LiteralMap

from flytelite.storage import FileAccessProvider
from tests.entrypoint.conftest import BIN, DEFAULT_RESOLVER, ROOT, int_lit

pytest.importorskip("moto")
pytest.importorskip("s3fs")


class DoomedStore:
    """A private S3 server over the test bucket, which the test can stop."""

    def __init__(self, bucket, tmp: Path) -> None:  # type: ignore[no-untyped-def]
        from moto.server import ThreadedMotoServer

        self.bucket = bucket
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.fa = FileAccessProvider(tmp / "client", bucket.url("client"))  # through the session server
        self.inputs = bucket.url("meta", "inputs.pb")
        self.out = bucket.url("meta", "out")
        self.stopped = False

    def stop(self) -> None:
        self.server.stop()
        self.stopped = True

    def env(self, **extra: str) -> dict[str, str]:
        # one attempt per request: the store is down for good, so botocore's retries would only slow the test
        return {
            **os.environ,
            **self.bucket.env(),
            "FLYTE_AWS_ENDPOINT": self.endpoint,
            "AWS_MAX_ATTEMPTS": "1",
            **extra,
        }

    def cmd(
        self, task_name: str, module: str = "tests.entrypoint.ep_tasks", prefix: list[str] | None = None
    ) -> list[str]:
        return [
            *(prefix or [str(BIN / "flytelite-execute")]), "--inputs", self.inputs, "--output-prefix", self.out,
            "--raw-output-data-prefix", self.bucket.url("raw"), "--resolver", DEFAULT_RESOLVER, "--",
            "task-module", module, "task-name", task_name,
        ]  # fmt: skip

    def written(self) -> list[str]:
        fs = self.fa.get_filesystem_for_path(self.out)
        return sorted(p.rsplit("/", 1)[1] for p in fs.find(self.out))


@pytest.fixture
def store(s3, tmp_path: Path) -> Iterator[DoomedStore]:  # type: ignore[no-untyped-def]
    st = DoomedStore(s3, tmp_path)
    try:
        yield st
    finally:
        if not st.stopped:
            st.stop()


def _one_clear_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_store_down_from_the_start_fails_the_pod_with_one_system_line(store: DoomedStore) -> None:
    store.fa.write_bytes(store.inputs, LiteralMap(literals={"a": int_lit(1)}).SerializeToString())
    store.stop()
    proc = subprocess.run(store.cmd("inc"), cwd=ROOT, env=store.env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    line = _one_clear_line(proc.stderr)
    assert line.startswith(f"flytelite-execute: SYSTEM error: could not write the results to '{store.out}'")
    assert "could not read the task inputs" in line and "EndpointConnectionError" in line
    assert store.written() == []


def test_a_store_lost_while_the_task_runs_leaves_no_partial_outputs(store: DoomedStore, tmp_path: Path) -> None:
    signals = tmp_path / "signals"
    signals.mkdir()
    lm = LiteralMap(literals={"a": int_lit(1)})
    lm.literals["signal_dir"].scalar.primitive.string_value = str(signals)
    store.fa.write_bytes(store.inputs, lm.SerializeToString())
    env = store.env(_F_L_MIN_SIZE_MB="0")  # two files to upload: the offloaded literal and outputs.pb
    with subprocess.Popen(
        store.cmd("wait_for_go", "tests.entrypoint.fault_tasks"), cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    ) as proc:
        deadline = time.monotonic() + 60
        while not (signals / "started").exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert (signals / "started").exists(), "the task did not start"
        store.stop()
        (signals / "go").touch()
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    line = _one_clear_line(stderr)
    assert "SYSTEM error: could not write the results" in line and "the task's outputs.pb was lost" in line
    assert store.written() == []


# kill -9 while the results go up: the offloaded literal's upload is slow and the pod dies during it.
_KILLED_WHILE_UPLOADING = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    import s3fs
    import flytelite.bin.entrypoint as ep

    real_put_file = s3fs.S3FileSystem._put_file

    async def slow_then_killed(self, lpath, rpath, *args, **kwargs):
        if rpath.endswith("o0_offloaded_metadata.pb"):
            await asyncio.sleep(2)
            os.kill(os.getpid(), signal.SIGKILL)
        return await real_put_file(self, lpath, rpath, *args, **kwargs)

    s3fs.S3FileSystem._put_file = slow_then_killed
    ep.execute_task_cmd(sys.argv[1:])
    """
)


def test_a_pod_killed_while_uploading_never_leaves_an_outputs_file_without_its_literals(store: DoomedStore) -> None:
    store.fa.write_bytes(store.inputs, LiteralMap(literals={"a": int_lit(1)}).SerializeToString())
    cmd = store.cmd("inc", prefix=[sys.executable, "-c", _KILLED_WHILE_UPLOADING])
    env = store.env(_F_L_MIN_SIZE_MB="0")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "outputs.pb" not in store.written()
