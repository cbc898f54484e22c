"""flytekit's `flytekit.loggers` path: `logger`, the `flytelite` logger (no handlers are installed on import)."""

import logging

__all__ = ["logger"]

logger = logging.getLogger("flytelite")
