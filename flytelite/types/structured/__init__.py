"""Dataframes as Flyte values: `StructuredDataset`, its transformer and the handler registry.

pandas and pyarrow handlers are registered the first time a handler for `pd.DataFrame` or `pa.Table` is looked up
(`register_structured_dataset_types` sets that up, keyed by the types' qualified names); nothing here imports
pandas or pyarrow. `register_csv_handlers()` is kept for flytekit compatibility (pandas CSV handlers are
registered with the parquet ones).
"""

from __future__ import annotations

import threading

from flyteidl.core.types_pb2 import StructuredDatasetType

from flytelite.types._engine import TypeEngine
from flytelite.types.structured._handlers import (
    CSV,
    GENERIC_FORMAT,
    GENERIC_PROTOCOL,
    PARQUET,
    DuplicateHandlerError,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    StructuredDatasetFormat,
)
from flytelite.types.structured.structured_dataset import (
    StructuredDataset,
    StructuredDatasetTransformerEngine,
    flyte_dataset_transformer,
)

__all__ = [
    "CSV",
    "GENERIC_FORMAT",
    "GENERIC_PROTOCOL",
    "PARQUET",
    "DuplicateHandlerError",
    "StructuredDataset",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "register_arrow_handlers",
    "register_csv_handlers",
    "register_pandas_handlers",
    "register_structured_dataset_types",
]

_PANDAS_NAMES = ("pandas.DataFrame", "pandas.core.frame.DataFrame")  # pandas >= 3 and older spellings
_ARROW_NAMES = ("pyarrow.lib.Table",)
_TRANSFORMER = "flytelite.types.structured.structured_dataset:flyte_dataset_transformer"
_HERE = "flytelite.types.structured"
_done: set[str] = set()
_lock = threading.RLock()


def _once(key: str) -> bool:
    with _lock:
        if key in _done:
            return False
        _done.add(key)
        return True


def register_structured_dataset_types() -> None:
    """Register the `StructuredDataset` transformer and the lazy pandas/pyarrow entries (idempotent)."""
    if not _once("types"):
        return
    TypeEngine.register(flyte_dataset_transformer)
    for name in _PANDAS_NAMES:
        TypeEngine.register_lazy(name, _TRANSFORMER)
        StructuredDatasetTransformerEngine.register_lazy_handlers(name, f"{_HERE}:register_pandas_handlers")
    for name in _ARROW_NAMES:
        TypeEngine.register_lazy(name, _TRANSFORMER)
        StructuredDatasetTransformerEngine.register_lazy_handlers(name, f"{_HERE}:register_arrow_handlers")


def _register_all(*handlers: StructuredDatasetEncoder[object] | StructuredDatasetDecoder[object]) -> None:
    for h in handlers:
        try:
            StructuredDatasetTransformerEngine.register(h, default_format_for_type=True)
        except DuplicateHandlerError:
            continue  # registered already (e.g. by the user); keep theirs


def register_pandas_handlers() -> None:
    """Register the pandas parquet (the default format) and CSV handlers (imports pandas; idempotent)."""
    if not _once("pandas"):
        return
    from flytelite.types.structured import basic_dfs

    _register_all(
        basic_dfs.PandasToParquetEncodingHandler(),
        basic_dfs.ParquetToPandasDecodingHandler(),
        basic_dfs.PandasToCSVEncodingHandler(),
        basic_dfs.CSVToPandasDecodingHandler(),
    )


def register_csv_handlers() -> None:
    """Make sure the pandas CSV handlers are registered (`Annotated[StructuredDataset, "csv"]`; idempotent).

    They come with the pandas handlers, so parquet stays the default format of `pd.DataFrame`.
    """
    register_pandas_handlers()


def register_arrow_handlers() -> None:
    """Register the pyarrow parquet handlers (imports pyarrow; idempotent)."""
    if not _once("arrow"):
        return
    from flytelite.types.structured import basic_dfs

    _register_all(basic_dfs.ArrowToParquetEncodingHandler(), basic_dfs.ParquetToArrowDecodingHandler())


register_structured_dataset_types()
