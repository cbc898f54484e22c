"""flytekit's `flytekit.core.type_engine` path: re-exports of the type engine in `flytelite.types`."""

from flytelite.types import (
    BatchSize,
    DataclassTransformer,
    DictTransformer,
    EnumTransformer,
    FlyteAnnotation,
    HashMethod,
    ListTransformer,
    LiteralsResolver,
    LiteralTypeTransformer,
    PydanticTransformer,
    RestrictedTypeTransformer,
    SimpleTransformer,
    TypeEngine,
    TypeTransformer,
    TypeTransformerFailedError,
    UnionTransformer,
    get_batch_size,
)
from flytelite.types._base import get_underlying_type, is_annotated

__all__ = [
    "BatchSize",
    "DataclassTransformer",
    "DictTransformer",
    "EnumTransformer",
    "FlyteAnnotation",
    "HashMethod",
    "ListTransformer",
    "LiteralTypeTransformer",
    "LiteralsResolver",
    "PydanticTransformer",
    "RestrictedTypeTransformer",
    "SimpleTransformer",
    "TypeEngine",
    "TypeTransformer",
    "TypeTransformerFailedError",
    "UnionTransformer",
    "get_batch_size",
    "get_underlying_type",
    "is_annotated",
]
