"""flytekit's `flytekit.core.annotation` path: `FlyteAnnotation` lives in the type engine."""

from flytelite.types._base import FlyteAnnotation

__all__ = ["FlyteAnnotation"]
