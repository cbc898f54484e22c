"""`dynamic` at flytekit's import path (`flytekit.core.dynamic_workflow_task`); it lives in `core.dynamic`."""

from flytelite.core.dynamic import dynamic

__all__ = ["dynamic"]
