"""File benchmarks: a 100 MB file passed between two tasks, with flytelite and flytekit side by side.

Run with `python -m benchmarks.bench_files [--repeat N] [--size-mb N]`.

- `file local wf`: a local workflow where one task returns a 100 MB `FlyteFile` and the next reads its size. A local
  run hands over the path, so the target is "no copy at all": well under the time of copying 100 MB once.
- `file pod handoff`: what happens between two pods: the output is converted in task-execution mode (one upload to
  the raw-output prefix) and read back as the next task's input (one download). The measure also checks that
  exactly two 100 MB copies exist afterwards (the upload and the download), i.e. file passing adds no other copy.
  The target is the time of one plain fsspec `put` and one `get` of the same file through the same store, plus 20%.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from benchmarks._runner import Impl, Scenario, format_table, median_ms, run_scenarios

__all__ = ["SCENARIOS", "main"]

SIZE_MB = int(os.environ.get("BENCH_FILE_MB", "100"))
_STATE: dict[str, Any] = {}


def _big_file() -> str:
    """Create (once) the payload file in a temp folder and return its path."""
    path = _STATE.get("file")
    if path is None or not os.path.exists(path):
        path = os.path.join(tempfile.mkdtemp(prefix="bench-files-"), "payload.bin")
        chunk = os.urandom(1 << 20)
        with open(path, "wb") as fh:
            for _ in range(SIZE_MB):
                fh.write(chunk)
        _STATE["file"] = path
    return path


def _sdk(impl: Impl) -> dict[str, Any]:
    pkg = impl.name
    return {
        "task": importlib.import_module(f"{pkg}.core.task").task,
        "workflow": importlib.import_module(f"{pkg}.core.workflow").workflow,
        "FlyteFile": importlib.import_module(f"{pkg}.types.file").FlyteFile,
        "ctx": importlib.import_module(f"{pkg}.core.context_manager"),
        "storage": importlib.import_module(f"{pkg}.core.data_persistence").FileAccessProvider,
        "engine": impl.type_engine(),
    }


def produce_flytelite() -> Any:
    """Return the payload as a file (flytelite task body)."""
    return _STATE["file_type_flytelite"](_big_file())  # type: ignore[operator]


def produce_flytekit() -> Any:
    """Return the payload as a file (flytekit task body)."""
    return _STATE["file_type_flytekit"](_big_file())  # type: ignore[operator]


def consume_flytelite(f: Any) -> int:
    """Return the size of the received file (flytelite task body)."""
    return os.path.getsize(f)


def consume_flytekit(f: Any) -> int:
    """Return the size of the received file (flytekit task body)."""
    return os.path.getsize(f)


def _local_workflow(impl: Impl, repeat: int) -> float:
    sdk = _sdk(impl)
    flyte_file = sdk["FlyteFile"]
    _STATE[f"file_type_{impl.name}"] = flyte_file  # type: ignore[assignment]
    produce, consume = globals()[f"produce_{impl.name}"], globals()[f"consume_{impl.name}"]
    produce.__annotations__ = {"return": flyte_file}
    consume.__annotations__ = {"f": flyte_file, "return": int}
    t_produce, t_consume = sdk["task"](produce), sdk["task"](consume)

    def handoff() -> int:
        return t_consume(f=t_produce())  # type: ignore[no-any-return]

    handoff.__annotations__ = {"return": int}
    wf = sdk["workflow"](handoff)
    if wf() != SIZE_MB << 20:
        raise ValueError("the consumer saw a different file size")
    return median_ms(wf, repeat)


def _task_ctx(sdk: dict[str, Any], root: str) -> Any:
    cm = sdk["ctx"]
    # An in-memory object store (fsspec's memory://) stands for S3 between the pods, so both the upload and the
    # download really copy, and no network time hides the SDK's own work.
    raw = f"memory://{os.path.basename(root)}/raw"
    fa = sdk["storage"](local_sandbox_dir=os.path.join(root, "sandbox"), raw_output_prefix=raw)
    base = cm.FlyteContextManager.current_context().with_file_access(fa)
    if hasattr(base, "build"):
        base = base.build()
    es = base.execution_state.with_params(mode=cm.ExecutionState.Mode.TASK_EXECUTION)
    return cm.FlyteContextManager.with_context(base.with_execution_state(es))


def _big_copies(root: str) -> int:
    """Count the payload-sized files on disk under `root` and in the in-memory store under its raw prefix."""
    import fsspec

    size = SIZE_MB << 20
    on_disk = sum(
        1 for folder, _, files in os.walk(root) for f in files if os.path.getsize(os.path.join(folder, f)) == size
    )
    memory = fsspec.filesystem("memory")
    store = f"memory://{os.path.basename(root)}"
    in_store = sum(1 for info in memory.find(store, detail=True).values() if info["size"] == size)
    return on_disk + in_store


def _pod_handoff(impl: Impl, repeat: int) -> float:
    sdk = _sdk(impl)
    engine, flyte_file = sdk["engine"], sdk["FlyteFile"]
    payload = _big_file()
    roots: list[str] = []

    def before() -> None:
        import fsspec

        for old in roots:
            shutil.rmtree(old, ignore_errors=True)
            fsspec.filesystem("memory").rm(f"memory://{os.path.basename(old)}", recursive=True)
        roots[:] = [tempfile.mkdtemp(prefix="bench-pod-")]

    def run() -> None:
        with _task_ctx(sdk, roots[0]) as ctx:
            lt = engine.to_literal_type(flyte_file)
            lv = engine.to_literal(ctx, flyte_file(payload), flyte_file, lt)  # the producer pod's upload
            received = engine.to_python_value(ctx, lv, flyte_file)  # the consumer pod's input
            if os.path.getsize(received.download()) != SIZE_MB << 20:
                raise ValueError("the downloaded file has the wrong size")

    before()
    run()
    copies = _big_copies(roots[0])
    if copies != 2:
        raise ValueError(f"{impl.name}: expected 2 copies (one upload, one download), found {copies}")
    return median_ms(run, repeat, before=before)


def _copy_baseline_ms(repeat: int) -> float:
    """Return the median time of one plain fsspec upload and one download of the payload through memory://."""
    import fsspec

    memory = fsspec.filesystem("memory")
    payload = _big_file()
    samples = []
    for _ in range(max(repeat, 3)):
        folder = tempfile.mkdtemp(prefix="bench-copy-")
        start = time.perf_counter()
        memory.put(payload, "memory://bench-baseline/up.bin")
        memory.get("memory://bench-baseline/up.bin", os.path.join(folder, "down.bin"))
        samples.append((time.perf_counter() - start) * 1000.0)
        memory.rm("memory://bench-baseline", recursive=True)
        shutil.rmtree(folder, ignore_errors=True)
    samples.sort()
    return samples[len(samples) // 2]


def _scenarios(copy_ms: float | None) -> tuple[Scenario, ...]:
    measure: Callable[[Impl, int], float] = _pod_handoff
    return (
        Scenario(
            "file local wf",
            "files",
            f"{SIZE_MB} MB FlyteFile between two tasks of a local workflow (no copy)",
            _local_workflow,
            target_ms=copy_ms / 2 if copy_ms else None,
        ),
        Scenario(
            "file pod handoff",
            "files",
            f"{SIZE_MB} MB FlyteFile: one upload + one download in task-execution mode",
            measure,
            target_ms=copy_ms * 1.2 if copy_ms else None,
        ),
    )


SCENARIOS = _scenarios(None)


def main(argv: list[str] | None = None) -> int:
    """Run the file scenarios and print the table (targets come from a plain-copy baseline measured first)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_files")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    copy_ms = _copy_baseline_ms(args.repeat)
    print(f"baseline: a plain fsspec put + get of {SIZE_MB} MB via memory:// takes {copy_ms:,.1f} ms", file=sys.stderr)
    results = run_scenarios(_scenarios(copy_ms), max(args.repeat, 5), echo=lambda m: print(m, file=sys.stderr))
    print(format_table(results))
    return 1 if any(r.errors.get("flytelite") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
