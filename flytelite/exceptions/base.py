"""flytekit's `flytekit.exceptions.base` path: the root of every Flyte exception."""

from flytelite.errors import FlyteException, FlyteRecoverableException

__all__ = ["FlyteException", "FlyteRecoverableException"]
