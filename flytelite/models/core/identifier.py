"""Identifier messages (`flyteidl.core.identifier_pb2`) at flytekit's `models.core.identifier` path."""

from flyteidl.core.identifier_pb2 import (
    Identifier,
    NodeExecutionIdentifier,
    ResourceType,
    SignalIdentifier,
    TaskExecutionIdentifier,
    WorkflowExecutionIdentifier,
)

__all__ = [
    "Identifier",
    "NodeExecutionIdentifier",
    "ResourceType",
    "SignalIdentifier",
    "TaskExecutionIdentifier",
    "WorkflowExecutionIdentifier",
]
