"""`flytelite local-cache clear|path`: manage the results of `cache=True` tasks kept on this machine."""

from __future__ import annotations

import click

from flytelite.core.local_cache import LocalTaskCache

__all__ = ["local_cache"]


@click.group("local-cache")
def local_cache() -> None:
    """Inspect or clear the local task cache (`FLYTELITE_LOCAL_CACHE_DIR`, default ~/.flytelite/local-cache)."""


@local_cache.command("clear")
def clear() -> None:
    """Delete every cached task result."""
    count = LocalTaskCache.clear()
    click.echo(f"Cleared {count} cached result{'s' if count != 1 else ''} from {LocalTaskCache.location()}")


@local_cache.command("path")
def path() -> None:
    """Print the cache folder."""
    click.echo(str(LocalTaskCache.location()))
