"""The transformer interface, the markers users put in `Annotated[...]`, and small shared helpers.

A `TypeTransformer[T]` converts between Python values of type `T` and Flyte `Literal`s, and between the type `T`
and a `LiteralType`. Subclass it (or build a `SimpleTransformer`) and register the instance with
`TypeEngine.register` to teach flytelite a new type; the method names and argument order are flytekit's.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType
from google.protobuf.struct_pb2 import Struct, Value

from flytelite.core.constants import CACHE_KEY_METADATA, MESSAGEPACK, SERIALIZATION_FORMAT
from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.models._convert import to_pb, view_of
from flytelite.types._codecs import msgpack, msgpack_decoder

__all__ = [
    "CACHE_KEY_METADATA",
    "MESSAGEPACK",
    "SERIALIZATION_FORMAT",
    "BatchSize",
    "Decoder",
    "Encoder",
    "FlyteAnnotation",
    "HashMethod",
    "RestrictedTypeTransformer",
    "SimpleTransformer",
    "TypeTransformer",
    "TypeTransformerFailedError",
    "decoding_input",
    "decoding_input_name",
    "describe_literal",
    "describe_value",
    "get_batch_size",
    "get_underlying_type",
    "is_annotated",
    "mismatch",
    "struct_to_python",
    "type_name",
    "with_path",
]

T = TypeVar("T")


Encoder = Callable[[FlyteContext, Any, Literal], None]
"""Fill `out` (a fresh `Literal`) from a Python value; raise `TypeTransformerFailedError` with a path on failure."""

Decoder = Callable[[FlyteContext, Literal], Any]
"""Return the Python value of a `Literal`."""

_decoding_input: ContextVar[str | None] = ContextVar("flytelite_decoding_input", default=None)


class decoding_input:  # lower case: used as a function: `with decoding_input("a"):`
    """Mark values decoded inside this block as the task input `name`.

    Lazily read values (remote files, folders, datasets) remember the name, so a read that fails later, inside the
    task's code, says which input it was. (A class, not a generator: every input of every task call enters one.)
    """

    __slots__ = ("_name", "_token")

    def __init__(self, name: str) -> None:
        self._name = name

    def __enter__(self) -> None:
        self._token = _decoding_input.set(self._name)

    def __exit__(self, *exc: object) -> None:
        _decoding_input.reset(self._token)


def decoding_input_name() -> str | None:
    """Return the name of the task input being decoded, or None outside `decoding_input`."""
    return _decoding_input.get()


def is_annotated(t: Any) -> bool:
    """Tell whether `t` is `typing.Annotated[...]`."""
    # Plain classes (the common case, on every conversion) are never `Annotated`: skip `get_origin`'s checks.
    return not isinstance(t, type) and typing.get_origin(t) is typing.Annotated


def get_underlying_type(t: Any) -> Any:
    """Return `T` for `Annotated[T, ...]` (recursively), else `t`."""
    while is_annotated(t):
        t = typing.get_args(t)[0]
    return t


def type_name(t: Any) -> str:
    """Return a short readable name for a type (`int`, `list[int]`, `my.module.Point`)."""
    if isinstance(t, type) and not typing.get_args(t):
        return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
    return str(t).replace("typing.", "")


def describe_value(v: Any) -> str:
    """Return `str ('abc')`: the value's type name and a short repr, for error messages."""
    text = repr(v)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(v).__name__} ({text})"


def mismatch(expected: str, v: Any, path: str = "") -> TypeTransformerFailedError:
    """Build the standard `expected <type>, got <type> (<value>)` error."""
    return TypeTransformerFailedError(f"expected {expected}, got {describe_value(v)}", path=path)


def describe_literal(lv: Literal) -> str:
    """Return what a literal holds, for error messages (`string ('abc')`, `collection`, `map`, …)."""
    kind = lv.WhichOneof("value")
    if kind != "scalar":
        return kind or "an empty literal"
    scalar_kind = lv.scalar.WhichOneof("value")
    if scalar_kind == "primitive":
        p = lv.scalar.primitive
        pk = p.WhichOneof("value")
        if pk in ("integer", "float_value", "string_value", "boolean"):
            return f"{pk} ({getattr(p, pk)!r:.60})"
        return str(pk)
    if scalar_kind == "binary":
        return f"binary (tag {lv.scalar.binary.tag!r})"
    return scalar_kind or "an empty scalar"


def struct_to_python(generic: Struct) -> dict[str, Any]:
    """Return the JSON-like Python value of a protobuf `Struct` (what the console and propeller send).

    The result is what `json.loads(json_format.MessageToJson(generic, sort_keys=True))` gives (numbers are floats,
    keys sorted, NaN and infinities rejected), built directly: `json_format` costs ~3 ms to import.
    """
    fields = generic.fields
    return {k: _value_to_python(fields[k]) for k in sorted(fields)}


def _value_to_python(v: Value) -> Any:
    kind = v.WhichOneof("kind")
    if kind == "number_value":
        x = v.number_value
        if math.isinf(x) or math.isnan(x):
            raise ValueError(f"a Struct number cannot be {x} in JSON")
        return x
    if kind == "string_value":
        return v.string_value
    if kind == "bool_value":
        return v.bool_value
    if kind == "struct_value":
        return struct_to_python(v.struct_value)
    if kind == "list_value":
        return [_value_to_python(x) for x in v.list_value.values]
    return None  # null_value, or an unset Value (JSON null, as json_format writes it)


class FlyteAnnotation:
    """Attach arbitrary metadata to a type: `Annotated[int, FlyteAnnotation({"foo": {"bar": 1}})]`.

    The dictionary lands in `LiteralType.annotation`; at most one per type hint.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    @property
    def data(self) -> dict[str, Any]:
        """Return the annotation's dictionary."""
        return self._data


class BatchSize:
    """Mark how many items a list or directory input is processed in: `Annotated[list[int], BatchSize(10)]`."""

    def __init__(self, val: int) -> None:
        self._val = val

    @property
    def val(self) -> int:
        """Return the batch size."""
        return self._val


def get_batch_size(t: Any) -> int | None:
    """Return the `BatchSize` in `Annotated[T, BatchSize(n)]`, if any."""
    if is_annotated(t):
        for a in typing.get_args(t)[1:]:
            if isinstance(a, BatchSize):
                return a.val
    return None


class HashMethod(Generic[T]):
    """Compute a literal's cache hash from its value: `Annotated[pd.DataFrame, HashMethod(fn)]`."""

    def __init__(self, function: Callable[[T], str]) -> None:
        self._function = function

    def calculate(self, obj: T) -> str:
        """Return the hash of `obj`."""
        return self._function(obj)


class TypeTransformer(Generic[T]):
    """Convert one family of Python types to and from Flyte literals.

    Args:
        name: the transformer's name; it is also the union `structure.tag` of its variants.
        t: the Python type this transformer is registered for.
        enable_type_assertions: whether `TypeEngine.to_literal` calls `assert_type` first.
    """

    def __init__(self, name: str, t: type[T] | Any, enable_type_assertions: bool = True) -> None:
        self._t = t
        self._name = name
        self._type_assertions_enabled = enable_type_assertions
        self._msgpack_decoders: dict[Any, Any] = {}

    @property
    def name(self) -> str:
        """Return the transformer's name."""
        return self._name

    @property
    def python_type(self) -> Any:
        """Return the Python type this transformer is registered for."""
        return self._t

    @property
    def is_async(self) -> bool:
        """Return False: flytelite transformers are synchronous."""
        return False

    @property
    def type_assertions_enabled(self) -> bool:
        """Tell whether the engine checks values with `assert_type` before converting."""
        return self._type_assertions_enabled

    def assert_type(self, t: Any, v: Any) -> None:
        """Raise `TypeTransformerFailedError` if `v` is not a value of `t`."""
        base = typing.get_origin(t) or t
        if is_annotated(t):
            base = typing.get_origin(get_underlying_type(t)) or get_underlying_type(t)
        if isinstance(base, type) and not isinstance(v, base):
            raise mismatch(type_name(t), v)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return the `LiteralType` of the Python type `t`."""
        raise TypeTransformerFailedError(f"transformer {self._name!r} does not define get_literal_type")

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return the Python type for `literal_type`, or raise `ValueError` if this transformer cannot."""
        raise ValueError(f"transformer {self._name!r} cannot reverse {literal_type}")

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return the `Literal` of `python_val`, declared as `python_type` (`expected` is its LiteralType)."""
        raise TypeTransformerFailedError(f"transformer {self._name!r} does not define to_literal")

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the Python value of `lv` as `expected_python_type`."""
        raise TypeTransformerFailedError(f"transformer {self._name!r} does not define to_python_value")

    def from_binary_idl(self, binary_idl_object: Binary, expected_python_type: Any) -> Any:
        """Decode a msgpack `Binary` literal (what propeller sends for attribute access) as the given type."""
        if binary_idl_object.tag != MESSAGEPACK:
            raise TypeTransformerFailedError(f"unsupported binary format {binary_idl_object.tag!r}")
        if expected_python_type in (Any, dict) or expected_python_type is None:
            return msgpack.unpackb(binary_idl_object.value, strict_map_key=False)
        decoder = self._msgpack_decoders.get(expected_python_type)
        if decoder is None:
            decoder = self._msgpack_decoders[expected_python_type] = msgpack_decoder(expected_python_type)
        try:
            return decoder(binary_idl_object.value)
        except (TypeError, ValueError, KeyError) as exc:
            raise TypeTransformerFailedError(
                f"cannot decode msgpack as {type_name(expected_python_type)}: {exc}"
            ) from exc

    def from_generic_idl(self, generic: Struct, expected_python_type: Any) -> Any:
        """Decode a protobuf `Struct` literal (what the console sends) as the given type."""
        data = msgpack.packb(struct_to_python(generic))
        return self.from_binary_idl(Binary(value=data, tag=MESSAGEPACK), expected_python_type)

    def _make_encoder(self, t: Any) -> Encoder | None:
        """Return a specialised encoder for `t`, or None to use `to_literal` (override for speed)."""
        return None

    def _make_decoder(self, t: Any) -> Decoder | None:
        """Return a specialised decoder for `t`, or None to use `to_python_value` (override for speed)."""
        return None

    def _exact_codec(self, t: Any) -> tuple[Encoder, Decoder] | None:
        """Return `(encoder, decoder)` that stand for this transformer's whole conversion of `t`, or None.

        The encoder, given a value that is neither None nor a tuple, must fill a fresh `Literal` exactly as
        `assert_type` then `to_literal` would (the same literal, the same error), whatever the expected
        `LiteralType`; the decoder must return what `to_python_value` would for a protobuf `Literal` that is not
        offloaded. The registry then skips the general steps for `t` (the fast path of scalar task inputs).
        """
        return None

    def __repr__(self) -> str:
        return f"{self._name} Transforms ({self._t}) to Flyte native"


class SimpleTransformer(TypeTransformer[T]):
    """A transformer built from two functions, for a type whose values have exactly one Python class.

    Args:
        name: the transformer's name.
        t: the Python type; values must have exactly this type (`type(v) is t`).
        lt: its LiteralType.
        to_literal_transformer: value → `Literal`.
        from_literal_transformer: `Literal` → value.
    """

    def __init__(
        self,
        name: str,
        t: type[T],
        lt: LiteralType,
        to_literal_transformer: Callable[[T], Literal],
        from_literal_transformer: Callable[[Literal], T],
    ) -> None:
        super().__init__(name, t)
        self._type = t
        self._lt = to_pb(lt)  # flytekit code passes a `LiteralType` model
        self._to_literal_transformer = to_literal_transformer
        self._from_literal_transformer = from_literal_transformer
        # a user's function reads a flytekit-style model, as in flytekit; flytelite's own read the protobuf
        self._reads_models = not str(getattr(from_literal_transformer, "__module__", "")).startswith("flytelite.")

    @property
    def base_type(self) -> type[T]:
        """Return the one Python class values must have."""
        return self._type

    def get_literal_type(self, t: Any = None) -> LiteralType:
        """Return a copy of the fixed LiteralType."""
        out = LiteralType()
        out.CopyFrom(self._lt)
        return out

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Convert after checking the value's exact type."""
        if type(python_val) is not self._type:
            raise mismatch(type_name(self._type), python_val)
        return to_pb(self._to_literal_transformer(python_val))

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Convert a literal (or a msgpack `Binary`) back to the Python type."""
        if get_underlying_type(expected_python_type) is not self._type:
            raise TypeTransformerFailedError(
                f"cannot convert to {type_name(expected_python_type)}, only {type_name(self._type)} is supported"
            )
        if lv.scalar.HasField("binary"):
            return self.from_binary_idl(lv.scalar.binary, self._type)
        try:
            res = self._from_literal_transformer(view_of(lv) if self._reads_models else lv)
        except (AttributeError, ValueError) as exc:
            raise TypeTransformerFailedError(f"cannot convert literal to {type_name(self._type)}: {exc}") from exc
        if type(res) is not self._type:
            raise TypeTransformerFailedError(
                f"expected a literal of {type_name(self._type)}, got {describe_value(res)}"
            )
        return res

    def from_binary_idl(self, binary_idl_object: Binary, expected_python_type: Any) -> Any:
        """Decode msgpack bytes holding a value of the base type."""
        if binary_idl_object.tag == MESSAGEPACK and self._type in (int, float, str, bool, type(None)):
            value = msgpack.unpackb(binary_idl_object.value, strict_map_key=False)
            if type(value) is not self._type:
                raise mismatch(type_name(self._type), value)
            return value
        return super().from_binary_idl(binary_idl_object, expected_python_type)

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return the base type when `literal_type` is this transformer's simple type."""
        if literal_type.WhichOneof("type") == "simple" and literal_type.simple == self._lt.simple:
            return self._type
        raise ValueError(f"transformer {self._name!r} cannot reverse {literal_type}")


def with_path(exc: BaseException, prefix: str) -> TypeTransformerFailedError:
    """Return a new error locating `exc` under `prefix` (`[3]`, `.a`, `['k']`); raise it `from exc`."""
    reason = getattr(exc, "reason", None)
    if reason is None:
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, TypeError) else str(exc)
    return TypeTransformerFailedError(reason, path=prefix + getattr(exc, "path", ""))


class RestrictedTypeTransformer(TypeTransformer[T]):
    """Refuse a type Flyte cannot carry as one value (tuples, NamedTuples), with a clear error."""

    def get_literal_type(self, t: Any = None) -> LiteralType:
        """Raise: the type is not allowed."""
        raise TypeTransformerFailedError(f"{type_name(t)} ({self._name}) cannot be a Flyte input or output type")

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Raise: the type is not allowed."""
        raise TypeTransformerFailedError(f"{type_name(python_type)} ({self._name}) cannot be converted to a literal")

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Raise: the type is not allowed."""
        raise TypeTransformerFailedError(f"{type_name(expected_python_type)} ({self._name}) cannot be a Python value")
