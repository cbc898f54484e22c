"""Enum and typing.Literal transformers."""

from __future__ import annotations

import enum
import typing
from typing import Annotated, Literal

import msgpack
import pytest
from flyteidl.core.literals_pb2 import Binary
from flyteidl.core.literals_pb2 import Literal as Lit
from flyteidl.core.types_pb2 import LiteralType, SimpleType
from typetest_support import roundtrip, to_lit

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types import FlyteAnnotation, TypeEngine


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Mode(str, enum.Enum):
    FAST = "fast"


class Number(enum.Enum):
    ONE = 1


def test_enum_literal_type_and_value(ctx: FlyteContext) -> None:
    assert TypeEngine.to_literal_type(Color) == LiteralType(enum_type={"values": ["red", "green"]})
    assert to_lit(ctx, Color.GREEN, Color) == Lit(scalar={"primitive": {"string_value": "green"}})
    assert roundtrip(ctx, Color.RED, Color) is Color.RED


def test_str_mixin_enum_uses_the_enum_transformer(ctx: FlyteContext) -> None:
    assert TypeEngine.get_transformer(Mode).name == "DefaultEnumTransformer"
    assert roundtrip(ctx, Mode.FAST, Mode) is Mode.FAST


def test_raw_matching_string_is_accepted(ctx: FlyteContext) -> None:
    assert to_lit(ctx, "red", Color) == to_lit(ctx, Color.RED, Color)


def test_non_member_is_refused(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match="member of"):
        to_lit(ctx, "blue", Color)
    with pytest.raises(TypeTransformerFailedError, match="expected one of"):
        TypeEngine.to_python_value(ctx, Lit(scalar={"primitive": {"string_value": "blue"}}), Color)


def test_only_string_enums_are_supported() -> None:
    with pytest.raises(TypeTransformerFailedError, match="string values"):
        TypeEngine.to_literal_type(Number)


def test_enum_from_msgpack(ctx: FlyteContext) -> None:
    lit = Lit(scalar={"binary": Binary(value=msgpack.packb("green"), tag="msgpack")})
    assert TypeEngine.to_python_value(ctx, lit, Color) is Color.GREEN


def test_enum_guess_is_a_generated_enum() -> None:
    guessed = TypeEngine.guess_python_type(TypeEngine.to_literal_type(Color))
    assert issubclass(guessed, enum.Enum) and [m.value for m in guessed] == ["red", "green"]


def test_flyte_annotation_on_an_enum_is_refused() -> None:
    with pytest.raises(ValueError, match="enums"):
        TypeEngine.to_literal_type(Annotated[Color, FlyteAnnotation({"a": 1})])


def test_typing_literal_type_and_values(ctx: FlyteContext) -> None:
    lt = TypeEngine.to_literal_type(Literal["a", "b"])
    expected = LiteralType(simple=SimpleType.STRING)
    expected.annotation.annotations.update({"literal_values": ["a", "b"]})
    assert lt == expected
    assert to_lit(ctx, "b", Literal["a", "b"]) == Lit(scalar={"primitive": {"string_value": "b"}})
    assert roundtrip(ctx, 2, Literal[1, 2]) == 2


def test_typing_literal_refuses_other_values(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match="expected one of"):
        to_lit(ctx, "c", Literal["a", "b"])
    with pytest.raises(TypeTransformerFailedError, match="same type"):
        TypeEngine.to_literal_type(Literal["a", 1])


def test_typing_literal_guess() -> None:
    assert TypeEngine.guess_python_type(TypeEngine.to_literal_type(Literal["a", "b"])) == typing.Literal["a", "b"]
    assert TypeEngine.guess_python_type(TypeEngine.to_literal_type(Literal[1, 2])) == typing.Literal[1, 2]
