"""`FlyteFile` and `FlyteDirectory` with an `s3://` raw-output prefix on the moto server: uploads, lazy downloads,
streaming, listing and the errors of a missing object."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flyteidl.core.literals_pb2 import Literal

from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.errors import FlyteDataNotFoundException
from flytelite.storage import FileAccessProvider
from flytelite.types import TypeEngine
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile


def lit(ctx: FlyteContext, value: Any, t: Any) -> Literal:
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


@pytest.fixture
def s3_ctx(s3, tmp_path: Path) -> Iterator[FlyteContext]:  # type: ignore[no-untyped-def]
    fa = FileAccessProvider(tmp_path / "sandbox", s3.url("raw"))
    base = FlyteContextManager.current_context().with_file_access(fa)
    assert base.execution_state is not None
    es = base.execution_state.with_params(mode=ExecutionState.Mode.TASK_EXECUTION)
    with FlyteContextManager.with_context(base.with_execution_state(es)) as ctx:
        yield ctx


def test_file_is_uploaded_then_downloaded_lazily(s3_ctx: FlyteContext, tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "report.txt"
    src.write_text("remote content")
    uri = lit(s3_ctx, FlyteFile(str(src)), FlyteFile).scalar.blob.uri
    assert uri.startswith(s3.url("raw") + "/") and uri.endswith("/report.txt")
    ff = TypeEngine.to_python_value(s3_ctx, lit(s3_ctx, uri, FlyteFile), FlyteFile)
    assert ff.remote_source == uri and not ff.downloaded and not os.path.exists(ff.path)
    with ff.open("rb") as fh:  # streaming reads the object in place
        assert fh.read() == b"remote content"
    assert not ff.downloaded
    local = ff.download()
    assert ff.downloaded and Path(local).read_text() == "remote content"
    assert local.startswith(s3_ctx.file_access.local_sandbox_dir)
    assert lit(s3_ctx, ff, FlyteFile).scalar.blob.uri == uri  # passing it on re-uses the object: no new upload


def test_new_remote_file_is_written_in_place(s3_ctx: FlyteContext) -> None:
    ff = FlyteFile.new_remote_file(name="direct.bin")
    with ff.open("wb") as fh:
        fh.write(b"\x01\x02")
    assert s3_ctx.file_access.read_bytes(str(ff.path)) == b"\x01\x02"
    assert FlyteFile.from_source(str(ff.path)).download().endswith("direct.bin")


def test_missing_object_fails_on_first_use_with_its_uri(s3_ctx: FlyteContext, s3) -> None:  # type: ignore[no-untyped-def]
    uri = s3.url("raw", "never", "there.txt")
    ff = TypeEngine.to_python_value(s3_ctx, lit(s3_ctx, uri, FlyteFile), FlyteFile)
    with pytest.raises(FlyteDataNotFoundException, match=uri):
        open(ff)  # noqa: SIM115


def test_directory_round_trip_listing_and_crawl(s3_ctx: FlyteContext, tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "folder"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text("a")
    (folder / "nested" / "b.txt").write_text("b")
    uri = lit(s3_ctx, FlyteDirectory(str(folder)), FlyteDirectory).scalar.blob.uri
    assert uri.startswith(s3.url("raw") + "/")
    fd = TypeEngine.to_python_value(s3_ctx, lit(s3_ctx, uri, FlyteDirectory), FlyteDirectory)
    assert fd.remote_source == uri and not fd.downloaded
    entries = FlyteDirectory.listdir(fd)
    kinds = sorted((type(e).__name__, str(e.remote_source).rsplit("/", 1)[1]) for e in entries)
    assert kinds == [("FlyteDirectory", "nested"), ("FlyteFile", "a.txt")]
    assert sorted(rel for _, rel in fd.crawl()) == ["a.txt", "nested/b.txt"]
    assert next((os.path.basename(b.rstrip("/")), d, f) for b, d, f in fd.walk())[1:] == (["nested"], ["a.txt"])
    assert not fd.downloaded
    local = Path(fd.download())
    assert sorted(str(p.relative_to(local)) for p in local.rglob("*.txt")) == ["a.txt", "nested/b.txt"]
    nested = next(e for e in entries if isinstance(e, FlyteDirectory))
    assert os.listdir(nested) == ["b.txt"]
