"""Value comparison shared by the conformance tests."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

import msgpack
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

__all__ = ["assert_same_value", "exact", "mismatch", "normalize"]


def exact(v: Any) -> Any:
    """Return a form of `v` whose equality also pins leaf types and tzinfo, ignoring dict order.

    A protobuf map (and a Struct) does not keep insertion order, so dict order is not part of the contract.
    """
    if isinstance(v, dict):
        return ("dict", sorted(((repr(k), exact(x)) for k, x in v.items()), key=lambda kv: kv[0]))
    if isinstance(v, list):
        return ("list", [exact(x) for x in v])
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return (type(v).__qualname__, [(f.name, exact(getattr(v, f.name))) for f in dataclasses.fields(v)])
    return repr(v)


def assert_same_value(decoded: Any, expected: Any, exact_numbers: bool = True) -> None:
    """Assert equality, the same top-level type and (unless `exact_numbers` is off) the same leaf types."""
    # `==` alone would accept 1.0 for 1 and any timezone for an instant; `exact` also pins types and tzinfo.
    assert decoded == expected
    assert type(decoded) is type(expected)
    if exact_numbers:
        assert exact(decoded) == exact(expected)


def normalize(message: Message) -> Any:
    """Return `message` as a dict, with msgpack binary payloads replaced by a typed form of their decoded values."""
    return _decode_binaries(MessageToDict(message))


def _decode_binaries(node: Any) -> Any:
    if isinstance(node, dict):
        binary = node.get("binary")
        if isinstance(binary, dict) and binary.get("tag") == "msgpack" and len(node) == 1:
            raw = base64.b64decode(binary.get("value", ""))
            # `exact` keeps 1, 1.0 and True apart (plain `==` would not) while ignoring map key order.
            return {"binary(msgpack)": exact(msgpack.loads(raw, strict_map_key=False))}
        return {k: _decode_binaries(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode_binaries(v) for v in node]
    return node


def mismatch(what: str, kit: Message, lite: Message) -> str:
    """Describe a protobuf difference, with msgpack payloads decoded."""
    return f"{what} differs\n  flytekit:  {normalize(kit)}\n  flytelite: {normalize(lite)}"
