"""The union transformer: `Optional[T]`, `Union[A, B]` and `A | B`.

A union literal stores the chosen variant's LiteralType with `structure.tag` = the variant transformer's name
(`int`, `none`, `Typed List`, …). Encoding tries every variant; more than one success is ambiguous (except that a
plain `str` value prefers the `str` variant). Decoding picks the variant by tag and castability.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.models._convert import to_pb
from flytelite.types._base import (
    Decoder,
    Encoder,
    TypeTransformer,
    describe_literal,
    describe_value,
    get_underlying_type,
    type_name,
)
from flytelite.types._engine import TypeEngine

__all__ = ["UnionTransformer", "are_types_castable", "is_union_type"]


def is_union_type(t: Any) -> bool:
    """Tell whether `t` is `typing.Union[...]`, `Optional[...]` or `A | B`."""
    return t is typing.Union or typing.get_origin(t) is typing.Union or isinstance(t, types.UnionType)


def _essence(lt: LiteralType) -> LiteralType:
    out = LiteralType()
    out.CopyFrom(lt)
    out.ClearField("metadata")
    out.ClearField("structure")
    out.ClearField("annotation")
    return out


def are_types_castable(upstream: LiteralType, downstream: LiteralType) -> bool:
    """Tell whether a value of `upstream` type may be read as `downstream` (flytekit's rules)."""
    up, down = upstream.WhichOneof("type"), downstream.WhichOneof("type")
    if up == "union_type":
        return all(are_types_castable(v, downstream) for v in upstream.union_type.variants)
    if down == "union_type" and any(are_types_castable(upstream, v) for v in downstream.union_type.variants):
        return True
    if up == "collection_type":
        return down == "collection_type" and are_types_castable(upstream.collection_type, downstream.collection_type)
    if up == "map_value_type":
        return down == "map_value_type" and are_types_castable(upstream.map_value_type, downstream.map_value_type)
    if up == "structured_dataset_type":
        if down != "structured_dataset_type":
            return False
        u, d = upstream.structured_dataset_type, downstream.structured_dataset_type
        if (u.format, u.external_schema_type, u.external_schema_bytes) != (
            d.format,
            d.external_schema_type,
            d.external_schema_bytes,
        ) or len(u.columns) != len(d.columns):
            return False
        return all(
            a.name == b.name and are_types_castable(a.literal_type, b.literal_type)
            for a, b in zip(u.columns, d.columns, strict=True)
        )
    if up == "enum_type" and down == "simple" and downstream.simple == SimpleType.STRING:
        return True
    return bool(_essence(upstream) == _essence(downstream))


def _tagged(lt: LiteralType, tag: str) -> LiteralType:
    lt.ClearField("structure")
    lt.structure.tag = tag
    return lt


class UnionTransformer(TypeTransformer[Any]):
    """Convert `Union[...]`/`Optional[...]` values to union literals tagged with the variant's transformer name."""

    def __init__(self) -> None:
        super().__init__("Typed Union", typing.Union)

    @staticmethod
    def is_optional_type(t: Any) -> bool:
        """Tell whether `t` is a union containing `None`."""
        return is_union_type(t) and type(None) in typing.get_args(t)

    @staticmethod
    def get_sub_type_in_optional(t: Any) -> Any:
        """Return the first member of an `Optional[T]` (T)."""
        return typing.get_args(t)[0]

    def assert_type(self, t: Any, v: Any) -> None:
        """Require that some variant accepts `v`."""
        for sub in typing.get_args(get_underlying_type(t)):
            if sub is Any:
                return
            tr = TypeEngine.get_transformer(sub)
            try:
                if tr.type_assertions_enabled:
                    tr.assert_type(sub, v)
                return
            except (TypeError, ValueError):
                continue
        raise TypeTransformerFailedError(f"expected {type_name(t)}, got {describe_value(v)}")

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return a `union_type` whose variants carry their transformer names as tags."""
        variants = [
            _tagged(TypeEngine.to_literal_type(x), TypeEngine.get_transformer(x).name)
            for x in typing.get_args(get_underlying_type(t))
        ]
        lt = LiteralType()
        lt.union_type.variants.extend(variants)
        return lt

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return a union literal holding the one variant that accepts the value."""
        out = Literal()
        TypeEngine.encoder(get_underlying_type(python_type))(ctx, python_val, out)
        return out

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the value of the variant named by the stored tag (or the only variant that accepts it)."""
        return TypeEngine.decoder(get_underlying_type(expected_python_type))(ctx, lv)

    def _make_encoder(self, t: Any) -> Encoder:
        subs = typing.get_args(t)
        variants = [
            (
                sub,
                TypeEngine.encoder(sub),
                _tagged(
                    to_pb(TypeEngine.get_transformer(sub).get_literal_type(sub)), TypeEngine.get_transformer(sub).name
                ),
            )
            for sub in subs
        ]
        name = type_name(t)
        # Optional[T]: None can only be the `none` variant and anything else only T, so try just one of them.
        optional = len(variants) == 2 and type(None) in subs
        none_variants = [v for v in variants if v[0] is type(None)]
        value_variants = [v for v in variants if v[0] is not type(None)]

        def encode(ctx: FlyteContext, value: Any, out: Literal) -> None:
            matches: list[tuple[Any, Literal, LiteralType]] = []
            errors: list[tuple[Any, Exception]] = []
            candidates = variants if not optional else (none_variants if value is None else value_variants)
            for sub, enc, stored in candidates:
                tmp = Literal()
                try:
                    enc(ctx, value, tmp)
                except Exception as exc:  # a variant that refuses the value is simply not a match
                    errors.append((sub, exc))
                    continue
                matches.append((sub, tmp, stored))
            if not matches:
                real = [(s, e) for s, e in errors if s is not type(None)]
                if value is not None and len(real) == 1 and isinstance(real[0][1], TypeTransformerFailedError):
                    raise real[0][1]
                raise TypeTransformerFailedError(f"expected {name}, got {describe_value(value)}")
            if len(matches) > 1:
                exact = [m for m in matches if m[0] is str] if type(value) is str else []
                if len(exact) != 1:
                    raise TypeTransformerFailedError(
                        f"ambiguous union: {describe_value(value)} fits the variants"
                        f" {[type_name(m[0]) for m in matches]} of {name}"
                    )
                matches = exact
            _, lit, stored = matches[0]
            union = out.scalar.union
            union.value.CopyFrom(lit)
            union.type.CopyFrom(stored)

        return encode

    def _make_decoder(self, t: Any) -> Decoder:
        variants = [
            (sub, TypeEngine.decoder(sub), TypeEngine.get_transformer(sub).name, TypeEngine.to_literal_type(sub))
            for sub in typing.get_args(t)
        ]
        name = type_name(t)
        castable: dict[bytes, list[bool]] = {}  # stored type → which variants it may be read as

        def allowed(stored: LiteralType) -> list[bool]:
            key = stored.SerializeToString(deterministic=True)
            hit = castable.get(key)
            if hit is None:
                hit = castable[key] = [are_types_castable(stored, v[3]) for v in variants]
            return hit

        def decode(ctx: FlyteContext, lv: Literal) -> Any:
            tag: str | None = None
            value = lv
            stored: LiteralType | None = None
            if lv.scalar.HasField("union"):
                value = lv.scalar.union.value
                stored = lv.scalar.union.type
                tag = stored.structure.tag if stored.HasField("structure") else None
            found: list[tuple[str, Any]] = []
            ok = allowed(stored) if tag is not None and stored is not None else None
            for i, (_sub, dec, variant_name, _lt) in enumerate(variants):
                if ok is not None and (variant_name != tag or not ok[i]):
                    continue
                try:
                    found.append((variant_name, dec(ctx, value)))
                except Exception:  # a variant that cannot read the literal is simply not a match
                    continue
                if len(found) > 1:
                    raise TypeTransformerFailedError(
                        f"ambiguous union: both {found[0][0]!r} and {found[1][0]!r} variants of {name} read the value"
                    )
            if not found:
                raise TypeTransformerFailedError(
                    f"cannot convert {describe_literal(value)} to {name}" + (f" (stored tag {tag!r})" if tag else "")
                )
            return found[0][1]

        return decode

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `Union[...]` of the guessed variant types."""
        if literal_type.WhichOneof("type") == "union_type":
            return typing.Union[tuple(TypeEngine.guess_python_type(v) for v in literal_type.union_type.variants)]
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")
