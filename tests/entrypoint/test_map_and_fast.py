"""`flytelite-map-execute` and `flytelite-fast-execute` end to end."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from tests.entrypoint.conftest import DEFAULT_RESOLVER, MAP_RESOLVER, Pod, int_lit, list_lit, task_args

MAP_ENV = {"BATCH_JOB_ARRAY_INDEX_VAR_NAME": "FLYTE_K8S_ARRAY_INDEX", "FLYTE_K8S_ARRAY_INDEX": "1"}


def _map_args(name: str, bound: str = "") -> list[str]:
    return ["vars", bound, "resolver", DEFAULT_RESOLVER, *task_args(name)]


def test_map_item_by_index(pod: Pod) -> None:
    pod.write_inputs(x=list_lit([10, 20, 30]))
    proc = pod.run("flytelite-map-execute", _map_args("square"), env=MAP_ENV, resolver=MAP_RESOLVER)
    assert proc.returncode == 0, proc.stderr
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 400


def test_map_index_offset(pod: Pod) -> None:
    pod.write_inputs(x=list_lit([10, 20, 30]))
    env = {**MAP_ENV, "BATCH_JOB_ARRAY_INDEX_OFFSET": "1"}
    pod.run("flytelite-map-execute", _map_args("square"), env=env, resolver=MAP_RESOLVER)
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 900


def test_map_index_out_of_range(pod: Pod) -> None:
    pod.write_inputs(x=list_lit([10]))
    pod.run("flytelite-map-execute", _map_args("square"), env=MAP_ENV, resolver=MAP_RESOLVER)
    assert "item 1 requested but input 'x' has 1 elements" in pod.error().message


def test_map_requires_resolver(pod: Pod) -> None:
    pod.write_inputs(x=list_lit([1]))
    proc = pod.run(
        "flytelite-map-execute",
        _map_args("square"),
        env=MAP_ENV,
        resolver=MAP_RESOLVER,
        extra=["--max-concurrency", "2"],
    )
    assert proc.returncode == 0, proc.stderr


def _archive(tmp: Path) -> Path:
    src = b"from flytelite.core.task import task\n\n@task\ndef shipped(a: int) -> int:\n    return a * 10\n"
    path = tmp / "fastabc.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("shipped_pkg/mod.py")
        info.size = len(src)
        tar.addfile(info, io.BytesIO(src))
        init = tarfile.TarInfo("shipped_pkg/__init__.py")
        tar.addfile(init, io.BytesIO(b""))
    return path


def test_fast_execute_unpacks_and_runs(pod: Pod, tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    dest = tmp_path / "dest"
    pod.write_inputs(a=int_lit(4))
    import subprocess

    from tests.entrypoint.conftest import BIN, ROOT

    cmd = [
        str(BIN / "flytelite-fast-execute"),
        "--additional-distribution",
        str(archive),
        "--dest-dir",
        str(dest),
        "--",
        str(BIN / "flytelite-execute"),
        "--inputs",
        str(pod.inputs),
        "--output-prefix",
        str(pod.out),
        "--resolver",
        DEFAULT_RESOLVER,
        "--",
        "task-module",
        "shipped_pkg.mod",
        "task-name",
        "shipped",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (dest / "shipped_pkg" / "mod.py").exists()
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 40
