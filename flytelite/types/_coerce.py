"""flytekit's string shortcut inside dataclasses: a path given for a `FlyteFile`/`FlyteDirectory` field.

`DC(f="s3://bucket/key")` or `DC(d="/local/folder")` is turned into the declared file type before the record is
encoded (in place, as flytekit does), through optional fields, unions, lists, dicts and nested dataclasses. The
file types register how to build themselves (`register_serialization_strategy(..., coerce=...)`), so this module
never imports them.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from typing import Any

from flytelite.errors import TypeTransformerFailedError
from flytelite.loggers import get_logger
from flytelite.types._base import get_underlying_type, type_name
from flytelite.types._codecs import coercer_for, strategies_generation

__all__ = ["coerce_paths"]

logger = get_logger("flytelite.types")
_needs: dict[Any, tuple[int, bool]] = {}  # dataclass -> (strategies generation, has a coercible position)


def _is_path(v: Any) -> bool:
    """Tell whether `v` is a `str` or a `pathlib.PurePath`.

    `pathlib` (with `urllib.parse` and `ipaddress`, ~3 ms) is looked up rather than imported: this module loads with
    the type engine in every task container, and no value can be a path object unless `pathlib` is loaded.
    """
    if isinstance(v, str):
        return True
    pathlib = sys.modules.get("pathlib")
    return pathlib is not None and isinstance(v, pathlib.PurePath)


def _is_union(t: Any) -> bool:
    return typing.get_origin(t) is typing.Union or isinstance(t, types.UnionType)


def _hints(t: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(t)
    except Exception:  # unresolvable forward references: fall back to the raw annotations
        return {f.name: f.type for f in dataclasses.fields(t)}


def _has_coercible(t: Any, seen: set[Any]) -> bool:
    t = get_underlying_type(t)
    if _is_union(t) or typing.get_origin(t) in (list, dict):
        return any(_has_coercible(a, seen) for a in typing.get_args(t))
    if not isinstance(t, type):
        return False
    if coercer_for(t) is not None:
        return True
    if dataclasses.is_dataclass(t) and t not in seen:
        seen.add(t)
        return any(_has_coercible(h, seen) for h in _hints(t).values())
    return False


def _needs_coercion(t: Any) -> bool:
    generation = strategies_generation()
    hit = _needs.get(t)
    if hit is None or hit[0] != generation:
        hit = _needs[t] = (generation, _has_coercible(t, set()))
    return hit[1]


def _coerce_union(t: Any, v: Any) -> Any:
    members = [get_underlying_type(m) for m in typing.get_args(t) if m is not type(None)]
    targets = [m for m in members if isinstance(m, type) and coercer_for(m) is not None]
    for m in members:
        origin = typing.get_origin(m) or m
        if isinstance(origin, type) and isinstance(v, origin):
            return _coerce(m, v)
        if m in targets and _is_path(v):
            if len(targets) > 1:
                raise TypeTransformerFailedError(
                    f"{type_name(t)} holds more than one file type, so a plain path {v!r} is ambiguous;"
                    " give the FlyteFile or FlyteDirectory itself"
                )
            return _coerce(m, v)
    return v


def _coerce(t: Any, v: Any) -> Any:
    if v is None:
        return None
    t = get_underlying_type(t)
    if _is_union(t):
        return _coerce_union(t, v)
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is list and args and isinstance(v, list):
        return [_coerce(args[0], x) for x in v]
    if origin is dict and len(args) == 2 and isinstance(v, dict):
        return {k: _coerce(args[1], x) for k, x in v.items()}
    if not isinstance(t, type):
        return v
    coerce = coercer_for(t)
    if coerce is not None:
        if _is_path(v) and not isinstance(v, t):
            logger.warning("converting the path %r given for a %s field into a %s", v, t.__name__, t.__name__)
            return coerce(t, v)
        return v
    if dataclasses.is_dataclass(t) and dataclasses.is_dataclass(v) and not isinstance(v, type):
        coerce_paths(type(v) if isinstance(v, t) else t, v)
    return v


def coerce_paths(t: Any, value: Any) -> Any:
    """Replace plain paths in the file and folder fields of dataclass `value` (of type `t`) by those types.

    Returns `value` itself, changed in place (like flytekit, which does the same before encoding).

    Raises:
        TypeTransformerFailedError: a path is given for a union of several file types.
    """
    if not _needs_coercion(t):
        return value
    hints = _hints(t)
    for f in dataclasses.fields(t):
        if not hasattr(value, f.name):
            continue
        old = getattr(value, f.name)
        new = _coerce(hints.get(f.name, f.type), old)
        if new is not old:
            object.__setattr__(value, f.name, new)
    return value
