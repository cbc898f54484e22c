"""Compile a `@dynamic` task's body, in its pod, into the `DynamicJobSpec` Flyte runs next (`futures.pb`).

The body runs with the task's actual inputs under a compilation state with node prefix `d` (`dn0`, `dn1`, …); the
nodes, the tasks they call (with the run's project, domain and version from the serialization settings), the
sub-workflows and the output bindings go into the spec. A body that creates no node returns its outputs directly
(a `LiteralMap`, written as `outputs.pb`). `flytelite.core.python_function_task` finds `compile_into_workflow` by
its qualified name when a dynamic task runs in a pod.
"""

from __future__ import annotations

from typing import Any

from flyteidl.core.dynamic_job_pb2 import DynamicJobSpec
from flyteidl.core.literals_pb2 import BindingData, Literal, LiteralCollection, LiteralMap

from flytelite.configuration import SerializationSettings
from flytelite.core.base_task import Task
from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.workflow import WorkflowBase, compile_function
from flytelite.errors import FlyteValidationException
from flytelite.tools.translator import EntityMapping, get_serializable

__all__ = ["binding_to_literal", "compile_into_workflow"]


def binding_to_literal(bd: BindingData) -> Literal:
    """Return the literal of a binding that holds only constants.

    Raises:
        FlyteValidationException: the binding refers to a node output.
    """
    kind = bd.WhichOneof("value")
    if kind == "scalar":
        return Literal(scalar=bd.scalar)
    if kind == "collection":
        return Literal(collection=LiteralCollection(literals=[binding_to_literal(b) for b in bd.collection.bindings]))
    if kind == "map":
        return Literal(map=LiteralMap(literals={k: binding_to_literal(b) for k, b in bd.map.bindings.items()}))
    raise FlyteValidationException(f"a dynamic task without nodes cannot return a {kind} binding")


def compile_into_workflow(task: Any, ctx: FlyteContext, **kwargs: Any) -> DynamicJobSpec | LiteralMap:
    """Compile the body of dynamic `task` with native `kwargs` into a `DynamicJobSpec`."""
    settings = ctx.serialization_settings
    if not isinstance(settings, SerializationSettings):
        raise FlyteValidationException(f"dynamic task '{task.name}' needs serialization settings to compile")
    es = ctx.execution_state
    if es is not None:
        ctx = ctx.with_execution_state(es.with_params(mode=ExecutionState.Mode.DYNAMIC_TASK_EXECUTION))
    with FlyteContextManager.with_context(ctx):
        nodes, bindings, _ = compile_function(
            task.task_function, task.name, task.python_interface, dict(kwargs), prefix="d"
        )
        if not nodes:
            return LiteralMap(literals={b.var: binding_to_literal(b.binding) for b in bindings})
        mapping: EntityMapping = {}
        serialized = [get_serializable(mapping, settings, n) for n in nodes]
        subs: dict[str, Any] = {}
        for n in nodes:
            if isinstance(n.flyte_entity, WorkflowBase):
                spec = get_serializable(mapping, settings, n.flyte_entity)
                for t in (spec.template, *spec.sub_workflows):
                    subs.setdefault(t.id.name, t)
    tasks = [cp.template for e, cp in mapping.items() if isinstance(e, Task)]
    return DynamicJobSpec(
        min_successes=len(serialized),
        tasks=tasks,
        nodes=serialized,
        outputs=bindings,
        subworkflows=list(subs.values()),
    )
