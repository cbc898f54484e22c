"""Run one entity on native inputs through the graph runner: what `flytelite run` does once its options are parsed.

A workflow runs its compiled graph; a launch plan its workflow's graph with the fixed and default inputs added; a
task runs as a one-node graph, so every run goes through the same runner, executor, cache and node events.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from flyteidl.core.literals_pb2 import LiteralMap

from flytelite.core._call import entity_label, inputs_to_literal_map, type_name
from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.local_cache import LocalTaskCache
from flytelite.core.type_engine import TypeEngine
from flytelite.core.workflow import WorkflowBase, task_graph
from flytelite.errors import FlyteException, TypeTransformerFailedError
from flytelite.exec import GraphRunner, NodeObserver
from flytelite.storage import FileAccessProvider

if TYPE_CHECKING:
    import concurrent.futures as cf

__all__ = [
    "ENGINES",
    "EngineError",
    "EngineUnavailableError",
    "InputValueError",
    "make_executor",
    "parse_engine",
    "run_entity",
    "run_settings",
]

ENGINES = ("serial", "threads", "processes", "dask")


class EngineError(ValueError):
    """An engine that does not exist or cannot start (the message says what to install)."""


class EngineUnavailableError(EngineError):
    """An engine that exists but cannot be reached (a Dask scheduler that does not answer)."""


class InputValueError(ValueError):
    """A run's input value that its type cannot carry (an int beyond 64 bits, ...): a usage error.

    Args:
        name: the input's name.
        value: the value given.
        python_type: the input's declared type.
        cause: what the input converter raised (its `reason` says what is wrong with the value).
        entity: the task, workflow or launch plan run.
    """

    def __init__(self, name: str, value: Any, python_type: Any, cause: BaseException, entity: Any = None) -> None:
        reason = getattr(cause, "reason", None) or (cause.args[0] if isinstance(cause, FlyteException) else cause)
        where = f" ({entity_label(entity)}, input '{name}')" if entity is not None else ""
        super().__init__(f"{value!r} is not a valid {type_name(python_type)}: {reason}{where}")
        self.name = name


def parse_engine(text: str) -> tuple[str, str | None]:
    """Split `dask=tcp://host:8786` into `("dask", "tcp://host:8786")`; other engines have no address.

    Raises:
        EngineError: an unknown engine, or an address on an engine that takes none.
    """
    kind, eq, address = text.strip().partition("=")
    kind = kind.lower()
    if kind not in ENGINES:
        raise EngineError(f"{text!r} is not an engine: expected one of {', '.join(ENGINES)} (dask[=ADDRESS])")
    if eq and kind != "dask":
        raise EngineError(f"engine {kind!r} takes no address")
    return kind, (address or None)


def make_executor(kind: str, address: str | None = None, max_workers: int | None = None) -> cf.Executor | str:
    """Return the executor of an engine (`parse_engine`'s result), or `"serial"` for the serial engine.

    The serial engine runs nodes in this thread, so the graph runner needs no executor object for it (nor
    `concurrent.futures`, which the pools load).

    Raises:
        EngineError: `dask` was chosen but dask is not installed.
        EngineUnavailableError: the Dask cluster cannot be reached or cannot run flytelite.
    """
    if kind == "serial":
        return kind
    if kind != "dask":
        from flytelite.exec.executors import get_executor  # the pools load `concurrent.futures` (see above)

        return get_executor(kind, max_workers)
    try:
        from flytelite.exec.dask_executor import DaskExecutor  # dask is an optional extra
    except ImportError as e:
        raise EngineError(
            f"the dask engine needs the `dask` extra: pip install 'flytelite[dask]' (importing dask failed: {e})"
        ) from e
    try:
        return DaskExecutor(address, n_workers=max_workers)
    except Exception as e:  # an unreachable scheduler, a cluster that cannot run flytelite, ...
        reason = " ".join(str(e).split()) or type(e).__name__
        where = f"the Dask scheduler at {address}" if address else "a local Dask cluster"
        if address and address in reason:  # the reason already says where
            raise EngineUnavailableError(f"the dask engine cannot start: {reason}") from e
        raise EngineUnavailableError(f"the dask engine cannot start on {where}: {reason}") from e


@contextlib.contextmanager
def run_settings(
    raw_output_prefix: str | None = None, cache: bool = True, overwrite_cache: bool = False
) -> Iterator[FlyteContext]:
    """Set the raw-output prefix and the local cache switches for a block; yield the context to run in."""
    ctx = FlyteContextManager.current_context()
    if raw_output_prefix:
        prefix = raw_output_prefix if "://" in raw_output_prefix else os.path.abspath(raw_output_prefix)
        fa = FileAccessProvider(local_sandbox_dir=ctx.file_access.local_sandbox_dir, raw_output_prefix=prefix)
        ctx = ctx.with_file_access(fa)
    LocalTaskCache.configure(enabled=False if not cache else None, overwrite=True if overwrite_cache else None)
    try:
        with FlyteContextManager.with_context(ctx) as pushed:
            yield pushed
    finally:
        LocalTaskCache.configure()


def _inputs_to_literals(ctx: FlyteContext, entity: Any, inputs: Mapping[str, Any]) -> LiteralMap:
    try:
        return inputs_to_literal_map(ctx, entity, inputs)
    except TypeTransformerFailedError as e:
        name = e.path.split("[", 1)[0].split(".", 1)[0] if e.path else next(iter(inputs))
        raise InputValueError(name, inputs.get(name), entity.python_interface.inputs.get(name), e, entity) from e


def run_entity(
    entity: Any,
    inputs: Mapping[str, Any],
    executor: cf.Executor | str | None = None,
    observer: NodeObserver | None = None,
) -> dict[str, Any]:
    """Run a task, workflow or launch plan locally and return its outputs by name, as Python values.

    Args:
        entity: what to run.
        inputs: native input values by name (a launch plan adds its fixed and default inputs).
        executor: an executor or an engine name (default: `$FLYTELITE_EXECUTOR`, else serial).
        observer: receives every node event.

    Raises:
        InputValueError: an input value its type cannot carry (before anything runs).
        Exception: whatever the failing node raised, annotated with the node and the workflow.
    """
    runner = GraphRunner(executor, observer)
    base = FlyteContextManager.current_context()
    es = base.new_execution_state().with_params(mode=ExecutionState.Mode.LOCAL_WORKFLOW_EXECUTION)
    with FlyteContextManager.with_context(base.with_execution_state(es)) as ctx:
        literals = _inputs_to_literals(ctx, entity, inputs)
        if isinstance(entity, LaunchPlan):
            graph = entity.workflow.graph
            literals = entity.complete_inputs(ctx, literals)
        elif isinstance(entity, WorkflowBase):
            graph = entity.graph
        else:
            graph = task_graph(entity)
        out = runner.run_graph(graph, ctx, literals)
        return {
            k: TypeEngine.to_python_value(ctx, out.literals[k], t) for k, t in entity.python_interface.outputs.items()
        }
