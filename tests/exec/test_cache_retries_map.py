"""Local cache, retries, `run_all_sub_nodes` and mapped launch plans behave the same under every executor."""

from __future__ import annotations

from pathlib import Path

import pytest

from flytelite.core.array_node import ArrayNode
from flytelite.core.local_cache import LocalTaskCache
from flytelite.core.map_task import map_task
from flytelite.errors import FlyteRecoverableException
from flytelite.exec import MapTaskFailedError, NodeEvent, NodeEventKind, RemoteTaskError, use_executor
from tests.exec import wf_extra as w

EXECUTORS = ["serial", "threads", "processes"]


@pytest.fixture(autouse=True)
def _private_local_cache(private_local_cache: Path) -> Path:
    """Give every test here a private local task cache (the folder, for tests that look inside)."""
    return private_local_cache


@pytest.fixture
def marker(tmp_path: Path) -> str:
    return str(tmp_path / "runs.txt")


def _kinds(events: list[NodeEvent], node_id: str) -> list[NodeEventKind]:
    return [e.kind for e in events if e.node_id == node_id]


# --- the local cache -------------------------------------------------------------------------------
@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_cached_node_runs_once_and_then_reports_cached(executor: str, marker: str) -> None:
    first: list[NodeEvent] = []
    second: list[NodeEvent] = []
    with use_executor(executor, observer=first.append):
        assert w.cached_wf(marker=marker, a=7) == 49
    with use_executor(executor, observer=second.append):
        assert w.cached_wf(marker=marker, a=7) == 49
    assert w.runs(marker) == ["7"]
    assert _kinds(first, "n0") == [NodeEventKind.QUEUED, NodeEventKind.RUNNING, NodeEventKind.SUCCEEDED]
    assert _kinds(second, "n0") == [NodeEventKind.QUEUED, NodeEventKind.CACHED]
    cached = next(e for e in second if e.kind is NodeEventKind.CACHED)
    assert cached.entity == "tests.exec.wf_extra.cached_square" and cached.error is None


@pytest.mark.parametrize("executor", EXECUTORS)
def test_cache_off_or_overwrite_reruns_the_task(executor: str, marker: str) -> None:
    with use_executor(executor):
        w.cached_wf(marker=marker, a=2)
        LocalTaskCache.configure(enabled=False)
        w.cached_wf(marker=marker, a=2)
        LocalTaskCache.configure(overwrite=True)
        w.cached_wf(marker=marker, a=2)
        LocalTaskCache.configure()
        w.cached_wf(marker=marker, a=2)
    assert w.runs(marker) == ["2", "2", "2"]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_map_items_are_cached_one_by_one(executor: str, marker: str) -> None:
    with use_executor(executor):
        assert w.map_cached_wf(marker=marker, xs=[1, 2]) == [1, 4]
        assert w.map_cached_wf(marker=marker, xs=[2, 3, 1]) == [4, 9, 1]
    assert sorted(w.runs(marker)) == ["1", "2", "3"]


# --- retries ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("executor", EXECUTORS)
def test_task_retries_rerun_recoverable_failures(executor: str, marker: str) -> None:
    with use_executor(executor):
        assert w.retry_wf(marker=marker, fail_times=2) == 3
    assert len(w.runs(marker)) == 3


@pytest.mark.parametrize("executor", EXECUTORS)
def test_retries_run_out(executor: str, marker: str) -> None:
    with use_executor(executor), pytest.raises((FlyteRecoverableException, RemoteTaskError), match="attempt 3 failed"):
        w.retry_wf(marker=marker, fail_times=5)
    assert len(w.runs(marker)) == 3


@pytest.mark.parametrize("executor", EXECUTORS)
def test_with_overrides_retries_are_honoured(executor: str, tmp_path: Path) -> None:
    more, none = str(tmp_path / "more"), str(tmp_path / "none")
    with use_executor(executor):
        assert w.override_retry_wf(marker=more, fail_times=3) == 4
        with pytest.raises((FlyteRecoverableException, RemoteTaskError), match="attempt 1 failed"):
            w.override_no_retry_wf(marker=none, fail_times=1)
    assert len(w.runs(more)) == 4
    assert len(w.runs(none)) == 1


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_retry_resumes_from_the_previous_attempts_checkpoint(executor: str) -> None:
    with use_executor(executor):
        assert w.resumable_wf(n=7) == 207


@pytest.mark.parametrize("executor", EXECUTORS)
def test_other_errors_are_not_retried(executor: str, marker: str) -> None:
    with use_executor(executor), pytest.raises((ValueError, RemoteTaskError), match="not recoverable"):
        w.broken_wf(marker=marker)
    assert len(w.runs(marker)) == 1


@pytest.mark.parametrize("executor", EXECUTORS)
def test_map_items_are_retried(executor: str, marker: str) -> None:
    with use_executor(executor):
        assert w.map_retry_wf(marker=marker, xs=[1, 2, 3]) == [10, 20, 30]
    assert [len(w.runs(f"{marker}.{a}")) for a in (1, 2, 3)] == [2, 2, 2]


# --- run_all_sub_nodes -----------------------------------------------------------------------------
@pytest.mark.parametrize("executor", EXECUTORS)
def test_map_fails_fast_without_run_all_sub_nodes(executor: str, marker: str) -> None:
    with use_executor(executor), pytest.raises((ValueError, RemoteTaskError), match="three is not allowed"):
        w.map_fail_fast_wf(marker=marker, xs=[1, 3, 4, 5])
    assert w.runs(marker) == ["1", "3"]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_run_all_sub_nodes_runs_every_item_before_failing(executor: str, marker: str) -> None:
    with use_executor(executor), pytest.raises((ValueError, RemoteTaskError), match="three is not allowed"):
        w.map_run_all_wf(marker=marker, xs=[1, 3, 4, 3, 5])
    assert w.runs(marker) == ["1", "3", "4", "3", "5"]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_run_all_sub_nodes_then_checks_the_ratio(executor: str, tmp_path: Path) -> None:
    ok, bad = str(tmp_path / "ok"), str(tmp_path / "bad")
    with use_executor(executor):
        assert w.map_run_all_ratio_wf(marker=ok, xs=[3, 1, 3, 2]) == [None, 1, None, 2]
        with pytest.raises(MapTaskFailedError, match=r"3 of 4 items failed \(items 0, 1, 2\)"):
            w.map_run_all_ratio_wf(marker=bad, xs=[3, 3, 3, 2])
    assert w.runs(bad) == ["3", "3", "3", "2"]


def test_run_all_sub_nodes_when_the_map_task_is_called_directly(tmp_path: Path) -> None:
    import functools

    fast, every = str(tmp_path / "fast"), str(tmp_path / "every")
    with pytest.raises(ValueError, match="three"):
        map_task(functools.partial(w.fail_on_three_recorded, marker=fast))(a=[3, 1, 2])
    with pytest.raises(ValueError, match="three"):
        map_task(functools.partial(w.fail_on_three_recorded, marker=every), run_all_sub_nodes=True)(a=[3, 1, 2])
    assert w.runs(fast) == ["3"]
    assert w.runs(every) == ["3", "1", "2"]


# --- map_task over a launch plan -------------------------------------------------------------------
def test_map_task_of_a_launch_plan_is_an_array_node_named_after_it() -> None:
    an = map_task(w.lp_recorded)
    assert isinstance(an, ArrayNode)
    assert an.name == "tests.exec.wf_extra.lp_recorded"
    assert dict(an.python_interface.inputs) == {"marker": list[str], "a": list[int]}
    assert dict(an.python_interface.outputs) == {"o0": list[int]}
    node = w.map_lp_wf.nodes[0]
    assert node.flyte_entity.target is w.lp_recorded
    assert node.metadata.name == "tests.exec.wf_extra.lp_recorded"
    assert [b.var for b in node.bindings] == ["a", "marker"]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_mapped_launch_plan_runs_each_item_with_fixed_inputs(executor: str, tmp_path: Path) -> None:
    markers = [str(tmp_path / f"m{i}") for i in range(3)]
    events: list[NodeEvent] = []
    with use_executor(executor, observer=events.append):
        assert w.map_lp_wf(markers=markers, xs=[1, 2, 4]) == [1, 2, 4]
    assert [w.runs(m) for m in markers] == [["1"], ["2"], ["4"]]
    item_nodes = sorted({e.node_id for e in events if e.node_id.startswith("n0-")})
    assert item_nodes == ["n0-0-n0", "n0-1-n0", "n0-2-n0"]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_mapped_launch_plan_with_min_success_ratio(executor: str, tmp_path: Path) -> None:
    markers = [str(tmp_path / f"m{i}") for i in range(4)]
    with use_executor(executor):
        assert w.map_lp_ratio_wf(markers=markers, xs=[1, 3, 2, 3]) == [1, None, 2, None]
        with pytest.raises(MapTaskFailedError, match=r"map task 'tests\.exec\.wf_extra\.lp_recorded'"):
            w.map_lp_ratio_wf(markers=markers, xs=[3, 3, 3, 1])


def test_mapped_launch_plan_called_at_top_level(tmp_path: Path) -> None:
    markers = [str(tmp_path / "a"), str(tmp_path / "b")]
    assert map_task(w.lp_recorded)(marker=markers, a=[5, 6]) == [5, 6]
    with pytest.raises(ValueError, match="three"):
        map_task(w.lp_recorded)(marker=markers, a=[3, 6])
