"""`TypeRegistry`: which transformer serves a Python type, and the single-value conversions built on that choice.

A registry is an object: `TypeEngine` (flytekit's classmethod API) delegates to the active one, and tests or
plugins isolate their registrations in a copy (`with TypeEngine.using(TypeEngine.registry().copy()): ...`).
Lookups, literal types and the converters specialised for one type are memoised per registry; every registration
clears its memos.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import importlib
import inspect
import threading
import types
import typing
from collections.abc import Callable, KeysView, MutableMapping
from typing import Any, Generic, TypeVar

from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import LiteralType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.loggers import get_logger
from flytelite.models._convert import foreign, to_pb, view_of
from flytelite.types._base import (
    CACHE_KEY_METADATA,
    Decoder,
    Encoder,
    FlyteAnnotation,
    HashMethod,
    TypeTransformer,
    get_underlying_type,
    is_annotated,
    struct_to_python,
    type_name,
)

__all__ = ["SPECIAL_ROLES", "TypeRegistry", "annotated_hash", "check_value"]

V = TypeVar("V")
logger = get_logger("flytelite.types")

SPECIAL_ROLES = ("dataclass", "enum", "literal", "pickle", "pydantic")
"""The lookup steps served by a transformer that is not a registry key (`TypeRegistry.set_special`)."""

_PYDANTIC_BASE = "pydantic.main.BaseModel"
_ID_MEMO_LIMIT = 4096  # type objects built afresh per call (`list[int]` in a loop) must not grow the memo forever


def _qualified_name(c: Any) -> str:
    return f"{getattr(c, '__module__', '')}.{getattr(c, '__qualname__', '')}"


def _memo_key(t: Any) -> Any:
    # `Union[int, str] == Union[str, int]` (and so do lists of them), but the variant order is part of the
    # LiteralType, so generic types are keyed by their arguments in order.
    args = getattr(t, "__args__", None)
    if not args or not isinstance(args, tuple):
        return t
    return (getattr(t, "__origin__", t), *(_memo_key(a) for a in args), *getattr(t, "__metadata__", ()))


class _TypeMemo(Generic[V]):
    """Values computed once per type, found by the type object's identity first and then by its structure.

    The identity table makes a hit one dict lookup even for `Optional[int]` or an unhashable `Annotated[...]`; it
    holds the type object, so an id is never reused while its entry lives. The structural table finds the value
    again for an equal type built afresh (`list[int]` written twice).
    """

    __slots__ = ("by_id", "by_key")

    def __init__(self) -> None:
        self.by_id: dict[int, tuple[Any, V]] = {}
        self.by_key: dict[Any, V] = {}

    def get(self, t: Any) -> V | None:
        hit = self.by_id.get(id(t))
        if hit is not None and hit[0] is t:
            return hit[1]
        try:
            found = self.by_key.get(_memo_key(t))
        except TypeError:  # unhashable metadata (`Annotated[T, {...}]`): known by identity only
            return None
        if found is not None:
            self._remember(t, found)
        return found

    def put(self, t: Any, value: V) -> None:
        with contextlib.suppress(TypeError):
            self.by_key[_memo_key(t)] = value
        self._remember(t, value)

    def _remember(self, t: Any, value: V) -> None:
        if len(self.by_id) >= _ID_MEMO_LIMIT:
            self.by_id.clear()
        self.by_id[id(t)] = (t, value)

    def clear(self) -> None:
        self.by_id.clear()
        self.by_key.clear()


def _load_target(target: str) -> TypeTransformer[Any]:
    """Import `"module:attribute"` and return the transformer it names (an instance, a class or a factory)."""
    module_name, _, attr = target.partition(":")
    obj = getattr(importlib.import_module(module_name), attr)
    return obj if isinstance(obj, TypeTransformer) else obj()


_DEFERRED_LOCK = threading.Lock()


class _Deferred:
    """A built-in transformer held in its registry slot by `"module:attribute"` until a lookup first needs it.

    One object may fill several slots (a transformer registered for more than one type) and is shared by registry
    copies: the transformer it loads is built once, so every slot and copy serves the same instance, as if it had
    been registered up front.
    """

    __slots__ = ("loaded", "target")

    def __init__(self, target: str) -> None:
        self.target = target
        self.loaded: TypeTransformer[Any] | None = None

    def get(self) -> TypeTransformer[Any]:
        if self.loaded is None:
            with _DEFERRED_LOCK:
                if self.loaded is None:
                    self.loaded = _load_target(self.target)
        return self.loaded


class TypeRegistry:
    """The transformers for Python types, found by a written list of steps and memoised per type.

    `get_transformer(t)` tries these steps in order; the first that answers wins:

    1. `Annotated[T, ...]`: a `TypeTransformer` instance among the metadata; otherwise look up `T`.
    2. Special predicates that must beat inheritance: an `Enum` subclass (even `class E(str, Enum)`) → the
       `"enum"` special; `typing.Literal[...]` → the `"literal"` special.
    3. Exact registry hit, including a lazily registered qualified name (`register_lazy`).
    4. Generic origin: `list[int]` → `list`, `dict[str, T]` → `dict`, `Union[...]`/`X | Y` → `typing.Union`.
    5. The class's MRO, nearest base first (registry hits and lazy qualified names).
    6. Structural predicates: a dataclass → `"dataclass"`; a pydantic `BaseModel` (by qualified name in the
       MRO, so pydantic is never imported to ask) → `"pydantic"`.
    7. Pickle (`"pickle"`): the last, named step; it logs a warning once per type.

    Registration: `register` (a duplicate raises unless `override=True`), `register_additional_type`,
    `register_lazy` (by qualified type name, imported on first lookup), `set_special` / `set_lazy_special` for the
    steps that are not registry keys (`SPECIAL_ROLES`), and `register_deferred` / `set_deferred_special` for built-in
    transformers imported on first use but holding their places from the start. Each clears the memos.

    Conversions (`to_literal`, `to_python_value`, `encoder`, `decoder`, `literal_type`, `guess_python_type`) use
    this registry for the outer type; transformers look nested types up through `TypeEngine`, that is in the active
    registry, so convert through a registry while it is active (`TypeEngine.using`). A built-in scalar type
    converts through its exact codec (`exact_codec`): the same literal and errors, without the steps.
    """

    def __init__(self) -> None:
        # a slot holds its transformer, or a `_Deferred` (built-in) replaced by the transformer on first use, so the
        # slots keep the order of registration (`guess_python_type` tries transformers in that order)
        self._types: dict[Any, TypeTransformer[Any] | _Deferred] = {}
        self._lazy: dict[str, str] = {}  # qualified type name -> "module:attribute"
        self._lazy_kinds: dict[str, dict[str, str]] = {}  # literal-type kind -> {qualified name: target}
        self._special: dict[str, TypeTransformer[Any] | _Deferred] = {}
        self._lazy_special: dict[str, str] = {}  # role -> target, loaded when the step first needs it
        self._lazy_special_kinds: dict[str, set[str]] = {}  # literal-type kind -> roles that can reverse it
        self._warned: set[str] = set()
        self._lock = threading.RLock()
        self._transformers: _TypeMemo[TypeTransformer[Any]] = _TypeMemo()
        self._literal_types: _TypeMemo[LiteralType] = _TypeMemo()
        self._encoders: _TypeMemo[Encoder] = _TypeMemo()
        self._decoders: _TypeMemo[Decoder] = _TypeMemo()
        self._codecs: _TypeMemo[tuple[Encoder, Decoder] | tuple[()]] = _TypeMemo()  # () = none (general path)

    def copy(self) -> TypeRegistry:
        """Return an independent registry with the same registrations (and fresh memos)."""
        new = TypeRegistry()
        with self._lock:
            new._types = dict(self._types)
            new._lazy = dict(self._lazy)
            new._lazy_kinds = {k: dict(v) for k, v in self._lazy_kinds.items()}
            new._special = dict(self._special)
            new._lazy_special = dict(self._lazy_special)
            new._lazy_special_kinds = {k: set(v) for k, v in self._lazy_special_kinds.items()}
            new._warned = set(self._warned)
        return new

    def __repr__(self) -> str:
        return f"<TypeRegistry: {len(self._types)} types, {len(self._lazy)} lazy, specials {sorted(self._special)}>"

    # ----------------------------------------------------------------------------------------------- registration
    def register(
        self, transformer: TypeTransformer[Any], additional_types: list[Any] | None = None, override: bool = False
    ) -> None:
        """Register `transformer` for its `python_type` and any `additional_types`.

        Raises:
            FlyteValidationException: a transformer is already registered for one of the types and `override` is
                False.
        """
        with self._lock:
            keys = [transformer.python_type, *(additional_types or [])]
            for t in keys:
                existing = self.registered(t)
                if existing is not None and existing is not transformer and not override:
                    raise FlyteValidationException(
                        f"Transformer {existing.name!r} for type {type_name(t)} is already registered;"
                        f" cannot register {transformer.name!r} (pass override=True to replace it)"
                    )
            for t in keys:
                self._types[t] = transformer
            self.clear_memos()

    def register_deferred(self, target: str, python_types: list[Any]) -> None:
        """Register the transformer named by `target` (`"module:attribute"`) for `python_types`, importing it only
        when one of them is first looked up (or a type is guessed); until then the slots keep their place.

        For the built-in families a plain task does not use; `register` still finds these types taken.
        """
        deferred = _Deferred(target)
        with self._lock:
            for t in python_types:
                self._types[t] = deferred
            self.clear_memos()

    def register_additional_type(
        self, transformer: TypeTransformer[Any], additional_type: Any, override: bool = False
    ) -> None:
        """Serve `additional_type` with `transformer` too (kept if already registered, unless `override`)."""
        with self._lock:
            if additional_type not in self._types or override:
                self._types[additional_type] = transformer
                self.clear_memos()

    def register_lazy(self, qualified_type_name: str, target: str, literal_kinds: tuple[str, ...] = ()) -> None:
        """Load a transformer only when a type with this qualified name (or a subclass) is first looked up.

        Args:
            qualified_type_name: `module.QualName` of the served type, e.g. `"pandas.core.frame.DataFrame"`.
            target: `"module:attribute"`; the attribute is a transformer instance, a transformer class (built
                with no arguments) or a function returning a transformer. Importing the module may also
                register the transformer itself.
            literal_kinds: kinds of `LiteralType` (`"blob"`, `"structured_dataset_type"`, …) this transformer can
                reverse: `guess_python_type` of such a literal type loads it first.
        """
        with self._lock:
            self._lazy[qualified_type_name] = target
            for kind in literal_kinds:
                self._lazy_kinds.setdefault(kind, {})[qualified_type_name] = target
            self.clear_memos()

    def set_special(self, role: str, transformer: TypeTransformer[Any]) -> None:
        """Serve the lookup step `role` (one of `SPECIAL_ROLES`) with `transformer`.

        Raises:
            ValueError: `role` is not a lookup step.
        """
        _check_role(role)
        with self._lock:
            self._special[role] = transformer
            self.clear_memos()

    def set_deferred_special(self, role: str, target: str) -> None:
        """Serve the lookup step `role` with the transformer named by `target`, imported on first use but kept in
        this step's place among the specials (unlike `set_lazy_special`, which adds it when loaded).

        Raises:
            ValueError: `role` is not a lookup step.
        """
        _check_role(role)
        with self._lock:
            self._special[role] = _Deferred(target)
            self.clear_memos()

    def set_lazy_special(self, role: str, target: str, literal_kinds: tuple[str, ...] = ()) -> None:
        """Serve the lookup step `role` with a transformer imported (`"module:attribute"`) when first needed.

        `literal_kinds` are the kinds of `LiteralType` it can reverse (see `register_lazy`).

        Raises:
            ValueError: `role` is not a lookup step.
        """
        _check_role(role)
        with self._lock:
            self._special.pop(role, None)
            self._lazy_special[role] = target
            for kind in literal_kinds:
                self._lazy_special_kinds.setdefault(kind, set()).add(role)
            self.clear_memos()

    def clear_memos(self) -> None:
        """Forget every memoised lookup, literal type and converter (done by every registration)."""
        self._transformers.clear()
        self._literal_types.clear()
        self._encoders.clear()
        self._decoders.clear()
        self._codecs.clear()

    def registered(self, python_type: Any) -> TypeTransformer[Any] | None:
        """Return the transformer registered for exactly `python_type`, if any (no lookup steps)."""
        try:
            found = self._types.get(python_type)
        except TypeError:
            return None
        if isinstance(found, _Deferred):
            loaded = self._types[python_type] = found.get()
            return loaded
        return found

    def registered_types(self) -> KeysView[Any]:
        """Return the Python types that have a registered transformer."""
        return self._types.keys()

    # ---------------------------------------------------------------------------------------------------- lookup
    def get_transformer(self, python_type: Any) -> TypeTransformer[Any]:
        """Return the transformer for `python_type`, following the steps in the class docstring."""
        hit = self._transformers.by_id.get(id(python_type))
        if hit is not None and hit[0] is python_type:
            return hit[1]
        found = self._transformers.get(python_type)
        if found is None:
            found = self._find(type(None) if python_type is None else python_type)
            self._transformers.put(python_type, found)
        return found

    def _find(self, python_type: Any) -> TypeTransformer[Any]:
        for step in self._lookup_steps():
            found = step(python_type)
            if found is not None:
                return found
        return self._step_pickle(python_type)

    def _lookup_steps(self) -> tuple[Callable[[Any], TypeTransformer[Any] | None], ...]:
        return (
            self._step_annotated,
            self._step_special,
            self._step_exact,
            self._step_origin,
            self._step_mro,
            self._step_structural,
        )

    def _step_annotated(self, t: Any) -> TypeTransformer[Any] | None:
        if not is_annotated(t):
            return None
        args = typing.get_args(t)
        for a in args[1:]:
            if isinstance(a, TypeTransformer):
                return a
        return self.get_transformer(args[0])

    def _step_special(self, t: Any) -> TypeTransformer[Any] | None:
        if inspect.isclass(t) and issubclass(t, enum.Enum):
            return self.special("enum")
        if typing.get_origin(t) is typing.Literal:
            return self.special("literal")
        return None

    def _step_exact(self, t: Any) -> TypeTransformer[Any] | None:
        found = self.registered(t)
        if found is None and inspect.isclass(t):
            found = self._load_lazy(t)
        return found

    def _step_origin(self, t: Any) -> TypeTransformer[Any] | None:
        if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
            return self.registered(typing.Union)
        origin = getattr(t, "__origin__", None)
        if origin is None:
            return None
        return self.registered(origin)

    def _step_mro(self, t: Any) -> TypeTransformer[Any] | None:
        for base in getattr(t, "__mro__", ())[1:]:
            if base is object:
                continue
            found = self.registered(base) or self._load_lazy(base)
            if found is not None:
                return found
        return None

    def _step_structural(self, t: Any) -> TypeTransformer[Any] | None:
        if inspect.isclass(t) and dataclasses.is_dataclass(t):
            return self.special("dataclass")
        if any(_qualified_name(c) == _PYDANTIC_BASE for c in getattr(t, "__mro__", ())):
            return self.special("pydantic")
        return None

    def _step_pickle(self, t: Any) -> TypeTransformer[Any]:
        name = str(t)
        if name not in self._warned:
            self._warned.add(name)
            logger.warning(
                "Unsupported type %s: flytelite will pickle its values (cloudpickle). Pickles only travel between"
                " identical Python versions and libraries; prefer a type Flyte supports.",
                name,
            )
        return self.special("pickle")

    def special(self, role: str) -> TypeTransformer[Any]:
        """Return the transformer serving the lookup step `role`, importing it if it was set lazily.

        Raises:
            KeyError: nothing serves `role` in this registry.
        """
        found = self._special.get(role)
        if found is None:
            with self._lock:
                found = self._special.get(role)
                if found is None:
                    found = _load_target(self._lazy_special[role])
                    self._special[role] = found
        if isinstance(found, _Deferred):
            loaded = self._special[role] = found.get()
            return loaded
        return found

    def _load_lazy(self, c: Any) -> TypeTransformer[Any] | None:
        if not self._lazy:
            return None
        qn = _qualified_name(c)
        target = self._lazy.get(qn)
        if target is None:
            return None
        with self._lock:
            self._lazy.pop(qn, None)
            importlib.import_module(target.partition(":")[0])
            if c in self._types:  # importing the module registered it
                return self.registered(c)
            transformer = _load_target(target)
            self.register(transformer, [] if transformer.python_type is c else [c], override=True)
            return transformer

    def _load_deferred(self) -> None:
        """Replace every deferred slot (built-in transformers held by name) by its transformer, in place."""
        if not any(isinstance(v, _Deferred) for v in (*self._types.values(), *self._special.values())):
            return
        with self._lock:
            for key, found in list(self._types.items()):
                if isinstance(found, _Deferred):
                    self._types[key] = found.get()
            for role, found in list(self._special.items()):
                if isinstance(found, _Deferred):
                    self._special[role] = found.get()

    def _load_lazy_kind(self, kind: str) -> None:
        """Load the lazily registered transformers that can reverse a `LiteralType` of this kind."""
        for role in self._lazy_special_kinds.get(kind, ()):
            self.special(role)
        if kind not in self._lazy_kinds:
            return
        with self._lock:
            for qn, target in self._lazy_kinds.pop(kind, {}).items():
                if self._lazy.get(qn) != target:
                    continue  # loaded already, or replaced by a later registration
                transformer = _load_target(target)
                if transformer.python_type not in self._types:
                    self.register(transformer)

    # ------------------------------------------------------------------------------------------------ conversions
    def literal_type(self, python_type: Any) -> LiteralType:
        """Return (a fresh copy of) the memoised `LiteralType` of `python_type`, `FlyteAnnotation` merged in."""
        cached = self._literal_types.get(python_type)
        if cached is None:
            cached = self._compute_literal_type(python_type)
            self._literal_types.put(python_type, cached)
        out = LiteralType()
        out.CopyFrom(cached)
        return out

    def _compute_literal_type(self, python_type: Any) -> LiteralType:
        # a user's or plugin's transformer may build the type from flytekit-style models: normalise to protobuf
        res = to_pb(self.get_transformer(python_type).get_literal_type(python_type))
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

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return the `Literal` of `python_val` declared as `python_type` (`expected` is its LiteralType).

        Raises:
            TypeTransformerFailedError: the value does not fit the type; `path` locates the failing part.
        """
        encode = self.exact_encoder(python_val, python_type)
        if encode is not None:
            out = Literal()
            encode(ctx, python_val, out)
            return out
        if expected is not None:
            expected = to_pb(expected)  # may be a flytekit-style `LiteralType` model
        check_value(python_val, python_type, expected)
        transformer = self.get_transformer(python_type)
        if transformer.type_assertions_enabled:
            transformer.assert_type(python_type, python_val)
        if foreign(transformer, "to_literal"):  # user/plugin code: sees and may return flytekit-style models
            view = None if expected is None else view_of(expected)
            lv = to_pb(transformer.to_literal(ctx, python_val, python_type, view))
        else:
            lv = transformer.to_literal(ctx, python_val, python_type, expected)
        h = annotated_hash(python_val, python_type)
        if h is not None:
            lv.hash = h
        return lv

    def fill_literal(
        self,
        ctx: FlyteContext,
        python_val: Any,
        python_type: Any,
        literals: MutableMapping[str, Literal],
        name: str,
        expected_of: Callable[[str], LiteralType],
    ) -> None:
        """Write `to_literal(ctx, python_val, python_type, expected_of(name))` into the literal map entry `name`.

        An exact codec fills the entry in place and `expected_of` is never called (reading an interface's protobuf
        map costs ~1 µs); otherwise the general conversion's literal is copied in.

        Raises:
            TypeTransformerFailedError: as `to_literal`.
        """
        encode = self.exact_encoder(python_val, python_type)
        if encode is not None:
            encode(ctx, python_val, literals[name])
        else:
            literals[name].CopyFrom(self.to_literal(ctx, python_val, python_type, expected_of(name)))

    def exact_encoder(self, python_val: Any, python_type: Any) -> Encoder | None:
        """Return the encoder that fills a fresh `Literal` with `to_literal(ctx, python_val, python_type, …)`, or None.

        There is one when `python_type` has an exact codec (see `exact_codec`; it needs no expected `LiteralType`)
        and the value is neither None nor a tuple. A map entry filled in place costs less than a literal copied in.
        """
        codec = self.exact_codec(python_type)
        if codec and python_val is not None and not isinstance(python_val, tuple):
            return codec[0]
        return None

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the Python value of `lv` as `expected_python_type` (loading an offloaded literal first).

        `lv` may be a protobuf `Literal` or a flytekit-style `flytelite.models.literals.Literal`.
        """
        if type(lv) is Literal and not lv.HasField("offloaded_metadata"):
            codec = self.exact_codec(expected_python_type)
            if codec:
                return codec[1](ctx, lv)
        lv = to_pb(lv)
        if lv.HasField("offloaded_metadata"):
            lv = Literal.FromString(ctx.file_access.read_bytes(lv.offloaded_metadata.uri))
        transformer = self.get_transformer(expected_python_type)
        if foreign(transformer, "to_python_value"):  # user/plugin code: give it a flytekit-style model
            return transformer.to_python_value(ctx, view_of(lv), expected_python_type)
        return transformer.to_python_value(ctx, lv, expected_python_type)

    def exact_codec(self, python_type: Any) -> tuple[Encoder, Decoder] | tuple[()]:
        """Return the memoised exact codec of `python_type` (`TypeTransformer._exact_codec`), or () for none.

        Only a flytelite transformer found for the type itself (not `Annotated`, which may carry a hash) qualifies.
        """
        hit = self._codecs.by_id.get(id(python_type))
        if hit is not None and hit[0] is python_type:
            return hit[1]
        codec = self._codecs.get(python_type)
        if codec is None:
            codec = ()
            if not is_annotated(python_type):
                transformer = self.get_transformer(python_type)
                if not foreign(transformer, "_exact_codec"):
                    codec = transformer._exact_codec(python_type) or ()
            self._codecs.put(python_type, codec)
        return codec

    def encoder(self, python_type: Any) -> Encoder:
        """Return a memoised function `(ctx, value, out)` that fills the fresh `Literal` `out`.

        Specialised by the transformer when it can (primitives, lists, dicts, unions); otherwise it goes
        through `to_literal`, so checks and `HashMethod` still apply.
        """
        hit = self._encoders.by_id.get(id(python_type))
        if hit is not None and hit[0] is python_type:
            return hit[1]
        enc = self._encoders.get(python_type)
        if enc is None:
            made = None if is_annotated(python_type) else self.get_transformer(python_type)._make_encoder(python_type)
            enc = made if made is not None else self._generic_encoder(python_type)
            self._encoders.put(python_type, enc)
        return enc

    def decoder(self, python_type: Any) -> Decoder:
        """Return a memoised function `(ctx, literal) -> value` for `python_type`."""
        hit = self._decoders.by_id.get(id(python_type))
        if hit is not None and hit[0] is python_type:
            return hit[1]
        dec = self._decoders.get(python_type)
        if dec is None:
            made: Decoder | None = None
            if not is_annotated(python_type):
                made = self.get_transformer(python_type)._make_decoder(python_type)
            elif self.get_transformer(python_type) is self.get_transformer(get_underlying_type(python_type)):
                made = self.decoder(get_underlying_type(python_type))  # metadata only matters when encoding
            dec = made if made is not None else self._generic_decoder(python_type)
            self._decoders.put(python_type, dec)
        return dec

    def _generic_decoder(self, python_type: Any) -> Decoder:
        def decode(ctx: FlyteContext, lv: Literal) -> Any:
            return self.to_python_value(ctx, lv, python_type)

        return decode

    def _generic_encoder(self, python_type: Any) -> Encoder:
        expected: list[LiteralType] = []

        def encode(ctx: FlyteContext, value: Any, out: Literal) -> None:
            if not expected:
                expected.append(self.literal_type(python_type))
            out.CopyFrom(self.to_literal(ctx, value, python_type, expected[0]))

        return encode

    def guess_python_type(self, flyte_type: LiteralType) -> Any:
        """Return a Python type whose LiteralType is `flyte_type` (generated classes for schemas and enums).

        Raises:
            ValueError: no transformer can reverse the type.
        """
        flyte_type = to_pb(flyte_type)
        kind = flyte_type.WhichOneof("type")
        if kind:
            self._load_lazy_kind(kind)
        candidates: list[TypeTransformer[Any]] = []
        self._load_deferred()  # every slot holds its transformer from here on
        loaded = typing.cast("list[TypeTransformer[Any]]", [*self._types.values(), *self._special.values()])
        literal = self._special.get("literal")
        everything = [literal, *loaded] if isinstance(literal, TypeTransformer) else loaded
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


def _check_role(role: str) -> None:
    if role not in SPECIAL_ROLES:
        raise ValueError(f"unknown lookup step {role!r}; expected one of {', '.join(SPECIAL_ROLES)}")


def check_value(python_val: Any, python_type: Any, expected: LiteralType | None) -> None:
    """Reject values no transformer may see: tuples, and None where the type does not allow it.

    Raises:
        TypeTransformerFailedError: the value is a tuple, or None for a type that does not take None.
    """
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


def annotated_hash(python_val: Any, python_type: Any) -> str | None:
    """Return the hash from `Annotated[T, HashMethod(fn)]`, if the type carries one."""
    if is_annotated(python_type):
        for a in typing.get_args(python_type)[1:]:
            if isinstance(a, HashMethod):
                return a.calculate(python_val)
    return None
