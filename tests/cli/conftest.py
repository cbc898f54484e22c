"""Shared fixtures for the `flytelite` command tests: a CliRunner, a private local cache, the examples folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytelite.cli.main import main
from flytelite.core.local_cache import LocalTaskCache

ENTITIES = "tests.cli.cli_entities"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


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


@pytest.fixture
def invoke() -> Iterator[object]:
    """Return `invoke(*args) -> click Result` running the `flytelite` command in-process."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    yield run
