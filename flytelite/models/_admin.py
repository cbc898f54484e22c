"""Views over admin messages that `flytelite.models.task` offers lazily (importing this loads the admin protos).

`TaskSpec`, `Task`, `TaskClosure` (`flyteidl.admin.task_pb2`) and `TaskExecutionMetadata` (`flyteidl.admin.agent_pb2`).
"""

from __future__ import annotations

from flyteidl.admin import agent_pb2 as _agent_pb
from flyteidl.admin import task_pb2 as _pb

from flytelite.models import documentation as _documentation
from flytelite.models._view import View, f, to_pb
from flytelite.models.task import TaskTemplate  # noqa: F401 -- registers TaskTemplate for TaskSpec.template

__all__ = ["Task", "TaskClosure", "TaskExecutionMetadata", "TaskSpec"]


def _read_docs(pb: object) -> _documentation.Documentation | None:
    return _documentation.Documentation.from_flyte_idl(pb.description) if pb.HasField("description") else None  # type: ignore[attr-defined]


def _write_docs(pb: object, value: object) -> None:
    pb.description.CopyFrom(to_pb(value))  # type: ignore[attr-defined]


class TaskSpec(View):
    """What is registered for a task: its template and its documentation."""

    _PB = _pb.TaskSpec
    _FIELDS = (f("template"), f("docs", pb="description", read=_read_docs, write=_write_docs))


class TaskClosure(View):
    """A registered task's compiled form."""

    _PB = _pb.TaskClosure
    _FIELDS = (f("compiled_task"),)


class Task(View):
    """A registered task: its id, closure and short description."""

    _PB = _pb.Task
    _FIELDS = (f("id"), f("closure"), f("short_description"))


class TaskExecutionMetadata(View):
    """What a connector learns about the task execution it serves (labels, annotations, env, identity)."""

    _PB = _agent_pb.TaskExecutionMetadata
    _FIELDS = (
        f("task_execution_id"),
        f("namespace"),
        f("labels"),
        f("annotations"),
        f("k8s_service_account"),
        f("environment_variables"),
        f("identity"),
    )
