"""flytekit's `flytekit.exceptions.eager` path: the error an awaited call inside `@eager` raises."""

from flytelite.errors import EagerException

__all__ = ["EagerException"]
