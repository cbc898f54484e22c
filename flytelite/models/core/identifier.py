"""flytekit's `flytekit.models.core.identifier` classes, as views over `flyteidl.core.identifier_pb2`.

`Identifier(ResourceType.TASK, "project", "domain", "name", "version")`.
"""

from __future__ import annotations

from flyteidl.core import identifier_pb2 as _pb

from flytelite.models._view import View, consts, f

__all__ = [
    "Identifier",
    "NodeExecutionIdentifier",
    "ResourceType",
    "SignalIdentifier",
    "TaskExecutionIdentifier",
    "WorkflowExecutionIdentifier",
]

ResourceType = consts("ResourceType", dict(_pb.ResourceType.items()))


class Identifier(View):
    """A task, workflow or launch plan: resource type, project, domain, name and version."""

    _PB = _pb.Identifier
    _FIELDS = (f("resource_type"), f("project"), f("domain"), f("name"), f("version"))

    def resource_type_name(self) -> str:
        """Return the resource type's name (`"TASK"`)."""
        return str(_pb.ResourceType.Name(self._pb.resource_type))


class WorkflowExecutionIdentifier(View):
    """One execution: project, domain and name."""

    _PB = _pb.WorkflowExecutionIdentifier
    _FIELDS = (f("project"), f("domain"), f("name"))


class NodeExecutionIdentifier(View):
    """One node of an execution."""

    _PB = _pb.NodeExecutionIdentifier
    _FIELDS = (f("node_id"), f("execution_id"))


class TaskExecutionIdentifier(View):
    """One attempt of a task in a node of an execution."""

    _PB = _pb.TaskExecutionIdentifier
    _FIELDS = (f("task_id"), f("node_execution_id"), f("retry_attempt"))


class SignalIdentifier(View):
    """A signal (gate input) of an execution."""

    _PB = _pb.SignalIdentifier
    _FIELDS = (f("signal_id"), f("execution_id"))
