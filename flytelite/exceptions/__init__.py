"""flytekit's `flytekit.exceptions` paths: `.user`, `.system`, `.base` and `.eager` re-export `flytelite.errors`."""

__all__: list[str] = []
