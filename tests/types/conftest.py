"""Fixtures for the type-engine tests: a private storage sandbox and a private copy of the type registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.storage import FileAccessProvider
from flytelite.types import TypeEngine, TypeRegistry


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[FlyteContext]:
    """Return a context whose sandbox and raw-output prefix live under the test's temp folder."""
    fa = FileAccessProvider(tmp_path / "sandbox", str(tmp_path / "raw"))
    base = FlyteContextManager.current_context()
    with FlyteContextManager.with_context(base.with_file_access(fa)) as c:
        yield c


@pytest.fixture
def registry() -> Iterator[TypeRegistry]:
    """Make a copy of the type registry the active one for the test; registrations in it vanish afterwards."""
    with TypeEngine.using(TypeEngine.registry().copy()) as reg:
        yield reg
