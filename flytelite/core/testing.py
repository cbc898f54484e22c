"""flytekit's `flytekit.core.testing` path of `task_mock` and `patch` (re-exports of `flytelite.testing`)."""

from flytelite.testing import patch, task_mock

__all__ = ["patch", "task_mock"]
