"""The graph runner: events, executors, failures, and the out-of-process path."""

from __future__ import annotations

import concurrent.futures as cf

import pytest
from flyteidl.core.literals_pb2 import Literal, LiteralMap, Primitive, Scalar

import flytelite.exec
from flytelite.core.context_manager import FlyteContextManager
from flytelite.exec import GraphRunner, NodeEvent, NodeEventKind, RemoteTaskError, get_executor, run_task, use_executor
from tests.exec import wf_module as m


def _int_map(**kw: int) -> LiteralMap:
    return LiteralMap(literals={k: Literal(scalar=Scalar(primitive=Primitive(integer=v))) for k, v in kw.items()})


def test_serial_events_follow_creation_order() -> None:
    events: list[NodeEvent] = []
    with use_executor("serial", observer=events.append):
        assert m.chain(a=1) == 6
    kinds = [(e.kind, e.node_id) for e in events]
    assert kinds == [
        (k, n)
        for n in ("n0", "n1", "n2")
        for k in (NodeEventKind.QUEUED, NodeEventKind.RUNNING, NodeEventKind.SUCCEEDED)
    ]
    assert events[0].entity == "tests.exec.wf_module.inc"


def test_untaken_branches_are_reported_skipped() -> None:
    events: list[NodeEvent] = []
    with use_executor("threads", observer=events.append):
        assert m.cond_wf(a=4) == 8
    skipped = [e.entity for e in events if e.kind is NodeEventKind.SKIPPED]
    assert skipped == ["tests.exec.wf_module.inc", "tests.exec.wf_module.add"]


@pytest.mark.parametrize("executor", ["serial", "threads", "processes"])
def test_failure_names_node_task_and_workflow_and_stops(executor: str) -> None:
    events: list[NodeEvent] = []
    with use_executor(executor, observer=events.append), pytest.raises(Exception, match="three is not allowed") as info:
        m.fail_then_more(a=3)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "node 'n0'" in notes and "tests.exec.wf_module.fail_on_three" in notes
    assert "workflow 'tests.exec.wf_module.fail_then_more'" in notes
    assert [e.node_id for e in events if e.kind is NodeEventKind.FAILED] == ["n0"]
    assert "n1" not in {e.node_id for e in events}


def test_map_concurrency_is_honoured_with_threads() -> None:
    m.ACTIVE.update(now=0, max=0)
    with use_executor("threads"):
        assert m.map_limited_wf(xs=list(range(8))) == list(range(8))
    assert m.ACTIVE["max"] == 2


def test_any_concurrent_futures_executor_works() -> None:
    with cf.ThreadPoolExecutor(4) as pool, use_executor(pool):
        assert m.fan_out(a=1) == (4, "v2", 4)


def test_executor_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYTELITE_EXECUTOR", "threads")
    assert isinstance(flytelite.exec.current_runner().executor, cf.ThreadPoolExecutor)
    monkeypatch.setenv("FLYTELITE_EXECUTOR", "gpu")
    with pytest.raises(ValueError, match="Invalid executor 'gpu'"):
        get_executor()


def test_run_task_loads_through_the_resolver_and_runs_on_bytes() -> None:
    resolver = m.add.task_resolver
    args = resolver.loader_args(None, m.add)
    out = LiteralMap()
    out.ParseFromString(run_task(resolver.location, args, _int_map(a=2, b=5).SerializeToString()))
    assert out.literals["o0"].scalar.primitive.integer == 7


def test_run_task_reports_failures_as_plain_strings() -> None:
    resolver = m.fail_on_three.task_resolver
    args = resolver.loader_args(None, m.fail_on_three)
    with pytest.raises(RemoteTaskError) as info:
        run_task(resolver.location, args, _int_map(a=3).SerializeToString())
    assert info.value.type_name == "ValueError"
    assert "three is not allowed" in info.value.message


def test_runner_runs_a_graph_directly() -> None:
    runner = GraphRunner("serial")
    ctx = FlyteContextManager.current_context()
    out = runner.run_workflow(m.sub_wf, ctx, _int_map(a=3, b=1))
    assert out.literals["o0"].scalar.primitive.integer == 7


def test_map_with_min_success_ratio_fails_when_too_few_succeed() -> None:
    with use_executor("threads"), pytest.raises(flytelite.exec.MapTaskFailedError, match="2 of 2 items failed"):
        m.map_ratio_wf(xs=[3, 3])
