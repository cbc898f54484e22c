"""Task template messages (`flyteidl.core.tasks_pb2`) at flytekit's `models.task` path."""

from flyteidl.core.tasks_pb2 import (
    Container,
    ContainerPort,
    DataLoadingConfig,
    ExtendedResources,
    GPUAccelerator,
    IOStrategy,
    K8sObjectMetadata,
    K8sPod,
    Resources,
    RuntimeMetadata,
    SharedMemory,
    Sql,
    TaskMetadata,
    TaskTemplate,
)

__all__ = [
    "Container",
    "ContainerPort",
    "DataLoadingConfig",
    "ExtendedResources",
    "GPUAccelerator",
    "IOStrategy",
    "K8sObjectMetadata",
    "K8sPod",
    "Resources",
    "RuntimeMetadata",
    "SharedMemory",
    "Sql",
    "TaskMetadata",
    "TaskTemplate",
]
