"""The dataclass transformer: msgpack `Binary` values and a mashumaro JSON schema in the LiteralType.

mashumaro is loaded on the first dataclass conversion (see `_codecs`). Before encoding, the value's fields are
checked against their declared types once per class-specialised checker, so a bad field is reported with its
path (`.points[2].x: expected int, got str ('a')`) instead of being silently written.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import typing
from collections.abc import Callable
from typing import Any

import msgpack
from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.loggers import get_logger
from flytelite.types._base import (
    CACHE_KEY_METADATA,
    MESSAGEPACK,
    SERIALIZATION_FORMAT,
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
from flytelite.types._codecs import build_json_schema, msgpack_decoder, msgpack_encoder, unpack
from flytelite.types._coerce import coerce_paths
from flytelite.types._engine import TypeEngine
from flytelite.types._schema import schema_to_dataclass

__all__ = ["DataclassTransformer"]

logger = get_logger("flytelite.types")
_JSON_MIXIN = "mashumaro.mixins.json.DataClassJSONMixin"
Check = Callable[[Any], None]


def _is_json_mixin(t: Any) -> bool:
    return any(f"{c.__module__}.{c.__qualname__}" == _JSON_MIXIN for c in getattr(t, "__mro__", ()))


def _hints(t: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(t)
    except Exception:  # unresolvable forward references: fall back to the raw annotations
        return {f.name: f.type for f in dataclasses.fields(t)}


_field_checks: dict[Any, list[tuple[str, Check]]] = {}


def _fields_checker(t: Any) -> list[tuple[str, Check]]:
    checks = _field_checks.get(t)
    if checks is None:
        _field_checks[t] = []  # placeholder breaks cycles in self-referencing dataclasses
        hints = _hints(t)
        checks = [(f.name, c) for f in dataclasses.fields(t) if (c := _checker(hints.get(f.name, f.type)))]
        _field_checks[t] = checks
    return checks


def validate_fields(t: Any, v: Any) -> None:
    """Check each field of dataclass value `v` against `t`'s declared types, naming the failing field."""
    for name, check in _fields_checker(t):
        try:
            check(getattr(v, name))
        except TypeTransformerFailedError as exc:
            raise with_path(exc, f".{name}") from exc


def _exact(expected: type, label: str) -> Check:
    def check(v: Any) -> None:
        if type(v) is not expected:
            raise mismatch(label, v)

    return check


def _number(v: Any) -> None:
    if type(v) not in (float, int):
        raise mismatch("float", v)


def _union_checker(t: Any) -> Check | None:
    subs = typing.get_args(t)
    checks = [_checker(s) for s in subs if s is not type(None)]
    if any(c is None for c in checks):
        return None
    optional = type(None) in subs
    label = type_name(t)

    def check(v: Any) -> None:
        if v is None and optional:
            return
        errors: list[TypeTransformerFailedError] = []
        for c in checks:
            try:
                c(v)  # type: ignore[misc]  # None entries were excluded above
                return
            except TypeTransformerFailedError as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        raise mismatch(label, v)

    return check


def _container_checker(t: Any, origin: Any) -> Check | None:
    args = typing.get_args(t)
    label = type_name(t)
    if origin is list and args:
        inner = _checker(args[0])

        def check_list(v: Any) -> None:
            if not isinstance(v, list):
                raise mismatch(label, v)
            if inner is not None:
                for i, x in enumerate(v):
                    try:
                        inner(x)
                    except TypeTransformerFailedError as exc:
                        raise with_path(exc, f"[{i}]") from exc

        return check_list
    if origin is dict and len(args) == 2:
        inner = _checker(args[1])

        def check_dict(v: Any) -> None:
            if not isinstance(v, dict):
                raise mismatch(label, v)
            if inner is not None:
                for k, x in v.items():
                    try:
                        inner(x)
                    except TypeTransformerFailedError as exc:
                        raise with_path(exc, f"[{k!r}]") from exc

        return check_dict
    return None


def _checker(t: Any) -> Check | None:
    """Return a value check for declared type `t`, or None when flytelite does not check such fields."""
    t = get_underlying_type(t)
    if t in (int, str, bool):
        return _exact(t, t.__name__)
    if t is float:
        return _number
    if typing.get_origin(t) is typing.Union or type(t).__name__ == "UnionType":
        return _union_checker(t)
    origin = typing.get_origin(t)
    if origin is not None:
        return _container_checker(t, origin)
    if isinstance(t, type) and issubclass(t, enum.Enum):
        values = [m.value for m in t]

        def check_enum(v: Any) -> None:
            if not isinstance(v, t) and v not in values:
                raise mismatch(f"a member of {type_name(t)}", v)

        return check_enum
    if isinstance(t, type) and dataclasses.is_dataclass(t):

        def check_dataclass(v: Any) -> None:
            if not isinstance(v, t):
                raise mismatch(type_name(t), v)
            validate_fields(t, v)

        return check_dataclass
    return None


def _fix_ints(t: Any, val: Any) -> Any:
    """Turn the doubles a protobuf Struct made of integers back into ints where the type asks for int."""
    t = get_underlying_type(t)
    if val is None:
        return None
    if t in (dict, list, Any) or (typing.get_origin(t) in (dict, list) and not typing.get_args(t)):
        return _untyped_ints(val)
    if typing.get_origin(t) is typing.Union or type(t).__name__ == "UnionType":
        subs = [s for s in typing.get_args(t) if s is not type(None)]
        return _fix_ints(subs[0], val) if len(subs) == 1 else val
    if t is int and isinstance(val, float) and val.is_integer():
        return int(val)
    args = typing.get_args(t)
    if isinstance(val, list) and args:
        return [_fix_ints(args[0], x) for x in val]
    if isinstance(val, dict) and typing.get_origin(t) is dict and len(args) == 2:
        return {k: _fix_ints(args[1], x) for k, x in val.items()}
    if isinstance(val, dict) and isinstance(t, type) and dataclasses.is_dataclass(t):
        hints = _hints(t)
        return {k: _fix_ints(hints[k], x) if k in hints else x for k, x in val.items()}
    return val


def _untyped_ints(val: Any) -> Any:
    if isinstance(val, float) and val.is_integer():
        return int(val)
    if isinstance(val, list):
        return [_untyped_ints(x) for x in val]
    if isinstance(val, dict):
        return {k: _untyped_ints(x) for k, x in val.items()}
    return val


def _hint(exc: Exception) -> str:
    field_type = getattr(exc, "field_type", None)
    if type(exc).__name__ == "UnserializableField" and getattr(field_type, "__name__", "") in ("DataFrame", "Table"):
        return "; declare a dataframe field as StructuredDataset (flytekit cannot store a bare dataframe in one either)"
    return ""


def _decode_error(exc: Exception, t: Any) -> TypeTransformerFailedError:
    field = getattr(exc, "field_name", None)
    cause = exc.__cause__ or exc.__context__
    why = f" ({cause})" if isinstance(cause, TypeTransformerFailedError) else ""  # e.g. a file type's own check
    return TypeTransformerFailedError(f"cannot decode {type_name(t)}: {exc}{why}", path=f".{field}" if field else "")


class DataclassTransformer(TypeTransformer[object]):
    """Convert dataclass values to msgpack `Binary` literals (mashumaro codecs), as flytekit does."""

    def __init__(self) -> None:
        super().__init__("Object-Dataclass-Transformer", object)

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept an instance of `t`, a dict, or a dataclass with the same field names."""
        t = get_underlying_type(t)
        if isinstance(v, (t, dict)):
            return
        if (
            dataclasses.is_dataclass(v)
            and not isinstance(v, type)
            and {f.name for f in dataclasses.fields(v)} <= {f.name for f in dataclasses.fields(t)}
        ):
            return
        raise mismatch(type_name(t), v)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return STRUCT with the JSON schema as metadata and each field's LiteralType in `structure`."""
        if is_annotated(t):
            if any(isinstance(a, FlyteAnnotation) for a in typing.get_args(t)[1:]):
                raise FlyteValidationException(f"FlyteAnnotations cannot be applied to dataclasses: {t}")
            t = get_underlying_type(t)
        lt = LiteralType(simple=SimpleType.STRUCT)
        try:
            lt.metadata.update(build_json_schema(t))
        except Exception as exc:  # flytekit also runs schemaless when mashumaro cannot describe a field
            logger.warning("no JSON schema for %s: %s", type_name(t), exc)
            lt.ClearField("metadata")
        hints = _hints(t)
        for f in dataclasses.fields(t):
            try:
                lt.structure.dataclass_type[f.name].CopyFrom(TypeEngine.to_literal_type(hints.get(f.name, f.type)))
            except Exception as exc:  # a field without a LiteralType only loses attribute access in propeller
                logger.debug("field %s of %s has no literal type: %s", f.name, type_name(t), exc)
        lt.structure.tag = ""
        lt.annotation.annotations.update({CACHE_KEY_METADATA: {SERIALIZATION_FORMAT: MESSAGEPACK}})
        return lt

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return a msgpack binary literal of the dataclass (or of a plain dict standing for it)."""
        t = get_underlying_type(python_type)
        if isinstance(python_val, dict):
            # A dict standing for the dataclass (from the CLI or a console) must decode into it; re-encoding the
            # decoded value also fills defaults, so readers never see a partial record.
            try:
                python_val = msgpack_decoder(t)(msgpack.packb(python_val))
            except Exception as exc:
                raise TypeTransformerFailedError(
                    f"expected {type_name(t)}, got a dict that does not fit it: {exc}"
                ) from exc
        if not dataclasses.is_dataclass(python_val) or isinstance(python_val, type):
            raise mismatch(type_name(t), python_val)
        else:
            coerce_paths(type(python_val) if not isinstance(python_val, t) else t, python_val)
            validate_fields(type(python_val) if not isinstance(python_val, t) else t, python_val)
            try:
                if _is_json_mixin(type(python_val)):
                    data = msgpack.packb(json.loads(python_val.to_json()))  # type: ignore[attr-defined]
                else:
                    data = msgpack_encoder(t)(python_val)
            except (TypeError, ValueError, AttributeError) as exc:
                raise TypeTransformerFailedError(f"cannot encode {type_name(t)}: {exc}{_hint(exc)}") from exc
        return Literal(scalar={"binary": Binary(value=data, tag=MESSAGEPACK)})

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the dataclass from a msgpack binary or a protobuf Struct literal."""
        t = get_underlying_type(expected_python_type)
        if not (isinstance(t, type) and dataclasses.is_dataclass(t)):
            raise TypeTransformerFailedError(f"{type_name(t)} is not a dataclass")
        kind = lv.scalar.WhichOneof("value")
        if kind == "binary":
            return self.from_binary_idl(lv.scalar.binary, t)
        if kind == "generic":
            return self.from_generic_idl(lv.scalar.generic, t)
        raise TypeTransformerFailedError(
            f"expected a binary or generic literal for {type_name(t)}, got {describe_literal(lv)}"
        )

    def from_binary_idl(self, binary_idl_object: Binary, expected_python_type: Any) -> Any:
        """Decode msgpack bytes into the dataclass."""
        t = expected_python_type
        if binary_idl_object.tag != MESSAGEPACK:
            raise TypeTransformerFailedError(f"unsupported binary format {binary_idl_object.tag!r}")
        try:
            if _is_json_mixin(t):
                return t.from_json(json.dumps(unpack(binary_idl_object.value)))
            return msgpack_decoder(t)(binary_idl_object.value)
        except TypeTransformerFailedError:
            raise
        except Exception as exc:  # mashumaro raises MissingField/InvalidFieldValue and plain errors alike
            raise _decode_error(exc, t) from exc

    def from_generic_idl(self, generic: Any, expected_python_type: Any) -> Any:
        """Decode a protobuf Struct (the console's form), turning integral doubles back into ints."""
        data = _fix_ints(expected_python_type, struct_to_python(generic))
        return self.from_binary_idl(Binary(value=msgpack.packb(data), tag=MESSAGEPACK), expected_python_type)

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return a generated dataclass for a STRUCT whose metadata is a titled JSON schema."""
        if (
            literal_type.WhichOneof("type") == "simple"
            and literal_type.simple == SimpleType.STRUCT
            and literal_type.HasField("metadata")
            and "title" in literal_type.metadata
        ):
            return schema_to_dataclass(struct_to_python(literal_type.metadata))
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")
