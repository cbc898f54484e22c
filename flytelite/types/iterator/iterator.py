"""`Iterator[T]` as a literal collection: the items of a returned iterator or generator, read back lazily."""

from __future__ import annotations

import collections.abc
import typing
from typing import Any

from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import LiteralType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.types._base import TypeTransformer, describe_literal, get_underlying_type, mismatch, type_name, with_path
from flytelite.types._collections import encode_items
from flytelite.types._engine import TypeEngine

__all__ = ["FlyteIterator", "IteratorTransformer"]

_CONVERSION_ERRORS = (TypeError, ValueError, KeyError, AttributeError)


def _item_type(t: Any) -> Any:
    """Return `T` of `Iterator[T]` (or of `Generator[T, ...]`).

    Raises:
        FlyteValidationException: the iterator type names no item type.
    """
    args = typing.get_args(get_underlying_type(t))
    if not args:
        raise FlyteValidationException(f"an iterator type must name its item type (Iterator[T]), got {type_name(t)}")
    return args[0]


class FlyteIterator(collections.abc.Iterator[Any]):
    """The items of a collection literal, converted to `T` one at a time as they are reached.

    It has a length, and iterating it again starts from the first item.

    Args:
        ctx: the context the items are converted in.
        lv: the collection literal.
        expected_python_type: `Iterator[T]`.
        length: the number of items (defaults to the collection's length).
    """

    def __init__(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any, length: int | None = None) -> None:
        self._ctx = ctx
        self._lv = lv
        self._expected_python_type = expected_python_type
        self._item = _item_type(expected_python_type)
        self._length = len(lv.collection.literals) if length is None else length
        self._index = 0

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> FlyteIterator:
        self._index = 0
        return self

    def __next__(self) -> Any:
        if self._index >= self._length:
            raise StopIteration
        i = self._index
        try:
            value = TypeEngine.to_python_value(self._ctx, self._lv.collection.literals[i], self._item)
        except _CONVERSION_ERRORS as exc:
            raise with_path(exc, f"[{i}]") from exc
        self._index = i + 1
        return value


class IteratorTransformer(TypeTransformer[collections.abc.Iterator[Any]]):
    """Convert `Iterator[T]` to a `LiteralCollection` of its items, and back to a `FlyteIterator`."""

    def __init__(self) -> None:
        super().__init__("Typed Iterator", collections.abc.Iterator)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return `collection_type` of the item's LiteralType."""
        return LiteralType(collection_type=TypeEngine.to_literal_type(_item_type(t)))

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept any iterable (an iterator, a generator, or a list given as a call argument)."""
        if not isinstance(v, collections.abc.Iterable) or isinstance(v, (str, bytes)):
            raise mismatch(type_name(t), v)

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Consume the iterator and return a collection literal of its converted items."""
        out = Literal()
        encode_items(ctx, python_val, TypeEngine.encoder(_item_type(python_type)), out)
        return out

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> FlyteIterator:
        """Return a `FlyteIterator` over the collection's items.

        Raises:
            TypeTransformerFailedError: the literal is not a collection.
        """
        if lv.WhichOneof("value") != "collection":
            raise TypeTransformerFailedError(
                f"expected a collection literal for {type_name(expected_python_type)}, got {describe_literal(lv)}"
            )
        return FlyteIterator(ctx, lv, expected_python_type)
