"""Error documents (`flyteidl.core.errors_pb2`) at flytekit's `models.core.errors` path."""

from flyteidl.core.errors_pb2 import ContainerError, ErrorDocument

__all__ = ["ContainerError", "ErrorDocument"]
