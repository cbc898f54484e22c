"""Encoders and decoders for pandas `DataFrame` (parquet, CSV) and pyarrow `Table` (parquet).

This module imports pandas and pyarrow; it is loaded only when a handler for one of their types is first looked up.
Data lives in a folder: parquet in `<uri>/00000`, CSV in `<uri>/.csv` (flytekit's names). Remote folders are
written locally first and uploaded in one step (and downloaded before reading), through `ctx.file_access`.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from flyteidl.core.literals_pb2 import StructuredDataset as StructuredDatasetLiteral
from flyteidl.core.literals_pb2 import StructuredDatasetMetadata
from flyteidl.core.types_pb2 import StructuredDatasetType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteDataNotFoundException
from flytelite.storage import is_remote
from flytelite.types.structured._handlers import (
    CSV,
    PARQUET,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
)
from flytelite.types.structured.structured_dataset import StructuredDataset

__all__ = [
    "ArrowToParquetEncodingHandler",
    "CSVToPandasDecodingHandler",
    "PandasToCSVEncodingHandler",
    "PandasToParquetEncodingHandler",
    "ParquetToArrowDecodingHandler",
    "ParquetToPandasDecodingHandler",
]

PARQUET_FILE = f"{0:05}"
CSV_FILE = ".csv"


def _strip_file(uri: str) -> str:
    return uri[len("file://") :] if uri.startswith("file://") else uri


def _target(ctx: FlyteContext, sd: StructuredDataset) -> tuple[str, str]:
    """Return (uri, local folder to write into) for a dataset about to be written."""
    fa = ctx.file_access
    uri = sd.uri or fa.join(fa.raw_output_prefix, fa.get_random_string())
    local = fa.get_random_local_directory() if is_remote(uri) else _strip_file(uri)
    os.makedirs(local, exist_ok=True)
    return uri, local


def _finish(ctx: FlyteContext, local: str, uri: str, sdt: StructuredDatasetType, fmt: str) -> StructuredDatasetLiteral:
    if is_remote(uri):
        ctx.file_access.put_data(local, uri, is_multipart=True)
    sdt.format = fmt
    return StructuredDatasetLiteral(uri=uri, metadata=StructuredDatasetMetadata(structured_dataset_type=sdt))


def _source(ctx: FlyteContext, uri: str) -> str:
    """Return a local folder holding the dataset at `uri` (downloaded first if remote)."""
    if not is_remote(uri):
        return _strip_file(uri)
    local = ctx.file_access.get_random_local_directory()
    ctx.file_access.get_data(uri, local, is_multipart=True)
    if not os.listdir(local):  # an object store has no empty folders: nothing was ever written there
        raise FlyteDataNotFoundException(uri, f"cannot read the dataset at {uri}: nothing is stored there")
    return local


def _columns(meta: StructuredDatasetMetadata) -> list[str] | None:
    cols = [c.name for c in meta.structured_dataset_type.columns]
    return cols or None


class PandasToParquetEncodingHandler(StructuredDatasetEncoder[pd.DataFrame]):
    """Write a pandas DataFrame as `<uri>/00000` (parquet, timestamps in microseconds)."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def encode(
        self, ctx: FlyteContext, structured_dataset: StructuredDataset, structured_dataset_type: StructuredDatasetType
    ) -> StructuredDatasetLiteral:
        """Write the dataframe and return its literal."""
        uri, local = _target(ctx, structured_dataset)
        df: pd.DataFrame = structured_dataset.dataframe
        df.to_parquet(os.path.join(local, PARQUET_FILE), coerce_timestamps="us", allow_truncated_timestamps=False)
        return _finish(ctx, local, uri, structured_dataset_type, PARQUET)


class ParquetToPandasDecodingHandler(StructuredDatasetDecoder[pd.DataFrame]):
    """Read a parquet dataset folder into a pandas DataFrame (only the requested columns)."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def decode(
        self, ctx: FlyteContext, flyte_value: StructuredDatasetLiteral, current_task_metadata: StructuredDatasetMetadata
    ) -> pd.DataFrame:
        """Read the dataset."""
        return pd.read_parquet(_source(ctx, flyte_value.uri), columns=_columns(current_task_metadata))


class PandasToCSVEncodingHandler(StructuredDatasetEncoder[pd.DataFrame]):
    """Write a pandas DataFrame as `<uri>/.csv` (no index)."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def encode(
        self, ctx: FlyteContext, structured_dataset: StructuredDataset, structured_dataset_type: StructuredDatasetType
    ) -> StructuredDatasetLiteral:
        """Write the dataframe and return its literal."""
        uri, local = _target(ctx, structured_dataset)
        df: pd.DataFrame = structured_dataset.dataframe
        df.to_csv(os.path.join(local, CSV_FILE), index=False)
        return _finish(ctx, local, uri, structured_dataset_type, CSV)


class CSVToPandasDecodingHandler(StructuredDatasetDecoder[pd.DataFrame]):
    """Read `<uri>/.csv` into a pandas DataFrame (only the requested columns)."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def decode(
        self, ctx: FlyteContext, flyte_value: StructuredDatasetLiteral, current_task_metadata: StructuredDatasetMetadata
    ) -> pd.DataFrame:
        """Read the dataset."""
        path = os.path.join(_source(ctx, flyte_value.uri), CSV_FILE)
        return pd.read_csv(path, usecols=_columns(current_task_metadata))


class ArrowToParquetEncodingHandler(StructuredDatasetEncoder[pa.Table]):
    """Write a pyarrow Table as `<uri>/00000` (parquet)."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def encode(
        self, ctx: FlyteContext, structured_dataset: StructuredDataset, structured_dataset_type: StructuredDatasetType
    ) -> StructuredDatasetLiteral:
        """Write the table and return its literal."""
        uri, local = _target(ctx, structured_dataset)
        pq.write_table(structured_dataset.dataframe, os.path.join(local, PARQUET_FILE))
        return _finish(ctx, local, uri, structured_dataset_type, PARQUET)


class ParquetToArrowDecodingHandler(StructuredDatasetDecoder[pa.Table]):
    """Read a parquet dataset folder into a pyarrow Table (only the requested columns)."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def decode(
        self, ctx: FlyteContext, flyte_value: StructuredDatasetLiteral, current_task_metadata: StructuredDatasetMetadata
    ) -> Any:
        """Read the dataset."""
        return pq.read_table(_source(ctx, flyte_value.uri), columns=_columns(current_task_metadata))
