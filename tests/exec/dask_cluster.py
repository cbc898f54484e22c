"""A real Dask cluster for tests: `dask scheduler` and `dask worker` processes on 127.0.0.1 (the CLI, as subprocesses).

Every process runs in its own empty working directory, without `PYTHONPATH`, so the workers share nothing with the
test process but the S3 server (moto, `tests/conftest.py`) and the installed packages. `start_cluster` returns a
`Cluster` whose `stop()` kills every process it started; the fixtures call it at teardown.

`dask_cluster` (module scope; import `dask_cluster_fixture` to use it): a scheduler and two workers, `w0` with
`--resources "CPU=2 memory=2e9 GPU=1"` and `w1` with `--resources "CPU=2 memory=2e9"`, whose storage variables
point at the test S3 server.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
S3_CREDENTIALS = {
    "FLYTE_AWS_ACCESS_KEY_ID": "testing",
    "FLYTE_AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}
# Run a dask CLI command in an interpreter where `import flytelite` fails (a scheduler or worker without flytelite).
_WITHOUT_FLYTELITE = (
    "import sys; sys.modules['flytelite'] = None; from {module} import main; sys.argv[0] = 'dask'; main()"
)


@dataclasses.dataclass
class Cluster:
    """Processes of one test cluster; `address` is the scheduler's."""

    address: str
    folder: Path
    env: dict[str, str]
    procs: list[subprocess.Popen[bytes]] = dataclasses.field(default_factory=list)

    def add_worker(
        self, name: str, resources: str = "", *, without_flytelite: bool = False, nthreads: int = 2
    ) -> subprocess.Popen[bytes]:
        """Start one worker (`dask worker`) in its own folder."""
        args = ["--name", name, "--nthreads", str(nthreads), "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"]
        args += ["--local-directory", str(self.folder / name / "local")]
        if resources:
            args += ["--resources", resources]
        proc = _start(self.folder / name, "worker", [self.address, *args], self.env, without_flytelite)
        self.procs.append(proc)
        return proc

    def wait_for_workers(self, n: int, timeout: float = 60) -> None:
        """Wait until `n` workers are connected."""
        import distributed

        with distributed.Client(self.address, timeout=timeout) as client:
            client.wait_for_workers(n, timeout=timeout)

    def stop(self) -> None:
        """Kill every process of the cluster."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            proc.wait(timeout=10)


def _start(
    folder: Path, command: str, args: Sequence[str], env: dict[str, str], without_flytelite: bool = False
) -> subprocess.Popen[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    log = open(folder / f"{command}.log", "wb")  # noqa: SIM115  # the process owns it until it exits
    if without_flytelite:
        module = f"distributed.cli.dask_{command}"
        cmd = [sys.executable, "-c", _WITHOUT_FLYTELITE.format(module=module), *args]
    else:
        cmd = [str(BIN / "dask"), command, *args]
    return subprocess.Popen(cmd, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)


def worker_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Return this process's environment without `PYTHONPATH`, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("FLYTE")}
    env.update(extra or {})
    return env


def start_cluster(
    folder: Path, env: dict[str, str], *, without_flytelite: bool = False, timeout: float = 30
) -> Cluster:
    """Start a scheduler (no workers) on 127.0.0.1 and return the cluster once it listens."""
    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    args = ["--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)]
    proc = _start(folder / "scheduler", "scheduler", args, env, without_flytelite)
    cluster = Cluster(address="", folder=folder, env=env, procs=[proc])
    deadline = time.monotonic() + timeout
    while not scheduler_file.is_file() or not scheduler_file.read_text().strip():
        if proc.poll() is not None or time.monotonic() > deadline:
            cluster.stop()
            log = (folder / "scheduler" / "scheduler.log").read_text(errors="replace")
            raise RuntimeError(f"the test scheduler did not start:\n{log}")
        time.sleep(0.05)
    time.sleep(0.05)  # the file is written in one go, but give the writer time to close it
    cluster.address = json.loads(scheduler_file.read_text())["address"]
    return cluster


@pytest.fixture(scope="module", name="dask_cluster")
def dask_cluster_fixture(s3_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:  # type: ignore[no-untyped-def]
    """A scheduler and two workers (`w0` has a GPU resource) sharing only the test S3 server."""
    env = worker_env({"FLYTE_AWS_ENDPOINT": s3_server.endpoint, **S3_CREDENTIALS})
    cluster = start_cluster(tmp_path_factory.mktemp("dask-cluster"), env)
    try:
        cluster.add_worker("w0", "CPU=2 memory=2e9 GPU=1")
        cluster.add_worker("w1", "CPU=2 memory=2e9")
        cluster.wait_for_workers(2)
        yield cluster
    finally:
        cluster.stop()
