"""Primitive transformers: exact literals, exact-type strictness, lenient decoding, msgpack inputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgpack
import pytest
from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType
from typetest_support import roundtrip, to_lit

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types import TypeEngine

UTC = dt.timezone.utc


def _prim(**kw: Any) -> Literal:
    return Literal(scalar={"primitive": kw})


@pytest.mark.parametrize(
    ("t", "simple"),
    [
        (int, SimpleType.INTEGER),
        (float, SimpleType.FLOAT),
        (str, SimpleType.STRING),
        (bool, SimpleType.BOOLEAN),
        (dt.datetime, SimpleType.DATETIME),
        (dt.date, SimpleType.DATETIME),
        (dt.timedelta, SimpleType.DURATION),
        (type(None), SimpleType.NONE),
        (None, SimpleType.NONE),
    ],
)
def test_literal_types(t: Any, simple: int) -> None:
    assert TypeEngine.to_literal_type(t) == LiteralType(simple=simple)


def test_literals_equal_hand_built_protos(ctx: FlyteContext) -> None:
    assert to_lit(ctx, 42, int) == _prim(integer=42)
    assert to_lit(ctx, -(2**63), int) == _prim(integer=-(2**63))
    assert to_lit(ctx, 2.5, float) == _prim(float_value=2.5)
    assert to_lit(ctx, "hé", str) == _prim(string_value="hé")
    assert to_lit(ctx, False, bool) == _prim(boolean=False)
    assert to_lit(ctx, None, type(None)) == Literal(scalar={"none_type": {}})
    td = to_lit(ctx, dt.timedelta(days=1, microseconds=5), dt.timedelta)
    assert td == _prim(duration={"seconds": 86400, "nanos": 5000})


def test_datetime_naive_is_utc_and_decodes_aware(ctx: FlyteContext) -> None:
    naive = dt.datetime(2024, 1, 2, 3, 4, 5, 123456)
    lit = to_lit(ctx, naive, dt.datetime)
    assert lit == _prim(datetime={"seconds": int(naive.replace(tzinfo=UTC).timestamp()), "nanos": 123456000})
    assert TypeEngine.to_python_value(ctx, lit, dt.datetime) == naive.replace(tzinfo=UTC)


def test_datetime_with_offset_is_stored_as_the_same_instant(ctx: FlyteContext) -> None:
    plus2 = dt.datetime(2024, 1, 2, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    back = roundtrip(ctx, plus2, dt.datetime)
    assert back == plus2 and back.tzinfo == UTC and back.hour == 3


def test_date_is_midnight_utc(ctx: FlyteContext) -> None:
    lit = to_lit(ctx, dt.date(2020, 2, 29), dt.date)
    assert lit.scalar.primitive.datetime.ToDatetime() == dt.datetime(2020, 2, 29)
    assert roundtrip(ctx, dt.date(2020, 2, 29), dt.date) == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    ("value", "t", "message"),
    [
        (True, int, "expected int, got bool (True)"),
        (1, float, "expected float, got int (1)"),
        ("1", int, "expected int, got str ('1')"),
        (1, str, "expected str, got int (1)"),
        (1, bool, "expected bool, got int (1)"),
        (None, int, "expected int, got None"),
        (dt.date(2020, 1, 1), dt.datetime, "expected datetime, got date"),
        (dt.datetime(2020, 1, 1), dt.date, "expected date, got datetime"),
        (0, type(None), "expected None, got int (0)"),
    ],
)
def test_exact_type_strictness(ctx: FlyteContext, value: Any, t: Any, message: str) -> None:
    with pytest.raises(TypeTransformerFailedError) as info:
        to_lit(ctx, value, t)
    assert str(info.value).startswith(message)


def test_int_out_of_range_is_a_clear_error(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match="does not fit in 64 bits"):
        to_lit(ctx, 2**64, int)


def test_float_literal_truncates_into_int_and_int_literal_widens_to_float(ctx: FlyteContext) -> None:
    assert TypeEngine.to_python_value(ctx, _prim(float_value=3.9), int) == 3
    back = TypeEngine.to_python_value(ctx, _prim(integer=3), float)
    assert back == 3.0 and type(back) is float


@pytest.mark.parametrize(
    ("payload", "t", "expected"),
    [
        (1, int, 1),
        (2.0, int, 2),
        (1.5, float, 1.5),
        (1, float, 1.0),
        ("s", str, "s"),
        (True, bool, True),
        (None, type(None), None),
        ("2024-01-02T03:04:05", dt.datetime, dt.datetime(2024, 1, 2, 3, 4, 5)),
        ("2024-01-02", dt.date, dt.date(2024, 1, 2)),
        (90.5, dt.timedelta, dt.timedelta(seconds=90.5)),
    ],
)
def test_msgpack_binary_inputs(ctx: FlyteContext, payload: Any, t: Any, expected: Any) -> None:
    lit = Literal(scalar={"binary": Binary(value=msgpack.packb(payload), tag="msgpack")})
    assert TypeEngine.to_python_value(ctx, lit, t) == expected


def test_msgpack_of_the_wrong_type_fails(ctx: FlyteContext) -> None:
    lit = Literal(scalar={"binary": Binary(value=msgpack.packb("x"), tag="msgpack")})
    with pytest.raises(TypeTransformerFailedError, match="expected int, got str"):
        TypeEngine.to_python_value(ctx, lit, int)


def test_unknown_binary_tag_fails(ctx: FlyteContext) -> None:
    lit = Literal(scalar={"binary": Binary(value=b"\x01", tag="proto")})
    with pytest.raises(TypeTransformerFailedError, match="unsupported binary format 'proto'"):
        TypeEngine.to_python_value(ctx, lit, int)


def test_wrong_literal_kind_names_what_arrived(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError, match=r"expected a literal of int, got string_value \('a'\)"):
        TypeEngine.to_python_value(ctx, _prim(string_value="a"), int)
    with pytest.raises(TypeTransformerFailedError, match="expected a literal of NoneType, got integer"):
        TypeEngine.to_python_value(ctx, _prim(integer=1), type(None))


def test_transformer_names_and_guesses() -> None:
    names = {t: TypeEngine.get_transformer(t).name for t in (int, float, str, bool, dt.datetime, dt.date)}
    assert names == {
        int: "int",
        float: "float",
        str: "str",
        bool: "bool",
        dt.datetime: "datetime",
        dt.date: "date",
    }
    assert TypeEngine.get_transformer(dt.timedelta).name == "timedelta"
    assert TypeEngine.get_transformer(type(None)).name == "none"
    assert TypeEngine.guess_python_type(LiteralType(simple=SimpleType.DATETIME)) is dt.datetime
    assert TypeEngine.guess_python_type(LiteralType(simple=SimpleType.DURATION)) is dt.timedelta
