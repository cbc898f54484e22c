"""`map_task`, at flytekit's import path (`flytekit.core.map_task`); it lives in `array_node_map_task`."""

from flytelite.core.array_node_map_task import ArrayNodeMapTask, map_task

__all__ = ["ArrayNodeMapTask", "map_task"]
