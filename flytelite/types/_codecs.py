"""Cached mashumaro msgpack codecs and its JSON-schema builder, loaded on first use.

mashumaro's codecs cost ~33 ms to import and its JSON-schema builder ~86 ms, so nothing here imports it at
module level: the first dataclass (or typed-binary dict) conversion pays that once. `msgpack` itself (~1.5 ms) is
imported by the first value that is packed or unpacked, through the `msgpack` stand-in the transformers import from
here: a task of plain scalars never loads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = [
    "build_json_schema",
    "coercer_for",
    "msgpack",
    "msgpack_decoder",
    "msgpack_encoder",
    "register_serialization_strategy",
    "strategies_generation",
    "unpack",
]


class _LazyMsgpack:
    """The `msgpack` module, imported when one of its attributes is first read (then kept on this object)."""

    def __getattr__(self, name: str) -> Any:
        import msgpack as module

        value = getattr(module, name)
        setattr(self, name, value)
        return value


msgpack: Any = _LazyMsgpack()
"""`msgpack`, imported on first use (`msgpack.packb`, `msgpack.unpackb`, ... as on the module)."""

_lock = threading.Lock()
_encoders: dict[Any, Callable[[Any], bytes]] = {}
_decoders: dict[Any, Callable[[bytes], Any]] = {}
_strategies: dict[Any, dict[str, Callable[[Any], Any]]] = {}
_dialect: list[Any] = []  # the mashumaro Dialect built from `_strategies`, once mashumaro is loaded
_coercers: dict[Any, Callable[[Any, Any], Any]] = {}
_generation = [0]  # bumped on each registration, so callers can drop what they derived from the strategies


def register_serialization_strategy(
    t: Any,
    serialize: Callable[[Any], Any],
    deserialize: Callable[[Any], Any],
    coerce: Callable[[Any, Any], Any] | None = None,
) -> None:
    """Make every dataclass codec encode fields of type `t` with `serialize` and decode them with `deserialize`.

    This is how `FlyteFile` and `FlyteDirectory` fields become `{"path": uri}` (uploading on the way) without
    importing mashumaro before the first dataclass is converted. Codecs built earlier are dropped.

    Args:
        t: the field type (subclasses are served too).
        serialize: value -> msgpack-able data.
        deserialize: data -> value.
        coerce: `(declared type, str or path) -> value`: how a plain path given for such a field becomes one
            (flytekit's string shortcut for files and folders); None to leave such values alone.
    """
    with _lock:
        _strategies[t] = {"serialize": serialize, "deserialize": deserialize}
        if coerce is not None:
            _coercers[t] = coerce
        _dialect.clear()
        _encoders.clear()
        _decoders.clear()
        _generation[0] += 1


def strategies_generation() -> int:
    """Return a number that changes whenever a serialization strategy is registered."""
    return _generation[0]


def coercer_for(t: Any) -> Callable[[Any, Any], Any] | None:
    """Return the `coerce` function registered for `t` or its nearest base class, or None."""
    for base in getattr(t, "__mro__", ()):
        found = _coercers.get(base)
        if found is not None:
            return found
    return None


def _default_dialect() -> Any:
    if not _strategies:
        return None
    if not _dialect:
        from mashumaro.dialect import Dialect  # heavy optional import, deferred on purpose

        _dialect.append(type("FlyteliteDialect", (Dialect,), {"serialization_strategy": dict(_strategies)}))
    return _dialect[0]


def unpack(data: bytes) -> Any:
    """Decode msgpack bytes, allowing non-string map keys (mashumaro's encoder writes them)."""
    return msgpack.unpackb(data, strict_map_key=False)


def msgpack_encoder(t: Any) -> Callable[[Any], bytes]:
    """Return a function encoding values of `t` to msgpack the way flytekit does (mashumaro `MessagePackEncoder`)."""
    enc = _encoders.get(t)
    if enc is None:
        from mashumaro.codecs.msgpack import MessagePackEncoder  # heavy optional import, deferred on purpose

        with _lock:
            enc = _encoders.setdefault(t, MessagePackEncoder(t, default_dialect=_default_dialect()).encode)
    return enc


def msgpack_decoder(t: Any) -> Callable[[bytes], Any]:
    """Return a function decoding msgpack bytes into `t` (mashumaro `MessagePackDecoder`)."""
    dec = _decoders.get(t)
    if dec is None:
        from mashumaro.codecs.msgpack import MessagePackDecoder  # heavy optional import, deferred on purpose

        with _lock:
            decoder = MessagePackDecoder(t, default_dialect=_default_dialect(), pre_decoder_func=unpack)
            dec = _decoders.setdefault(t, decoder.decode)
    return dec


def build_json_schema(t: Any) -> dict[str, Any]:
    """Return mashumaro's JSON schema (draft 2020-12) of a dataclass, as flytekit puts in `LiteralType.metadata`."""
    from mashumaro.jsonschema import build_json_schema as _build  # heavy optional import, deferred on purpose

    schema: dict[str, Any] = _build(t).to_dict()
    return schema
