"""Fan a map task's (or a mapped launch plan's) items out through the runner's executor.

Items are submitted in index order, at most `concurrency` at a time (all at once when it is None or 0).
A failed item becomes `None` in the output list when the map tolerates failures
(`min_success_ratio < 1` or `min_successes` set). Without `run_all_sub_nodes` the run fails as soon as the
number of successes can no longer reach the minimum, cancelling items that have not started; with it every
item runs to the end and the minimum is checked afterwards (flytekit's meaning of the flag).

Items of a map task consult the local cache one by one and are retried (`retries` of the map node) like a
plain task node. With the serial executor, a map of a plain `@task` (not cached, retried or mocked, every item
required) runs as one task node instead: the map task's own loop, with its lists converted once. Items of an
`ArrayNode` run the launch plan's workflow through the runner, each on its own control thread (inline with the
serial executor).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from flyteidl.core.literals_pb2 import Literal, LiteralCollection, LiteralMap, Scalar, Void

from flytelite.core.array_node import ArrayNode
from flytelite.core.array_node_map_task import ArrayNodeMapTask
from flytelite.core.context_manager import FlyteContext
from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.task_node import run_task_node
from flytelite.errors import FlyteUserException, add_note
from flytelite.exec.events import NodeEventKind

if TYPE_CHECKING:
    import concurrent.futures as cf

    from flytelite.exec._runner import GraphRunner

__all__ = ["MapTaskFailedError", "fan_out", "item_inputs", "required_successes", "run_array_node", "run_map_task"]


class MapTaskFailedError(FlyteUserException):
    """Too many items of a map task failed to meet its `min_successes` / `min_success_ratio`."""

    _ERROR_CODE = "USER:MapTaskFailed"


def item_inputs(name: str, mapped: list[str], inputs: LiteralMap) -> list[LiteralMap]:
    """Split `inputs` into one `LiteralMap` per item: the `mapped` inputs element by element, others whole."""
    lengths = {k: len(inputs.literals[k].collection.literals) for k in mapped}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"map task '{name}': mapped inputs have different lengths {lengths}")
    n = next(iter(lengths.values()), 0)
    items = []
    for i in range(n):
        lits = {
            k: inputs.literals[k].collection.literals[i] if k in lengths else inputs.literals[k]
            for k in inputs.literals
        }
        items.append(LiteralMap(literals=lits))
    return items


def required_successes(min_successes: int | None, min_success_ratio: float | None, n: int) -> int:
    """Return how many of `n` items must succeed."""
    if min_successes is not None:
        return min(min_successes, n)
    return math.ceil(n * (1.0 if min_success_ratio is None else min_success_ratio))


def _progress(runner: GraphRunner, node_path: str, entity: object, total: int) -> Callable[[object], None]:
    """Emit `PROGRESS` (0 of `total` now, then one more per finished item); return the per-item callback."""
    lock = threading.Lock()
    count = [0]
    runner.emit(NodeEventKind.PROGRESS, node_path, entity, done=0, total=total)

    def item_done(_: object) -> None:
        with lock:
            count[0] += 1
            done = count[0]
        runner.emit(NodeEventKind.PROGRESS, node_path, entity, done=done, total=total)

    return item_done


def run_map_task(
    runner: GraphRunner,
    mt: ArrayNodeMapTask,
    inputs: LiteralMap,
    ctx: FlyteContext,
    retries: int = 0,
    node_path: str = "",
) -> LiteralMap:
    """Run every item of `mt` through `runner`'s executor and gather the outputs into lists."""
    inner = mt.python_function_task
    mapped = [k for k in mt.python_interface.inputs if k not in mt.bound_inputs]
    if runner.serial and _one_pass(mt, retries):
        total = len(inputs.literals[mapped[0]].collection.literals) if mapped else 0
        runner.emit(NodeEventKind.PROGRESS, node_path, mt, done=0, total=total)
        out = run_task_node(mt, inputs, ctx)  # the map task's own loop: inputs and outputs converted once
        runner.emit(NodeEventKind.PROGRESS, node_path, mt, done=total, total=total)
        return out
    items = item_inputs(mt.name, mapped, inputs)
    item_done = _progress(runner, node_path, mt, len(items))

    def submit(i: int) -> cf.Future[LiteralMap]:
        fut = runner.submit_task(inner, items[i], ctx, retries)  # each item is a task node: cache, retries
        fut.add_done_callback(item_done)
        return fut

    needed = required_successes(mt.min_successes, mt.min_success_ratio, len(items))
    results = fan_out(mt.name, len(items), needed, mt.concurrency, mt.run_all_sub_nodes, submit)
    return _gather(list(mt.python_interface.outputs), results)


def _one_pass(mt: ArrayNodeMapTask, retries: int) -> bool:
    """Tell whether a serial run may run the items in one pass of the map task's own loop (`execute`).

    That converts the lists once instead of once per item, and is what the per-item path would do anyway for a
    plain `@task` that is not cached, retried, mocked or rendering decks, in a map that needs every item.
    """
    inner = mt.python_function_task
    return (
        type(inner) is PythonFunctionTask
        and "execute" not in vars(inner)
        and not inner.metadata.cache
        and not retries
        and not inner.enable_deck
        and mt.min_successes is None
        and mt.min_success_ratio in (None, 1)
    )


def run_array_node(
    runner: GraphRunner, an: ArrayNode, inputs: LiteralMap, ctx: FlyteContext, node_path: str
) -> LiteralMap:
    """Run the launch plan of `an` once per item (each its own sub-graph run) and gather the outputs into lists."""
    lp = an.target
    items = item_inputs(an.name, list(an.python_interface.inputs), inputs)
    graph = lp.workflow.graph

    def submit(i: int) -> cf.Future[LiteralMap]:
        item = lp.complete_inputs(ctx, items[i])
        return runner.run_control(lambda: runner.run_graph(graph, ctx, item, f"{node_path}-{i}"))

    needed = required_successes(an.min_successes, an.min_success_ratio, len(items))
    results = fan_out(an.name, len(items), needed, an.concurrency, an.run_all_sub_nodes, submit)
    return _gather(list(an.python_interface.outputs), results)


def fan_out(
    name: str,
    n: int,
    needed: int,
    concurrency: int | None,
    run_all: bool,
    submit: Callable[[int], cf.Future[LiteralMap]],
) -> list[LiteralMap | None]:
    """Run items `0..n-1` through `submit`, at most `concurrency` at once; return their outputs (None if failed).

    Raises:
        BaseException: the item's own error when every item must succeed, else `MapTaskFailedError`, once fewer
            than `needed` items can succeed (with `run_all`, only after every item has run).
    """
    import queue

    window = concurrency or n or 1
    results: list[LiteralMap | None] = [None] * n
    running: dict[cf.Future[LiteralMap], int] = {}
    finished: queue.SimpleQueue[cf.Future[LiteralMap]] = queue.SimpleQueue()  # in the order items finish
    errors: dict[int, BaseException] = {}
    next_item = 0
    try:
        while next_item < n or running:
            while next_item < n and len(running) < window:
                fut = submit(next_item)
                running[fut] = next_item
                next_item += 1
                fut.add_done_callback(finished.put)
            fut = finished.get()
            i = running.pop(fut)
            err = fut.exception()
            if err is None:
                results[i] = fut.result()
                continue
            errors[i] = err
            if not run_all and n - len(errors) < needed:
                raise _too_few(name, n, needed, errors, i)
    finally:
        for fut in running:
            fut.cancel()
    if n - len(errors) < needed:
        raise _too_few(name, n, needed, errors, min(errors))
    return results


def _too_few(name: str, n: int, needed: int, errors: dict[int, BaseException], i: int) -> BaseException:
    """Return the error to raise when fewer than `needed` of `n` items can succeed; item `i` is named."""
    err = errors[i]
    if needed == n:
        add_note(err, f"in item {i} of map task '{name}'")
        return err
    failed = ", ".join(str(k) for k in sorted(errors))
    out = MapTaskFailedError(
        f"map task '{name}': {len(errors)} of {n} items failed (items {failed}), so fewer than the required "
        f"{needed} succeeded; item {i} failed with {type(err).__name__}: {err}"
    )
    out.__cause__ = err
    return out


def _gather(names: list[str], results: list[LiteralMap | None]) -> LiteralMap:
    none = Literal(scalar=Scalar(none_type=Void()))
    out: dict[str, Literal] = {}
    for var in names:
        lits = [r.literals[var] if r is not None else none for r in results]
        out[var] = Literal(collection=LiteralCollection(literals=lits))
    return LiteralMap(literals=out)
