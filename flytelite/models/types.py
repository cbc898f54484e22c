"""flytekit's `flytekit.models.types` classes, as views over `flyteidl.core.types_pb2` (see `_view`).

```python
LiteralType(simple=SimpleType.INTEGER)
LiteralType(collection_type=LiteralType(simple=SimpleType.STRING)).collection_type.simple   # 3
```
"""

from __future__ import annotations

from typing import Any

from flyteidl.core import types_pb2 as _pb

from flytelite.models._view import View, consts, f
from flytelite.models.annotation import TypeAnnotation
from flytelite.models.core.types import BlobType, EnumType

__all__ = [
    "BlobType",
    "EnumType",
    "Error",
    "LiteralType",
    "OutputReference",
    "SchemaType",
    "SimpleType",
    "StructuredDatasetType",
    "TypeAnnotation",
    "TypeStructure",
    "UnionType",
]

SimpleType = consts("SimpleType", dict(_pb.SimpleType.items()))


class SchemaType(View):
    """The (legacy) schema type: its `columns`."""

    class SchemaColumn(View):
        """A named, typed schema column."""

        SchemaColumnType = consts("SchemaColumnType", dict(_pb.SchemaType.SchemaColumn.SchemaColumnType.items()))

        _PB = _pb.SchemaType.SchemaColumn
        _FIELDS = (f("name"), f("type"))

    _PB = _pb.SchemaType
    _FIELDS = (f("columns"),)


class UnionType(View):
    """The type of a union: its `variants` (LiteralTypes, each with a `structure.tag`)."""

    _PB = _pb.UnionType
    _FIELDS = (f("variants"),)


class TypeStructure(View):
    """The tag of a union variant (the transformer name) and the literal types of a dataclass's fields."""

    _PB = _pb.TypeStructure
    _FIELDS = (f("tag"), f("dataclass_type"))


class StructuredDatasetType(View):
    """The type of a structured dataset: columns, storage `format`, and an optional external schema."""

    class DatasetColumn(View):
        """A named, typed column."""

        _PB = _pb.StructuredDatasetType.DatasetColumn
        _FIELDS = (f("name"), f("literal_type"))

    _PB = _pb.StructuredDatasetType
    _FIELDS = (
        f("columns"),
        f("format"),
        f("external_schema_type", conv="none_if_empty"),
        f("external_schema_bytes", conv="none_if_empty"),
    )


class LiteralType(View):
    """A Flyte type: one of simple, schema, collection_type, map_value_type, blob, enum_type, union_type, ...

    `metadata` reads as a dict, `annotation` as a `TypeAnnotation`.
    """

    _PB = _pb.LiteralType
    _FIELDS = (
        f("simple"),
        f("schema"),
        f("collection_type"),
        f("map_value_type"),
        f("blob"),
        f("enum_type"),
        f("union_type"),
        f("structured_dataset_type"),
        f("metadata", conv="dict"),
        f("structure"),
        f("annotation"),
    )


def _read_attr_path(pb: Any) -> list[str | int]:
    return [a.string_value if a.WhichOneof("value") == "string_value" else a.int_value for a in pb.attr_path]


def _write_attr_path(pb: Any, path: Any) -> None:
    for a in path:
        if isinstance(a, str):
            pb.attr_path.add(string_value=a)
        elif isinstance(a, int):
            pb.attr_path.add(int_value=a)
        else:
            pb.attr_path.add().CopyFrom(a)


class OutputReference(View):
    """A reference to an output of another node: `OutputReference("n0", "o0", ["a", 0])`."""

    _PB = _pb.OutputReference
    _FIELDS = (f("node_id"), f("var"), f("attr_path", read=_read_attr_path, write=_write_attr_path))


class Error(View):
    """An error value: the failed node and the message."""

    _PB = _pb.Error
    _FIELDS = (f("failed_node_id"), f("message"))
