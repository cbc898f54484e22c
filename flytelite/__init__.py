"""flytelite: a lean, fast, drop-in Python SDK for Flyte.

Replace `flytekit` with `flytelite` in your imports; literals, IDL and the container contract stay the same.

`import flytelite` loads only the context stack and the core protobufs. Every other public name is
imported from its home module the first time it is used (`from flytelite import task` loads the task
stack, not the dataframe or storage code), so a script pays only for what it touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from flytelite.core.context_manager import FlyteContext, FlyteContextManager

__version__ = "0.1.0"

# public name -> home module. The name is looked up in that module on first access.
_LAZY: dict[str, str] = {
    "Config": "flytelite.configuration",
    "ImageConfig": "flytelite.configuration",
    "SerializationSettings": "flytelite.configuration",
    "SQLTask": "flytelite.core.base_sql_task",
    "IgnoreOutputs": "flytelite.core.base_task",
    "TaskMetadata": "flytelite.core.base_task",
    "Cache": "flytelite.core.cache",
    "CachePolicy": "flytelite.core.cache",
    "VersionParameters": "flytelite.core.cache",
    "Checkpoint": "flytelite.core.checkpointer",
    "conditional": "flytelite.core.condition",
    "ContainerTask": "flytelite.core.container_task",
    "ExecutionParameters": "flytelite.core.context_manager",
    "SecretsManager": "flytelite.core.context_manager",
    "current_context": "flytelite.core.context_manager",
    "dynamic": "flytelite.core.dynamic",
    "eager": "flytelite.core.eager",
    "Environment": "flytelite.core.environment",
    "approve": "flytelite.core.gate",
    "sleep": "flytelite.core.gate",
    "wait_for_input": "flytelite.core.gate",
    "kwtypes": "flytelite.core.interface",
    "LaunchPlan": "flytelite.core.launch_plan",
    "map_task": "flytelite.core.map_task",
    "create_node": "flytelite.core.node_creation",
    "Email": "flytelite.core.notification",
    "PagerDuty": "flytelite.core.notification",
    "Slack": "flytelite.core.notification",
    "Options": "flytelite.core.options",
    "PodTemplate": "flytelite.core.pod_template",
    "PythonFunctionTask": "flytelite.core.python_function_task",
    "PythonInstanceTask": "flytelite.core.python_function_task",
    "get_reference_entity": "flytelite.core.reference",
    "LaunchPlanReference": "flytelite.core.reference_entity",
    "TaskReference": "flytelite.core.reference_entity",
    "WorkflowReference": "flytelite.core.reference_entity",
    "reference_launch_plan": "flytelite.core.reference_entity",
    "reference_task": "flytelite.core.reference_entity",
    "reference_workflow": "flytelite.core.reference_entity",
    "Resources": "flytelite.core.resources",
    "CronSchedule": "flytelite.core.schedule",
    "FixedRate": "flytelite.core.schedule",
    "task": "flytelite.core.task",
    "BatchSize": "flytelite.core.type_engine",
    "FlyteAnnotation": "flytelite.core.type_engine",
    "HashMethod": "flytelite.core.type_engine",
    "TypeEngine": "flytelite.core.type_engine",
    "TypeTransformer": "flytelite.core.type_engine",
    "Workflow": "flytelite.core.workflow",
    "WorkflowFailurePolicy": "flytelite.core.workflow",
    "workflow": "flytelite.core.workflow",
    "Deck": "flytelite.deck",
    "ImageSpec": "flytelite.image_spec.image_spec",
    "lazy_module": "flytelite.lazy_import.lazy_module",
    "logger": "flytelite.loggers",
    "Annotations": "flytelite.models.common",
    "AuthRole": "flytelite.models.common",
    "Labels": "flytelite.models.common",
    "ConcurrencyLimitBehavior": "flytelite.models.concurrency",
    "ConcurrencyPolicy": "flytelite.models.concurrency",
    "WorkflowExecutionPhase": "flytelite.models.core.execution",
    "Description": "flytelite.models.documentation",
    "Documentation": "flytelite.models.documentation",
    "SourceCode": "flytelite.models.documentation",
    "Blob": "flytelite.models.literals",
    "BlobMetadata": "flytelite.models.literals",
    "Literal": "flytelite.models.literals",
    "Scalar": "flytelite.models.literals",
    "Secret": "flytelite.models.security",
    "SecurityContext": "flytelite.models.security",
    "BlobType": "flytelite.models.types",
    "LiteralType": "flytelite.models.types",
    "StructuredDatasetType": "flytelite.models.types",
    "FlyteDirectory": "flytelite.types.directory",
    "FlyteFile": "flytelite.types.file",
    "StructuredDataset": "flytelite.types.structured",
    "StructuredDatasetFormat": "flytelite.types.structured",
    "StructuredDatasetTransformerEngine": "flytelite.types.structured",
}

# names whose home module defines them under another name
_RENAMED: dict[str, str] = {"Workflow": "ImperativeWorkflow"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'flytelite' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:
    from flytelite.configuration import Config, ImageConfig, SerializationSettings
    from flytelite.core.base_sql_task import SQLTask
    from flytelite.core.base_task import IgnoreOutputs, TaskMetadata
    from flytelite.core.cache import Cache, CachePolicy, VersionParameters
    from flytelite.core.checkpointer import Checkpoint
    from flytelite.core.condition import conditional
    from flytelite.core.container_task import ContainerTask
    from flytelite.core.context_manager import ExecutionParameters, SecretsManager, current_context
    from flytelite.core.dynamic import dynamic
    from flytelite.core.eager import eager
    from flytelite.core.environment import Environment
    from flytelite.core.gate import approve, sleep, wait_for_input
    from flytelite.core.interface import kwtypes
    from flytelite.core.launch_plan import LaunchPlan
    from flytelite.core.map_task import map_task
    from flytelite.core.node_creation import create_node
    from flytelite.core.notification import Email, PagerDuty, Slack
    from flytelite.core.options import Options
    from flytelite.core.pod_template import PodTemplate
    from flytelite.core.python_function_task import PythonFunctionTask, PythonInstanceTask
    from flytelite.core.reference import get_reference_entity
    from flytelite.core.reference_entity import (
        LaunchPlanReference,
        TaskReference,
        WorkflowReference,
        reference_launch_plan,
        reference_task,
        reference_workflow,
    )
    from flytelite.core.resources import Resources
    from flytelite.core.schedule import CronSchedule, FixedRate
    from flytelite.core.task import task
    from flytelite.core.type_engine import BatchSize, FlyteAnnotation, HashMethod, TypeEngine, TypeTransformer
    from flytelite.core.workflow import ImperativeWorkflow as Workflow
    from flytelite.core.workflow import WorkflowFailurePolicy, workflow
    from flytelite.deck import Deck
    from flytelite.image_spec.image_spec import ImageSpec
    from flytelite.lazy_import.lazy_module import lazy_module
    from flytelite.loggers import logger
    from flytelite.models.common import Annotations, AuthRole, Labels
    from flytelite.models.concurrency import ConcurrencyLimitBehavior, ConcurrencyPolicy
    from flytelite.models.core.execution import WorkflowExecutionPhase
    from flytelite.models.documentation import Description, Documentation, SourceCode
    from flytelite.models.literals import Blob, BlobMetadata, Literal, Scalar
    from flytelite.models.security import Secret, SecurityContext
    from flytelite.models.types import BlobType, LiteralType, StructuredDatasetType
    from flytelite.types.directory import FlyteDirectory
    from flytelite.types.file import FlyteFile
    from flytelite.types.structured import (
        StructuredDataset,
        StructuredDatasetFormat,
        StructuredDatasetTransformerEngine,
    )

__all__ = [
    "Annotations",
    "AuthRole",
    "BatchSize",
    "Blob",
    "BlobMetadata",
    "BlobType",
    "Cache",
    "CachePolicy",
    "Checkpoint",
    "ConcurrencyLimitBehavior",
    "ConcurrencyPolicy",
    "Config",
    "ContainerTask",
    "CronSchedule",
    "Deck",
    "Description",
    "Documentation",
    "Email",
    "Environment",
    "ExecutionParameters",
    "FixedRate",
    "FlyteAnnotation",
    "FlyteContext",
    "FlyteContextManager",
    "FlyteDirectory",
    "FlyteFile",
    "HashMethod",
    "IgnoreOutputs",
    "ImageConfig",
    "ImageSpec",
    "Labels",
    "LaunchPlan",
    "LaunchPlanReference",
    "Literal",
    "LiteralType",
    "Options",
    "PagerDuty",
    "PodTemplate",
    "PythonFunctionTask",
    "PythonInstanceTask",
    "Resources",
    "SQLTask",
    "Scalar",
    "Secret",
    "SecretsManager",
    "SecurityContext",
    "SerializationSettings",
    "Slack",
    "SourceCode",
    "StructuredDataset",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "TaskMetadata",
    "TaskReference",
    "TypeEngine",
    "TypeTransformer",
    "VersionParameters",
    "Workflow",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
    "WorkflowReference",
    "__version__",
    "approve",
    "conditional",
    "create_node",
    "current_context",
    "dynamic",
    "eager",
    "get_reference_entity",
    "kwtypes",
    "lazy_module",
    "logger",
    "map_task",
    "reference_launch_plan",
    "reference_task",
    "reference_workflow",
    "sleep",
    "task",
    "wait_for_input",
    "workflow",
]
