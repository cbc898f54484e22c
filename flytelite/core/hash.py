"""flytekit's `flytekit.core.hash` path: `HashMethod` lives in the type engine."""

from flytelite.types._base import HashMethod

__all__ = ["HashMethod"]
