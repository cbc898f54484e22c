"""flyteidl core messages at flytekit's `models.core` path."""

__all__: list[str] = []
