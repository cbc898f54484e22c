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
    "flyte_schema_transformer",
    "register_schema_types",
]

flyte_schema_transformer = FlyteSchemaTransformer()
"""The `FlyteSchema` transformer (registered lazily by `flytelite.types`)."""


def register_schema_types() -> None:
    """Register the `FlyteSchema` transformer now (idempotent); `flytelite.types` registers it lazily already."""
    if TypeEngine.registry().registered(FlyteSchema) is not flyte_schema_transformer:
        TypeEngine.register(flyte_schema_transformer, override=True)
