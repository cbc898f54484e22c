"""Run the one item of a map task that this pod is responsible for.

The array index is `BATCH_JOB_ARRAY_INDEX_OFFSET` (default 0) plus the value of the env var named by
`BATCH_JOB_ARRAY_INDEX_VAR_NAME` (Flyte sets `FLYTE_K8S_ARRAY_INDEX`). Each mapped input contributes its element at
that index, bound inputs are passed whole, and the inner task runs on those: the outputs follow the inner task's
interface (a scalar `o0`), as Flyte's array plugin expects.
"""

from __future__ import annotations

import os
from typing import Any

from flyteidl.core.literals_pb2 import LiteralMap

from flytelite.core.context_manager import FlyteContext
from flytelite.core.task_node import execute_task
from flytelite.errors import FlyteNonRecoverableSystemException

__all__ = ["array_index", "item_literals", "run_map_item"]


def array_index() -> int:
    """Return this pod's item index."""
    offset = int(os.environ.get("BATCH_JOB_ARRAY_INDEX_OFFSET", "0") or 0)
    var = os.environ.get("BATCH_JOB_ARRAY_INDEX_VAR_NAME", "")
    return offset + int(os.environ.get(var, "0") or 0) if var else offset


def item_literals(mt: Any, inputs: LiteralMap, index: int) -> LiteralMap:
    """Return the inner task's inputs for item `index`.

    Raises:
        FlyteNonRecoverableSystemException: a mapped input is not a list, or is shorter than `index + 1`.
    """
    out = LiteralMap()
    for k, lit in inputs.literals.items():
        if k in mt.bound_inputs:
            out.literals[k].CopyFrom(lit)
            continue
        if not lit.HasField("collection"):
            raise FlyteNonRecoverableSystemException(f"map task '{mt.name}': input '{k}' is not a list")
        items = lit.collection.literals
        if index >= len(items):
            raise FlyteNonRecoverableSystemException(
                f"map task '{mt.name}': item {index} requested but input '{k}' has {len(items)} elements"
            )
        out.literals[k].CopyFrom(items[index])
    return out


def run_map_item(ctx: FlyteContext, mt: Any, inputs: LiteralMap) -> Any:
    """Run item `array_index()` of map task `mt` and return the inner task's outputs.

    `mt` is an `ArrayNodeMapTask` (checked by its attributes, so a plain task run does not import the map module).
    """
    if not (hasattr(mt, "python_function_task") and hasattr(mt, "bound_inputs")):
        raise FlyteNonRecoverableSystemException(f"the map resolver returned {type(mt).__name__}, not a map task")
    return execute_task(mt.python_function_task, ctx, item_literals(mt, inputs, array_index()))
