"""Helpers shared by the type-engine tests (imported by name: `tests/types` is not a package)."""

from __future__ import annotations

from typing import Any

from flyteidl.core.literals_pb2 import Literal

from flytelite.core.context_manager import FlyteContext
from flytelite.types import TypeEngine


def to_lit(ctx: FlyteContext, value: Any, t: Any) -> Literal:
    """Convert `value` declared as `t` through the engine."""
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


def roundtrip(ctx: FlyteContext, value: Any, t: Any) -> Any:
    """Convert `value` to a literal and back."""
    return TypeEngine.to_python_value(ctx, to_lit(ctx, value, t), t)
