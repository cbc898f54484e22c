"""`flytelite-execute` with `s3://` inputs, output and raw-output prefixes, against the moto server on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flyteidl.core.errors_pb2 import ErrorDocument
from flyteidl.core.literals_pb2 import Blob, BlobMetadata, Literal, LiteralMap
from flyteidl.core.types_pb2 import BlobType

from flytelite.storage import FileAccessProvider

ROOT = Path(__file__).resolve().parents[2]
EXECUTE = Path(sys.executable).parent / "flytelite-execute"
RESOLVER = "flytelite.core.python_auto_container.default_task_resolver"

pytestmark = pytest.mark.skipif(not EXECUTE.exists(), reason="the flytelite-execute console script is not installed")


def blob(uri: str, multipart: bool = False) -> Literal:
    dim = BlobType.BlobDimensionality.MULTIPART if multipart else BlobType.BlobDimensionality.SINGLE
    return Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=BlobType(dimensionality=dim)), uri=uri)})


class S3Pod:
    """One fake pod whose inputs, outputs and raw data all live in the test bucket."""

    def __init__(self, bucket, tmp: Path, raw: str | None = None) -> None:  # type: ignore[no-untyped-def]
        self.bucket = bucket
        self.fa = FileAccessProvider(tmp / "client", bucket.url("client"))
        self.inputs = bucket.url("meta", "inputs.pb")
        self.out = bucket.url("meta", "out")
        self.raw = raw or bucket.url("raw")

    def run(self, task_name: str, **inputs: Literal) -> subprocess.CompletedProcess[str]:
        self.fa.write_bytes(self.inputs, LiteralMap(literals=inputs).SerializeToString())
        cmd = [
            str(EXECUTE),
            "--inputs",
            self.inputs,
            "--output-prefix",
            self.out,
            "--raw-output-data-prefix",
            self.raw,
            "--checkpoint-path",
            "{{.checkpointOutputPrefix}}",
            "--prev-checkpoint",
            "{{.prevCheckpointPrefix}}",
            "--resolver",
            RESOLVER,
            "--",
            "task-module",
            "tests.storage.files_tasks",
            "task-name",
            task_name,
        ]
        env = {**os.environ, **self.bucket.env()}
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    def files(self) -> list[str]:
        fs = self.fa.get_filesystem_for_path(self.out)
        return sorted(p.rsplit("/", 1)[1] for p in fs.find(self.out))

    def outputs(self) -> LiteralMap:
        return LiteralMap.FromString(self.fa.read_bytes(self.out + "/outputs.pb"))

    def error(self) -> ErrorDocument:
        return ErrorDocument.FromString(self.fa.read_bytes(self.out + "/error.pb"))


@pytest.fixture
def pod(s3, tmp_path: Path) -> S3Pod:  # type: ignore[no-untyped-def]
    return S3Pod(s3, tmp_path)


def test_file_in_and_out_through_s3(pod: S3Pod, s3) -> None:  # type: ignore[no-untyped-def]
    src = pod.fa.put_raw_data(b"hello object store\n", file_name="in.txt")
    proc = pod.run("shout", f=blob(src))
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["outputs.pb"], proc.stderr
    uri = pod.outputs().literals["o0"].scalar.blob.uri
    assert uri.startswith(s3.url("raw") + "/") and uri.endswith("/shout.txt")
    assert len(uri[len(s3.url("raw")) + 1 :].split("/")[0]) == 32
    assert pod.fa.read_bytes(uri) == b"HELLO OBJECT STORE\n"


def test_folder_out_and_back_in_through_s3(pod: S3Pod, tmp_path: Path) -> None:
    src = pod.fa.put_raw_data(b"a\nb\nc\n", file_name="lines.txt")
    assert pod.run("split_lines", f=blob(src)).returncode == 0
    folder = pod.outputs().literals["o0"].scalar.blob
    assert folder.metadata.type.dimensionality == BlobType.BlobDimensionality.MULTIPART
    second = S3Pod(pod.bucket, tmp_path / "second")
    second.out = pod.bucket.url("meta", "out2")
    second.run("count", d=blob(folder.uri, multipart=True))
    assert second.files() == ["outputs.pb"], second.error().error.message
    assert second.outputs().literals["o0"].scalar.primitive.integer == 3


def test_missing_input_object_is_reported_in_error_pb(pod: S3Pod, s3) -> None:  # type: ignore[no-untyped-def]
    missing = s3.url("client", "never-written.txt")
    proc = pod.run("shout", f=blob(missing))
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["error.pb"]
    err = pod.error().error
    assert missing in err.message and "shout" in err.message


def test_unwritable_raw_prefix_leaves_no_outputs(s3, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pod = S3Pod(s3, tmp_path, raw=f"s3://{s3.name}-no-such-bucket/raw")
    src = pod.fa.put_raw_data(b"x\n", file_name="in.txt")
    proc = pod.run("shout", f=blob(src))
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["error.pb"]
    message = pod.error().error.message
    assert f"{s3.name}-no-such-bucket" in message and "shout" in message and "o0" in message
