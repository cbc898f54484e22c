"""Node events the graph runner emits, and the observer hook that receives them.

The CLI renders these as a progress display; tests record them. An observer is any callable taking a
`NodeEvent`; it runs on the runner's coordinating thread and must be quick.
"""

from __future__ import annotations

import dataclasses
import enum
import time
from collections.abc import Callable

from flyteidl.core.literals_pb2 import LiteralMap

__all__ = ["NodeEvent", "NodeEventKind", "NodeObserver"]


class NodeEventKind(enum.Enum):
    """What happened to a node."""

    QUEUED = "queued"
    RUNNING = "running"
    CACHED = "cached"  # the result came from the local cache: QUEUED then CACHED, no RUNNING/SUCCEEDED
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    PROGRESS = "progress"  # a running map node finished another item (`done` of `total`)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class NodeEvent:
    """One change of a node's state.

    Args:
        kind: what happened.
        node_id: the node id, prefixed with its parents' ids inside sub-graphs (`n1-n0`).
        entity: the name of the task, workflow or launch plan the node runs.
        timestamp: `time.monotonic()` when the event was emitted.
        error: the exception, for `FAILED`.
        inputs: the node's inputs, for `FAILED` (so a failure report can show them).
        done: for `PROGRESS`, how many items of a map node have finished (succeeded or failed).
        total: for `PROGRESS`, how many items the map node has.
    """

    kind: NodeEventKind
    node_id: str
    entity: str
    timestamp: float = dataclasses.field(default_factory=time.monotonic)
    error: BaseException | None = None
    inputs: LiteralMap | None = None
    done: int | None = None
    total: int | None = None


NodeObserver = Callable[[NodeEvent], None]
