"""Dataclass transformer: msgpack values, JSON schema metadata, field structure, Struct inputs, error paths."""

# ruff: noqa: UP045  # `Optional` spelled out: the engine must accept that spelling
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import subprocess
import sys
from typing import Annotated, Optional

import msgpack
import pytest
from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType
from google.protobuf.json_format import MessageToDict
from google.protobuf.struct_pb2 import Struct
from typetest_support import roundtrip, to_lit

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types import FlyteAnnotation, TypeEngine


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass
class Point:
    x: int
    y: float


@dataclasses.dataclass
class Shape:
    name: str
    points: list[Point]
    tags: dict[str, int]
    color: Color
    when: dt.datetime
    origin: Optional[Point] = None
    note: Optional[str] = None


SHAPE = Shape("s", [Point(1, 2.0), Point(3, 4.5)], {"a": 1}, Color.BLUE, dt.datetime(2024, 1, 2, 3, 4, 5))


def test_literal_type_shape() -> None:
    lt = TypeEngine.to_literal_type(Point)
    assert lt.simple == SimpleType.STRUCT
    assert MessageToDict(lt.metadata) == {
        "type": "object",
        "title": "Point",
        "properties": {"x": {"type": "integer"}, "y": {"type": "number"}},
        "additionalProperties": False,
        "required": ["x", "y"],
    }
    assert dict(lt.structure.dataclass_type) == {
        "x": LiteralType(simple=SimpleType.INTEGER),
        "y": LiteralType(simple=SimpleType.FLOAT),
    }
    assert MessageToDict(lt.annotation) == {"annotations": {"cache-key-metadata": {"serialization-format": "msgpack"}}}


def test_value_is_msgpack_of_the_fields(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, Point(1, 2.5), Point)
    assert lit == Literal(scalar={"binary": Binary(value=msgpack.packb({"x": 1, "y": 2.5}), tag="msgpack")})


def test_nested_round_trip_with_enum_datetime_optional(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, SHAPE, Shape)
    payload = msgpack.unpackb(lit.scalar.binary.value)
    assert payload["color"] == "blue" and payload["when"] == "2024-01-02T03:04:05" and payload["origin"] is None
    assert TypeEngine.to_python_value(ctx, lit, Shape) == SHAPE


def test_field_errors_carry_the_path(ctx: FlyteContext) -> None:
    bad = dataclasses.replace(SHAPE, points=[Point(1, 2.0), Point("a", 1.0)])  # type: ignore[arg-type]
    with pytest.raises(TypeTransformerFailedError) as info:
        to_lit(ctx, bad, Shape)
    assert str(info.value) == ".points[1].x: expected int, got str ('a')"
    with pytest.raises(TypeTransformerFailedError) as info:
        to_lit(ctx, [Point(1, 1.0), Point(2, "x")], list[Point])  # type: ignore[arg-type]
    assert info.value.path == "[1].y"


def test_float_fields_accept_ints(ctx: FlyteContext) -> None:
    assert roundtrip(ctx, Point(1, 2), Point) == Point(1, 2.0)  # type: ignore[arg-type]


def test_wrong_value_is_refused(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match=r"expected .*Point, got int"):
        to_lit(ctx, 3, Point)


def test_console_struct_input_fixes_integers(ctx: FlyteContext) -> None:
    s = Struct()
    s.update({"x": 3, "y": 1.5})
    value = TypeEngine.to_python_value(ctx, Literal(scalar={"generic": s}), Point)
    assert value == Point(3, 1.5) and type(value.x) is int


def test_missing_field_is_a_decode_error(ctx: FlyteContext) -> None:
    lit = Literal(scalar={"binary": Binary(value=msgpack.packb({"x": 1}), tag="msgpack")})
    with pytest.raises(TypeTransformerFailedError, match="cannot decode") as info:
        TypeEngine.to_python_value(ctx, lit, Point)
    assert info.value.path == ".y"


def test_flyte_annotation_on_a_dataclass_is_refused() -> None:
    with pytest.raises(ValueError, match="dataclasses"):
        TypeEngine.to_literal_type(Annotated[Point, FlyteAnnotation({"a": 1})])


def test_guess_rebuilds_an_equivalent_dataclass(ctx: FlyteContext) -> None:
    lt = TypeEngine.to_literal_type(Shape)
    guessed = TypeEngine.guess_python_type(lt)
    assert dataclasses.is_dataclass(guessed) and guessed.__name__ == "Shape"
    assert TypeEngine.guess_python_type(lt) is guessed  # cached: the same class each time
    assert TypeEngine.to_literal_type(guessed) == TypeEngine.to_literal_type(TypeEngine.guess_python_type(lt))
    lit = to_lit(ctx, SHAPE, Shape)
    decoded = TypeEngine.to_python_value(ctx, lit, guessed)
    assert decoded.points[1].y == 4.5 and decoded.color.value == "blue"


def test_mashumaro_loads_only_on_first_dataclass_conversion() -> None:
    code = (
        "import sys, dataclasses\n"
        "from flytelite.types import TypeEngine\n"
        "assert 'mashumaro' not in sys.modules, 'loaded at import'\n"
        "@dataclasses.dataclass\nclass P:\n    x: int\n"
        "TypeEngine.to_literal_type(P)\n"
        "assert 'mashumaro.jsonschema' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_dict_that_fits_the_dataclass_encodes_like_the_dataclass(ctx: FlyteContext) -> None:
    from_dict = to_lit(ctx, {"x": 1, "y": 2.0}, Point)
    from_obj = to_lit(ctx, Point(x=1, y=2.0), Point)
    assert msgpack.unpackb(from_dict.scalar.binary.value) == msgpack.unpackb(from_obj.scalar.binary.value)


def test_a_dict_missing_a_field_is_rejected_with_the_dataclass_named(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match="Point"):
        to_lit(ctx, {"x": 1}, Point)
