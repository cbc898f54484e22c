"""List and dict transformers: collections, maps, msgpack for untyped dicts, Binary/Struct inputs, error paths."""

from __future__ import annotations

import collections
import typing
from typing import Annotated, Any, Dict, List

import msgpack
import pytest
from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType
from google.protobuf.struct_pb2 import Struct
from typetest_support import roundtrip, to_lit

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types import FlyteAnnotation, TypeEngine


def _int(v: int) -> Literal:
    return Literal(scalar={"primitive": {"integer": v}})


def _struct_type() -> LiteralType:
    lt = LiteralType(simple=SimpleType.STRUCT)
    lt.annotation.annotations.update({"cache-key-metadata": {"serialization-format": "msgpack"}})
    return lt


def test_list_literal_type_and_literal(ctx: FlyteContext) -> None:
    assert TypeEngine.to_literal_type(list[int]) == LiteralType(collection_type=LiteralType(simple=SimpleType.INTEGER))
    assert to_lit(ctx, [1, 2], List[int]) == Literal(collection={"literals": [_int(1), _int(2)]})
    empty = to_lit(ctx, [], list[int])
    assert empty.HasField("collection") and len(empty.collection.literals) == 0


def test_nested_lists_round_trip(ctx: FlyteContext) -> None:
    assert roundtrip(ctx, [[1], [], [2, 3]], list[list[int]]) == [[1], [], [2, 3]]


def test_bare_list_is_refused() -> None:
    with pytest.raises(ValueError, match=r"univariate generic lists"):
        TypeEngine.to_literal_type(list)


def test_list_error_names_the_element(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError) as info:
        to_lit(ctx, [1, 2, 3, "abc"], list[int])
    assert str(info.value) == "[3]: expected int, got str ('abc')"
    assert info.value.path == "[3]"


def test_list_decode_error_names_the_element(ctx: FlyteContext) -> None:
    lit = Literal(collection={"literals": [_int(1), Literal(scalar={"primitive": {"string_value": "x"}})]})
    with pytest.raises(TypeTransformerFailedError) as info:
        TypeEngine.to_python_value(ctx, lit, list[int])
    assert info.value.path == "[1]"


def test_non_list_value_is_refused(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match=r"expected list\[int\], got str"):
        to_lit(ctx, "abc", list[int])
    with pytest.raises(TypeTransformerFailedError, match="tuples are not supported"):
        to_lit(ctx, (1, 2), list[int])


def test_list_from_msgpack_binary(ctx: FlyteContext) -> None:
    lit = Literal(scalar={"binary": Binary(value=msgpack.packb([1, 2]), tag="msgpack")})
    assert TypeEngine.to_python_value(ctx, lit, list[int]) == [1, 2]


def test_typed_dict_is_a_map(ctx: FlyteContext) -> None:
    assert TypeEngine.to_literal_type(Dict[str, int]) == LiteralType(
        map_value_type=LiteralType(simple=SimpleType.INTEGER)
    )
    assert to_lit(ctx, {"a": 1}, dict[str, int]) == Literal(map={"literals": {"a": _int(1)}})
    assert roundtrip(ctx, {"b": [1.5], "a": []}, dict[str, list[float]]) == {"a": [], "b": [1.5]}


def test_map_errors_name_the_key(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError) as info:
        to_lit(ctx, {"k": [1, "z"]}, dict[str, list[int]])
    assert str(info.value) == "['k'][1]: expected int, got str ('z')"
    with pytest.raises(TypeTransformerFailedError, match="map keys must be str"):
        to_lit(ctx, {1: 1}, dict[str, int])


@pytest.mark.parametrize("t", [dict, Dict, Dict[int, str], dict[Any, Any], typing.Dict[int, float]])
def test_untyped_and_non_str_key_dicts_are_msgpack_structs(t: Any) -> None:
    assert TypeEngine.to_literal_type(t) == _struct_type()


def test_untyped_dict_is_msgpack_binary(ctx: FlyteContext) -> None:
    value = {"a": 1, "b": [1, 2], "c": {"d": None}}
    lit = to_lit(ctx, value, dict)
    assert lit == Literal(scalar={"binary": Binary(value=msgpack.packb(value), tag="msgpack")})
    assert TypeEngine.to_python_value(ctx, lit, dict) == value


def test_int_keyed_dict_round_trips(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, {1: "a", 2: "b"}, dict[int, str])
    assert msgpack.unpackb(lit.scalar.binary.value, strict_map_key=False) == {1: "a", 2: "b"}
    assert TypeEngine.to_python_value(ctx, lit, dict[int, str]) == {1: "a", 2: "b"}


def test_unencodable_untyped_dict_fails_clearly(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match="cannot encode dict as msgpack"):
        to_lit(ctx, {"a": object()}, dict)


def test_allow_pickle_falls_back_to_a_pickled_generic(ctx: FlyteContext) -> None:
    t = Annotated[dict, collections.OrderedDict(allow_pickle=True)]
    value = {"a": {1, 2}}
    lit = TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))
    assert lit.metadata["format"] == "pickle" and "pickle_file" in lit.scalar.generic
    assert TypeEngine.to_python_value(ctx, lit, t) == value


def test_dicts_from_console_structs(ctx: FlyteContext) -> None:
    s = Struct()
    s.update({"a": 1, "b": [2, 3]})
    lit = Literal(scalar={"generic": s})
    assert TypeEngine.to_python_value(ctx, lit, dict) == {"a": 1.0, "b": [2.0, 3.0]}
    typed = TypeEngine.to_python_value(ctx, lit, dict[str, Any])
    assert typed == {"a": 1.0, "b": [2.0, 3.0]}


def test_typed_dict_from_msgpack_binary(ctx: FlyteContext) -> None:
    lit = Literal(scalar={"binary": Binary(value=msgpack.packb({"a": 1}), tag="msgpack")})
    assert TypeEngine.to_python_value(ctx, lit, dict[str, int]) == {"a": 1}


def test_a_map_cannot_become_a_non_str_keyed_dict(ctx: FlyteContext) -> None:
    lit = Literal(map={"literals": {"a": _int(1)}})
    with pytest.raises(TypeTransformerFailedError, match=r"only to dict\[str, T\]"):
        TypeEngine.to_python_value(ctx, lit, dict[int, int])


def test_flyte_annotation_on_a_dict_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be applied to dicts"):
        TypeEngine.to_literal_type(Annotated[dict[str, int], FlyteAnnotation({"a": 1})])


def test_guesses() -> None:
    lt = TypeEngine.to_literal_type(dict[str, list[int]])
    assert TypeEngine.guess_python_type(lt) == typing.Dict[str, typing.List[int]]
    assert TypeEngine.guess_python_type(_struct_type()) is dict
