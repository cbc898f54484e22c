"""Tasks, workflows, promises and the context they run in (flytekit's `flytekit.core`)."""

__all__: list[str] = []
