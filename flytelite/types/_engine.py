"""The type registry: which transformer serves a Python type, and the conversions built on that choice.

`TypeEngine.get_transformer(t)` follows a written list of steps (see its docstring); results are memoised per
type and the memo is cleared whenever a transformer is registered. Converters specialised for one type
(`TypeEngine.encoder(list[int])`) are memoised too, so converting many values of one type is a dict hit and a call.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import importlib
import inspect
import logging
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from flyteidl.core.interface_pb2 import Variable, VariableMap
from flyteidl.core.literals_pb2 import Literal, LiteralMap
from flyteidl.core.types_pb2 import LiteralType
from google.protobuf.message import Message

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.models._view import foreign, to_pb, view_of
from flytelite.types._base import (
    CACHE_KEY_METADATA,
    Decoder,
    Encoder,
    FlyteAnnotation,
    HashMethod,
    TypeTransformer,
    decoding_input,
    get_underlying_type,
    is_annotated,
    struct_to_python,
    type_name,
)

__all__ = ["TypeEngine"]

T = TypeVar("T")
logger = logging.getLogger("flytelite.types")

_PYDANTIC_BASE = "pydantic.main.BaseModel"
_Step = Callable[[Any], "TypeTransformer[Any] | None"]


def _qualified_name(c: Any) -> str:
    return f"{getattr(c, '__module__', '')}.{getattr(c, '__qualname__', '')}"


def _memo_key(t: Any) -> Any:
    # `Union[int, str] == Union[str, int]` (and so do lists of them), but the variant order is part of the
    # LiteralType, so generic types are keyed by their arguments in order.
    args = getattr(t, "__args__", None)
    if not args or not isinstance(args, tuple):
        return t
    return (getattr(t, "__origin__", t), *(_memo_key(a) for a in args), *getattr(t, "__metadata__", ()))


def _memo_get(memo: dict[Any, Any], t: Any) -> Any:
    try:
        return memo.get(_memo_key(t))
    except TypeError:  # unhashable type hints (e.g. Annotated with a dict) are simply not memoised
        return None


def _memo_put(memo: dict[Any, Any], t: Any, value: Any) -> None:
    with contextlib.suppress(TypeError):
        memo[_memo_key(t)] = value


class TypeEngine(Generic[T]):
    """Find transformers for Python types and convert values and types through them (flytekit's API)."""

    _REGISTRY: ClassVar[dict[Any, TypeTransformer[Any]]] = {}
    _LAZY: ClassVar[dict[str, str]] = {}
    _LAZY_KINDS: ClassVar[dict[str, dict[str, str]]] = {}  # literal-type kind -> {qualified name: target}
    _SPECIAL: ClassVar[dict[str, TypeTransformer[Any]]] = {}
    _LAZY_SPECIAL: ClassVar[dict[str, str]] = {}  # role -> target, loaded when the role is first needed
    _LAZY_SPECIAL_KINDS: ClassVar[dict[str, set[str]]] = {}  # literal-type kind -> roles that can reverse it
    _memo: ClassVar[dict[Any, TypeTransformer[Any]]] = {}
    _lt_memo: ClassVar[dict[Any, LiteralType]] = {}
    _enc_memo: ClassVar[dict[Any, Encoder]] = {}
    _dec_memo: ClassVar[dict[Any, Decoder]] = {}
    _warned: ClassVar[set[str]] = set()
    _lock: ClassVar[threading.RLock] = threading.RLock()

    # ----------------------------------------------------------------------------------------------- registration
    @classmethod
    def register(
        cls, transformer: TypeTransformer[Any], additional_types: list[Any] | None = None, override: bool = False
    ) -> None:
        """Register `transformer` for its `python_type` and any `additional_types`.

        Raises:
            ValueError: a transformer is already registered for one of the types and `override` is False.
        """
        with cls._lock:
            keys = [transformer.python_type, *(additional_types or [])]
            for t in keys:
                existing = cls._REGISTRY.get(t)
                if existing is not None and existing is not transformer and not override:
                    raise FlyteValidationException(
                        f"Transformer {existing.name!r} for type {type_name(t)} is already registered;"
                        f" cannot register {transformer.name!r} (pass override=True to replace it)"
                    )
            for t in keys:
                cls._REGISTRY[t] = transformer
            cls._clear_memos()

    @classmethod
    def register_additional_type(
        cls, transformer: TypeTransformer[Any], additional_type: Any, override: bool = False
    ) -> None:
        """Serve `additional_type` with `transformer` too (kept if already registered, unless `override`)."""
        if additional_type not in cls._REGISTRY or override:
            with cls._lock:
                cls._REGISTRY[additional_type] = transformer
                cls._clear_memos()

    @classmethod
    def register_lazy(cls, qualified_type_name: str, target: str, literal_kinds: tuple[str, ...] = ()) -> None:
        """Load a transformer only when a type with this qualified name (or a subclass) is first looked up.

        Args:
            qualified_type_name: `module.QualName` of the served type, e.g. `"pandas.core.frame.DataFrame"`.
            target: `"module:attribute"`; the attribute is a transformer instance, a transformer class (built
                with no arguments) or a function returning a transformer. Importing the module may also
                register the transformer itself.
            literal_kinds: kinds of `LiteralType` (`"blob"`, `"structured_dataset_type"`, …) this transformer can
                reverse: `guess_python_type` of such a literal type loads it first.
        """
        with cls._lock:
            cls._LAZY[qualified_type_name] = target
            for kind in literal_kinds:
                cls._LAZY_KINDS.setdefault(kind, {})[qualified_type_name] = target
            cls._clear_memos()

    @classmethod
    def _set_lazy_special(cls, role: str, target: str, literal_kinds: tuple[str, ...] = ()) -> None:
        """Serve a lookup step (`"pickle"`, `"pydantic"`) with a transformer imported when the step first needs it.

        `literal_kinds` are the kinds of `LiteralType` it can reverse (see `register_lazy`).
        """
        with cls._lock:
            cls._LAZY_SPECIAL[role] = target
            for kind in literal_kinds:
                cls._LAZY_SPECIAL_KINDS.setdefault(kind, set()).add(role)
            cls._clear_memos()

    @classmethod
    def _set_special(cls, role: str, transformer: TypeTransformer[Any]) -> None:
        """Install a transformer for a lookup step that is not a registry key (enum, literal, dataclass, …)."""
        with cls._lock:
            cls._SPECIAL[role] = transformer
            cls._clear_memos()

    @classmethod
    def _special(cls, role: str) -> TypeTransformer[Any]:
        found = cls._SPECIAL.get(role)
        if found is None:
            with cls._lock:
                found = cls._SPECIAL.get(role)
                if found is None:
                    found = _load_target(cls._LAZY_SPECIAL[role])
                    cls._SPECIAL[role] = found
        return found

    @classmethod
    def _clear_memos(cls) -> None:
        cls._memo.clear()
        cls._lt_memo.clear()
        cls._enc_memo.clear()
        cls._dec_memo.clear()

    @classmethod
    def get_available_transformers(cls) -> typing.KeysView[Any]:
        """Return the Python types that have a registered transformer."""
        return cls._REGISTRY.keys()

    # ---------------------------------------------------------------------------------------------------- lookup
    @classmethod
    def get_transformer(cls, python_type: Any) -> TypeTransformer[Any]:
        """Return the transformer for `python_type`, trying these steps in order.

        1. `Annotated[T, ...]`: a `TypeTransformer` instance among the metadata wins; otherwise look up `T`.
        2. Special predicates that must beat inheritance: an `Enum` subclass (even `class E(str, Enum)`) →
           the enum transformer; `typing.Literal[...]` → the literal transformer.
        3. Exact registry hit (including a lazily registered qualified name).
        4. Generic origin: `list[int]` → `list`, `dict[str, T]` → `dict`, `Union[...]`/`X | Y` → the union one.
        5. The class's MRO, nearest base first (registry hits and lazy qualified names).
        6. Structural predicates: a dataclass; a pydantic `BaseModel` (found by qualified name in the MRO).
        7. Pickle: the last, named step; it logs a warning once per type.
        """
        if python_type is None:
            python_type = type(None)
        hit = _memo_get(cls._memo, python_type)
        if hit is not None:
            return typing.cast(TypeTransformer[Any], hit)
        for step in cls._lookup_steps():
            found = step(python_type)
            if found is not None:
                break
        else:
            found = cls._step_pickle(python_type)
        _memo_put(cls._memo, python_type, found)
        return found

    @classmethod
    def _lookup_steps(cls) -> tuple[_Step, ...]:
        return (
            cls._step_annotated,
            cls._step_special,
            cls._step_exact,
            cls._step_origin,
            cls._step_mro,
            cls._step_structural,
        )

    @classmethod
    def _step_annotated(cls, t: Any) -> TypeTransformer[Any] | None:
        if not is_annotated(t):
            return None
        args = typing.get_args(t)
        for a in args[1:]:
            if isinstance(a, TypeTransformer):
                return a
        return cls.get_transformer(args[0])

    @classmethod
    def _step_special(cls, t: Any) -> TypeTransformer[Any] | None:
        if inspect.isclass(t) and issubclass(t, enum.Enum):
            return cls._special("enum")
        if typing.get_origin(t) is typing.Literal:
            return cls._special("literal")
        return None

    @classmethod
    def _step_exact(cls, t: Any) -> TypeTransformer[Any] | None:
        found = cls._registry_get(t)
        if found is None and inspect.isclass(t):
            found = cls._load_lazy(t)
        return found

    @classmethod
    def _step_origin(cls, t: Any) -> TypeTransformer[Any] | None:
        if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
            return cls._REGISTRY.get(typing.Union)
        origin = getattr(t, "__origin__", None)
        if origin is None:
            return None
        return cls._registry_get(origin)

    @classmethod
    def _step_mro(cls, t: Any) -> TypeTransformer[Any] | None:
        for base in getattr(t, "__mro__", ())[1:]:
            if base is object:
                continue
            found = cls._registry_get(base) or cls._load_lazy(base)
            if found is not None:
                return found
        return None

    @classmethod
    def _step_structural(cls, t: Any) -> TypeTransformer[Any] | None:
        if inspect.isclass(t) and dataclasses.is_dataclass(t):
            return cls._special("dataclass")
        if any(_qualified_name(c) == _PYDANTIC_BASE for c in getattr(t, "__mro__", ())):
            return cls._special("pydantic")
        return None

    @classmethod
    def _registry_get(cls, t: Any) -> TypeTransformer[Any] | None:
        try:
            return cls._REGISTRY.get(t)
        except TypeError:
            return None

    @classmethod
    def _step_pickle(cls, t: Any) -> TypeTransformer[Any]:
        name = str(t)
        if name not in cls._warned:
            cls._warned.add(name)
            logger.warning(
                "Unsupported type %s: flytelite will pickle its values (cloudpickle). Pickles only travel between"
                " identical Python versions and libraries; prefer a type Flyte supports.",
                name,
            )
        return cls._special("pickle")

    @classmethod
    def _load_lazy(cls, c: Any) -> TypeTransformer[Any] | None:
        if not cls._LAZY:
            return None
        qn = _qualified_name(c)
        target = cls._LAZY.get(qn)
        if target is None:
            return None
        with cls._lock:
            cls._LAZY.pop(qn, None)
            module_name, _, attr = target.partition(":")
            module = importlib.import_module(module_name)
            if c in cls._REGISTRY:  # importing the module registered it
                return cls._REGISTRY[c]
            obj = getattr(module, attr)
            transformer = obj if isinstance(obj, TypeTransformer) else obj()
            cls.register(transformer, [] if transformer.python_type is c else [c], override=True)
            return transformer

    @classmethod
    def _load_lazy_kind(cls, kind: str) -> None:
        """Load the lazily registered transformers that can reverse a `LiteralType` of this kind."""
        for role in cls._LAZY_SPECIAL_KINDS.get(kind, ()):
            cls._special(role)
        if kind not in cls._LAZY_KINDS:
            return
        with cls._lock:
            for qn, target in cls._LAZY_KINDS.pop(kind, {}).items():
                if cls._LAZY.get(qn) != target:
                    continue  # loaded already, or replaced by a later registration
                transformer = _load_target(target)
                if transformer.python_type not in cls._REGISTRY:
                    cls.register(transformer)

    # ------------------------------------------------------------------------------------------------ conversions
    @classmethod
    def to_literal_type(cls, python_type: Any) -> LiteralType:
        """Return the `LiteralType` of `python_type` (with any `FlyteAnnotation` merged into its annotation)."""
        cached = _memo_get(cls._lt_memo, python_type)
        if cached is None:
            cached = cls._compute_literal_type(python_type)
            _memo_put(cls._lt_memo, python_type, cached)
        out = LiteralType()
        out.CopyFrom(cached)
        return out

    @classmethod
    def _compute_literal_type(cls, python_type: Any) -> LiteralType:
        # a user's or plugin's transformer may build the type from flytekit-style models: normalise to protobuf
        res = to_pb(cls.get_transformer(python_type).get_literal_type(python_type))
        if not is_annotated(python_type):
            return res
        found = [a.data for a in typing.get_args(python_type)[1:] if isinstance(a, FlyteAnnotation)]
        if len(found) > 1:
            raise FlyteValidationException(f"more than one FlyteAnnotation in {python_type}; at most one is allowed")
        if found:
            data = dict(found[0])
            if CACHE_KEY_METADATA in data:
                raise FlyteValidationException(f"a FlyteAnnotation cannot contain the key {CACHE_KEY_METADATA!r}")
            if res.HasField("annotation"):
                data.update(struct_to_python(res.annotation.annotations))
            res.annotation.annotations.Clear()
            res.annotation.annotations.update(data)
        return res

    @classmethod
    def to_literal_checks(cls, python_val: Any, python_type: Any, expected: LiteralType | None) -> None:
        """Reject values no transformer may see: tuples, and None where the type does not allow it."""
        if isinstance(python_val, tuple):
            raise TypeTransformerFailedError(
                f"tuples are not supported as values, got {python_val!r:.60}; return the tuple's fields separately"
                " (for a NamedTuple output, return `v.x` rather than `v`)"
            )
        if (
            python_val is None
            and python_type is not type(None)
            and python_type is not Any
            and expected is not None
            and not expected.HasField("union_type")
        ):
            raise TypeTransformerFailedError(f"expected {type_name(python_type)}, got None")

    @classmethod
    def calculate_hash(cls, python_val: Any, python_type: Any) -> str | None:
        """Return the hash from `Annotated[T, HashMethod(fn)]`, if the type carries one."""
        if is_annotated(python_type):
            for a in typing.get_args(python_type)[1:]:
                if isinstance(a, HashMethod):
                    return a.calculate(python_val)
        return None

    @classmethod
    def to_literal(cls, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return the `Literal` of `python_val` declared as `python_type` (`expected` is its LiteralType).

        Raises:
            TypeTransformerFailedError: the value does not fit the type; `path` locates the failing part.
        """
        if expected is not None and not isinstance(expected, Message):
            expected = expected.to_flyte_idl()  # a flytekit-style `LiteralType` model
        cls.to_literal_checks(python_val, python_type, expected)
        transformer = cls.get_transformer(python_type)
        if transformer.type_assertions_enabled:
            transformer.assert_type(python_type, python_val)
        if foreign(transformer, "to_literal"):  # user/plugin code: sees and may return flytekit-style models
            view = None if expected is None else view_of(expected)
            lv = to_pb(transformer.to_literal(ctx, python_val, python_type, view))
        else:
            lv = transformer.to_literal(ctx, python_val, python_type, expected)
        h = cls.calculate_hash(python_val, python_type)
        if h is not None:
            lv.hash = h
        return lv

    @classmethod
    def to_python_value(cls, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the Python value of `lv` as `expected_python_type` (loading an offloaded literal first).

        `lv` may be a protobuf `Literal` or a flytekit-style `flytelite.models.literals.Literal`.
        """
        if not isinstance(lv, Message):
            lv = lv.to_flyte_idl()
        if lv.HasField("offloaded_metadata"):
            lv = Literal.FromString(ctx.file_access.read_bytes(lv.offloaded_metadata.uri))
        transformer = cls.get_transformer(expected_python_type)
        if foreign(transformer, "to_python_value"):  # user/plugin code: give it a flytekit-style model
            return transformer.to_python_value(ctx, view_of(lv), expected_python_type)
        return transformer.to_python_value(ctx, lv, expected_python_type)

    @classmethod
    def encoder(cls, python_type: Any) -> Encoder:
        """Return a memoised function `(ctx, value, out)` that fills the fresh `Literal` `out` (a flytelite extension).

        Specialised by the transformer when it can (primitives, lists, dicts, unions); otherwise it goes
        through `to_literal`, so checks and `HashMethod` still apply.
        """
        enc = _memo_get(cls._enc_memo, python_type)
        if enc is None:
            made = None if is_annotated(python_type) else cls.get_transformer(python_type)._make_encoder(python_type)
            enc = made if made is not None else cls._generic_encoder(python_type)
            _memo_put(cls._enc_memo, python_type, enc)
        return typing.cast(Encoder, enc)

    @classmethod
    def decoder(cls, python_type: Any) -> Decoder:
        """Return a memoised function `(ctx, literal) -> value` for `python_type` (a flytelite extension)."""
        dec = _memo_get(cls._dec_memo, python_type)
        if dec is None:
            made: Decoder | None = None
            if not is_annotated(python_type):
                made = cls.get_transformer(python_type)._make_decoder(python_type)
            elif cls.get_transformer(python_type) is cls.get_transformer(get_underlying_type(python_type)):
                made = cls.decoder(get_underlying_type(python_type))  # metadata only matters when encoding
            dec = made if made is not None else cls._generic_decoder(python_type)
            _memo_put(cls._dec_memo, python_type, dec)
        return typing.cast(Decoder, dec)

    @classmethod
    def _generic_decoder(cls, python_type: Any) -> Decoder:
        def decode(ctx: FlyteContext, lv: Literal) -> Any:
            return cls.to_python_value(ctx, lv, python_type)

        return decode

    @classmethod
    def _generic_encoder(cls, python_type: Any) -> Encoder:
        expected: list[LiteralType] = []

        def encode(ctx: FlyteContext, value: Any, out: Literal) -> None:
            if not expected:
                expected.append(cls.to_literal_type(python_type))
            out.CopyFrom(cls.to_literal(ctx, value, python_type, expected[0]))

        return encode

    # ---------------------------------------------------------------------------------------------- whole maps
    @classmethod
    def named_tuple_to_variable_map(cls, t: Any) -> VariableMap:
        """Return the `VariableMap` of a NamedTuple's fields (description = position, as flytekit writes)."""
        variables = {
            name: Variable(type=cls.to_literal_type(ft), description=str(i))
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
        lm = to_pb(lm)
        if literal_types:
            python_types = {k: cls.guess_python_type(v.type) for k, v in literal_types.items()}
        python_types = python_types or {}
        if not python_types:
            return {}
        if len(lm.literals) > len(python_types):
            raise FlyteValidationException(
                f"received {len(lm.literals)} input values but the interface declares {len(python_types)}"
            )
        kwargs: dict[str, Any] = {}
        for name, lv in lm.literals.items():
            if name not in python_types:
                raise FlyteValidationException(f"received an unexpected input {name!r}")
            try:
                with decoding_input(name):  # lazily read values remember which input they are
                    kwargs[name] = cls.to_python_value(ctx, lv, python_types[name])
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
        type_hints = type_hints or {}
        out = LiteralMap()
        for name, value in d.items():
            t = type_hints.get(name, type(value))
            try:
                out.literals[name].CopyFrom(cls.to_literal(ctx, value, t, cls.to_literal_type(t)))
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                raise _named_error("input", name, exc) from exc
        return out

    # ------------------------------------------------------------------------------------------------- guessing
    @classmethod
    def guess_python_types(cls, flyte_variable_dict: dict[str, Variable]) -> dict[str, Any]:
        """Return the guessed Python type of each variable."""
        return {k: cls.guess_python_type(v.type) for k, v in flyte_variable_dict.items()}

    @classmethod
    def guess_python_type(cls, flyte_type: LiteralType) -> Any:
        """Return a Python type whose LiteralType is `flyte_type` (generated classes for schemas and enums).

        Raises:
            ValueError: no transformer can reverse the type.
        """
        flyte_type = to_pb(flyte_type)
        kind = flyte_type.WhichOneof("type")
        if kind:
            cls._load_lazy_kind(kind)
        candidates: list[TypeTransformer[Any]] = []
        special = [tr for tr in (cls._SPECIAL.get("literal"),) if tr is not None]
        everything = [*special, *cls._REGISTRY.values(), *cls._SPECIAL.values()]
        tag = flyte_type.structure.tag if flyte_type.HasField("structure") else ""
        if tag:  # a union variant names its transformer (`date` vs `datetime` share one LiteralType)
            everything = [tr for tr in everything if tr.name == tag] + everything
        for tr in everything:
            if all(tr is not c for c in candidates):
                candidates.append(tr)
        for tr in candidates:
            try:
                if foreign(tr, "guess_python_type"):
                    return tr.guess_python_type(view_of(flyte_type))
                return tr.guess_python_type(flyte_type)
            except ValueError:
                continue
        raise ValueError(f"no transformer can reverse the Flyte literal type {flyte_type}")


def _load_target(target: str) -> TypeTransformer[Any]:
    """Import `"module:attribute"` and return the transformer it names (an instance, a class or a factory)."""
    module_name, _, attr = target.partition(":")
    obj = getattr(importlib.import_module(module_name), attr)
    return obj if isinstance(obj, TypeTransformer) else obj()


def _named_error(kind: str, name: str, exc: BaseException) -> TypeTransformerFailedError:
    path = getattr(exc, "path", "")
    reason = getattr(exc, "reason", None) or str(exc)
    err = TypeTransformerFailedError(f"{kind} '{name}{path}': {reason}")
    err.path = f"{name}{path}"
    err.reason = reason
    return err
