"""Register every built-in transformer, in one place (called once by `flytelite.types`)."""

from __future__ import annotations

import types
import typing

from flytelite.types._base import RestrictedTypeTransformer
from flytelite.types._collections import DictTransformer, ListTransformer
from flytelite.types._dataclass import DataclassTransformer
from flytelite.types._engine import TypeEngine
from flytelite.types._enums import EnumTransformer, LiteralTypeTransformer
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
from flytelite.types._pydantic import PydanticTransformer
from flytelite.types._union import UnionTransformer
from flytelite.types.directory.types import register_directory_transformer
from flytelite.types.file.file import register_file_transformers
from flytelite.types.pickle import FlytePickleTransformer
from flytelite.types.schema import register_schema_types
from flytelite.types.structured import register_structured_dataset_types

__all__ = ["register_builtins"]


def register_builtins() -> None:
    """Register the built-in transformers and the special lookup steps (idempotent)."""
    if TypeEngine._SPECIAL:
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
        TypeEngine.register(simple)
    TypeEngine.register(NoneTransformer, [None])
    TypeEngine.register(ListTransformer())
    TypeEngine.register(UnionTransformer(), [types.UnionType])
    TypeEngine.register(DictTransformer())
    pickle = FlytePickleTransformer()
    TypeEngine.register(pickle)
    TypeEngine.register(RestrictedTypeTransformer("non typed tuple", tuple), [typing.Tuple])
    register_file_transformers()
    register_directory_transformer()
    TypeEngine._set_special("enum", EnumTransformer())
    TypeEngine._set_special("literal", LiteralTypeTransformer())
    TypeEngine._set_special("dataclass", DataclassTransformer())
    TypeEngine._set_special("pydantic", PydanticTransformer())
    TypeEngine._set_special("pickle", pickle)
    register_structured_dataset_types()  # dataframes: pandas/pyarrow load only when such a type is looked up
    register_schema_types()
