"""Fixtures for the type-engine tests: a private storage sandbox and a registry restored after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
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
def registry() -> Iterator[Any]:
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
