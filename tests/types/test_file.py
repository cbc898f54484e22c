"""`FlyteFile`: literal types, flytekit's upload rules per execution mode, lazy downloads, dataclass fields, tasks."""

from __future__ import annotations

import dataclasses
import io
import os
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import msgpack
import pytest
from flyteidl.core.literals_pb2 import Binary, Blob, BlobMetadata, Literal
from flyteidl.core.types_pb2 import BlobType
from google.protobuf.struct_pb2 import Struct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.errors import FlyteAssertion, TypeTransformerFailedError
from flytelite.storage import FileAccessProvider
from flytelite.types import TypeEngine
from flytelite.types.file import CSVFile, FileExt, FlyteFile, FlyteFilePathTransformer

Mode = ExecutionState.Mode
SVG = FlyteFile["svg"]
SINGLE = BlobType.BlobDimensionality.SINGLE


def in_mode(fa: FileAccessProvider, mode: ExecutionState.Mode | None) -> typing.ContextManager[FlyteContext]:
    """Enter a context using storage `fa` and execution mode `mode` (None: outside any run, like flytekit's default)."""
    base = FlyteContextManager.current_context().with_file_access(fa)
    assert base.execution_state is not None
    return FlyteContextManager.with_context(base.with_execution_state(base.execution_state.with_params(mode=mode)))


def lit(ctx: FlyteContext, value: Any, t: Any) -> Literal:
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


def blob_literal(uri: str, fmt: str = "", dim: int = SINGLE) -> Literal:
    return Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=BlobType(format=fmt, dimensionality=dim)), uri=uri)})


@pytest.fixture
def fa(tmp_path: Path) -> FileAccessProvider:
    return FileAccessProvider(tmp_path / "sandbox", str(tmp_path / "raw"))


@pytest.fixture
def task_ctx(fa: FileAccessProvider) -> Iterator[FlyteContext]:
    with in_mode(fa, Mode.TASK_EXECUTION) as ctx:
        yield ctx


@pytest.fixture
def local_ctx(fa: FileAccessProvider) -> Iterator[FlyteContext]:
    with in_mode(fa, Mode.LOCAL_TASK_EXECUTION) as ctx:
        yield ctx


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    p = tmp_path / "in" / "data.csv"
    p.parent.mkdir()
    p.write_text("a,b\n1,2\n")
    return p


# ------------------------------------------------------------------------------------------------- literal types
@pytest.mark.parametrize(
    ("t", "fmt"),
    [
        (FlyteFile, ""),
        (FlyteFile["csv"], "csv"),
        (FlyteFile[".csv"], "csv"),
        (FlyteFile[Annotated[str, FileExt("tar.gz")]], "tar.gz"),
        (FlyteFile[typing.TypeVar("jpeg")], "jpeg"),
        (CSVFile, "csv"),
        (os.PathLike, ""),
        (Annotated[SVG, "meta"], "svg"),
    ],
)
def test_literal_type_is_a_single_blob_with_the_format(t: Any, fmt: str) -> None:
    lt = TypeEngine.to_literal_type(t)
    assert lt.blob.format == fmt and lt.blob.dimensionality == SINGLE
    assert TypeEngine.get_transformer(t).name == "FlyteFilePath"


def test_format_classes_are_cached_and_named() -> None:
    assert FlyteFile["csv"] is FlyteFile["csv"] is CSVFile
    assert FlyteFile[""] is FlyteFile and FlyteFile[None] is FlyteFile
    assert issubclass(FlyteFile["csv"], FlyteFile) and FlyteFile["csv"].extension() == "csv"
    with pytest.raises(ValueError, match="Annotated"):
        FlyteFile[Annotated[int, FileExt("x")]]


def test_guess_python_type_reverses_blob_types() -> None:
    assert TypeEngine.guess_python_type(TypeEngine.to_literal_type(FlyteFile["csv"])) is FlyteFile["csv"]
    assert TypeEngine.guess_python_type(TypeEngine.to_literal_type(FlyteFile)) is FlyteFile


# ------------------------------------------------------------------------------------------------- upload rules
def test_task_execution_uploads_to_raw_prefix_hex_basename(task_ctx: FlyteContext, data_file: Path) -> None:
    lv = lit(task_ctx, FlyteFile(str(data_file)), FlyteFile)
    uri = lv.scalar.blob.uri
    raw = task_ctx.file_access.raw_output_prefix
    assert uri.startswith(raw) and uri.endswith("/data.csv")
    assert len(uri[len(raw) :].split("/")[0]) == 32
    assert Path(uri).read_bytes() == data_file.read_bytes()


def test_outside_any_run_a_str_path_is_uploaded(fa: FileAccessProvider, data_file: Path) -> None:
    with in_mode(fa, None) as ctx:
        uri = lit(ctx, str(data_file), FlyteFile["csv"]).scalar.blob.uri
    assert uri.startswith(fa.raw_output_prefix) and Path(uri).read_text() == "a,b\n1,2\n"


def test_local_run_does_not_upload(local_ctx: FlyteContext, data_file: Path) -> None:
    assert lit(local_ctx, FlyteFile(str(data_file)), FlyteFile).scalar.blob.uri == str(data_file)
    assert lit(local_ctx, str(data_file), FlyteFile).scalar.blob.uri == str(data_file)
    assert not os.path.exists(local_ctx.file_access.raw_output_prefix)


def test_local_run_uploads_a_pathlib_path_like_flytekit(local_ctx: FlyteContext, data_file: Path) -> None:
    uri = lit(local_ctx, data_file, FlyteFile).scalar.blob.uri
    assert uri != str(data_file) and uri.startswith(local_ctx.file_access.raw_output_prefix)


def test_explicit_remote_path_is_honoured_even_locally(
    local_ctx: FlyteContext, data_file: Path, tmp_path: Path
) -> None:
    dest = str(tmp_path / "chosen" / "here.csv")
    uri = lit(local_ctx, FlyteFile(str(data_file), remote_path=dest), FlyteFile).scalar.blob.uri
    assert uri == dest and Path(dest).read_text() == "a,b\n1,2\n"


@pytest.mark.parametrize(
    ("make", "t"),
    [
        (lambda p: FlyteFile(p, remote_path=False), FlyteFile),
        (lambda p: FlyteFile(p), os.PathLike),
        (lambda p: p, os.PathLike),
    ],
)
def test_values_that_are_never_uploaded(task_ctx: FlyteContext, data_file: Path, make: Any, t: Any) -> None:
    assert lit(task_ctx, make(str(data_file)), t).scalar.blob.uri == str(data_file)


def test_remote_uris_pass_through(task_ctx: FlyteContext) -> None:
    assert lit(task_ctx, "s3://bucket/key.csv", FlyteFile["csv"]).scalar.blob.uri == "s3://bucket/key.csv"
    ff = FlyteFile("s3://bucket/other.csv")
    assert ff.remote_source == "s3://bucket/other.csv" and not ff.downloaded
    assert lit(task_ctx, ff, FlyteFile).scalar.blob.uri == "s3://bucket/other.csv"


def test_metadata_travels_in_the_literal(local_ctx: FlyteContext, data_file: Path) -> None:
    lv = lit(local_ctx, FlyteFile(str(data_file), metadata={"k": "v"}), FlyteFile)
    assert dict(lv.metadata) == {"k": "v"}
    back = TypeEngine.to_python_value(local_ctx, lv, FlyteFile)
    assert back.metadata == {"k": "v"}


def test_bad_values_are_rejected_with_the_path(task_ctx: FlyteContext, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.csv")
    with pytest.raises(TypeTransformerFailedError, match=r"missing\.csv"):
        lit(task_ctx, missing, FlyteFile)
    with pytest.raises(TypeTransformerFailedError, match="int"):
        lit(task_ctx, 3, FlyteFile)
    with pytest.raises(TypeTransformerFailedError, match="None"):
        lit(task_ctx, None, FlyteFile)
    with pytest.raises(TypeTransformerFailedError, match="not a file"):
        lit(task_ctx, str(tmp_path), FlyteFile)


# ----------------------------------------------------------------------------------------------------- decoding
def test_local_uri_decodes_to_that_path(task_ctx: FlyteContext, data_file: Path) -> None:
    ff = TypeEngine.to_python_value(task_ctx, blob_literal(str(data_file), "csv"), FlyteFile["csv"])
    assert isinstance(ff, FlyteFile["csv"]) and ff.path == str(data_file)
    assert ff.remote_source is None and Path(ff).read_text() == "a,b\n1,2\n"
    plain = TypeEngine.to_python_value(task_ctx, blob_literal(str(data_file)), os.PathLike)
    assert isinstance(plain, FlyteFile) and os.fspath(plain) == str(data_file)


def test_missing_local_file_names_the_uri(task_ctx: FlyteContext, tmp_path: Path) -> None:
    with pytest.raises(FlyteAssertion, match=r"gone\.txt"):
        TypeEngine.to_python_value(task_ctx, blob_literal(str(tmp_path / "gone.txt")), FlyteFile)


def test_a_folder_literal_is_not_a_file(task_ctx: FlyteContext, tmp_path: Path) -> None:
    with pytest.raises(TypeTransformerFailedError, match="folder"):
        TypeEngine.to_python_value(
            task_ctx, blob_literal(str(tmp_path), dim=BlobType.BlobDimensionality.MULTIPART), FlyteFile
        )
    with pytest.raises(TypeTransformerFailedError, match="blob"):
        TypeEngine.to_python_value(task_ctx, lit(task_ctx, 1, int), FlyteFile)


def test_msgpack_and_struct_path_dicts_decode(task_ctx: FlyteContext, data_file: Path) -> None:
    packed = Literal(scalar={"binary": Binary(value=msgpack.packb({"path": str(data_file)}), tag="msgpack")})
    assert TypeEngine.to_python_value(task_ctx, packed, FlyteFile).path == str(data_file)
    generic = Struct()
    generic.update({"path": str(data_file)})
    assert TypeEngine.to_python_value(task_ctx, Literal(scalar={"generic": generic}), FlyteFile).path == str(data_file)
    with pytest.raises(TypeTransformerFailedError, match="path"):
        FlyteFilePathTransformer().dict_to_flyte_file({"nope": 1}, FlyteFile)


def test_new_file_in_the_working_directory(task_ctx: FlyteContext) -> None:
    ff = FlyteFile.new("out.txt")
    assert os.path.dirname(ff.path) == task_ctx.user_space_params.working_directory  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="relative"):
        FlyteFile.new("/abs.txt")


def test_open_streams_local_files(task_ctx: FlyteContext, tmp_path: Path) -> None:
    ff = FlyteFile(str(tmp_path / "w.txt"))
    with ff.open("w") as fh:
        fh.write("written")
    with ff.open("r") as fh:
        assert fh.read() == "written"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2048), name=st.from_regex(r"[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,20}", fullmatch=True))
def test_round_trip_keeps_name_and_bytes(task_ctx: FlyteContext, tmp_path: Path, content: bytes, name: str) -> None:
    src = Path(task_ctx.file_access.get_random_local_path(name))
    src.write_bytes(content)
    lv = lit(task_ctx, FlyteFile(str(src)), FlyteFile)
    assert lv.scalar.blob.uri.endswith("/" + name)
    back = TypeEngine.to_python_value(task_ctx, lv, FlyteFile)
    assert Path(back.download()).read_bytes() == content


# ---------------------------------------------------------------------------------------------- dataclass fields
@dataclasses.dataclass
class Report:
    name: str
    data: FlyteFile
    table: CSVFile
    extra: FlyteFile | None = None
    many: list[FlyteFile] = dataclasses.field(default_factory=list)


def test_dataclass_fields_become_path_dicts_and_are_uploaded(task_ctx: FlyteContext, data_file: Path) -> None:
    value = Report("r", FlyteFile(str(data_file)), FlyteFile["csv"](str(data_file), metadata={"m": "1"}))
    value.many = [FlyteFile("s3://b/k")]
    lv = lit(task_ctx, value, Report)
    decoded = msgpack.unpackb(lv.scalar.binary.value)
    raw = task_ctx.file_access.raw_output_prefix
    assert set(decoded["data"]) == {"path"} and decoded["data"]["path"].startswith(raw)
    assert decoded["table"]["metadata"] == {"m": "1"}
    assert decoded["extra"] is None and decoded["many"] == [{"path": "s3://b/k"}]
    back = TypeEngine.to_python_value(task_ctx, lv, Report)
    assert isinstance(back.data, FlyteFile) and Path(back.data).read_text() == "a,b\n1,2\n"
    assert back.many[0].remote_source == "s3://b/k"


def test_dataclass_schema_describes_files_like_flytekit() -> None:
    schema = TypeEngine.to_literal_type(Report).metadata
    data = dict(schema["properties"]["data"])
    assert data["title"] == "FlyteFile" and set(data["properties"]) == {"path", "metadata"}
    assert TypeEngine.to_literal_type(Report).structure.dataclass_type["table"].blob.format == "csv"


# ------------------------------------------------------------------------------------------------------ streams
def test_text_and_binary_streams(task_ctx: FlyteContext) -> None:
    text_lt = TypeEngine.to_literal_type(typing.TextIO)
    assert text_lt.blob.format == "text/plain"
    assert TypeEngine.to_literal_type(typing.BinaryIO).blob.format == "application/octet-stream"
    tv = TypeEngine.to_literal(task_ctx, io.StringIO("héllo"), typing.TextIO, text_lt)
    with TypeEngine.to_python_value(task_ctx, tv, typing.TextIO) as fh:
        assert fh.read() == "héllo"
    bv = lit(task_ctx, io.BytesIO(b"\x00\xff"), typing.BinaryIO)
    with TypeEngine.to_python_value(task_ctx, bv, typing.BinaryIO) as fh:
        assert fh.read() == b"\x00\xff"
    with pytest.raises(TypeTransformerFailedError, match="binary stream"):
        lit(task_ctx, io.StringIO("x"), typing.BinaryIO)


# -------------------------------------------------------------------------------------------------------- tasks
@task
def write_file(n: int) -> FlyteFile:
    path = os.path.join(FlyteContextManager.current_context().user_space_params.working_directory, "out.txt")  # type: ignore[union-attr]
    Path(path).write_text("x" * n)
    return FlyteFile(path)


@task
def file_size(f: FlyteFile) -> int:
    with open(f) as fh:
        return len(fh.read())


@task
def where_is(f: FlyteFile) -> str:
    return str(f.path)


@workflow
def size_wf(n: int) -> int:
    return file_size(f=write_file(n=n))


def test_a_file_passes_between_tasks_without_copies() -> None:
    assert size_wf(n=7) == 7
    made = write_file(n=3)
    assert where_is(f=made) == str(made.path)  # a local run hands over the same path: no upload, no download


def test_a_missing_input_file_names_the_task_input_and_path(tmp_path: Path) -> None:
    with pytest.raises(TypeTransformerFailedError) as info:
        file_size(f=str(tmp_path / "absent.txt"))
    message = str(info.value)
    assert "file_size" in message and "input 'f'" in message and "absent.txt" in message
