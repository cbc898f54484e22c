"""Transformers for `int`, `float`, `str`, `bool`, `datetime`, `date`, `timedelta` and `None`.

Values must have exactly the declared class (a `bool` is not an `int`, an `int` is not a `float`). Decoding is
lenient where Flyte's engine and console are: a float literal decodes into an `int` by truncation, an integer
literal into a `float`, and every type also accepts msgpack `Binary` scalars (propeller's attribute access).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Generic, TypeVar

from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types._base import (
    MESSAGEPACK,
    Decoder,
    Encoder,
    SimpleTransformer,
    describe_literal,
    get_underlying_type,
    mismatch,
    type_name,
)
from flytelite.types._codecs import unpack

__all__ = [
    "BoolTransformer",
    "DateTransformer",
    "DatetimeTransformer",
    "FloatTransformer",
    "IntTransformer",
    "NoneTransformer",
    "PrimitiveTransformer",
    "StrTransformer",
    "TimedeltaTransformer",
]

T = TypeVar("T")
_UTC = _dt.timezone.utc


def _binary_value(lv: Literal, t: type) -> Any:
    if lv.scalar.HasField("binary"):
        b = lv.scalar.binary
        if b.tag != MESSAGEPACK:
            raise TypeTransformerFailedError(f"unsupported binary format {b.tag!r}")
        return unpack(b.value)
    raise TypeTransformerFailedError(f"expected a literal of {type_name(t)}, got {describe_literal(lv)}")


def _enc_int(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if type(v) is not int:
        raise mismatch("int", v)
    try:
        out.scalar.primitive.integer = v
    except ValueError as exc:
        raise TypeTransformerFailedError(f"int {v} does not fit in 64 bits") from exc


def _dec_int(ctx: FlyteContext, lv: Literal) -> int:
    p = lv.scalar.primitive
    kind = p.WhichOneof("value")
    if kind == "integer":
        got: int = p.integer
        return got
    if kind == "float_value":  # the console sends every number as a double
        return int(p.float_value)
    v = _binary_value(lv, int)
    if type(v) is float:
        return int(v)
    if type(v) is not int:
        raise mismatch("int", v)
    return v


def _enc_float(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if type(v) is not float:
        raise mismatch("float", v)
    out.scalar.primitive.float_value = v


def _dec_float(ctx: FlyteContext, lv: Literal) -> float:
    p = lv.scalar.primitive
    kind = p.WhichOneof("value")
    if kind == "float_value":
        got: float = p.float_value
        return got
    if kind == "integer":
        return float(p.integer)
    v = _binary_value(lv, float)
    if type(v) not in (float, int):
        raise mismatch("float", v)
    return float(v)


def _enc_str(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if type(v) is not str:
        raise mismatch("str", v)
    try:
        out.scalar.primitive.string_value = v
    except ValueError as exc:  # lone surrogates cannot be encoded as UTF-8
        raise TypeTransformerFailedError(f"str {v!r:.60} is not valid UTF-8") from exc


def _dec_str(ctx: FlyteContext, lv: Literal) -> str:
    p = lv.scalar.primitive
    if p.WhichOneof("value") == "string_value":
        got: str = p.string_value
        return got
    v = _binary_value(lv, str)
    if type(v) is not str:
        raise mismatch("str", v)
    return v


def _enc_bool(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if type(v) is not bool:
        raise mismatch("bool", v)
    out.scalar.primitive.boolean = v


def _dec_bool(ctx: FlyteContext, lv: Literal) -> bool:
    p = lv.scalar.primitive
    if p.WhichOneof("value") == "boolean":
        got: bool = p.boolean
        return got
    v = _binary_value(lv, bool)
    if type(v) is not bool:
        raise mismatch("bool", v)
    return v


def _enc_datetime(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if type(v) is not _dt.datetime:
        raise mismatch("datetime", v)
    aware = v if v.tzinfo is not None else v.replace(tzinfo=_UTC)  # naive means UTC
    try:
        out.scalar.primitive.datetime.FromDatetime(aware.astimezone(_UTC).replace(tzinfo=None))
    except (ValueError, OverflowError) as exc:
        raise TypeTransformerFailedError(f"datetime {v} is out of the range Flyte can store") from exc


def _dec_datetime(ctx: FlyteContext, lv: Literal) -> _dt.datetime:
    p = lv.scalar.primitive
    if p.WhichOneof("value") == "datetime":
        when: _dt.datetime = p.datetime.ToDatetime(tzinfo=_UTC)
        return when
    v = _binary_value(lv, _dt.datetime)
    if type(v) is not str:
        raise mismatch("datetime (an ISO string in msgpack)", v)
    return _dt.datetime.fromisoformat(v)


def _enc_date(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if type(v) is not _dt.date:
        raise mismatch("date", v)
    out.scalar.primitive.datetime.FromDatetime(_dt.datetime.combine(v, _dt.time.min))


def _dec_date(ctx: FlyteContext, lv: Literal) -> _dt.date:
    p = lv.scalar.primitive
    if p.WhichOneof("value") == "datetime":
        day: _dt.date = p.datetime.ToDatetime().date()
        return day
    v = _binary_value(lv, _dt.date)
    if type(v) is not str:
        raise mismatch("date (an ISO string in msgpack)", v)
    return _dt.date.fromisoformat(v)


def _enc_timedelta(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if type(v) is not _dt.timedelta:
        raise mismatch("timedelta", v)
    out.scalar.primitive.duration.FromTimedelta(v)


def _dec_timedelta(ctx: FlyteContext, lv: Literal) -> _dt.timedelta:
    p = lv.scalar.primitive
    if p.WhichOneof("value") == "duration":
        span: _dt.timedelta = p.duration.ToTimedelta()
        return span
    v = _binary_value(lv, _dt.timedelta)
    if type(v) not in (int, float):
        raise mismatch("timedelta (seconds in msgpack)", v)
    return _dt.timedelta(seconds=v)


def _enc_none(ctx: FlyteContext, v: Any, out: Literal) -> None:
    if v is not None:
        raise mismatch("None", v)
    out.scalar.none_type.SetInParent()


def _dec_none(ctx: FlyteContext, lv: Literal) -> None:
    if lv.scalar.HasField("none_type"):
        return None
    v = _binary_value(lv, type(None))
    if v is not None:
        raise mismatch("None", v)
    return None


class PrimitiveTransformer(SimpleTransformer[T], Generic[T]):
    """A `SimpleTransformer` whose conversions fill protobufs in place (the fast path for lists and maps)."""

    def __init__(self, name: str, t: type[T], simple: int, encode: Encoder, decode: Decoder) -> None:
        self._encode = encode
        self._decode = decode
        super().__init__(name, t, LiteralType(simple=simple), self._to_literal_fn, self._from_literal_fn)

    def _to_literal_fn(self, v: T) -> Literal:
        out = Literal()
        self._encode(None, v, out)  # type: ignore[arg-type]  # primitives never use the context
        return out

    def _from_literal_fn(self, lv: Literal) -> T:
        res: T = self._decode(None, lv)  # type: ignore[arg-type]  # primitives never use the context
        return res

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return the literal of a value of exactly the base type."""
        out = Literal()
        self._encode(ctx, python_val, out)
        return out

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the value of a literal (its primitive, a lenient numeric, or msgpack bytes)."""
        if get_underlying_type(expected_python_type) is not self._type:
            raise TypeTransformerFailedError(
                f"cannot convert to {type_name(expected_python_type)}, only {type_name(self._type)} is supported"
            )
        return self._decode(ctx, lv)

    def assert_type(self, t: Any, v: Any) -> None:
        """Require exactly the base class (checked again when encoding)."""
        if type(v) is not self._type:
            raise mismatch("None" if self._type is type(None) else self._name, v)

    def _make_encoder(self, t: Any) -> Encoder:
        return self._encode

    def _make_decoder(self, t: Any) -> Decoder:
        return self._decode

    def _exact_codec(self, t: Any) -> tuple[Encoder, Decoder] | None:
        # `assert_type` and the encoder raise the same mismatch; a subclass may convert differently
        if t is not self._type or type(self) is not PrimitiveTransformer:
            return None
        return self._encode, self._decode


IntTransformer: PrimitiveTransformer[int] = PrimitiveTransformer("int", int, SimpleType.INTEGER, _enc_int, _dec_int)
FloatTransformer: PrimitiveTransformer[float] = PrimitiveTransformer(
    "float", float, SimpleType.FLOAT, _enc_float, _dec_float
)
StrTransformer: PrimitiveTransformer[str] = PrimitiveTransformer("str", str, SimpleType.STRING, _enc_str, _dec_str)
BoolTransformer: PrimitiveTransformer[bool] = PrimitiveTransformer(
    "bool", bool, SimpleType.BOOLEAN, _enc_bool, _dec_bool
)
DatetimeTransformer: PrimitiveTransformer[_dt.datetime] = PrimitiveTransformer(
    "datetime", _dt.datetime, SimpleType.DATETIME, _enc_datetime, _dec_datetime
)
DateTransformer: PrimitiveTransformer[_dt.date] = PrimitiveTransformer(
    "date", _dt.date, SimpleType.DATETIME, _enc_date, _dec_date
)
TimedeltaTransformer: PrimitiveTransformer[_dt.timedelta] = PrimitiveTransformer(
    "timedelta", _dt.timedelta, SimpleType.DURATION, _enc_timedelta, _dec_timedelta
)
NoneTransformer: PrimitiveTransformer[None] = PrimitiveTransformer(
    "none", type(None), SimpleType.NONE, _enc_none, _dec_none
)
