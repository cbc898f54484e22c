"""Shared fixtures for the task-stack tests: a private local cache folder and a clean context per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_local_cache(private_local_cache: Path) -> Path:
    """Give every test here a private local task cache (the folder, for tests that look inside)."""
    return private_local_cache
