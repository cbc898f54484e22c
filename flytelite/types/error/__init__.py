"""flytekit's `flytekit.types.error` path: `FlyteError`, what a workflow's failure handler receives."""

from flytelite.types.error.error import ErrorTransformer, FlyteError

__all__ = ["ErrorTransformer", "FlyteError"]
