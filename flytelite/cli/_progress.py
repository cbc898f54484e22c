"""Follow a run's node events: a thread-safe record (`RunState`) and a live `rich` view of it (`LiveProgress`).

`RunState` is the graph runner's observer. Events arrive on the runner's threads (and executor callbacks), so
every update and read holds one lock. `LiveProgress` redraws the state a few times a second; rich is imported
only when a live view is shown.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from flytelite.exec.events import NodeEvent, NodeEventKind

__all__ = ["STATUSES", "LiveProgress", "NodeState", "RunState"]

STATUSES = ("queued", "running", "cached", "succeeded", "failed", "skipped")
_FINAL = {"cached", "succeeded", "failed", "skipped"}
_STYLE = {
    "queued": ("·", "dim"),
    "running": ("▶", "bold yellow"),
    "cached": ("◆", "cyan"),
    "succeeded": ("✔", "green"),
    "failed": ("✘", "bold red"),
    "skipped": ("-", "dim"),
}
_MAX_ROWS = 18


class NodeState:
    """What is known about one node (mutable: updated as its events arrive).

    A plain class, not a dataclass, for the start-up time of `flytelite run` (see `flytelite.cli.run.RunOptions`).
    """

    __slots__ = ("done", "ended", "entity", "node_id", "started", "status", "total")
    _FIELDS = ("node_id", "entity", "status", "started", "ended", "done", "total")  # in `__init__`'s order

    def __init__(
        self,
        node_id: str,
        entity: str,
        status: str = "queued",
        started: float | None = None,
        ended: float | None = None,
        done: int | None = None,
        total: int | None = None,
    ) -> None:
        self.node_id = node_id
        self.entity = entity
        self.status = status
        self.started = started
        self.ended = ended
        self.done = done
        self.total = total

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"NodeState({fields})"

    def copy(self) -> NodeState:
        """Return a copy of this state."""
        return NodeState(*(getattr(self, name) for name in self._FIELDS))

    def elapsed(self, now: float) -> float | None:
        """Return seconds spent running so far (or in all, once finished)."""
        if self.started is None:
            return None
        return (self.ended or now) - self.started


class RunState:
    """Record node events as they arrive; the observer passed to the graph runner.

    Args:
        title: what the run is called in the live view.
    """

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.started = time.monotonic()
        self.failure: NodeEvent | None = None
        self.dashboard: str | None = None  # where the engine shows more (the Dask dashboard), under the view
        self._nodes: dict[str, NodeState] = {}
        self._lock = threading.Lock()

    def __call__(self, event: NodeEvent) -> None:
        with self._lock:
            node = self._nodes.get(event.node_id)
            if node is None:
                node = self._nodes[event.node_id] = NodeState(event.node_id, event.entity)
            kind = event.kind
            if kind is NodeEventKind.RUNNING:
                node.status = "running"
                node.started = node.started or event.timestamp
            elif kind.value == "progress":
                node.done = getattr(event, "done", None)
                node.total = getattr(event, "total", None)
            elif kind is not NodeEventKind.QUEUED:
                node.status = kind.value
                node.ended = event.timestamp
                if kind is NodeEventKind.FAILED and self.failure is None:
                    self.failure = event

    def nodes(self) -> list[NodeState]:
        """Return a copy of every node's state, in the order they were first seen."""
        with self._lock:
            return [n.copy() for n in self._nodes.values()]

    def counts(self) -> dict[str, int]:
        """Return how many nodes are in each status."""
        out = dict.fromkeys(STATUSES, 0)
        for n in self.nodes():
            out[n.status] += 1
        return out

    def summary(self) -> str:
        """Return a one-line count of nodes by status, with the elapsed time."""
        parts = [f"{count} {status}" for status, count in self.counts().items() if count]
        return f"{' · '.join(parts) or 'no nodes yet'} — {time.monotonic() - self.started:.1f}s"


def _short(entity: str) -> str:
    """Return a readable entity name: no module path, and `map score` for a map task's generated name."""
    name = entity.rsplit(".", 1)[-1]
    m = re.fullmatch(r"map_(.+)_[0-9a-f]{32}-arraynode", name)
    return f"map {m.group(1)}" if m else name


def _visible(nodes: list[NodeState]) -> tuple[list[NodeState], int]:
    """Pick the rows to draw: everything when few, else failed and running first, then the latest others."""
    if len(nodes) <= _MAX_ROWS:
        return nodes, 0
    urgent = [n for n in nodes if n.status in ("failed", "running")]
    rest = [n for n in nodes if n.status not in ("failed", "running")]
    keep = urgent[:_MAX_ROWS] + rest[-max(_MAX_ROWS - len(urgent), 0) :]
    order = {id(n): i for i, n in enumerate(nodes)}
    keep.sort(key=lambda n: order[id(n)])
    return keep, len(nodes) - len(keep)


class LiveProgress:
    """A live table of the run's nodes, redrawn while the run goes (a context manager).

    Args:
        state: the observer the runner reports to.
        console: a `rich.console.Console` (default: standard error).
    """

    def __init__(self, state: RunState, console: Any = None) -> None:
        from rich.console import Console  # rich loads only when a live view is shown
        from rich.live import Live

        self.state = state
        self.console = console or Console(stderr=True)
        self._live = Live(get_renderable=self.render, console=self.console, refresh_per_second=8, transient=False)

    def __enter__(self) -> LiveProgress:
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.refresh()
        self._live.stop()
        if not self.console.is_terminal:  # a forced view on a pipe ends without a newline
            self.console.line()

    def render(self) -> Any:
        """Return the current view: one row per node (status, node, entity, time, map items) and a summary."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        now = time.monotonic()
        rows, hidden = _visible(self.state.nodes())
        table = Table(title=self.state.title or None, title_justify="left", box=None, pad_edge=False)
        for col, justify in (("", "left"), ("node", "left"), ("entity", "left"), ("time", "right"), ("items", "right")):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]  # rich's literal type for justify
        for n in rows:
            mark, style = _STYLE.get(n.status, ("?", ""))
            elapsed = n.elapsed(now)
            items = f"{n.done}/{n.total}" if n.total is not None else ""
            table.add_row(
                f"[{style}]{mark}[/]",
                n.node_id,
                f"[{style}]{_short(n.entity)}[/]",
                f"{elapsed:.2f}s" if elapsed is not None else "",
                items,
            )
        if hidden:
            table.add_row("", f"[dim]… {hidden} more[/]", "", "", "")
        footer = [Text(f"Dask dashboard: {self.state.dashboard}", style="dim")] if self.state.dashboard else []
        return Group(table, Text(self.state.summary(), style="bold"), *footer)
