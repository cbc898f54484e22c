"""Transformers for `list[T]` (a literal collection) and dicts (a literal map, or msgpack for untyped dicts).

Both build their element converters once per type (`TypeEngine.encoder(T)`) and fill the protobufs in place,
so converting the 100,000th element costs a call. Errors name the element: `[3]`, `['key']`.
"""

from __future__ import annotations

import collections
import typing
from typing import Any

from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.types._base import (
    CACHE_KEY_METADATA,
    MESSAGEPACK,
    SERIALIZATION_FORMAT,
    Decoder,
    Encoder,
    FlyteAnnotation,
    TypeTransformer,
    describe_literal,
    get_underlying_type,
    is_annotated,
    mismatch,
    struct_to_python,
    type_name,
    with_path,
)
from flytelite.types._codecs import msgpack, msgpack_encoder, unpack
from flytelite.types._engine import TypeEngine

__all__ = ["DictTransformer", "ListTransformer"]

_CONVERSION_ERRORS = (TypeError, ValueError, KeyError, AttributeError)


def encode_items(ctx: FlyteContext, items: typing.Iterable[Any], element: Encoder, out: Literal) -> None:
    """Fill `out` with a collection of `items` encoded by `element`; a failure names the item's index (`[3]`)."""
    coll = out.collection
    coll.SetInParent()
    add = coll.literals.add
    try:
        for x in items:
            element(ctx, x, add())
    except _CONVERSION_ERRORS as exc:
        raise with_path(exc, f"[{len(coll.literals) - 1}]") from exc


class ListTransformer(TypeTransformer[list[Any]]):
    """Convert `list[T]` / `typing.List[T]` to a `LiteralCollection` and back."""

    def __init__(self) -> None:
        super().__init__("Typed List", list)

    @staticmethod
    def get_sub_type(t: Any) -> Any:
        """Return `T` of `list[T]` (through `Annotated`).

        Raises:
            ValueError: `t` is a bare `list`.
        """
        sub = ListTransformer.get_sub_type_or_none(t)
        if sub is None:
            raise FlyteValidationException(f"only univariate generic lists (list[T]) are supported, got {type_name(t)}")
        return sub

    @staticmethod
    def get_sub_type_or_none(t: Any) -> Any:
        """Return `T` of `list[T]`, or None when it cannot be known."""
        t = get_underlying_type(t)
        if typing.get_origin(t) is list and typing.get_args(t):
            return typing.get_args(t)[0]
        return None

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return `collection_type` of the element's LiteralType."""
        return LiteralType(collection_type=TypeEngine.to_literal_type(self.get_sub_type(t)))

    def assert_type(self, t: Any, v: Any) -> None:
        """Require a `list` (elements are checked while converting)."""
        if type(v) is not list:
            raise mismatch(type_name(t), v)

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return a collection literal of the converted elements."""
        out = Literal()
        TypeEngine.encoder(get_underlying_type(python_type))(ctx, python_val, out)
        return out

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return a list of the converted elements (also from a msgpack `Binary` list)."""
        return TypeEngine.decoder(get_underlying_type(expected_python_type))(ctx, lv)

    def _make_encoder(self, t: Any) -> Encoder:
        element = TypeEngine.encoder(self.get_sub_type(t))
        name = type_name(t)

        def encode(ctx: FlyteContext, value: Any, out: Literal) -> None:
            if type(value) is not list:
                raise mismatch(name, value)
            encode_items(ctx, value, element, out)

        return encode

    def _make_decoder(self, t: Any) -> Decoder:
        element = TypeEngine.decoder(self.get_sub_type(t))

        def decode(ctx: FlyteContext, lv: Literal) -> list[Any]:
            if lv.WhichOneof("value") != "collection":
                if lv.scalar.HasField("binary"):
                    return typing.cast(list[Any], self.from_binary_idl(lv.scalar.binary, t))
                raise TypeTransformerFailedError(
                    f"expected a collection literal for {type_name(t)}, got {describe_literal(lv)}"
                )
            lits = lv.collection.literals
            try:
                return [element(ctx, x) for x in lits]
            except _CONVERSION_ERRORS:
                for i, x in enumerate(lits):  # find the failing element to name it
                    try:
                        element(ctx, x)
                    except _CONVERSION_ERRORS as exc:
                        raise with_path(exc, f"[{i}]") from exc
                raise

        return decode

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `typing.List[guess(element)]` for a collection type."""
        if literal_type.WhichOneof("type") == "collection_type":
            return typing.List[TypeEngine.guess_python_type(literal_type.collection_type)]  # type: ignore[misc]
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")


def _struct_literal_type() -> LiteralType:
    lt = LiteralType(simple=SimpleType.STRUCT)
    lt.annotation.annotations.update({CACHE_KEY_METADATA: {SERIALIZATION_FORMAT: MESSAGEPACK}})
    return lt


class DictTransformer(TypeTransformer[dict[Any, Any]]):
    """Convert `dict[str, T]` to a `LiteralMap`; untyped dicts and other key types to msgpack `Binary`."""

    def __init__(self) -> None:
        super().__init__("Typed Dict", dict)

    @staticmethod
    def extract_types(t: Any) -> tuple[Any, ...]:
        """Return `(K, V)` of `dict[K, V]`, `()` for a bare dict, `(None, None)` when `t` is None or not generic.

        Raises:
            ValueError: a `FlyteAnnotation` is applied to a dict, or `t` is another generic.
        """
        if t is None or (typing.get_origin(t) is None and not is_annotated(t)):
            return (None, None)
        if is_annotated(t):
            args = typing.get_args(t)
            if any(isinstance(a, FlyteAnnotation) for a in args[1:]):
                raise FlyteValidationException(f"FlyteAnnotations cannot be applied to dicts: {t}")
            return DictTransformer.extract_types(args[0])
        if typing.get_origin(t) is dict:
            return typing.get_args(t)
        raise FlyteValidationException(f"cannot extract dictionary types from the non-dict type {t}")

    @staticmethod
    def _is_typed_map(t: Any) -> bool:
        kv = DictTransformer.extract_types(t)
        return bool(kv) and kv[0] is str

    @staticmethod
    def is_pickle(python_type: Any) -> bool:
        """Tell whether `Annotated[dict, OrderedDict(allow_pickle=True)]` asks for a pickle fallback."""
        if is_annotated(python_type):
            for a in typing.get_args(python_type)[1:]:
                if isinstance(a, collections.OrderedDict):
                    return bool(a.get("allow_pickle", False))
        return False

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return `map_value_type` for `dict[str, T]`, else a msgpack STRUCT."""
        kv = self.extract_types(t)
        if kv and kv[0] is str:
            return LiteralType(map_value_type=TypeEngine.to_literal_type(kv[1]))
        return _struct_literal_type()

    def assert_type(self, t: Any, v: Any) -> None:
        """Require a `dict` (keys and values are checked while converting)."""
        if type(v) is not dict:
            raise mismatch(type_name(t), v)

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return a map literal (typed dicts) or a msgpack binary literal."""
        if type(python_val) is not dict:
            raise mismatch(type_name(python_type), python_val)
        if self._is_typed_map(python_type) and not (expected is not None and expected.simple == SimpleType.STRUCT):
            out = Literal()
            TypeEngine.encoder(get_underlying_type(python_type))(ctx, python_val, out)
            return out
        return self._to_binary(ctx, python_val, python_type)

    def _to_binary(self, ctx: FlyteContext, value: dict[Any, Any], python_type: Any) -> Literal:
        base = get_underlying_type(python_type)
        untyped = base is dict or typing.get_args(base) in ((), (Any, Any))
        try:
            data = msgpack.packb(value) if untyped else msgpack_encoder(base)(value)
        except (TypeError, ValueError) as exc:
            if self.is_pickle(python_type):
                out = Literal(metadata={"format": "pickle"})
                from flytelite.types.pickle import FlytePickle  # only a dict that asks for a pickle needs it

                out.scalar.generic.update({"pickle_file": FlytePickle.to_pickle(ctx, value)})
                return out
            raise TypeTransformerFailedError(f"cannot encode {type_name(python_type)} as msgpack: {exc}") from exc
        return Literal(scalar={"binary": Binary(value=data, tag=MESSAGEPACK)})

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the dict of a map, msgpack binary or generic (Struct) literal."""
        return TypeEngine.decoder(get_underlying_type(expected_python_type))(ctx, lv)

    def _make_encoder(self, t: Any) -> Encoder | None:
        if not self._is_typed_map(t):
            return None
        element = TypeEngine.encoder(self.extract_types(t)[1])
        name = type_name(t)

        def encode(ctx: FlyteContext, value: Any, out: Literal) -> None:
            if type(value) is not dict:
                raise mismatch(name, value)
            lmap = out.map
            lmap.SetInParent()
            lits = lmap.literals
            for k, x in value.items():
                if type(k) is not str:
                    raise TypeTransformerFailedError(f"map keys must be str, got {type(k).__name__}", path=f"[{k!r}]")
                try:
                    element(ctx, x, lits[k])
                except _CONVERSION_ERRORS as exc:
                    raise with_path(exc, f"[{k!r}]") from exc

        return encode

    def _make_decoder(self, t: Any) -> Decoder:
        kv = self.extract_types(t)
        element = TypeEngine.decoder(kv[1]) if kv and kv[0] is str else None

        def decode(ctx: FlyteContext, lv: Literal) -> dict[Any, Any]:
            kind = lv.WhichOneof("value")
            if kind == "map":
                if element is None:
                    raise TypeTransformerFailedError(
                        f"a literal map converts only to dict[str, T], not to {type_name(t)}"
                    )
                return _decode_map(ctx, lv, element)
            scalar_kind = lv.scalar.WhichOneof("value") if kind == "scalar" else None
            if scalar_kind == "binary":
                return typing.cast(dict[Any, Any], self.from_binary_idl(lv.scalar.binary, t))
            if scalar_kind == "generic":
                if lv.metadata.get("format") == "pickle":
                    from flytelite.types.pickle import FlytePickle  # only a pickled dict needs it

                    return typing.cast(
                        dict[Any, Any], FlytePickle.from_pickle(struct_to_python(lv.scalar.generic)["pickle_file"], ctx)
                    )
                return typing.cast(dict[Any, Any], self.from_generic_idl(lv.scalar.generic, t))
            raise TypeTransformerFailedError(f"expected a map literal for {type_name(t)}, got {describe_literal(lv)}")

        return decode

    def from_binary_idl(self, binary_idl_object: Binary, expected_python_type: Any) -> Any:
        """Decode msgpack bytes; untyped dicts keep whatever keys and values msgpack holds."""
        base = get_underlying_type(expected_python_type)
        if binary_idl_object.tag == MESSAGEPACK and (base is dict or typing.get_args(base) in ((), (Any, Any))):
            return unpack(binary_idl_object.value)
        return super().from_binary_idl(binary_idl_object, base)

    def from_generic_idl(self, generic: Any, expected_python_type: Any) -> Any:
        """Decode a protobuf Struct (what the console sends); numbers in typed dicts are fixed by the codec."""
        data = msgpack.packb(struct_to_python(generic))
        return self.from_binary_idl(Binary(value=data, tag=MESSAGEPACK), expected_python_type)

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `Dict[str, guess(V)]` for a map type, `dict` for a STRUCT without a schema."""
        kind = literal_type.WhichOneof("type")
        if kind == "map_value_type":
            return typing.Dict[str, TypeEngine.guess_python_type(literal_type.map_value_type)]  # type: ignore[misc]
        if kind == "simple" and literal_type.simple == SimpleType.STRUCT and not literal_type.HasField("metadata"):
            return dict
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")


def _decode_map(ctx: FlyteContext, lv: Literal, element: Decoder) -> dict[str, Any]:
    lits = lv.map.literals
    try:  # protobuf maps have no order; sorted keys make the result deterministic
        return {k: element(ctx, lits[k]) for k in sorted(lits)}
    except _CONVERSION_ERRORS:
        for k, x in lits.items():  # find the failing entry to name it
            try:
                element(ctx, x)
            except _CONVERSION_ERRORS as exc:
                raise with_path(exc, f"[{k!r}]") from exc
        raise
