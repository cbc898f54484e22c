"""Execution phases at flytekit's `models.core.execution` path (values of flyteidl's `WorkflowExecution.Phase`)."""

from __future__ import annotations

import enum

from flyteidl.core import execution_pb2 as _pb
from flyteidl.core.execution_pb2 import NodeExecution, TaskExecution, WorkflowExecution

from flytelite.models._view import View, consts, f

__all__ = [
    "ExecutionError",
    "NodeExecution",
    "NodeExecutionPhase",
    "TaskExecution",
    "TaskExecutionPhase",
    "TaskLog",
    "WorkflowExecution",
    "WorkflowExecutionPhase",
]


class WorkflowExecutionPhase(enum.IntEnum):
    """The phase of a workflow execution; notifications fire on the terminal ones."""

    UNDEFINED = WorkflowExecution.UNDEFINED
    QUEUED = WorkflowExecution.QUEUED
    RUNNING = WorkflowExecution.RUNNING
    SUCCEEDING = WorkflowExecution.SUCCEEDING
    SUCCEEDED = WorkflowExecution.SUCCEEDED
    FAILING = WorkflowExecution.FAILING
    FAILED = WorkflowExecution.FAILED
    ABORTED = WorkflowExecution.ABORTED
    TIMED_OUT = WorkflowExecution.TIMED_OUT
    ABORTING = WorkflowExecution.ABORTING

    @classmethod
    def enum_to_string(cls, int_value: int) -> str:
        """Return the phase's name (`"SUCCEEDED"`), or the number as text when it is not a known phase."""
        try:
            return cls(int_value).name
        except ValueError:
            return str(int_value)


NodeExecutionPhase = consts("NodeExecutionPhase", dict(_pb.NodeExecution.Phase.items()))
TaskExecutionPhase = consts("TaskExecutionPhase", dict(_pb.TaskExecution.Phase.items()))


class ExecutionError(View):
    """An execution's failure: code, message, the URI of the full error, and its kind (user or system)."""

    ErrorKind = consts("ErrorKind", dict(_pb.ExecutionError.ErrorKind.items()))

    _PB = _pb.ExecutionError
    _FIELDS = (f("code"), f("message"), f("error_uri"), f("kind"))


class TaskLog(View):
    """A link to a task's logs: uri, name, message format and time to live."""

    MessageFormat = consts("MessageFormat", dict(_pb.TaskLog.MessageFormat.items()))

    _PB = _pb.TaskLog
    _FIELDS = (f("uri"), f("name"), f("message_format"), f("ttl"))
