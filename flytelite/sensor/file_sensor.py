"""`FileSensor`: wait until a file or folder exists, locally or in an object store."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from flytelite.core.context_manager import FlyteContextManager
from flytelite.sensor.base_sensor import BaseSensor

__all__ = ["FileSensor"]


class FileSensor(BaseSensor):
    """A task with one input, `path: str`, that finishes once something exists at `path`.

    ```python
    wait_for_report = FileSensor(name="wait_for_report", timeout=timedelta(hours=1))

    @workflow
    def wf(path: str) -> None:
        wait_for_report(path=path) >> process(path=path)
    ```
    """

    def __init__(self, name: str, timeout: _dt.timedelta | int | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, timeout=timeout, **kwargs)

    async def poke(self, path: str) -> bool:  # type: ignore[override]  # a sensor names its own inputs
        """Return True when `path` (a local path or an object-store URI) exists."""
        return FlyteContextManager.current_context().file_access.exists(path)
