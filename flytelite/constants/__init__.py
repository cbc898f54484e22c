"""flytekit's `flytekit.constants` path: `CopyFileDetection`, which files fast registration copies."""

from __future__ import annotations

import enum

__all__ = ["CopyFileDetection"]


class CopyFileDetection(enum.Enum):
    """Which source files `--copy` puts into the fast-registration archive."""

    LOADED_MODULES = 1  # the files of the modules loaded while the entities were found
    ALL = 2  # every file under the source root
    NO_COPY = 3  # none (no fast registration)
