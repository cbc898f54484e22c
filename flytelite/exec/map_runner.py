"""Fan a map task's items out through the runner's executor.

Items are submitted in index order, at most `concurrency` at a time (all at once when it is None or 0).
A failed item becomes `None` in the output list when the map tolerates failures
(`min_success_ratio < 1` or `min_successes` set); the run fails as soon as the number of successes can no
longer reach the minimum, cancelling items that have not started.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from typing import TYPE_CHECKING, Any

from flytelite.core.array_node_map_task import ArrayNodeMapTask
from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteUserException
from flytelite.models.literals import Literal, LiteralCollection, LiteralMap, Scalar, Void

if TYPE_CHECKING:
    from flytelite.exec.runner import GraphRunner

__all__ = ["MapTaskFailedError", "item_inputs", "run_map_task"]


class MapTaskFailedError(FlyteUserException):
    """Too many items of a map task failed to meet its `min_successes` / `min_success_ratio`."""

    _ERROR_CODE = "USER:MapTaskFailed"


def item_inputs(mt: ArrayNodeMapTask, inputs: LiteralMap) -> list[LiteralMap]:
    """Split the map task's inputs into one `LiteralMap` per item (bound inputs are passed whole)."""
    mapped = [k for k in mt.python_interface.inputs if k not in mt.bound_inputs]
    lengths = {k: len(inputs.literals[k].collection.literals) for k in mapped}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"map task '{mt.name}': mapped inputs have different lengths {lengths}")
    n = next(iter(lengths.values()), 0)
    items = []
    for i in range(n):
        lits = {
            k: inputs.literals[k].collection.literals[i] if k in lengths else inputs.literals[k]
            for k in inputs.literals
        }
        items.append(LiteralMap(literals=lits))
    return items


def required_successes(mt: ArrayNodeMapTask, n: int) -> int:
    """Return how many of `n` items must succeed."""
    if mt.min_successes is not None:
        return min(mt.min_successes, n)
    return math.ceil(n * mt.min_success_ratio)


def run_map_task(runner: GraphRunner, mt: ArrayNodeMapTask, inputs: LiteralMap, ctx: FlyteContext) -> LiteralMap:
    """Run every item of `mt` through `runner`'s executor and gather the outputs into lists."""
    inner = mt.python_function_task
    items = item_inputs(mt, inputs)
    n = len(items)
    needed = required_successes(mt, n)
    window = mt.concurrency or n or 1
    results: list[LiteralMap | None] = [None] * n
    running: dict[cf.Future[Any], int] = {}
    failures = 0
    next_item = 0
    try:
        while next_item < n or running:
            while next_item < n and len(running) < window:
                running[runner._submit_task(inner, items[next_item], ctx)] = next_item
                next_item += 1
            finished, _ = cf.wait(list(running), return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                i = running.pop(fut)
                err = fut.exception()
                if err is None:
                    results[i] = runner._finish_task(fut.result(), inner)
                    continue
                failures += 1
                if n - failures < needed:
                    if needed == n:
                        notes = [*getattr(err, "__notes__", []), f"in item {i} of map task '{mt.name}'"]
                        err.__notes__ = notes  # type: ignore[attr-defined]  # BaseException.add_note is 3.11+
                        raise err
                    raise MapTaskFailedError(
                        f"map task '{mt.name}': {failures} of {n} items failed, so fewer than the required "
                        f"{needed} can succeed; item {i} failed with {type(err).__name__}: {err}"
                    ) from err
    finally:
        for fut in running:
            fut.cancel()
    return _gather(mt, results)


def _gather(mt: ArrayNodeMapTask, results: list[LiteralMap | None]) -> LiteralMap:
    none = Literal(scalar=Scalar(none_type=Void()))
    out: dict[str, Literal] = {}
    for var in mt.python_interface.outputs:
        lits = [r.literals[var] if r is not None else none for r in results]
        out[var] = Literal(collection=LiteralCollection(literals=lits))
    return LiteralMap(literals=out)
