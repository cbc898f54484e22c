"""flytekit's `flytekit.exceptions.base` path: the root of every Flyte exception and the recoverable one."""

from flytelite.errors import FlyteException
from flytelite.errors import RecoverableFlyteException as FlyteRecoverableException

__all__ = ["FlyteException", "FlyteRecoverableException"]
