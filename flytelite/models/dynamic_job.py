"""Dynamic job spec (`flyteidl.core.dynamic_job_pb2`) at flytekit's `models.dynamic_job` path."""

from flyteidl.core.dynamic_job_pb2 import DynamicJobSpec

__all__ = ["DynamicJobSpec"]
