"""Transformers for `Enum` subclasses (string values) and `typing.Literal[...]`."""

from __future__ import annotations

import enum
import typing
from typing import Any

from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import EnumType, LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.types._base import (
    MESSAGEPACK,
    TypeTransformer,
    describe_literal,
    describe_value,
    get_underlying_type,
    is_annotated,
    type_name,
)
from flytelite.types._codecs import unpack
from flytelite.types._engine import TypeEngine

__all__ = ["EnumTransformer", "LiteralTypeTransformer"]


def _enum_values(t: Any) -> list[Any]:
    return [m.value for m in t]


class EnumTransformer(TypeTransformer[enum.Enum]):
    """Convert members of a string-valued `Enum` to string literals with an `enum_type`."""

    def __init__(self) -> None:
        super().__init__(name="DefaultEnumTransformer", t=enum.Enum)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return `enum_type{values}`; only enums whose values are strings are supported."""
        if is_annotated(t):
            raise FlyteValidationException(f"FlyteAnnotations cannot be applied to enums: {t}")
        values = _enum_values(t)
        if not values or not all(isinstance(v, str) for v in values):
            raise TypeTransformerFailedError(f"only enums with string values are supported, not {type_name(t)}")
        return LiteralType(enum_type=EnumType(values=values))

    def assert_type(self, t: Any, v: Any) -> None:
        """Require a member of `t` or one of its values."""
        val = v.value if isinstance(v, enum.Enum) else v
        if val not in _enum_values(get_underlying_type(t)):
            raise TypeTransformerFailedError(
                f"expected a member of {type_name(t)} {_enum_values(get_underlying_type(t))}, got {describe_value(v)}"
            )

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return the member's value as a string literal (a raw matching string is accepted too)."""
        val = python_val.value if isinstance(python_val, enum.Enum) else python_val
        if not isinstance(val, str) or val not in _enum_values(get_underlying_type(python_type)):
            raise TypeTransformerFailedError(
                f"expected a member of {type_name(python_type)}, got {describe_value(python_val)}"
            )
        return Literal(scalar={"primitive": {"string_value": val}})

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the member whose value is the literal's string."""
        t = get_underlying_type(expected_python_type)
        if lv.scalar.primitive.WhichOneof("value") == "string_value":
            raw: Any = lv.scalar.primitive.string_value
        elif lv.scalar.HasField("binary") and lv.scalar.binary.tag == MESSAGEPACK:
            raw = unpack(lv.scalar.binary.value)
        else:
            raise TypeTransformerFailedError(
                f"expected a string literal for {type_name(t)}, got {describe_literal(lv)}"
            )
        try:
            return t(raw)
        except ValueError as exc:
            raise TypeTransformerFailedError(
                f"expected one of {_enum_values(t)} for {type_name(t)}, got {describe_value(raw)}"
            ) from exc

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return a generated `Enum` named `DynamicEnum` whose members are the values."""
        if literal_type.WhichOneof("type") == "enum_type":
            return enum.Enum("DynamicEnum", {v: v for v in literal_type.enum_type.values})
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")


_SIMPLE_OF = {
    str: SimpleType.STRING,
    int: SimpleType.INTEGER,
    float: SimpleType.FLOAT,
    bool: SimpleType.BOOLEAN,
}


class LiteralTypeTransformer(TypeTransformer[object]):
    """Convert `typing.Literal["a", "b"]` values like their base type, listing the values in the annotation."""

    def __init__(self) -> None:
        super().__init__("LiteralTypeTransformer", object)

    @classmethod
    def get_base_type(cls, t: Any) -> Any:
        """Return the one Python class of all the literal's values."""
        args = typing.get_args(get_underlying_type(t))
        if not args:
            raise TypeTransformerFailedError("typing.Literal needs at least one value")
        base = type(args[0])
        if not all(type(a) is base for a in args):
            raise TypeTransformerFailedError(f"all values of {t} must have the same type")
        return base

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return the base type's simple type with `annotation{"literal_values": [...]}`."""
        base = self.get_base_type(t)
        if base not in _SIMPLE_OF:
            raise TypeTransformerFailedError(f"unsupported typing.Literal value type {type_name(base)}")
        lt = LiteralType(simple=_SIMPLE_OF[base])
        lt.annotation.annotations.update({"literal_values": list(typing.get_args(get_underlying_type(t)))})
        return lt

    def assert_type(self, t: Any, v: Any) -> None:
        """Require one of the literal's values (of exactly the base type)."""
        base = self.get_base_type(t)
        if type(v) is not base or v not in typing.get_args(get_underlying_type(t)):
            raise TypeTransformerFailedError(f"expected one of {type_name(t)}, got {describe_value(v)}")

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Convert like the base type."""
        self.assert_type(python_type, python_val)
        base = self.get_base_type(python_type)
        return TypeEngine.get_transformer(base).to_literal(ctx, python_val, base, expected)

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Convert like the base type, then check the value is allowed."""
        base = self.get_base_type(expected_python_type)
        value = TypeEngine.get_transformer(base).to_python_value(ctx, lv, base)
        if value not in typing.get_args(get_underlying_type(expected_python_type)):
            raise TypeTransformerFailedError(f"expected one of {type_name(expected_python_type)}, got {value!r:.60}")
        return value

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `typing.Literal[...]` from the `literal_values` annotation."""
        if literal_type.HasField("annotation") and "literal_values" in literal_type.annotation.annotations:
            values = list(literal_type.annotation.annotations["literal_values"])
            if literal_type.simple == SimpleType.INTEGER:
                values = [int(v) for v in values]
            return typing.Literal[tuple(values)]
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")
