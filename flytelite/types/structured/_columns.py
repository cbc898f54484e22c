"""The columns of a structured dataset type: from `Annotated[..., kwtypes(...)]` to literal columns.

`extract_cols_and_format` splits an annotated dataframe type into its base type, columns, format and Arrow schema;
`dataset_columns` turns the columns into the literal type's `DatasetColumn`s. Users import `flatten_dict` and
`extract_cols_and_format` from `flytelite.types.structured.structured_dataset` (flytekit's path), which re-exports
them.
"""

from __future__ import annotations

import collections
import dataclasses
import typing
from typing import Any

from flyteidl.core.types_pb2 import LiteralType, SchemaType, SimpleType, StructuredDatasetType

from flytelite.errors import TypeTransformerFailedError
from flytelite.types._base import type_name
from flytelite.types.structured._handlers import GENERIC_FORMAT

__all__ = [
    "SCHEMA_TO_SIMPLE",
    "dataset_columns",
    "extract_cols_and_format",
    "flatten_dict",
    "frame_columns",
    "get_supported_types",
]

_COLUMN_TYPES: dict[str, int] = {
    "builtins.int": SimpleType.INTEGER,
    "builtins.float": SimpleType.FLOAT,
    "builtins.bool": SimpleType.BOOLEAN,
    "builtins.str": SimpleType.STRING,
    "datetime.datetime": SimpleType.DATETIME,
    "datetime.timedelta": SimpleType.DURATION,
    **{f"numpy.{n}": SimpleType.INTEGER for n in ("int32", "int64", "uint32", "uint64")},
    **{f"numpy.{n}": SimpleType.FLOAT for n in ("float32", "float64")},
    "numpy.bool": SimpleType.BOOLEAN,
    "numpy.bool_": SimpleType.BOOLEAN,
    "numpy.datetime64": SimpleType.DATETIME,
    "numpy.timedelta64": SimpleType.DURATION,
    **{f"numpy.{n}": SimpleType.STRING for n in ("bytes_", "str_", "object_")},
}
SCHEMA_TO_SIMPLE = {
    SchemaType.SchemaColumn.INTEGER: SimpleType.INTEGER,
    SchemaType.SchemaColumn.FLOAT: SimpleType.FLOAT,
    SchemaType.SchemaColumn.STRING: SimpleType.STRING,
    SchemaType.SchemaColumn.BOOLEAN: SimpleType.BOOLEAN,
    SchemaType.SchemaColumn.DATETIME: SimpleType.DATETIME,
    SchemaType.SchemaColumn.DURATION: SimpleType.DURATION,
}
"""The simple type of each column type of the older `schema` literal (read as a dataset)."""


def get_supported_types() -> dict[type, LiteralType]:
    """Return the column types a dataset's column map may name, with their literal types (numpy's if installed)."""
    import builtins
    import datetime
    import importlib.util

    modules: dict[str, Any] = {"builtins": builtins, "datetime": datetime}
    if importlib.util.find_spec("numpy") is not None:
        import numpy  # local import: optional dependency, loaded only when asked for its types

        modules["numpy"] = numpy
    out: dict[type, LiteralType] = {}
    for qualified, simple in _COLUMN_TYPES.items():
        module, _, name = qualified.rpartition(".")
        t = getattr(modules.get(module), name, None)
        if isinstance(t, type):
            out[t] = LiteralType(simple=simple)
    return out


def _qualified_name(c: Any) -> str:
    return f"{getattr(c, '__module__', '')}.{getattr(c, '__qualname__', '')}"


def flatten_dict(sub_dict: dict[str, Any], parent_key: str = "") -> dict[str, Any]:
    """Flatten nested column maps (and dataclasses) into `{"a.b": type}`."""
    result: dict[str, Any] = {}
    for key, value in sub_dict.items():
        current = f"{parent_key}.{key}" if parent_key else key
        if isinstance(value, dict):
            result.update(flatten_dict(value, current))
        elif dataclasses.is_dataclass(value):
            result.update(flatten_dict({f.name: f.type for f in dataclasses.fields(value)}, current))
        else:
            result[current] = value
    return result


def extract_cols_and_format(
    t: Any,
) -> tuple[Any, collections.OrderedDict[str, Any] | None, str | None, Any]:
    """Split `Annotated[T, ...]` into (T, columns, format, Arrow schema); a plain type gives (T, None, "", None).

    Raises:
        ValueError: two formats or two Arrow schemas are given.
    """
    if typing.get_origin(t) is not typing.Annotated:
        return t, None, GENERIC_FORMAT, None
    base, *extras = typing.get_args(t)
    cols: collections.OrderedDict[str, Any] | None = None
    fmt = GENERIC_FORMAT
    pa_schema = None
    for a in extras:
        if isinstance(a, dict):
            cols = collections.OrderedDict(a)
        elif isinstance(a, str):
            if fmt:
                raise ValueError(f"A format was already specified {fmt}, cannot use {a}")
            fmt = a
        elif _qualified_name(type(a)) == "pyarrow.lib.Schema":
            if pa_schema is not None:
                raise ValueError(f"Arrow schema was already found {pa_schema}, cannot use {a}")
            pa_schema = a
        elif isinstance(a, type) and hasattr(a, "__annotations__") and a.__annotations__:
            cols = collections.OrderedDict(a.__annotations__)
    return base, cols, fmt, pa_schema


def _column_literal_type(t: Any) -> LiteralType:
    simple = _COLUMN_TYPES.get(_qualified_name(t))
    if simple is not None:
        return LiteralType(simple=simple)
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is list and args:
        return LiteralType(collection_type=_column_literal_type(args[0]))
    if origin is dict and len(args) == 2:
        return LiteralType(map_value_type=_column_literal_type(args[1]))
    raise TypeTransformerFailedError(f"type {type_name(t)} is currently not supported by StructuredDataset")


def dataset_columns(column_map: dict[str, Any] | None) -> list[StructuredDatasetType.DatasetColumn]:
    """Return the literal columns of a column map (nested maps and dataclasses flattened to `a.b`)."""
    return [
        StructuredDatasetType.DatasetColumn(name=k, literal_type=_column_literal_type(v))
        for k, v in flatten_dict(dict(column_map or {})).items()
    ]


def frame_columns(df: Any) -> list[str] | None:
    """Return the column names of a pandas/pyarrow-like dataframe, or None when it has no readable names."""
    names = getattr(df, "column_names", None)  # pyarrow
    if names is None:
        names = getattr(df, "columns", None)  # pandas and most others
    try:
        return [str(c) for c in names] if names is not None and not callable(names) else None
    except TypeError:
        return None
