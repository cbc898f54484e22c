"""flytekit's `flytekit.models.core.workflow` classes, as views over `flyteidl.core.workflow_pb2` (see `_view`)."""

from __future__ import annotations

from typing import Any

from flyteidl.core import workflow_pb2 as _pb

from flytelite.models import interface as _interface  # noqa: F401 -- registers TypedInterface
from flytelite.models import literals as _literals  # noqa: F401 -- registers Binding, RetryStrategy, Error
from flytelite.models._view import View, consts, f
from flytelite.models.core import condition as _condition  # noqa: F401 -- registers BooleanExpression
from flytelite.models.core import identifier as _identifier  # noqa: F401 -- registers Identifier
from flytelite.models.task import Resources  # noqa: F401 -- registers Resources and K8sPod

__all__ = [
    "Alias",
    "ApproveCondition",
    "ArrayNode",
    "BranchNode",
    "GateNode",
    "IfBlock",
    "IfElseBlock",
    "Node",
    "NodeMetadata",
    "SignalCondition",
    "SleepCondition",
    "TaskNode",
    "TaskNodeOverrides",
    "WorkflowMetadata",
    "WorkflowMetadataDefaults",
    "WorkflowNode",
    "WorkflowTemplate",
]


def _which(pb: Any, oneof: str, view: Any) -> Any:
    kind = pb.WhichOneof(oneof)
    return None if kind is None else getattr(view, kind)


class IfBlock(View):
    """A condition and the node to run when it holds."""

    _PB = _pb.IfBlock
    _FIELDS = (f("condition"), f("then_node"))


class IfElseBlock(View):
    """The first case, the other cases (a list), and an else node or an error."""

    _PB = _pb.IfElseBlock
    _FIELDS = (f("case"), f("other"), f("else_node"), f("error"))


class BranchNode(View):
    """A conditional node."""

    _PB = _pb.BranchNode
    _FIELDS = (f("if_else"),)


class NodeMetadata(View):
    """A node's name, timeout (a timedelta), retries and cache overrides."""

    _PB = _pb.NodeMetadata
    _FIELDS = (
        f("name"),
        f("timeout"),
        f("retries"),
        f("interruptible"),
        f("cacheable"),
        f("cache_version"),
        f("cache_serializable"),
    )


class SignalCondition(View):
    """A gate waiting for a typed signal."""

    _PB = _pb.SignalCondition
    _FIELDS = (f("signal_id"), f("type"), f("output_variable_name"))


class ApproveCondition(View):
    """A gate waiting for an approval."""

    _PB = _pb.ApproveCondition
    _FIELDS = (f("signal_id"),)


class SleepCondition(View):
    """A gate sleeping for a `duration` (a timedelta)."""

    _PB = _pb.SleepCondition
    _FIELDS = (f("duration"),)


class GateNode(View):
    """A node that waits for a signal, an approval or some time."""

    _PB = _pb.GateNode
    _FIELDS = (f("signal"), f("sleep"), f("approve"))

    @property
    def condition(self) -> Any:
        """Return whichever condition is set."""
        return _which(self._pb, "condition", self)


class ArrayNode(View):
    """A map over a sub-node."""

    _PB = _pb.ArrayNode
    _FIELDS = (
        f("node"),
        f("parallelism"),
        f("min_successes"),
        f("min_success_ratio"),
        f("execution_mode"),
        f("is_original_sub_node_interface", default=False),
        f("data_mode"),
        f("bound_inputs"),
        f("run_all_sub_nodes"),
    )


class TaskNodeOverrides(View):
    """Per-node overrides of a task's resources, extended resources, image and pod template."""

    _PB = _pb.TaskNodeOverrides
    _FIELDS = (
        f("resources"),
        f("extended_resources", conv="raw"),
        f("container_image"),
        f("pod_template"),
    )


class TaskNode(View):
    """A node running a task (`reference_id`), with optional overrides."""

    _PB = _pb.TaskNode
    _FIELDS = (f("reference_id"), f("overrides"))


class WorkflowNode(View):
    """A node running a launch plan or a sub-workflow."""

    _PB = _pb.WorkflowNode
    _FIELDS = (f("launchplan_ref"), f("sub_workflow_ref"))

    @property
    def reference(self) -> Any:
        """Return whichever reference is set."""
        return _which(self._pb, "reference", self)


class Node(View):
    """A node of a workflow graph: id, metadata, input bindings, upstream ids, aliases, and its target."""

    _PB = _pb.Node
    _FIELDS = (
        f("id"),
        f("metadata"),
        f("inputs"),
        f("upstream_node_ids"),
        f("output_aliases"),
        f("task_node"),
        f("workflow_node"),
        f("branch_node"),
        f("gate_node"),
        f("array_node"),
    )

    @property
    def target(self) -> Any:
        """Return whichever target (task, workflow, branch, gate, array node) is set."""
        return _which(self._pb, "target", self)


class WorkflowMetadata(View):
    """What happens to running nodes when one fails (`on_failure`)."""

    OnFailurePolicy = consts("OnFailurePolicy", dict(_pb.WorkflowMetadata.OnFailurePolicy.items()))

    _PB = _pb.WorkflowMetadata
    _FIELDS = (f("on_failure"),)


class WorkflowMetadataDefaults(View):
    """Defaults applied to every node (`interruptible`)."""

    _PB = _pb.WorkflowMetadataDefaults
    _FIELDS = (f("interruptible"),)


class WorkflowTemplate(View):
    """A workflow graph: id, metadata, defaults, interface, nodes, output bindings and failure node."""

    _PB = _pb.WorkflowTemplate
    _FIELDS = (
        f("id"),
        f("metadata"),
        f("metadata_defaults"),
        f("interface"),
        f("nodes"),
        f("outputs"),
        f("failure_node"),
    )


class Alias(View):
    """A renamed output of a node."""

    _PB = _pb.Alias
    _FIELDS = (f("var"), f("alias"))
