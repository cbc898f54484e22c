"""Type messages (`flyteidl.core.types_pb2`) at flytekit's `models.types` path."""

from flyteidl.core.types_pb2 import (
    BlobType,
    EnumType,
    Error,
    LiteralType,
    OutputReference,
    PromiseAttribute,
    SchemaType,
    SimpleType,
    StructuredDatasetType,
    TypeAnnotation,
    TypeStructure,
    UnionType,
)

__all__ = [
    "BlobType",
    "EnumType",
    "Error",
    "LiteralType",
    "OutputReference",
    "PromiseAttribute",
    "SchemaType",
    "SimpleType",
    "StructuredDatasetType",
    "TypeAnnotation",
    "TypeStructure",
    "UnionType",
]
