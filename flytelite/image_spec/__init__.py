"""flytekit's `flytekit.image_spec` path: declare a task's container image in code (`ImageSpec`)."""

from flytelite.image_spec.image_spec import CopyFileDetection, ImageBuildEngine, ImageSpec, ImageSpecBuilder

__all__ = ["CopyFileDetection", "ImageBuildEngine", "ImageSpec", "ImageSpecBuilder"]
