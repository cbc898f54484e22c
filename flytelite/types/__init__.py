"""The type engine: converting Python values and types to Flyte literals and literal types.

`TypeEngine` is the registry; each transformer family lives in its own module (`_primitives`, `_collections`,
`_union`, `_enums`, `_dataclass`, `_pydantic`, `pickle`). The built-in transformers are registered here, once,
by `register_builtins()`. Plugin transformers register with `TypeEngine.register` or, for optional libraries,
`TypeEngine.register_lazy("package.module.Type", "flytelite.module:Transformer")`.
"""

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
from flytelite.types._collections import DictTransformer, ListTransformer
from flytelite.types._dataclass import DataclassTransformer
from flytelite.types._engine import TypeEngine
from flytelite.types._enums import EnumTransformer, LiteralTypeTransformer
from flytelite.types._pydantic import PydanticTransformer
from flytelite.types._resolver import LiteralsResolver
from flytelite.types._union import UnionTransformer
from flytelite.types.pickle import FlytePickle, FlytePickleTransformer

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
    "TypeTransformer",
    "TypeTransformerFailedError",
    "UnionTransformer",
    "get_batch_size",
]

register_builtins()
