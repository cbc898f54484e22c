"""Faults a local run must outlive: a process worker killed (`kill -9`) in its work, a damaged cache entry."""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from flytelite.exec import get_executor, use_executor
from tests.exec import fault_tasks as ft
from tests.exec import wf_extra as w


def is_broken(pool: object) -> bool:
    return bool(getattr(pool, "_broken", False))  # what CPython's ProcessPoolExecutor sets when a worker dies


def _notes(e: BaseException) -> str:
    return "\n".join(getattr(e, "__notes__", []))


def test_a_killed_worker_fails_its_run_and_the_next_run_gets_a_fresh_pool(tmp_path: Path) -> None:
    with use_executor("processes"):
        assert ft.write_wf(path=str(tmp_path / "warm.bin"), die=False) == 8192
        before = get_executor("processes")
        with pytest.raises(BrokenProcessPool) as info:
            ft.write_wf(path=str(tmp_path / "killed.bin"), die=True)
        assert "the worker process running task 'tests.exec.fault_tasks.write_then_maybe_die' died" in _notes(
            info.value
        )
        assert (tmp_path / "killed.bin").stat().st_size == 4096  # it died in the middle of the write
        assert ft.write_wf(path=str(tmp_path / "after.bin"), die=False) == 8192
        after = get_executor("processes")
    assert after is not before and not is_broken(after)


def test_a_worker_killed_from_outside_is_replaced_on_next_use() -> None:
    pool = get_executor("processes")
    assert isinstance(pool, cf.ProcessPoolExecutor)
    pid = pool.submit(os.getpid).result(timeout=60)
    os.kill(pid, signal.SIGKILL)  # kill -9 of an idle worker
    deadline = time.monotonic() + 30
    while not is_broken(pool) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert is_broken(pool)
    fresh = get_executor("processes")
    assert fresh is not pool
    with use_executor("processes"):
        assert ft.squares_wf(xs=[1, 2, 3]) == [1, 4, 9]


def test_a_map_item_whose_worker_dies_fails_the_map_and_the_next_map_runs() -> None:
    with use_executor("processes"), pytest.raises(Exception, match="terminated abruptly"):
        ft.squares_wf(xs=[1, -1, 3])
    with use_executor("processes"):
        assert ft.squares_wf(xs=[4, 5]) == [16, 25]


@pytest.mark.parametrize("executor", ["serial", "threads", "processes"])
def test_a_corrupted_cache_entry_reruns_the_node_under_every_executor(
    executor: str, tmp_path: Path, private_local_cache: Path
) -> None:
    marker = str(tmp_path / "runs.txt")
    with use_executor(executor):
        assert w.cached_wf(marker=marker, a=6) == 36
        (entry,) = private_local_cache.glob("*.pb")
        entry.write_bytes(entry.read_bytes()[:-2])  # truncated
        assert w.cached_wf(marker=marker, a=6) == 36
        assert w.cached_wf(marker=marker, a=6) == 36
    assert w.runs(marker) == ["6", "6"]
