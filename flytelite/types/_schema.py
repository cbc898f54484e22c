"""Rebuild Python dataclasses from the JSON schemas flytekit puts in a STRUCT LiteralType's metadata.

`pyflyte run`-style tools and shim tasks only have the LiteralType; `schema_to_dataclass` turns a titled
mashumaro or pydantic schema into an equivalent `make_dataclass` class (nested objects become nested classes).
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import functools
import json
import typing
from typing import Any

__all__ = ["schema_to_dataclass"]


_enums: dict[tuple[str, ...], type] = {}


def _guessed_enum(values: tuple[str, ...]) -> type:
    found = _enums.get(values)
    if found is None:
        name = f"GuessedEnum{len(_enums)}"
        made: type = enum.Enum(name, {v: v for v in values}, module=__name__)  # type: ignore[misc]  # dynamic name
        found = _enums[values] = made
        globals()[name] = made  # mashumaro's generated decoders look enums up by module and qualified name
    return found


def _resolve_ref(prop: dict[str, Any], root: dict[str, Any]) -> Any:
    name = prop["$ref"].split("/")[-1]
    defs = root.get("$defs", root.get("definitions", {}))
    if name not in defs:
        return str
    ref = dict(defs[name])
    if ref.get("enum"):
        return str
    if "$defs" not in ref and defs:
        ref["$defs"] = defs
    return _build(ref, name)


def _element_type(prop: dict[str, Any], root: dict[str, Any]) -> Any:
    if prop.get("$ref"):
        return _resolve_ref(prop, root)
    if prop.get("anyOf"):
        members = [_element_type(p, root) for p in prop["anyOf"]]
        return typing.Union[tuple(members)] if len(members) > 1 else members[0]
    if prop.get("enum"):
        values = prop["enum"]
        if all(isinstance(v, str) for v in values):  # keep it an enum so the rebuilt LiteralType has enum_type
            return _guessed_enum(tuple(values))
        return str
    kind = prop.get("type", "string")
    if isinstance(kind, list):
        return typing.Optional[_element_type({"type": kind[0]}, root)]  # noqa: UP045  # built at run time
    if kind == "array":
        return typing.List[_element_type(prop.get("items", {}), root)]  # type: ignore[misc]
    if kind == "object":
        if prop.get("additionalProperties"):
            return typing.Dict[str, _element_type(prop["additionalProperties"], root)]  # type: ignore[misc]
        if prop.get("title") and "properties" in prop:
            nested = dict(prop)
            if "$defs" not in nested and root.get("$defs"):
                nested["$defs"] = root["$defs"]
            return _build(nested, prop["title"])
        return dict
    if kind == "number" and prop.get("format") == "integer":
        return int
    simple: dict[str, Any] = {"string": str, "integer": int, "boolean": bool, "number": float, "null": type(None)}
    return simple.get(kind, str)


def _build(schema: dict[str, Any], name: str) -> type:
    required = set(schema.get("required", []))
    fields: list[tuple[str, Any, Any]] = []
    props = schema.get("properties", {})
    # A protobuf Struct loses key order; `required` (a list) keeps the declared order of required fields.
    order = [k for k in schema.get("required", []) if k in props] + [k for k in props if k not in required]
    for key in order:
        prop = props[key]
        t = _element_type(prop, schema)
        if key in required or "default" not in prop:
            fields.append((key, t, dataclasses.field()))
        else:  # keep the default so the rebuilt class yields the same schema
            default = prop["default"]
            if isinstance(default, (list, dict)):
                fields.append((key, t, dataclasses.field(default_factory=functools.partial(copy.deepcopy, default))))
            else:
                fields.append((key, t, dataclasses.field(default=default)))
    return dataclasses.make_dataclass(name, fields, kw_only=True)


_cache: dict[str, type] = {}


def schema_to_dataclass(schema: dict[str, Any]) -> type:
    """Return a dataclass (cached per schema, so repeated guesses give the same class) for a titled JSON schema.

    Raises:
        ValueError: the schema has no `title`.
    """
    if "title" not in schema:
        raise ValueError("a JSON schema without a title cannot be turned into a dataclass")
    key = json.dumps(schema)  # property order matters: it is the field order of the rebuilt class
    cls = _cache.get(key)
    if cls is None:
        cls = _cache[key] = _build(schema, schema["title"])
    return cls
