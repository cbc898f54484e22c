"""flytekit's `flytekit.core.type_engine` path: re-exports of the type engine in `flytelite.types`."""

from typing import TYPE_CHECKING, Any

import flytelite.types as _types
from flytelite.types import (
    BatchSize,
    FlyteAnnotation,
    HashMethod,
    RestrictedTypeTransformer,
    SimpleTransformer,
    TypeEngine,
    TypeTransformer,
    TypeTransformerFailedError,
    get_batch_size,
)
from flytelite.types._base import get_underlying_type, is_annotated

if TYPE_CHECKING:
    from flytelite.types import (
        DataclassTransformer,
        DictTransformer,
        EnumTransformer,
        ListTransformer,
        LiteralsResolver,
        LiteralTypeTransformer,
        PydanticTransformer,
        UnionTransformer,
    )

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


_LAZY = frozenset(
    (
        "DataclassTransformer",
        "DictTransformer",
        "EnumTransformer",
        "ListTransformer",
        "LiteralTypeTransformer",
        "LiteralsResolver",
        "PydanticTransformer",
        "UnionTransformer",
    )
)


def __getattr__(name: str) -> Any:
    # the dataclass, pydantic, list, dict, union and enum transformers and `LiteralsResolver` load on first access,
    # as in `flytelite.types`
    if name in _LAZY:
        return getattr(_types, name)
    raise AttributeError(f"module 'flytelite.core.type_engine' has no attribute {name!r}")
