"""`TypeEngine`: flytekit's classmethod API over the active `TypeRegistry`.

Every classmethod delegates to the active registry (`TypeEngine.registry()`), which owns the transformers, the
written lookup order and the memos (see `flytelite.types._registry`). Swap it for a block with
`TypeEngine.using(registry)`; tests isolate their registrations with
`with TypeEngine.using(TypeEngine.registry().copy()) as reg: reg.register(...)`.
The whole-map conversions (`literal_map_to_kwargs`, `dict_to_literal_map`, …) live here and name the failing input.
"""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Iterator
from typing import Any, ClassVar, Generic, TypeVar

from flyteidl.core.interface_pb2 import Variable, VariableMap
from flyteidl.core.literals_pb2 import Literal, LiteralMap
from flyteidl.core.types_pb2 import LiteralType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.models._convert import to_pb
from flytelite.types._base import Decoder, Encoder, TypeTransformer, decoding_input
from flytelite.types._registry import TypeRegistry, annotated_hash, check_value

__all__ = ["TypeEngine"]

T = TypeVar("T")


class TypeEngine(Generic[T]):
    """Find transformers for Python types and convert values and types through them (flytekit's API).

    The state lives in a `TypeRegistry`; `TypeEngine` is a facade over the active one. The active registry is
    process-wide (every thread and executor sees it), as the registrations it replaces were.
    """

    _current: ClassVar[TypeRegistry] = TypeRegistry()

    # ----------------------------------------------------------------------------------------- the active registry
    @classmethod
    def registry(cls) -> TypeRegistry:
        """Return the active registry (the one every classmethod of `TypeEngine` uses)."""
        return cls._current

    @classmethod
    @contextlib.contextmanager
    def using(cls, registry: TypeRegistry | None = None) -> Iterator[TypeRegistry]:
        """Make `registry` (default: a copy of the active one) the active registry for the block, then restore.

        Example:
            ```python
            with TypeEngine.using(TypeEngine.registry().copy()) as reg:
                reg.register(MyTransformer())  # gone after the block
            ```
        """
        previous = cls._current
        active = previous.copy() if registry is None else registry
        cls._current = active
        try:
            yield active
        finally:
            cls._current = previous

    # ----------------------------------------------------------------------------------------------- registration
    @classmethod
    def register(
        cls, transformer: TypeTransformer[Any], additional_types: list[Any] | None = None, override: bool = False
    ) -> None:
        """Register `transformer` for its `python_type` and any `additional_types`.

        Raises:
            FlyteValidationException: a transformer is already registered for one of the types and `override` is
                False.
        """
        cls._current.register(transformer, additional_types, override)

    @classmethod
    def register_additional_type(
        cls, transformer: TypeTransformer[Any], additional_type: Any, override: bool = False
    ) -> None:
        """Serve `additional_type` with `transformer` too (kept if already registered, unless `override`)."""
        cls._current.register_additional_type(transformer, additional_type, override)

    @classmethod
    def register_lazy(cls, qualified_type_name: str, target: str, literal_kinds: tuple[str, ...] = ()) -> None:
        """Load a transformer only when a type with this qualified name (or a subclass) is first looked up.

        See `TypeRegistry.register_lazy` (a flytelite extension).
        """
        cls._current.register_lazy(qualified_type_name, target, literal_kinds)

    @classmethod
    def get_available_transformers(cls) -> typing.KeysView[Any]:
        """Return the Python types that have a registered transformer."""
        return cls._current.registered_types()

    # ---------------------------------------------------------------------------------------------------- lookup
    @classmethod
    def get_transformer(cls, python_type: Any) -> TypeTransformer[Any]:
        """Return the transformer for `python_type` (the lookup order is in `TypeRegistry`'s docstring)."""
        return cls._current.get_transformer(python_type)

    @classmethod
    def encoder(cls, python_type: Any) -> Encoder:
        """Return a memoised function `(ctx, value, out)` that fills the fresh `Literal` `out` (a flytelite extension).

        Specialised by the transformer when it can (primitives, lists, dicts, unions); otherwise it goes
        through `to_literal`, so checks and `HashMethod` still apply.
        """
        return cls._current.encoder(python_type)

    @classmethod
    def decoder(cls, python_type: Any) -> Decoder:
        """Return a memoised function `(ctx, literal) -> value` for `python_type` (a flytelite extension)."""
        return cls._current.decoder(python_type)

    # ------------------------------------------------------------------------------------------------ conversions
    @classmethod
    def to_literal_type(cls, python_type: Any) -> LiteralType:
        """Return the `LiteralType` of `python_type` (with any `FlyteAnnotation` merged into its annotation)."""
        return cls._current.literal_type(python_type)

    @classmethod
    def to_literal_checks(cls, python_val: Any, python_type: Any, expected: LiteralType | None) -> None:
        """Reject values no transformer may see: tuples, and None where the type does not allow it."""
        check_value(python_val, python_type, expected)

    @classmethod
    def calculate_hash(cls, python_val: Any, python_type: Any) -> str | None:
        """Return the hash from `Annotated[T, HashMethod(fn)]`, if the type carries one."""
        return annotated_hash(python_val, python_type)

    @classmethod
    def to_literal(cls, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return the `Literal` of `python_val` declared as `python_type` (`expected` is its LiteralType).

        Raises:
            TypeTransformerFailedError: the value does not fit the type; `path` locates the failing part.
        """
        return cls._current.to_literal(ctx, python_val, python_type, expected)

    @classmethod
    def to_python_value(cls, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the Python value of `lv` as `expected_python_type` (loading an offloaded literal first).

        `lv` may be a protobuf `Literal` or a flytekit-style `flytelite.models.literals.Literal`.
        """
        return cls._current.to_python_value(ctx, lv, expected_python_type)

    # ---------------------------------------------------------------------------------------------- whole maps
    @classmethod
    def named_tuple_to_variable_map(cls, t: Any) -> VariableMap:
        """Return the `VariableMap` of a NamedTuple's fields (description = position, as flytekit writes)."""
        reg = cls._current
        variables = {
            name: Variable(type=reg.literal_type(ft), description=str(i))
            for i, (name, ft) in enumerate(typing.get_type_hints(t, include_extras=True).items())
        }
        return VariableMap(variables=variables)

    @classmethod
    def literal_map_to_kwargs(
        cls,
        ctx: FlyteContext,
        lm: LiteralMap,
        python_types: dict[str, Any] | None = None,
        literal_types: dict[str, Variable] | None = None,
    ) -> dict[str, Any]:
        """Convert a task's input `LiteralMap` into keyword arguments.

        Raises:
            TypeTransformerFailedError: an input does not convert; the message names it (`input 'xs[3]': …`).
        """
        if python_types is None and literal_types is None:
            raise FlyteValidationException("literal_map_to_kwargs needs python_types or literal_types")
        reg = cls._current
        lm = to_pb(lm)  # may be a flytekit-style `LiteralMap` model
        if literal_types:
            python_types = {k: reg.guess_python_type(v.type) for k, v in literal_types.items()}
        python_types = python_types or {}
        if not python_types:
            return {}
        if len(lm.literals) > len(python_types):
            raise FlyteValidationException(
                f"received {len(lm.literals)} input values but the interface declares {len(python_types)}"
            )
        kwargs: dict[str, Any] = {}
        literals = lm.literals
        for name in literals:  # by key: a protobuf map's `items()` is the slow, pure-Python mixin
            if name not in python_types:
                raise FlyteValidationException(f"received an unexpected input {name!r}")
            lv = literals[name]
            python_type = python_types[name]
            try:
                codec = reg.exact_codec(python_type)
                if codec and type(lv) is Literal and not lv.HasField("offloaded_metadata"):
                    kwargs[name] = codec[1](ctx, lv)  # a scalar: nothing is read later, no input name to keep
                    continue
                with decoding_input(name):  # lazily read values remember which input they are
                    kwargs[name] = reg.to_python_value(ctx, lv, python_type)
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                raise _named_error("input", name, exc) from exc
        return kwargs

    @classmethod
    def dict_to_literal_map(
        cls, ctx: FlyteContext, d: dict[str, Any], type_hints: dict[str, Any] | None = None
    ) -> LiteralMap:
        """Convert named Python values into a `LiteralMap`; a name without a hint uses `type(value)`.

        Raises:
            TypeTransformerFailedError: a value does not convert; the message names it (`input 'xs[3]': …`).
        """
        reg = cls._current
        type_hints = type_hints or {}
        out = LiteralMap()
        for name, value in d.items():
            t = type_hints.get(name, type(value))
            try:
                out.literals[name].CopyFrom(reg.to_literal(ctx, value, t, reg.literal_type(t)))
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                raise _named_error("input", name, exc) from exc
        return out

    # ------------------------------------------------------------------------------------------------- guessing
    @classmethod
    def guess_python_types(cls, flyte_variable_dict: dict[str, Variable]) -> dict[str, Any]:
        """Return the guessed Python type of each variable."""
        reg = cls._current
        return {k: reg.guess_python_type(v.type) for k, v in flyte_variable_dict.items()}

    @classmethod
    def guess_python_type(cls, flyte_type: LiteralType) -> Any:
        """Return a Python type whose LiteralType is `flyte_type` (generated classes for schemas and enums).

        Raises:
            ValueError: no transformer can reverse the type.
        """
        return cls._current.guess_python_type(flyte_type)


def _named_error(kind: str, name: str, exc: BaseException) -> TypeTransformerFailedError:
    path = getattr(exc, "path", "")
    reason = getattr(exc, "reason", None) or str(exc)
    err = TypeTransformerFailedError(f"{kind} '{name}{path}': {reason}")
    err.path = f"{name}{path}"
    err.reason = reason
    return err
