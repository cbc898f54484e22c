"""Container entrypoints (`flytelite-execute`, `flytelite-map-execute`, `flytelite-fast-execute`)."""

__all__: list[str] = []
