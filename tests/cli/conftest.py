"""Shared fixtures for the `flytelite` command tests: a CliRunner, a private local cache, the examples folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytelite.cli.main import main

ENTITIES = "tests.cli.cli_entities"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(autouse=True)
def _private_local_cache(private_local_cache: Path) -> Path:
    """Give every test here a private local task cache (the folder, for tests that look inside)."""
    return private_local_cache


@pytest.fixture
def invoke() -> Iterator[object]:
    """Return `invoke(*args) -> click Result` running the `flytelite` command in-process."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    yield run
