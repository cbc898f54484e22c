"""flytekit's `flytekit.core.type_engine` path: re-exports of the type engine in `flytelite.types`."""

from typing import TYPE_CHECKING, Any

import flytelite.types as _types
from flytelite.types import (
    BatchSize,
    DictTransformer,
    EnumTransformer,
    FlyteAnnotation,
    HashMethod,
    ListTransformer,
    LiteralsResolver,
    LiteralTypeTransformer,
    RestrictedTypeTransformer,
    SimpleTransformer,
    TypeEngine,
    TypeTransformer,
    TypeTransformerFailedError,
    UnionTransformer,
    get_batch_size,
)
from flytelite.types._base import get_underlying_type, is_annotated

if TYPE_CHECKING:
    from flytelite.types import DataclassTransformer, PydanticTransformer

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


def __getattr__(name: str) -> Any:
    # the dataclass and pydantic transformers are registered lazily (`flytelite.types`): their modules load on
    # first access
    if name in ("DataclassTransformer", "PydanticTransformer"):
        return getattr(_types, name)
    raise AttributeError(f"module 'flytelite.core.type_engine' has no attribute {name!r}")
