"""The type engine: converting Python values and types to Flyte literals and literal types.

`TypeEngine` is flytekit's classmethod API over the active `TypeRegistry`, which holds the transformers, the
written lookup order and the memos; each transformer family lives in its own module (`_primitives`,
`_collections`, `_union`, `_enums`, `_dataclass`, `_pydantic`, `pickle`). The built-in transformers are registered
here, once, by `register_builtins()`. Plugin transformers register with `TypeEngine.register` or, for optional
libraries, `TypeEngine.register_lazy("package.module.Type", "flytelite.module:Transformer")`. The pickle and
pydantic transformers are lazily registered too, and the list, dict, union, enum and iterator transformers hold
their places by name, so their modules (and their names here, with `LiteralsResolver`) load on first use.
Isolate registrations (in tests) with `with TypeEngine.using(TypeEngine.registry().copy()) as registry: ...`.
"""

import importlib
from typing import TYPE_CHECKING, Any

from flytelite.types._base import (
    BatchSize,
    FlyteAnnotation,
    HashMethod,
    RestrictedTypeTransformer,
    SimpleTransformer,
    TypeTransformer,
    TypeTransformerFailedError,
    get_batch_size,
)
from flytelite.types._builtins import register_builtins
from flytelite.types._engine import TypeEngine
from flytelite.types._registry import TypeRegistry

__all__ = [
    "BatchSize",
    "DataclassTransformer",
    "DictTransformer",
    "EnumTransformer",
    "FlyteAnnotation",
    "FlytePickle",
    "FlytePickleTransformer",
    "HashMethod",
    "ListTransformer",
    "LiteralTypeTransformer",
    "LiteralsResolver",
    "PydanticTransformer",
    "RestrictedTypeTransformer",
    "SimpleTransformer",
    "TypeEngine",
    "TypeRegistry",
    "TypeTransformer",
    "TypeTransformerFailedError",
    "UnionTransformer",
    "get_batch_size",
]

# name -> module of the lazily registered transformers, imported on first access
_LAZY_NAMES = {
    "DataclassTransformer": "flytelite.types._dataclass",
    "DictTransformer": "flytelite.types._collections",
    "ListTransformer": "flytelite.types._collections",
    "EnumTransformer": "flytelite.types._enums",
    "LiteralTypeTransformer": "flytelite.types._enums",
    "LiteralsResolver": "flytelite.types._resolver",
    "UnionTransformer": "flytelite.types._union",
    "FlytePickle": "flytelite.types.pickle",
    "FlytePickleTransformer": "flytelite.types.pickle",
    "PydanticTransformer": "flytelite.types._pydantic",
}


def __getattr__(name: str) -> Any:
    module = _LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'flytelite.types' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from flytelite.types._collections import DictTransformer, ListTransformer
    from flytelite.types._dataclass import DataclassTransformer
    from flytelite.types._enums import EnumTransformer, LiteralTypeTransformer
    from flytelite.types._pydantic import PydanticTransformer
    from flytelite.types._resolver import LiteralsResolver
    from flytelite.types._union import UnionTransformer
    from flytelite.types.pickle import FlytePickle, FlytePickleTransformer

register_builtins(TypeEngine.registry())
