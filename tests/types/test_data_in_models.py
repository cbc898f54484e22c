"""Files, folders and datasets inside records: `StructuredDataset` dataclass fields, pydantic models holding data
types, plain paths given for file and folder fields of a dataclass, and lazily read inputs named when they fail."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import msgpack
import pandas as pd
import pytest
from flyteidl.core.literals_pb2 import Binary, Blob, BlobMetadata, Literal, LiteralMap
from flyteidl.core.types_pb2 import BlobType

from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.interface import kwtypes
from flytelite.core.task import task
from flytelite.errors import FlyteDataNotFoundException, TypeTransformerFailedError
from flytelite.types import TypeEngine
from flytelite.types._base import decoding_input
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile
from flytelite.types.structured import StructuredDataset

DF = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
CsvFile = FlyteFile["csv"]


@dataclasses.dataclass
class Tables:
    sd: StructuredDataset
    only_a: Annotated[StructuredDataset, kwtypes(a=int)]
    label: str = "t"


@dataclasses.dataclass
class Inner:
    f: FlyteFile


@dataclasses.dataclass
class Paths:
    f: FlyteFile
    d: FlyteDirectory
    maybe: typing.Optional[FlyteFile] = None  # noqa: UP045
    many: list[FlyteFile] = dataclasses.field(default_factory=list)
    inner: typing.Optional[Inner] = None  # noqa: UP045
    text: typing.Union[str, FlyteFile] = "plain"


def with_mode(ctx: FlyteContext, mode: Any) -> Any:
    es = (ctx.execution_state or ctx.new_execution_state()).with_params(mode=mode)
    return FlyteContextManager.with_context(ctx.with_execution_state(es))


@pytest.fixture
def pod(ctx: FlyteContext) -> Iterator[FlyteContext]:
    """The test context in task-execution mode (values are uploaded under the raw prefix, as in a pod)."""
    with with_mode(ctx, ExecutionState.Mode.TASK_EXECUTION) as c:
        yield c


def encode(ctx: FlyteContext, value: Any, t: Any) -> Literal:
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


def payload(lv: Literal) -> Any:
    return msgpack.unpackb(lv.scalar.binary.value)


# ------------------------------------------------------------------------------------------- datasets in dataclasses
def test_dataset_field_schema_is_flytekits_shape() -> None:
    lt = TypeEngine.to_literal_type(Tables)
    sd = dict(lt.metadata)["properties"]["sd"]
    assert sd["title"] == "StructuredDataset" and set(sd["properties"]) == {"uri", "file_format"}
    assert sd["properties"]["file_format"]["default"] == ""
    assert lt.structure.dataclass_type["only_a"].HasField("structured_dataset_type")


def test_dataset_field_is_written_on_encoding_and_read_lazily(pod: FlyteContext, tmp_path: Path) -> None:
    lv = encode(pod, Tables(StructuredDataset(dataframe=DF), StructuredDataset(dataframe=DF)), Tables)
    data = payload(lv)
    raw = str(tmp_path / "raw")
    assert data["sd"]["file_format"] == "parquet" and data["sd"]["uri"].startswith(raw + "/")
    assert os.listdir(data["sd"]["uri"]) == ["00000"]
    back = TypeEngine.to_python_value(pod, lv, Tables)
    assert back.sd.dataframe is None and back.sd.literal.uri == data["sd"]["uri"]  # nothing read yet
    pd.testing.assert_frame_equal(back.sd.open(pd.DataFrame).all(), DF)
    assert list(back.only_a.open(pd.DataFrame).all().columns) == ["a", "b"]  # the field class decodes, as flytekit


def test_dataset_field_from_a_stored_uri_and_a_missing_uri(pod: FlyteContext, tmp_path: Path) -> None:
    lv = encode(pod, Tables(StructuredDataset(dataframe=DF), StructuredDataset(dataframe=DF)), Tables)
    again = encode(pod, TypeEngine.to_python_value(pod, lv, Tables), Tables)  # re-encoding writes nothing new
    assert payload(again) == payload(lv)
    bad = Literal(scalar={"binary": Binary(value=msgpack.packb({"sd": {"file_format": "parquet"}}), tag="msgpack")})
    with pytest.raises(TypeTransformerFailedError, match=r"\.sd: .*uri and file format should not be None"):
        TypeEngine.to_python_value(pod, bad, Tables)


def test_bare_dataframe_field_is_refused_with_a_hint(pod: FlyteContext) -> None:
    frames = dataclasses.make_dataclass("Frames", [("df", pd.DataFrame)])
    with pytest.raises(TypeTransformerFailedError, match="declare a dataframe field as StructuredDataset"):
        encode(pod, frames(DF), frames)


def test_a_dataframe_given_for_a_dataset_field_is_a_type_error(pod: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match=r"\.sd: expected .*StructuredDataset, got DataFrame"):
        encode(pod, Tables(DF, StructuredDataset(dataframe=DF)), Tables)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- plain paths in fields
@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "x.txt").write_text("x")
    (tmp_path / "one.txt").write_text("one")
    return str(tmp_path / "one.txt"), str(tmp_path / "folder")


def test_plain_paths_become_files_and_are_uploaded_in_a_pod(pod: FlyteContext, files: tuple[str, str]) -> None:
    f, d = files
    value = Paths(f=f, d=Path(d), maybe=f, many=[Path(f)], inner=Inner(f=f))  # type: ignore[arg-type]
    data = payload(encode(pod, value, Paths))
    raw = pod.file_access.raw_output_prefix.rstrip("/")
    for uri in (data["f"]["path"], data["maybe"]["path"], data["many"][0]["path"], data["inner"]["f"]["path"]):
        assert uri.startswith(raw + "/") and uri.endswith("/one.txt")
    assert data["d"]["path"].startswith(raw + "/") and data["text"] == "plain"
    assert isinstance(value.f, FlyteFile) and isinstance(value.d, FlyteDirectory)  # changed in place, as flytekit
    assert isinstance(value.inner, Inner) and isinstance(value.inner.f, FlyteFile)


def test_plain_paths_are_not_uploaded_in_a_local_run(ctx: FlyteContext, files: tuple[str, str]) -> None:
    f, d = files
    with with_mode(ctx, ExecutionState.Mode.LOCAL_TASK_EXECUTION) as local:
        data = payload(encode(local, Paths(f=f, d=d, text=f), Paths))  # type: ignore[arg-type]
    assert data["f"] == {"path": f} and data["d"] == {"path": d}
    assert data["text"] == f  # `Union[str, FlyteFile]`: a str is a str


def test_a_path_for_a_union_of_file_types_is_ambiguous(pod: FlyteContext, files: tuple[str, str]) -> None:
    either = dataclasses.make_dataclass("Either", [("x", typing.Union[FlyteFile, FlyteDirectory])])
    with pytest.raises(TypeTransformerFailedError, match="ambiguous"):
        encode(pod, either(files[0]), either)


def test_remote_string_decodes_back_to_a_lazy_file(pod: FlyteContext) -> None:
    lv = encode(pod, Paths(f="s3://bucket/k.txt", d="s3://bucket/prefix"), Paths)  # type: ignore[arg-type]
    back = TypeEngine.to_python_value(pod, lv, Paths)
    assert back.f.remote_source == "s3://bucket/k.txt" and not back.f.downloaded
    assert back.d.remote_source == "s3://bucket/prefix"


# ----------------------------------------------------------------------------------------------------- pydantic
def test_pydantic_model_with_data_types_round_trips(pod: FlyteContext, files: tuple[str, str]) -> None:
    from pydantic import BaseModel

    class Bundle(BaseModel):
        f: FlyteFile
        table: CsvFile
        d: FlyteDirectory
        sd: StructuredDataset
        maybe: typing.Optional[FlyteFile] = None  # noqa: UP045

    f, d = files
    model = Bundle(
        f=FlyteFile(f, metadata={"k": "v"}), table=FlyteFile(f), d=FlyteDirectory(d), sd=StructuredDataset(dataframe=DF)
    )
    lv = encode(pod, model, Bundle)
    data = payload(lv)
    assert data["f"]["metadata"] == {"k": "v"} and data["f"]["path"].endswith("/one.txt")
    assert data["sd"]["file_format"] == "parquet" and data["maybe"] is None
    schema = dict(TypeEngine.to_literal_type(Bundle).metadata)
    assert {"FlyteFile", "_SpecificFormatClass", "FlyteDirectory", "StructuredDataset"} <= set(schema["$defs"])
    back = TypeEngine.to_python_value(pod, lv, Bundle)
    assert Path(back.f).read_text() == "one" and back.f.metadata == {"k": "v"}
    assert type(back.table) is CsvFile and os.listdir(back.d) == ["x.txt"]
    pd.testing.assert_frame_equal(back.sd.open(pd.DataFrame).all(), DF)
    with pytest.raises(ValueError, match="dictionary or an instance of FlyteFile"):
        Bundle(f=f, table=FlyteFile(f), d=FlyteDirectory(d), sd=StructuredDataset(uri="x"))


def test_pydantic_is_not_loaded_for_file_types_in_dataclasses() -> None:
    code = (
        "import sys, dataclasses\n"
        "from flytelite.types import TypeEngine\n"
        "from flytelite.types.file import FlyteFile\n"
        "from flytelite.types.structured import StructuredDataset\n"
        "DC = dataclasses.make_dataclass('DC', [('f', FlyteFile), ('sd', StructuredDataset)])\n"
        "TypeEngine.to_literal_type(DC)\n"
        "print('pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ------------------------------------------------------------------------------------------ lazily read inputs
def blob(uri: str) -> Literal:
    return Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=BlobType()), uri=uri)})


def test_lazy_download_failure_names_the_input(ctx: FlyteContext) -> None:
    with decoding_input("report"):
        ff = TypeEngine.to_python_value(ctx, blob("memory://nowhere/report.txt"), FlyteFile)
    with pytest.raises(FlyteDataNotFoundException, match="input 'report': cannot download memory://nowhere"):
        ff.download()
    plain = FlyteFile("memory://nowhere/other.txt")  # made by user code: no input to name
    with pytest.raises(
        FlyteDataNotFoundException,
        match=r"Received: memory://nowhere/other\.txt\. cannot download memory://nowhere/other\.txt",
    ):
        plain.download()


@task
def first_line(f: FlyteFile) -> str:
    with open(f) as fh:
        return fh.readline()


def test_task_error_names_task_input_and_uri(ctx: FlyteContext) -> None:
    with with_mode(ctx, ExecutionState.Mode.LOCAL_TASK_EXECUTION) as local:
        with pytest.raises(FlyteDataNotFoundException, match=r"input 'f': .*memory://gone/a\.txt") as info:
            first_line.dispatch_execute(local, LiteralMap(literals={"f": blob("memory://gone/a.txt")}))
    assert any("first_line" in note for note in info.value.__notes__)
