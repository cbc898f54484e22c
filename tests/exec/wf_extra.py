"""Tasks and workflows for the cache, retry, run-all and mapped-launch-plan tests (importable by worker processes).

Tasks count their runs by appending a line to a `marker` file, so the count is the same whichever process ran them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import List

from flytelite.core.context_manager import current_context
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.map_task import map_task
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.errors import FlyteRecoverableException


def record(marker: str, line: str) -> int:
    """Append `line` to the marker file and return how many lines it now has."""
    path = Path(marker)
    with path.open("a") as f:
        f.write(line + "\n")
    return len(path.read_text().splitlines())


def runs(marker: str) -> list[str]:
    """Return the lines recorded in the marker file (one per run)."""
    path = Path(marker)
    return path.read_text().splitlines() if path.exists() else []


@task(cache=True, cache_version="1")
def cached_square(marker: str, a: int) -> int:
    record(marker, str(a))
    return a * a


@task(retries=2)
def flaky(marker: str, fail_times: int) -> int:
    attempt = record(marker, "run")
    if attempt <= fail_times:
        raise FlyteRecoverableException(f"attempt {attempt} failed")
    return attempt


@task
def flaky_no_retries(marker: str, fail_times: int) -> int:
    attempt = record(marker, "run")
    if attempt <= fail_times:
        raise FlyteRecoverableException(f"attempt {attempt} failed")
    return attempt


@task
def broken(marker: str) -> int:
    if record(marker, "run") > 0:
        raise ValueError("not recoverable")
    return 0


@task(retries=1)
def flaky_item(marker: str, a: int) -> int:
    if record(f"{marker}.{a}", "run") == 1:
        raise FlyteRecoverableException(f"item {a} fails once")
    return a * 10


@task
def fail_on_three_recorded(marker: str, a: int) -> int:
    record(marker, str(a))
    if a == 3:
        raise ValueError("three is not allowed")
    return a


@task(retries=3)
def resumable(n: int) -> int:
    cp = current_context().checkpoint
    prev = cp.read()
    done = int(prev.decode()) if prev else 0
    cp.write(str(done + 1).encode())
    if done < 2:
        raise FlyteRecoverableException(f"attempt {done}")
    return done * 100 + n


@workflow
def resumable_wf(n: int) -> int:
    return resumable(n=n)


@workflow
def cached_wf(marker: str, a: int) -> int:
    return cached_square(marker=marker, a=a)


@workflow
def retry_wf(marker: str, fail_times: int) -> int:
    return flaky(marker=marker, fail_times=fail_times)


@workflow
def override_retry_wf(marker: str, fail_times: int) -> int:
    return flaky_no_retries(marker=marker, fail_times=fail_times).with_overrides(retries=3)


@workflow
def override_no_retry_wf(marker: str, fail_times: int) -> int:
    return flaky(marker=marker, fail_times=fail_times).with_overrides(retries=0)


@workflow
def broken_wf(marker: str) -> int:
    return broken(marker=marker).with_overrides(retries=3)


@workflow
def map_cached_wf(marker: str, xs: List[int]) -> List[int]:
    return map_task(functools.partial(cached_square, marker=marker))(a=xs)


@workflow
def map_retry_wf(marker: str, xs: List[int]) -> List[int]:
    return map_task(functools.partial(flaky_item, marker=marker))(a=xs)


@workflow
def map_fail_fast_wf(marker: str, xs: List[int]) -> List[int]:
    return map_task(functools.partial(fail_on_three_recorded, marker=marker), concurrency=1)(a=xs)


@workflow
def map_run_all_wf(marker: str, xs: List[int]) -> List[int]:
    return map_task(functools.partial(fail_on_three_recorded, marker=marker), concurrency=1, run_all_sub_nodes=True)(
        a=xs
    )


@workflow
def map_run_all_ratio_wf(marker: str, xs: List[int]) -> List[int | None]:
    return map_task(
        functools.partial(fail_on_three_recorded, marker=marker),
        concurrency=1,
        min_success_ratio=0.5,
        run_all_sub_nodes=True,
    )(a=xs)


@workflow
def recorded_sub(marker: str, a: int, bonus: int = 1) -> int:
    return fail_on_three_recorded(marker=marker, a=a)


lp_recorded = LaunchPlan.get_or_create(recorded_sub, "tests.exec.wf_extra.lp_recorded", fixed_inputs={"bonus": 5})


@workflow
def map_lp_wf(markers: List[str], xs: List[int]) -> List[int]:
    return map_task(lp_recorded)(marker=markers, a=xs)


@workflow
def map_lp_ratio_wf(markers: List[str], xs: List[int]) -> List[int | None]:
    return map_task(lp_recorded, min_success_ratio=0.5, concurrency=2)(marker=markers, a=xs)
