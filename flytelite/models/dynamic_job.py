"""flytekit's `flytekit.models.dynamic_job.DynamicJobSpec`, a view over `flyteidl.core.dynamic_job_pb2`."""

from __future__ import annotations

from flyteidl.core import dynamic_job_pb2 as _pb

from flytelite.models._view import View, f
from flytelite.models.core import workflow as _workflow  # noqa: F401 -- registers Node, WorkflowTemplate, Binding

__all__ = ["DynamicJobSpec"]


class DynamicJobSpec(View):
    """The graph a `@dynamic` task produced: tasks, nodes, min successes, output bindings and sub-workflows."""

    _PB = _pb.DynamicJobSpec
    _FIELDS = (f("tasks"), f("nodes"), f("min_successes"), f("outputs"), f("subworkflows"))
