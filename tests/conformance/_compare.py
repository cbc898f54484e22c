"""Value comparison shared by the conformance tests."""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["assert_same_value", "exact"]


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
