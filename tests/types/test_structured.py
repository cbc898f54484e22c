"""StructuredDataset: literal types, pandas/pyarrow round trips, column subsets, formats, errors, the registry."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import msgpack
import pandas as pd
import pyarrow as pa
import pytest
from flyteidl.core.literals_pb2 import Binary, Literal, Scalar, Schema
from flyteidl.core.types_pb2 import SchemaType, SimpleType
from hypothesis import given, settings
from hypothesis import strategies as st

import flytelite.exec  # noqa: F401  (registers the local graph runner)
from flytelite.core.context_manager import FlyteContext
from flytelite.core.interface import kwtypes
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.errors import TypeTransformerFailedError
from flytelite.models import literals as models
from flytelite.types import TypeEngine
from flytelite.types.structured import (
    CSV,
    PARQUET,
    DuplicateHandlerError,
    StructuredDataset,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    StructuredDatasetTransformerEngine,
)

DF = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"], "c": [0.5, 1.5, 2.5]})


def _roundtrip(ctx: FlyteContext, value: Any, t: Any, back: Any = None) -> tuple[Literal, Any]:
    lv = TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))
    return lv, TypeEngine.to_python_value(ctx, lv, back if back is not None else t)


def test_literal_types_carry_columns_and_format() -> None:
    assert TypeEngine.to_literal_type(pd.DataFrame).HasField("structured_dataset_type")
    lt = TypeEngine.to_literal_type(Annotated[StructuredDataset, kwtypes(a=int, b=str), CSV])
    sdt = lt.structured_dataset_type
    assert [(c.name, c.literal_type.simple) for c in sdt.columns] == [
        ("a", SimpleType.INTEGER),
        ("b", SimpleType.STRING),
    ]
    assert sdt.format == "csv"
    nested = TypeEngine.to_literal_type(Annotated[StructuredDataset, {"p": {"q": int}, "r": list[float]}])
    assert [c.name for c in nested.structured_dataset_type.columns] == ["p.q", "r"]
    assert nested.structured_dataset_type.columns[1].literal_type.collection_type.simple == SimpleType.FLOAT


def test_arrow_schema_annotation_sets_external_schema() -> None:
    schema = pa.schema([("a", pa.int64())])
    sdt = TypeEngine.to_literal_type(Annotated[pa.Table, schema]).structured_dataset_type
    assert sdt.external_schema_type == "arrow"
    assert sdt.external_schema_bytes == schema.to_string().encode()


def test_pandas_roundtrip_writes_parquet_file_00000(ctx: FlyteContext) -> None:
    lv, back = _roundtrip(ctx, DF, pd.DataFrame)
    sd = lv.scalar.structured_dataset
    assert sd.metadata.structured_dataset_type.format == PARQUET
    assert os.listdir(sd.uri) == ["00000"]
    assert sd.uri.startswith(ctx.file_access.raw_output_prefix)
    pd.testing.assert_frame_equal(back, DF)


def test_arrow_roundtrip(ctx: FlyteContext) -> None:
    table = pa.Table.from_pandas(DF)
    _, back = _roundtrip(ctx, table, pa.Table)
    assert back.equals(table.select(back.column_names))


def test_structured_dataset_opens_as_pandas_or_arrow(ctx: FlyteContext) -> None:
    _, sd = _roundtrip(ctx, StructuredDataset(dataframe=DF), StructuredDataset)
    assert isinstance(sd, StructuredDataset)
    pd.testing.assert_frame_equal(sd.open(pd.DataFrame).all(), DF)
    assert sd.open(pa.Table).all().num_rows == 3


def test_reader_column_subset_wins(ctx: FlyteContext) -> None:
    lv = TypeEngine.to_literal(
        ctx, StructuredDataset(dataframe=DF), StructuredDataset, TypeEngine.to_literal_type(StructuredDataset)
    )
    sub = TypeEngine.to_python_value(ctx, lv, Annotated[pd.DataFrame, kwtypes(c=float, a=int)])
    assert list(sub.columns) == ["c", "a"]
    sd = TypeEngine.to_python_value(ctx, lv, Annotated[StructuredDataset, kwtypes(b=str)])
    assert list(sd.open(pd.DataFrame).all().columns) == ["b"]


def test_csv_format_for_structured_dataset(ctx: FlyteContext) -> None:
    t = Annotated[StructuredDataset, CSV]
    lv, sd = _roundtrip(ctx, StructuredDataset(dataframe=DF), t)
    assert lv.scalar.structured_dataset.metadata.structured_dataset_type.format == CSV
    assert os.listdir(lv.scalar.structured_dataset.uri) == [".csv"]
    pd.testing.assert_frame_equal(sd.open(pd.DataFrame).all(), DF)


def test_uri_passthrough_keeps_user_format(ctx: FlyteContext, tmp_path: Any) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    DF.to_parquet(folder / "00000")
    lv, sd = _roundtrip(ctx, StructuredDataset(uri=str(folder), file_format="parquet"), StructuredDataset)
    # a local dataset is copied under the raw-output prefix, as flytekit does (`<raw>/<32 hex>/data/`)
    uri = lv.scalar.structured_dataset.uri
    assert uri.startswith(ctx.file_access.raw_output_prefix.rstrip("/") + "/") and uri.endswith("/data/")
    assert lv.scalar.structured_dataset.metadata.structured_dataset_type.format == "parquet"
    pd.testing.assert_frame_equal(sd.open(pd.DataFrame).all(), DF)
    direct = StructuredDataset(uri=str(folder), file_format="parquet")
    pd.testing.assert_frame_equal(direct.open(pd.DataFrame).all(), DF)


def test_returning_input_passes_the_same_literal(ctx: FlyteContext) -> None:
    lv, sd = _roundtrip(ctx, StructuredDataset(dataframe=DF), StructuredDataset)
    again = TypeEngine.to_literal(ctx, sd, StructuredDataset, TypeEngine.to_literal_type(StructuredDataset))
    assert again.scalar.structured_dataset.uri == lv.scalar.structured_dataset.uri


def test_plain_dataframe_for_structured_dataset_type_is_refused(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match="wrap your dataframe"):
        TypeEngine.to_literal(ctx, DF, StructuredDataset, TypeEngine.to_literal_type(StructuredDataset))


def test_missing_declared_column_names_task_output_and_prefix() -> None:
    @task
    def bad() -> Annotated[pd.DataFrame, kwtypes(a=int, zz=str)]:
        return DF

    with pytest.raises(TypeTransformerFailedError) as info:
        bad()
    msg = str(info.value)
    assert "output 'o0'" in msg and "bad" in msg and "['zz']" in msg and "raw" in msg


def test_reading_missing_column_names_the_uri(ctx: FlyteContext) -> None:
    lv = TypeEngine.to_literal(ctx, DF, pd.DataFrame, TypeEngine.to_literal_type(pd.DataFrame))
    with pytest.raises(TypeTransformerFailedError) as info:
        TypeEngine.to_python_value(ctx, lv, Annotated[pd.DataFrame, kwtypes(nope=int)])
    assert lv.scalar.structured_dataset.uri in str(info.value) and "nope" in str(info.value)


def test_open_required_before_all() -> None:
    with pytest.raises(ValueError, match="open"):
        StructuredDataset(uri="/nowhere").all()


def test_binary_and_generic_inputs(ctx: FlyteContext) -> None:
    lv = TypeEngine.to_literal(ctx, DF, pd.DataFrame, TypeEngine.to_literal_type(pd.DataFrame))
    uri = lv.scalar.structured_dataset.uri
    packed = msgpack.packb({"uri": uri, "file_format": "parquet"})
    b = Literal(scalar=Scalar(binary=Binary(value=packed, tag="msgpack")))
    pd.testing.assert_frame_equal(TypeEngine.to_python_value(ctx, b, pd.DataFrame), DF)
    g = Literal()
    g.scalar.generic.update({"uri": uri, "file_format": "parquet"})
    assert TypeEngine.to_python_value(ctx, g, StructuredDataset).open(pd.DataFrame).all().shape == (3, 3)


def test_old_schema_literal_reads_as_dataframe(ctx: FlyteContext, tmp_path: Any) -> None:
    folder = tmp_path / "schema"
    folder.mkdir()
    DF.to_parquet(folder / "00000")
    col = SchemaType.SchemaColumn(name="a", type=SchemaType.SchemaColumn.INTEGER)
    lv = Literal(scalar=Scalar(schema=Schema(uri=str(folder), type=SchemaType(columns=[col]))))
    assert list(TypeEngine.to_python_value(ctx, lv, pd.DataFrame).columns) == ["a"]


def test_guess_python_type() -> None:
    lt = TypeEngine.to_literal_type(Annotated[StructuredDataset, kwtypes(a=int)])
    assert TypeEngine.guess_python_type(lt) is StructuredDataset


class _Rows:
    """A toy dataframe type for registry tests."""

    def __init__(self, rows: list[int]) -> None:
        self.rows = rows


class _RowsEncoder(StructuredDatasetEncoder[_Rows]):
    def __init__(self) -> None:
        super().__init__(_Rows, None, "rows")

    def encode(self, ctx: FlyteContext, structured_dataset: StructuredDataset, structured_dataset_type: Any) -> Any:
        uri = ctx.file_access.get_random_remote_path()
        ctx.file_access.write_bytes(uri + "/rows", ",".join(map(str, structured_dataset.dataframe.rows)).encode())
        # a plugin's encoder gets and returns flytekit-style models (`flytelite.models.literals`)
        return models.StructuredDataset(uri=uri, metadata=models.StructuredDatasetMetadata(structured_dataset_type))


class _RowsDecoder(StructuredDatasetDecoder[_Rows]):
    def __init__(self) -> None:
        super().__init__(_Rows, None, "rows")

    def decode(self, ctx: FlyteContext, flyte_value: Any, current_task_metadata: Any) -> Any:
        return _Rows([int(x) for x in ctx.file_access.read_bytes(flyte_value.uri + "/rows").decode().split(",")])


@pytest.fixture
def rows_handlers(registry: Any) -> Iterator[None]:
    saved = {k: dict(v) for k, v in StructuredDatasetTransformerEngine.ENCODERS.items()}
    saved_dec = {k: dict(v) for k, v in StructuredDatasetTransformerEngine.DECODERS.items()}
    StructuredDatasetTransformerEngine.register(_RowsEncoder(), default_format_for_type=True)
    StructuredDatasetTransformerEngine.register(_RowsDecoder(), default_format_for_type=True)
    yield
    for table, old in (
        (StructuredDatasetTransformerEngine.ENCODERS, saved),
        (StructuredDatasetTransformerEngine.DECODERS, saved_dec),
    ):
        table.clear()
        table.update(old)
    StructuredDatasetTransformerEngine.DEFAULT_FORMATS.pop(_Rows, None)


def test_registered_handler_makes_a_new_dataframe_type(ctx: FlyteContext, rows_handlers: None) -> None:
    lv, back = _roundtrip(ctx, _Rows([4, 5]), _Rows)
    assert lv.scalar.structured_dataset.metadata.structured_dataset_type.format == "rows"
    assert back.rows == [4, 5]
    with pytest.raises(DuplicateHandlerError):
        StructuredDatasetTransformerEngine.register(_RowsEncoder())
    StructuredDatasetTransformerEngine.register(_RowsEncoder(), override=True)


def test_handler_registration_rules() -> None:
    with pytest.raises(TypeError):
        StructuredDatasetTransformerEngine.register(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="all protocols"):
        StructuredDatasetTransformerEngine.register(_RowsEncoder(), default_for_type=True)
    with pytest.raises(ValueError, match="Failed to find"):
        StructuredDatasetTransformerEngine.get_encoder(dict, "file", "")


def test_tasks_pass_dataframes_through_a_workflow() -> None:
    @task
    def make() -> Annotated[StructuredDataset, kwtypes(a=int, b=str)]:
        return StructuredDataset(dataframe=DF)

    @task
    def pick(sd: Annotated[StructuredDataset, kwtypes(b=str)]) -> pd.DataFrame:
        return sd.open(pd.DataFrame).all()

    @task
    def count(df: pd.DataFrame) -> int:
        return len(df.columns) * 10 + len(df)

    @workflow
    def wf() -> int:
        return count(df=pick(sd=make()))

    assert wf() == 13


def test_iter_needs_an_iterating_decoder(ctx: FlyteContext) -> None:
    _, sd = _roundtrip(ctx, StructuredDataset(dataframe=DF), StructuredDataset)
    with pytest.raises(TypeTransformerFailedError, match="whole datasets"):
        sd.open(pd.DataFrame).iter()


def test_import_does_not_load_pandas_or_pyarrow() -> None:
    code = (
        "import sys, flytelite.types, flytelite.types.structured, flytelite.types.schema;"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy', 'fsspec') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-(2**62), 2**62), st.floats(allow_nan=False), st.text(max_size=8)),
        min_size=1,
        max_size=20,
    )
)
def test_hypothesis_pandas_roundtrip(rows: list[tuple[int, float, str]]) -> None:
    from flytelite.core.context_manager import FlyteContextManager

    ctx = FlyteContextManager.current_context()
    df = pd.DataFrame(rows, columns=["i", "f", "s"])
    _, back = _roundtrip(ctx, df, pd.DataFrame)
    pd.testing.assert_frame_equal(back, df)
