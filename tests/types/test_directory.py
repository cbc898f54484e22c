"""`FlyteDirectory`: literal types, upload rules, lazy downloads, listing, dataclass fields and tasks."""

from __future__ import annotations

import dataclasses
import os
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import msgpack
import pytest
from flyteidl.core.literals_pb2 import Binary, Blob, BlobMetadata, Literal
from flyteidl.core.types_pb2 import BlobType

from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.errors import FlyteAssertion, TypeTransformerFailedError
from flytelite.storage import FileAccessProvider
from flytelite.types import BatchSize, TypeEngine
from flytelite.types.directory import FlyteDirectory, TensorboardLogs
from flytelite.types.file import FlyteFile

Mode = ExecutionState.Mode
MULTIPART = BlobType.BlobDimensionality.MULTIPART


def in_mode(fa: FileAccessProvider, mode: ExecutionState.Mode | None) -> typing.ContextManager[FlyteContext]:
    base = FlyteContextManager.current_context().with_file_access(fa)
    assert base.execution_state is not None
    return FlyteContextManager.with_context(base.with_execution_state(base.execution_state.with_params(mode=mode)))


def lit(ctx: FlyteContext, value: Any, t: Any) -> Literal:
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


def dir_literal(uri: str, fmt: str = "") -> Literal:
    blob = Blob(metadata=BlobMetadata(type=BlobType(format=fmt, dimensionality=MULTIPART)), uri=uri)
    return Literal(scalar={"blob": blob})


def tree_of(root: str | os.PathLike[str]) -> dict[str, bytes]:
    base = Path(root)
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


@pytest.fixture
def fa(tmp_path: Path) -> FileAccessProvider:
    return FileAccessProvider(tmp_path / "sandbox", str(tmp_path / "raw"))


@pytest.fixture
def task_ctx(fa: FileAccessProvider) -> Iterator[FlyteContext]:
    with in_mode(fa, Mode.TASK_EXECUTION) as ctx:
        yield ctx


@pytest.fixture
def local_ctx(fa: FileAccessProvider) -> Iterator[FlyteContext]:
    with in_mode(fa, Mode.LOCAL_WORKFLOW_EXECUTION) as ctx:
        yield ctx


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "folder"
    (root / "sub").mkdir(parents=True)
    (root / "one.txt").write_text("1")
    (root / "sub" / "two.txt").write_text("22")
    return root


@pytest.mark.parametrize(
    ("t", "fmt"),
    [
        (FlyteDirectory, ""),
        (FlyteDirectory["csv"], "csv"),
        (TensorboardLogs, "tensorboard"),
        (Annotated[FlyteDirectory, BatchSize(10)], ""),
    ],
)
def test_literal_type_is_a_multipart_blob(t: Any, fmt: str) -> None:
    lt = TypeEngine.to_literal_type(t)
    assert lt.blob.dimensionality == MULTIPART and lt.blob.format == fmt
    assert TypeEngine.get_transformer(t).name == "FlyteDirectory"
    assert TypeEngine.guess_python_type(lt) is (FlyteDirectory[fmt] if fmt else FlyteDirectory)


def test_task_execution_uploads_the_folder(task_ctx: FlyteContext, folder: Path) -> None:
    uri = lit(task_ctx, FlyteDirectory(str(folder)), FlyteDirectory).scalar.blob.uri
    raw = task_ctx.file_access.raw_output_prefix
    assert uri.startswith(raw) and len(uri[len(raw) :]) == 32
    assert tree_of(uri) == tree_of(folder)


def test_local_run_keeps_a_flytedirectory_in_place(local_ctx: FlyteContext, folder: Path) -> None:
    assert lit(local_ctx, FlyteDirectory(str(folder)), FlyteDirectory).scalar.blob.uri == str(folder)


def test_a_plain_folder_path_is_always_uploaded_like_flytekit(local_ctx: FlyteContext, folder: Path) -> None:
    uri = lit(local_ctx, str(folder), FlyteDirectory).scalar.blob.uri
    assert uri != str(folder) and tree_of(uri) == tree_of(folder)


def test_remote_directory_choices(task_ctx: FlyteContext, folder: Path, tmp_path: Path) -> None:
    dest = str(tmp_path / "dest")
    assert lit(task_ctx, FlyteDirectory(str(folder), remote_directory=dest), FlyteDirectory).scalar.blob.uri == dest
    assert tree_of(dest) == tree_of(folder)
    never = FlyteDirectory(str(folder), remote_directory=False)
    assert lit(task_ctx, never, FlyteDirectory).scalar.blob.uri == str(folder)
    assert lit(task_ctx, "s3://bucket/prefix", FlyteDirectory).scalar.blob.uri == "s3://bucket/prefix"


def test_bad_values_name_the_path(task_ctx: FlyteContext, tmp_path: Path, folder: Path) -> None:
    with pytest.raises(TypeTransformerFailedError, match="absent"):
        lit(task_ctx, str(tmp_path / "absent"), FlyteDirectory)
    with pytest.raises(FlyteAssertion, match="absent"):
        lit(task_ctx, FlyteDirectory(str(tmp_path / "absent")), FlyteDirectory)
    with pytest.raises(TypeTransformerFailedError, match="int"):
        lit(task_ctx, 5, FlyteDirectory)
    with pytest.raises(FlyteAssertion, match="gone"):
        TypeEngine.to_python_value(task_ctx, dir_literal(str(tmp_path / "gone")), FlyteDirectory)
    with pytest.raises(TypeTransformerFailedError, match="not a folder"):
        single = Blob(metadata=BlobMetadata(type=BlobType(dimensionality=BlobType.BlobDimensionality.SINGLE)), uri="x")
        TypeEngine.to_python_value(task_ctx, Literal(scalar={"blob": single}), FlyteDirectory)


def test_decoding_a_local_folder(task_ctx: FlyteContext, folder: Path) -> None:
    fd = TypeEngine.to_python_value(task_ctx, dir_literal(str(folder), "csv"), FlyteDirectory["csv"])
    assert isinstance(fd, FlyteDirectory["csv"]) and fd.path == str(folder) and fd.remote_directory is False
    assert sorted(os.listdir(fd)) == ["one.txt", "sub"]


def test_uploaded_folder_decodes_lazily_through_another_location(task_ctx: FlyteContext, folder: Path) -> None:
    uri = lit(task_ctx, FlyteDirectory(str(folder)), FlyteDirectory).scalar.blob.uri
    fd = FlyteDirectory.from_source(uri)
    assert fd.path == uri and tree_of(fd.download()) == tree_of(folder)


def test_listdir_crawl_and_walk(task_ctx: FlyteContext, folder: Path) -> None:
    fd = FlyteDirectory(str(folder))
    entries = FlyteDirectory.listdir(fd)
    assert [type(e) for e in entries] == [FlyteFile, FlyteDirectory]
    assert [os.path.basename(str(e.path)) for e in entries] == ["one.txt", "sub"]
    assert sorted(rel for _, rel in fd.crawl()) == ["one.txt", "sub/two.txt"]
    detailed = [info for _, info in fd.crawl(detail=True)]
    assert all(len(d) == 1 and next(iter(d.values()))["type"] == "file" for d in detailed)
    walked = list(fd.walk())
    assert walked[0] == (str(folder), ["sub"], ["one.txt"])
    assert walked[1] == (str(folder / "sub"), [], ["two.txt"])
    assert [w[0] for w in fd.walk(maxdepth=1)] == [str(folder)]


def test_new_file_and_new_dir_and_division(folder: Path) -> None:
    fd = FlyteDirectory(str(folder))
    assert fd.new_file("x.txt").path == str(folder / "x.txt")
    assert fd.new_dir("d").path == str(folder / "d")
    assert len(os.path.basename(str(fd.new_file().path))) == 32
    assert fd / "one.txt" == folder / "one.txt"
    remote = FlyteDirectory("s3://b/p/")
    assert remote.new_file("f").path == "s3://b/p/f"


def test_new_and_new_remote(task_ctx: FlyteContext) -> None:
    fd = FlyteDirectory.new("made")
    assert os.path.isdir(fd.path)
    with pytest.raises(ValueError, match="relative"):
        FlyteDirectory.new("/abs")
    assert str(FlyteDirectory.new_remote(stem="stem").path).endswith("/stem")
    with pytest.raises(ValueError, match="extension"):
        FlyteDirectory.new_remote(stem="x.txt")


@dataclasses.dataclass
class Bundle:
    files: FlyteDirectory
    label: str = "x"


def test_dataclass_field_is_a_path_dict(task_ctx: FlyteContext, folder: Path) -> None:
    lv = lit(task_ctx, Bundle(FlyteDirectory(str(folder))), Bundle)
    decoded = msgpack.unpackb(lv.scalar.binary.value)
    assert set(decoded["files"]) == {"path"} and decoded["files"]["path"].startswith(
        task_ctx.file_access.raw_output_prefix
    )
    back = TypeEngine.to_python_value(task_ctx, lv, Bundle)
    assert tree_of(back.files) == tree_of(folder)
    packed = Literal(scalar={"binary": Binary(value=msgpack.packb({"path": str(folder)}), tag="msgpack")})
    assert TypeEngine.to_python_value(task_ctx, packed, FlyteDirectory).path == str(folder)


@task
def make_folder(n: int) -> FlyteDirectory:
    fd = FlyteDirectory.new("made")
    for i in range(n):
        Path(fd.path, f"f{i}.txt").write_text(str(i))
    return fd


@task
def count_files(d: FlyteDirectory) -> int:
    return len(os.listdir(d))


@workflow
def count_wf(n: int) -> int:
    return count_files(d=make_folder(n=n))


def test_a_folder_passes_between_tasks() -> None:
    assert count_wf(n=3) == 3
