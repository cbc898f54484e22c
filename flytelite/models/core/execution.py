"""Execution phases at flytekit's `models.core.execution` path (values of flyteidl's `WorkflowExecution.Phase`)."""

from __future__ import annotations

import enum

from flyteidl.core.execution_pb2 import NodeExecution, TaskExecution, WorkflowExecution

__all__ = ["NodeExecution", "TaskExecution", "WorkflowExecution", "WorkflowExecutionPhase"]


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
