"""Turn Python values and literals into JSON-shaped data and JSON text: printed outputs, defaults and failed inputs.

`literal_to_jsonable` serves failure reports only, so the modules it alone needs (`msgpack`,
`google.protobuf.json_format`, ~2 ms together) are imported when it meets a literal that needs them. `json_text`
writes `None`, booleans, integers and finite floats itself: a run whose outputs are such scalars loads no `json`
(~1.5 ms).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import math
import os
from typing import Any

from flyteidl.core.literals_pb2 import Literal

__all__ = ["json_text", "literal_to_jsonable", "to_jsonable"]

_MAX_ROWS = 1000


def to_jsonable(value: Any) -> Any:
    """Return `value` as data `json.dumps` accepts: dataclasses and models as dicts, files as paths, and so on.

    A dataframe becomes a list of row dicts (up to 1,000 rows); anything unknown becomes its `repr`.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, os.PathLike):  # FlyteFile, FlyteDirectory, pathlib paths
        return os.fspath(value)
    if any(c.__name__ == "StructuredDataset" for c in type(value).__mro__) and getattr(value, "uri", None):
        return str(value.uri)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if callable(getattr(value, "model_dump", None)):  # pydantic v2
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if callable(getattr(value, "to_dict", None)) and hasattr(value, "columns"):  # a pandas DataFrame
        return value.head(_MAX_ROWS).to_dict(orient="records")
    return repr(value)


def json_text(plain: Any, indent: int | None = None) -> str:
    """Return `json.dumps(plain, indent=indent, default=str)` (`plain` as `to_jsonable` returns it)."""
    if plain is None or isinstance(plain, bool):
        return "null" if plain is None else "true" if plain else "false"
    kind = type(plain)
    if kind is int or (kind is float and math.isfinite(plain)):  # json writes these as their repr
        return repr(plain)
    import json  # see the module docstring

    return json.dumps(plain, indent=indent, default=str)


def literal_to_jsonable(lit: Literal) -> Any:
    """Return a literal as JSON-shaped data without knowing its Python type (for showing a failed node's inputs)."""
    if lit.HasField("collection"):
        return [literal_to_jsonable(x) for x in lit.collection.literals]
    if lit.HasField("map"):
        return {k: literal_to_jsonable(v) for k, v in lit.map.literals.items()}
    if lit.HasField("offloaded_metadata"):
        return f"<offloaded: {lit.offloaded_metadata.uri}>"
    sc = lit.scalar
    kind = sc.WhichOneof("value")
    if kind == "primitive":
        which = sc.primitive.WhichOneof("value")
        if which == "datetime":
            return sc.primitive.datetime.ToDatetime().isoformat()
        if which == "duration":
            return sc.primitive.duration.ToTimedelta().total_seconds()
        return getattr(sc.primitive, which) if which else None
    if kind == "none_type":
        return None
    if kind == "union":
        return literal_to_jsonable(sc.union.value)
    if kind == "binary":
        if sc.binary.tag == "msgpack":
            import msgpack  # see the module docstring

            return msgpack.unpackb(sc.binary.value, strict_map_key=False)
        return f"<{len(sc.binary.value)} bytes, tag {sc.binary.tag!r}>"
    if kind == "blob":
        return sc.blob.uri
    if kind == "structured_dataset":
        return sc.structured_dataset.uri
    if kind == "error":
        return f"<error from {sc.error.failed_node_id}: {sc.error.message}>"
    if not kind:
        return None
    from google.protobuf.json_format import MessageToDict  # see the module docstring

    return MessageToDict(sc.generic if kind == "generic" else lit)
