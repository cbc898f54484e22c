"""The `flytelite` command line (click)."""

__all__: list[str] = []
