"""Fixtures and helpers for the type-engine tests (a module, not a conftest: `tests/types` is no package).

Import the fixtures into a test module with `from typetest_support import ctx, registry  # noqa: F401`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.models.literals import Literal
from flytelite.storage import FileAccessProvider
from flytelite.types import TypeEngine


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[FlyteContext]:
    """Return a context whose sandbox and raw-output prefix live under the test's temp folder."""
    fa = FileAccessProvider(tmp_path / "sandbox", str(tmp_path / "raw"))
    base = FlyteContextManager.current_context()
    with FlyteContextManager.with_context(base.with_file_access(fa)) as c:
        yield c


@pytest.fixture
def registry() -> Iterator[type[TypeEngine]]:  # type: ignore[type-arg]
    """Let a test register transformers; the registry and lazy table are restored afterwards."""
    saved, lazy = dict(TypeEngine._REGISTRY), dict(TypeEngine._LAZY)
    try:
        yield TypeEngine
    finally:
        TypeEngine._REGISTRY.clear()
        TypeEngine._REGISTRY.update(saved)
        TypeEngine._LAZY.clear()
        TypeEngine._LAZY.update(lazy)
        TypeEngine._clear_memos()

def to_lit(ctx: FlyteContext, value: Any, t: Any) -> Literal:
    """Convert `value` declared as `t` through the engine."""
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


def roundtrip(ctx: FlyteContext, value: Any, t: Any) -> Any:
    """Convert `value` to a literal and back."""
    return TypeEngine.to_python_value(ctx, to_lit(ctx, value, t), t)
