"""flytekit's `flytekit.core.checkpointer` path: a task attempt's checkpoint (`current_context().checkpoint`).

`SyncCheckpoint` lives with the execution parameters (`flytelite.core.execution_parameters`); `Checkpoint` is the
interface it implements. On a cluster the entrypoint's `--checkpoint-path` / `--prev-checkpoint` set where an
attempt saves and restores; locally each retry of a task restores what the previous attempt saved.
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from flytelite.core.execution_parameters import SyncCheckpoint

if TYPE_CHECKING:  # annotations only
    import pathlib

__all__ = ["Checkpoint", "SyncCheckpoint"]


@runtime_checkable
class Checkpoint(Protocol):
    """What a checkpoint offers: restore the previous attempt's state, save this attempt's."""

    def prev_exists(self) -> bool:
        """Tell whether a previous attempt left a checkpoint."""
        ...

    def restore(self, path: str | os.PathLike[str] | None = None) -> pathlib.Path | None:
        """Copy the previous checkpoint into `path` and return that folder (None: there is none)."""
        ...

    def save(self, cp: str | os.PathLike[str] | io.IOBase) -> None:
        """Save a folder, a file or a stream (an open file, `io.BytesIO`) as this attempt's checkpoint."""
        ...

    def read(self) -> bytes | None:
        """Return the single file of the previous checkpoint (None: there is none)."""
        ...

    def write(self, b: bytes) -> None:
        """Save `b` as this attempt's checkpoint."""
        ...
