"""The progress view: node states from runner events, map item counts, and the live table."""

from __future__ import annotations

import io
from collections.abc import Callable

from click.testing import Result
from rich.console import Console

from flytelite.cli._progress import LiveProgress, RunState
from flytelite.exec import NodeEvent, NodeEventKind, use_executor
from tests.cli import cli_entities
from tests.cli.conftest import ENTITIES

Invoke = Callable[..., Result]


def _render(state: RunState) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False, color_system=None)
    console.print(LiveProgress(state, console=console).render())
    return out.getvalue()


def test_states_follow_the_runner_events_including_map_items() -> None:
    state = RunState("mapped")
    with use_executor("threads", observer=state):
        assert cli_entities.mapped(xs=[1, 2, 3, 4]) == [2, 3, 4, 5]
    (node,) = state.nodes()
    assert (node.node_id, node.status, node.done, node.total) == ("n0", "succeeded", 4, 4)
    assert state.counts()["succeeded"] == 1
    text = _render(state)
    assert "map inc" in text and "4/4" in text and "✔" in text and "1 succeeded" in text


def test_failed_and_cached_nodes_are_shown() -> None:
    state = RunState()
    state(NodeEvent(kind=NodeEventKind.QUEUED, node_id="n0", entity="m.a", timestamp=1.0))
    state(NodeEvent(kind=NodeEventKind.CACHED, node_id="n0", entity="m.a", timestamp=1.5))
    state(NodeEvent(kind=NodeEventKind.QUEUED, node_id="n1", entity="m.b", timestamp=2.0))
    state(NodeEvent(kind=NodeEventKind.RUNNING, node_id="n1", entity="m.b", timestamp=2.0))
    boom = ValueError("boom")
    state(NodeEvent(kind=NodeEventKind.FAILED, node_id="n1", entity="m.b", timestamp=2.25, error=boom))
    state(NodeEvent(kind=NodeEventKind.QUEUED, node_id="n2", entity="m.c", timestamp=2.0))
    assert [n.status for n in state.nodes()] == ["cached", "failed", "queued"]
    assert state.failure is not None and state.failure.error is boom
    text = _render(state)
    assert "◆" in text and "✘" in text and "0.25s" in text
    assert "1 queued · 1 cached · 1 failed" in text


def test_large_runs_show_running_and_failed_nodes_and_count_the_rest() -> None:
    state = RunState()
    for i in range(40):
        state(NodeEvent(kind=NodeEventKind.QUEUED, node_id=f"n{i}", entity="m.t", timestamp=0.0))
        state(NodeEvent(kind=NodeEventKind.SUCCEEDED, node_id=f"n{i}", entity="m.t", timestamp=0.0))
    state(NodeEvent(kind=NodeEventKind.RUNNING, node_id="n3", entity="m.t", timestamp=0.0))
    text = _render(state)
    assert "… 22 more" in text and " n3 " in text and " n39 " in text and "40 succeeded" not in text


def test_progress_flag_draws_the_view_on_stderr(invoke: Invoke) -> None:
    result = invoke("run", "--progress", ENTITIES, "chain", "--a", "1")
    assert result.exit_code == 0
    assert "tests.cli.cli_entities.chain" in result.stderr and "inc" in result.stderr
    assert "2 succeeded" in result.stderr
    assert result.stdout == "o0: 3\n"
