"""`FlyteSchema`: flytekit's older tabular type (a folder of parquet files), kept for `SQLite3Task` and old code."""

from __future__ import annotations

from flytelite.types._engine import TypeEngine
from flytelite.types.schema.types import (
    FlyteSchema,
    FlyteSchemaTransformer,
    SchemaFormat,
    SchemaOpenMode,
    SchemaReader,
    SchemaWriter,
)

__all__ = [
    "FlyteSchema",
    "FlyteSchemaTransformer",
    "SchemaFormat",
    "SchemaOpenMode",
    "SchemaReader",
    "SchemaWriter",
    "register_schema_types",
]

_transformer = FlyteSchemaTransformer()


def register_schema_types() -> None:
    """Register the `FlyteSchema` transformer (idempotent)."""
    if TypeEngine._REGISTRY.get(FlyteSchema) is not _transformer:
        TypeEngine.register(_transformer, override=True)
