"""Union transformer: tags, ambiguity, the `str` preference, decoding by tag, Optional fast paths."""

# ruff: noqa: UP045  # `Optional`/`Union` spelled out: the engine must accept both spellings
from __future__ import annotations

import enum
import typing
from typing import Any, Optional, Union

import msgpack
import pytest
from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType
from typetest_support import roundtrip, to_lit

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types import TypeEngine
from flytelite.types._union import are_types_castable


class Mode(str, enum.Enum):
    FAST = "fast"
    SLOW = "slow"


def _tagged(simple: int, tag: str) -> LiteralType:
    return LiteralType(simple=simple, structure={"tag": tag})


def test_optional_literal_type_has_tagged_variants() -> None:
    expected = LiteralType(
        union_type={"variants": [_tagged(SimpleType.INTEGER, "int"), _tagged(SimpleType.NONE, "none")]}
    )
    assert TypeEngine.to_literal_type(Optional[int]) == expected
    assert TypeEngine.to_literal_type(int | None) == expected


def test_variant_order_is_kept_even_though_unions_compare_equal() -> None:
    a = TypeEngine.to_literal_type(Union[int, str])
    b = TypeEngine.to_literal_type(Union[str, int])
    assert [v.structure.tag for v in a.union_type.variants] == ["int", "str"]
    assert [v.structure.tag for v in b.union_type.variants] == ["str", "int"]


def test_container_variant_tags() -> None:
    lt = TypeEngine.to_literal_type(Union[list[int], dict[str, int], None])
    assert [v.structure.tag for v in lt.union_type.variants] == ["Typed List", "Typed Dict", "none"]


def test_union_literal_holds_value_and_stored_type(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, 5, Optional[int])
    assert lit == Literal(
        scalar={
            "union": {"value": {"scalar": {"primitive": {"integer": 5}}}, "type": _tagged(SimpleType.INTEGER, "int")}
        }
    )
    none = to_lit(ctx, None, Optional[int])
    assert none.scalar.union.type == _tagged(SimpleType.NONE, "none")
    assert none.scalar.union.value.scalar.HasField("none_type")


@pytest.mark.parametrize(
    ("t", "value"),
    [
        (Optional[int], 3),
        (Optional[int], None),
        (Union[int, str], "x"),
        (Union[int, str], 4),
        (Union[list[int], dict[str, int]], {"a": 1}),
        (Union[list[int], dict[str, int]], [1]),
        (Optional[list[Optional[str]]], ["a", None]),
    ],
)
def test_round_trips(ctx: FlyteContext, t: Any, value: Any) -> None:
    assert roundtrip(ctx, value, t) == value


def test_ambiguous_value_is_refused(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match="ambiguous union"):
        to_lit(ctx, [], Union[list[int], list[str]])


def test_plain_str_prefers_the_str_variant_over_a_str_enum(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, "fast", Union[Mode, str])
    assert lit.scalar.union.type.structure.tag == "str"
    member = to_lit(ctx, Mode.FAST, Union[Mode, str])
    assert member.scalar.union.type.structure.tag == "DefaultEnumTransformer"


def test_no_variant_fits(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match=r"expected Union\[int, str\], got float \(1.5\)"):
        to_lit(ctx, 1.5, Union[int, str])


def test_optional_reports_the_inner_error_with_its_path(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError) as info:
        to_lit(ctx, [1, "a"], Optional[list[int]])
    assert str(info.value) == "[1]: expected int, got str ('a')"


def test_decode_uses_the_stored_tag(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, 1, Union[int, float])
    assert lit.scalar.union.type.structure.tag == "int"
    value = TypeEngine.to_python_value(ctx, lit, Union[int, float])
    assert value == 1 and type(value) is int


def test_untagged_literal_that_fits_two_variants_is_ambiguous(ctx: FlyteContext) -> None:
    raw = Literal(scalar={"primitive": {"integer": 1}})
    with pytest.raises(TypeTransformerFailedError, match="ambiguous union"):
        TypeEngine.to_python_value(ctx, raw, Union[int, float])
    assert TypeEngine.to_python_value(ctx, raw, Optional[int]) == 1


def test_msgpack_binary_reaches_a_union(ctx: FlyteContext) -> None:
    lit = Literal(scalar={"binary": Binary(value=msgpack.packb(7), tag="msgpack")})
    assert TypeEngine.to_python_value(ctx, lit, Optional[int]) == 7


def test_tag_of_another_transformer_does_not_decode(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, "x", Union[int, str])
    with pytest.raises(TypeTransformerFailedError, match="stored tag 'str'"):
        TypeEngine.to_python_value(ctx, lit, Union[int, float])


def test_castability_rules() -> None:
    i, s = LiteralType(simple=SimpleType.INTEGER), LiteralType(simple=SimpleType.STRING)
    enum_lt = LiteralType(enum_type={"values": ["a"]})
    assert are_types_castable(enum_lt, s)
    assert not are_types_castable(i, s)
    assert are_types_castable(i, TypeEngine.to_literal_type(Optional[int]))
    assert are_types_castable(LiteralType(collection_type=i), LiteralType(collection_type=i))
    assert not are_types_castable(LiteralType(collection_type=i), LiteralType(map_value_type=i))


def test_guess_union() -> None:
    assert TypeEngine.guess_python_type(TypeEngine.to_literal_type(Optional[int])) == typing.Optional[int]
