"""Dataframes through a real S3-compatible server (moto on 127.0.0.1): tasks in-process with an `s3://` raw-output
prefix, the `flytelite-execute` entrypoint with `s3://` prefixes, and missing inputs named in the error."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pandas as pd
import pytest
from flyteidl.core.errors_pb2 import ErrorDocument
from flyteidl.core.literals_pb2 import Blob, BlobMetadata, Literal, LiteralMap, Primitive, Scalar
from flyteidl.core.literals_pb2 import StructuredDataset as SDLiteral
from flyteidl.core.types_pb2 import BlobType

from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.errors import FlyteDataNotFoundException
from flytelite.storage import FileAccessProvider
from tests.storage import dataframe_tasks as tasks

ROOT = Path(__file__).resolve().parents[2]
EXECUTE = Path(sys.executable).parent / "flytelite-execute"
RESOLVER = "flytelite.core.python_auto_container.default_task_resolver"


def integer(n: int) -> Literal:
    return Literal(scalar=Scalar(primitive=Primitive(integer=n)))


def dataset(uri: str) -> Literal:
    lit = SDLiteral(uri=uri)
    lit.metadata.structured_dataset_type.format = "parquet"
    return Literal(scalar=Scalar(structured_dataset=lit))


def blob(uri: str) -> Literal:
    return Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=BlobType()), uri=uri)})


@pytest.fixture
def pod_ctx(s3, tmp_path: Path) -> Iterator[FlyteContext]:  # type: ignore[no-untyped-def]
    """A task-execution context (as in a pod) whose raw-output prefix is in the test bucket."""
    fa = FileAccessProvider(tmp_path / "sandbox", s3.url("raw"))
    base = FlyteContextManager.current_context().with_file_access(fa)
    es = (base.execution_state or base.new_execution_state()).with_params(mode=ExecutionState.Mode.TASK_EXECUTION)
    with FlyteContextManager.with_context(base.with_execution_state(es)) as ctx:
        yield ctx


def run(ctx: FlyteContext, t: Any, **inputs: Literal) -> LiteralMap:
    out = t.dispatch_execute(ctx, LiteralMap(literals=inputs))
    assert isinstance(out, LiteralMap)
    return out


def test_dataframe_written_to_s3_is_read_by_the_next_task(pod_ctx: FlyteContext, s3) -> None:  # type: ignore[no-untyped-def]
    produced = run(pod_ctx, tasks.make_frame, n=integer(5)).literals["o0"].scalar.structured_dataset
    assert produced.uri.startswith(s3.url("raw") + "/")
    assert produced.metadata.structured_dataset_type.format == "parquet"
    fs = pod_ctx.file_access.get_filesystem_for_path(produced.uri)
    assert [p.rsplit("/", 1)[1] for p in fs.find(produced.uri)] == ["00000"]
    consumed = run(pod_ctx, tasks.total, df=Literal(scalar=Scalar(structured_dataset=produced)))
    assert consumed.literals["o0"].scalar.primitive.integer == sum(i * i for i in range(5))


def test_dataset_inside_a_record_goes_through_s3(pod_ctx: FlyteContext, s3) -> None:  # type: ignore[no-untyped-def]
    record = run(pod_ctx, tasks.make_report, n=integer(4)).literals["o0"]
    payload = msgpack.unpackb(record.scalar.binary.value)
    assert payload["rows"] == 4 and payload["table"]["file_format"] == "parquet"
    assert payload["table"]["uri"].startswith(s3.url("raw") + "/")
    total = run(pod_ctx, tasks.report_total, r=record).literals["o0"].scalar.primitive.integer
    assert total == 0 + 1 + 4 + 9


def test_missing_dataset_read_lazily_names_the_input_and_uri(pod_ctx: FlyteContext, s3) -> None:  # type: ignore[no-untyped-def]
    missing = s3.url("raw", "never-written")
    with FlyteContextManager.with_context(
        pod_ctx.with_execution_state(pod_ctx.execution_state.with_params(mode=ExecutionState.Mode.LOCAL_TASK_EXECUTION))  # type: ignore[union-attr]
    ) as local_ctx:
        expected = f"input 'sd': cannot read the dataset at {missing}"
        with pytest.raises(FlyteDataNotFoundException, match=expected) as info:
            run(local_ctx, tasks.count_rows, sd=dataset(missing))
    assert any("count_rows" in note for note in getattr(info.value, "__notes__", []))


def test_missing_file_read_lazily_names_the_task_input_and_uri(pod_ctx: FlyteContext, s3) -> None:  # type: ignore[no-untyped-def]
    missing = s3.url("raw", "nothing", "here.bin")
    with FlyteContextManager.with_context(
        pod_ctx.with_execution_state(pod_ctx.execution_state.with_params(mode=ExecutionState.Mode.LOCAL_TASK_EXECUTION))  # type: ignore[union-attr]
    ) as local_ctx:
        with pytest.raises(FlyteDataNotFoundException, match=f"input 'f': cannot download {missing}") as info:
            run(local_ctx, tasks.file_size, f=blob(missing))
    assert any("file_size" in note for note in getattr(info.value, "__notes__", []))


# ------------------------------------------------------------------------------------------------- entrypoint
needs_entrypoint = pytest.mark.skipif(not EXECUTE.exists(), reason="flytelite-execute is not installed")


class Pod:
    """One `flytelite-execute` run whose inputs, outputs and raw data live in the test bucket."""

    def __init__(self, bucket: Any, tmp: Path, name: str) -> None:
        self.bucket = bucket
        self.fa = FileAccessProvider(tmp / f"client-{name}", bucket.url("client"))
        self.inputs = bucket.url("meta", name, "inputs.pb")
        self.out = bucket.url("meta", name, "out")
        self.raw = bucket.url("raw", name)

    def run(self, task_name: str, **inputs: Literal) -> subprocess.CompletedProcess[str]:
        self.fa.write_bytes(self.inputs, LiteralMap(literals=inputs).SerializeToString())
        cmd = [str(EXECUTE), "--inputs", self.inputs, "--output-prefix", self.out, "--raw-output-data-prefix", self.raw]
        cmd += ["--resolver", RESOLVER, "--", "task-module", "tests.storage.dataframe_tasks", "task-name", task_name]
        env = {**os.environ, **self.bucket.env()}
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    def written(self) -> list[str]:
        fs = self.fa.get_filesystem_for_path(self.out)
        return sorted(p.rsplit("/", 1)[1] for p in fs.find(self.out))

    def outputs(self) -> LiteralMap:
        return LiteralMap.FromString(self.fa.read_bytes(self.out + "/outputs.pb"))

    def error(self) -> str:
        message: str = ErrorDocument.FromString(self.fa.read_bytes(self.out + "/error.pb")).error.message
        return message


@needs_entrypoint
def test_entrypoint_writes_and_reads_a_dataframe_through_s3(s3, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = Pod(s3, tmp_path, "first")
    proc = first.run("make_frame", n=integer(6))
    assert proc.returncode == 0, proc.stderr
    assert first.written() == ["outputs.pb"], proc.stderr
    produced = first.outputs().literals["o0"]
    uri = produced.scalar.structured_dataset.uri
    assert uri.startswith(first.raw + "/")
    local = first.fa.get_data(uri, str(tmp_path / "check"), is_multipart=True)
    assert pd.read_parquet(Path(local) / "00000")["sq"].tolist() == [i * i for i in range(6)]
    second = Pod(s3, tmp_path, "second")
    proc = second.run("total", df=produced)
    assert second.written() == ["outputs.pb"], proc.stderr
    assert second.outputs().literals["o0"].scalar.primitive.integer == sum(i * i for i in range(6))


@needs_entrypoint
def test_entrypoint_names_the_task_input_and_uri_of_a_missing_dataframe(s3, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pod = Pod(s3, tmp_path, "missing")
    missing = s3.url("raw", "gone")
    proc = pod.run("count_rows", sd=dataset(missing))
    assert proc.returncode == 0, proc.stderr
    assert pod.written() == ["error.pb"]
    message = pod.error()
    assert "count_rows" in message and "input 'sd'" in message and missing in message


@needs_entrypoint
def test_entrypoint_names_the_task_input_and_uri_of_a_missing_file(s3, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pod = Pod(s3, tmp_path, "nofile")
    missing = s3.url("raw", "gone.bin")
    proc = pod.run("file_size", f=blob(missing))
    assert proc.returncode == 0, proc.stderr
    assert pod.written() == ["error.pb"]
    message = pod.error()
    assert "file_size" in message and "input 'f'" in message and missing in message
