"""Shared fixtures for the task-stack tests: a private local cache folder and a clean context per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flytelite.core.local_cache import LocalTaskCache


@pytest.fixture(autouse=True)
def _private_local_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the local task cache at a temp folder and reset code-level cache settings."""
    folder = tmp_path / "local-cache"
    monkeypatch.setenv("FLYTELITE_LOCAL_CACHE_DIR", str(folder))
    monkeypatch.delenv("FLYTE_LOCAL_CACHE_ENABLED", raising=False)
    monkeypatch.delenv("FLYTE_LOCAL_CACHE_OVERWRITE", raising=False)
    LocalTaskCache.configure()
    yield folder
    LocalTaskCache.configure()
