"""Register every built-in transformer, in one place (called once by `flytelite.types` for the default registry).

The scalar transformers are registered here directly. The list, dict, union, enum, `Literal` and iterator
transformers hold their slots by name (`register_deferred`, `set_deferred_special`): a task of plain scalars does not
import them, and lookups and `guess_python_type` see them in the same places as if they were loaded. The families
that need more code or modules (dataclasses, files, folders, dataframes, `FlyteSchema`, pickle, pydantic) are
registered lazily, keyed by the qualified name of the type they serve: their module is imported the first time such
a type is looked up, or when `guess_python_type` meets a literal type of a kind they can reverse (a blob, a
structured dataset, a schema). So `from flytelite import task` does not import the file, folder or dataframe code.
"""

from __future__ import annotations

import collections.abc
import types
import typing

from flytelite.types._base import RestrictedTypeTransformer
from flytelite.types._primitives import (
    BoolTransformer,
    DatetimeTransformer,
    DateTransformer,
    FloatTransformer,
    IntTransformer,
    NoneTransformer,
    StrTransformer,
    TimedeltaTransformer,
)
from flytelite.types._registry import TypeRegistry

# `typing.Iterator[JSON]` as `flytelite.types.iterator.json_iterator` spells it (unions flatten, so the two are
# equal): the JSON iterator's key, written here so that registering it imports nothing.
_JSON = typing.Union[typing.Dict[str, typing.Any], typing.List[typing.Any], bool, float, int, str]
_JSON_ITERATOR_KEY = typing.Iterator[_JSON]

__all__ = ["register_builtins"]

_PICKLE = "flytelite.types.pickle:flyte_pickle_transformer"
_FILE = "flytelite.types.file.file:flyte_file_transformer"
_SD = "flytelite.types.structured.structured_dataset:flyte_dataset_transformer"

# qualified type name -> ("module:transformer", kinds of LiteralType the transformer can reverse), in the order
# `guess_python_type` tries them (pickle before files: both reverse blobs).
_LAZY_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "flytelite.types.pickle.FlytePickle": (_PICKLE, ("blob",)),
    "flytelite.types.file.file.FlyteFile": (_FILE, ("blob",)),
    "os.PathLike": (_FILE, ()),
    "typing.TextIO": ("flytelite.types.file._io:TextIOTransformer", ()),
    "typing.BinaryIO": ("flytelite.types.file._io:BinaryIOTransformer", ()),
    "flytelite.types.directory.types.FlyteDirectory": (
        "flytelite.types.directory.types:flyte_directory_transformer",
        ("blob",),
    ),
    "flytelite.types.structured.structured_dataset.StructuredDataset": (_SD, ("structured_dataset_type",)),
    # dataframes: pandas/pyarrow load only when such a type is looked up (pandas >= 3 and older spellings)
    "pandas.DataFrame": (_SD, ()),
    "pandas.core.frame.DataFrame": (_SD, ()),
    "pyarrow.lib.Table": (_SD, ()),
    "flytelite.types.schema.types.FlyteSchema": ("flytelite.types.schema:flyte_schema_transformer", ("schema",)),
    # `flytelite.types.error` registers itself on import; the entry also serves a registry copied before that import
    "flytelite.types.error.error.FlyteError": ("flytelite.types.error.error:ErrorTransformer", ()),
}


def register_builtins(registry: TypeRegistry) -> None:
    """Register the built-in transformers and the special lookup steps in `registry` (idempotent)."""
    if registry.registered(int) is IntTransformer:
        return
    for simple in (
        IntTransformer,
        FloatTransformer,
        StrTransformer,
        DatetimeTransformer,
        DateTransformer,
        TimedeltaTransformer,
        BoolTransformer,
    ):
        registry.register(simple)
    registry.register(NoneTransformer, [None])
    registry.register_deferred("flytelite.types._collections:ListTransformer", [list])
    registry.register_deferred("flytelite.types._union:UnionTransformer", [typing.Union, types.UnionType])
    registry.register_deferred("flytelite.types._collections:DictTransformer", [dict])
    registry.register(RestrictedTypeTransformer("non typed tuple", tuple), [typing.Tuple])
    # `Iterator[T]` (origin `collections.abc.Iterator`; a `Generator` through its MRO); the exact
    # `typing.Iterator[JSON]` is a JSON Lines blob instead.
    registry.register_deferred("flytelite.types.iterator.iterator:IteratorTransformer", [collections.abc.Iterator])
    registry.register_deferred("flytelite.types.iterator.json_iterator:JSONIteratorTransformer", [_JSON_ITERATOR_KEY])
    registry.set_deferred_special("enum", "flytelite.types._enums:EnumTransformer")
    registry.set_deferred_special("literal", "flytelite.types._enums:LiteralTypeTransformer")
    # `json`, the JSON-schema reader and the path coercions load with the first dataclass (or dataclass STRUCT).
    registry.set_lazy_special("dataclass", "flytelite.types._dataclass:DataclassTransformer", ("simple",))
    registry.set_lazy_special("pydantic", "flytelite.types._pydantic:PydanticTransformer")
    registry.set_lazy_special("pickle", _PICKLE, ("blob",))
    for name, (target, kinds) in _LAZY_FAMILIES.items():
        registry.register_lazy(name, target, kinds)
