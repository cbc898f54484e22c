"""Files: a 100 MB file passed between two tasks, flytelite and flytekit side by side.

- `file baseline: fsspec put+get`: one plain fsspec upload of the payload into an in-memory object store
  (`memory://`, standing for S3 between two pods) and one download back to disk: the least file passing can cost.
- `file local wf`: a local workflow where one task returns a 100 MB `FlyteFile` and the next reads its size. A local
  run hands over the path, so the target is "no copy at all": at most half the baseline.
- `file pod handoff`: what happens between two pods: the output is converted in task-execution mode (one upload to
  the raw-output prefix) and read back as the next task's input (one download). Target: at most 1.2x the baseline.
- `file pod handoff extra copies`: payload-sized files found on disk and in the store after one handoff, minus the
  two expected (the upload and the download). Target: 0.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks._runner import Impl, Scenario, Size, Target, median_ms

__all__ = ["SCENARIOS", "consume_flytekit", "consume_flytelite", "produce_flytekit", "produce_flytelite"]

SIZE_MB = Size(100, 1)
_FILE_TYPE: dict[str, Any] = {}


@functools.cache
def _big_file(mb: int) -> str:
    """Create (once per size) the payload file in a temp folder and return its path."""
    path = os.path.join(tempfile.mkdtemp(prefix="bench-files-"), "payload.bin")
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as fh:
        for _ in range(mb):
            fh.write(chunk)
    return path


def produce_flytelite() -> Any:
    """Return the payload as a file (flytelite task body)."""
    return _FILE_TYPE["flytelite"](_big_file(SIZE_MB.n))


def produce_flytekit() -> Any:
    """Return the payload as a file (flytekit task body)."""
    return _FILE_TYPE["flytekit"](_big_file(SIZE_MB.n))


def consume_flytelite(f: Any) -> int:
    """Return the size of the received file (flytelite task body)."""
    return os.path.getsize(f)


def consume_flytekit(f: Any) -> int:
    """Return the size of the received file (flytekit task body)."""
    return os.path.getsize(f)


def measure_local_workflow(impl: Impl, repeat: int) -> float:
    """Return the median ms of a local two-task workflow handing the payload from one task to the next."""
    flyte_file = impl.module("types.file").FlyteFile
    _FILE_TYPE[impl.name] = flyte_file
    produce, consume = globals()[f"produce_{impl.name}"], globals()[f"consume_{impl.name}"]
    produce.__annotations__ = {"return": flyte_file}
    consume.__annotations__ = {"f": flyte_file, "return": int}
    task = impl.module("core.task").task
    t_produce, t_consume = task(produce), task(consume)

    def handoff() -> int:
        return t_consume(f=t_produce())  # type: ignore[no-any-return]

    handoff.__annotations__ = {"return": int}
    wf = impl.module("core.workflow").workflow(handoff)
    if wf() != SIZE_MB.n << 20:
        raise ValueError("the consumer saw a different file size")
    return median_ms(wf, repeat)


@contextmanager
def _pod_context(impl: Impl, root: str) -> Iterator[Any]:
    """Enter a task-execution context whose raw-output prefix is in fsspec's in-memory store."""
    cm = impl.module("core.context_manager")
    raw = f"memory://{os.path.basename(root)}/raw"
    fa = impl.module("core.data_persistence").FileAccessProvider(
        local_sandbox_dir=os.path.join(root, "sandbox"), raw_output_prefix=raw
    )
    base = cm.FlyteContextManager.current_context().with_file_access(fa)
    if hasattr(base, "build"):
        base = base.build()
    es = base.execution_state.with_params(mode=cm.ExecutionState.Mode.TASK_EXECUTION)
    with cm.FlyteContextManager.with_context(base.with_execution_state(es)) as ctx:
        yield ctx


def _handoff(impl: Impl, root: str) -> None:
    """Upload the payload as a task output and download it as the next task's input, under `root`."""
    engine, flyte_file = impl.type_engine(), impl.module("types.file").FlyteFile
    impl.reset_caches()  # flytekit would hand back the literal of an earlier run, whose upload is gone
    with _pod_context(impl, root) as ctx:
        lt = engine.to_literal_type(flyte_file)
        lv = engine.to_literal(ctx, flyte_file(_big_file(SIZE_MB.n)), flyte_file, lt)  # the producer's upload
        received = engine.to_python_value(ctx, lv, flyte_file)  # the consumer's input
        if os.path.getsize(received.download()) != SIZE_MB.n << 20:
            raise ValueError("the downloaded file has the wrong size")


def _forget(root: str) -> None:
    import fsspec

    shutil.rmtree(root, ignore_errors=True)
    memory = fsspec.filesystem("memory")
    if memory.exists(f"memory://{os.path.basename(root)}"):
        memory.rm(f"memory://{os.path.basename(root)}", recursive=True)


def measure_pod_handoff(impl: Impl, repeat: int) -> float:
    """Return the median ms of one upload + download of the payload in task-execution mode."""
    roots: list[str] = []

    def before() -> None:
        for old in roots:
            _forget(old)
        roots[:] = [tempfile.mkdtemp(prefix="bench-pod-")]

    try:
        return median_ms(lambda: _handoff(impl, roots[0]), repeat, before=before)
    finally:
        for old in roots:
            _forget(old)


def measure_extra_copies(impl: Impl, repeat: int) -> float:
    """Return the payload-sized files left on disk and in the store by one handoff, minus the expected two."""
    import fsspec

    root = tempfile.mkdtemp(prefix="bench-pod-")
    try:
        _handoff(impl, root)
        size = SIZE_MB.n << 20
        on_disk = sum(
            1 for folder, _, files in os.walk(root) for f in files if os.path.getsize(os.path.join(folder, f)) == size
        )
        store = fsspec.filesystem("memory").find(f"memory://{os.path.basename(root)}", detail=True)
        return on_disk + sum(1 for info in store.values() if info["size"] == size) - 2
    finally:
        _forget(root)


def measure_copy_baseline(impl: Impl, repeat: int) -> float:
    """Return the median ms of one plain fsspec put and get of the payload through memory:// (SDK-independent)."""
    import fsspec

    memory, payload = fsspec.filesystem("memory"), _big_file(SIZE_MB.n)
    folders: list[str] = []

    def before() -> None:  # drop the last run's copies first, as the handoff rows do (dirty pages slow writes)
        if memory.exists("memory://bench-baseline"):
            memory.rm("memory://bench-baseline", recursive=True)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        folders[:] = [tempfile.mkdtemp(prefix="bench-copy-")]

    def run() -> None:
        memory.put(payload, "memory://bench-baseline/up.bin")
        memory.get("memory://bench-baseline/up.bin", os.path.join(folders[-1], "down.bin"))

    try:
        return median_ms(run, repeat, before=before)
    finally:
        memory.rm("memory://bench-baseline", recursive=True)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


BASELINE = Scenario(
    "file baseline: fsspec put+get",
    "files",
    f"plain fsspec upload to memory:// and download of {SIZE_MB.full} MB (shown in the first column)",
    measure_copy_baseline,
    sides=("flytelite",),
)

SCENARIOS = (
    BASELINE,
    Scenario(
        "file local wf",
        "files",
        f"{SIZE_MB.full} MB FlyteFile between two tasks of a local workflow (no copy)",
        measure_local_workflow,
        Target(0.5, relative_to=BASELINE.name, label="baseline"),
        needs=(BASELINE.name,),
    ),
    Scenario(
        "file pod handoff",
        "files",
        f"{SIZE_MB.full} MB FlyteFile: one upload + one download in task-execution mode",
        measure_pod_handoff,
        Target(1.2, relative_to=BASELINE.name, label="baseline"),
        needs=(BASELINE.name,),
    ),
    Scenario(
        "file pod handoff extra copies",
        "files",
        "payload-sized files after one handoff beyond the upload and the download",
        measure_extra_copies,
        Target(0, unit="copies"),
        unit="copies",
    ),
)
