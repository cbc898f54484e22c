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
    # tasks
    "task": "flytelite.core.task",
    "PythonFunctionTask": "flytelite.core.python_function_task",
    "PythonInstanceTask": "flytelite.core.python_function_task",
    "TaskMetadata": "flytelite.core.base_task",
    "IgnoreOutputs": "flytelite.core.base_task",
    "SQLTask": "flytelite.core.base_sql_task",
    "kwtypes": "flytelite.core.interface",
    "Resources": "flytelite.core.resources",
    "Secret": "flytelite.models.security",
    "current_context": "flytelite.core.context_manager",
    "ExecutionParameters": "flytelite.core.context_manager",
    "SecretsManager": "flytelite.core.context_manager",
    "ImageConfig": "flytelite.configuration",
    "SerializationSettings": "flytelite.configuration",
    # workflows and graph constructs
    "workflow": "flytelite.core.workflow",
    "Workflow": "flytelite.core.workflow",
    "WorkflowFailurePolicy": "flytelite.core.workflow",
    "dynamic": "flytelite.core.dynamic",
    "map_task": "flytelite.core.map_task",
    "conditional": "flytelite.core.condition",
    "LaunchPlan": "flytelite.core.launch_plan",
    "create_node": "flytelite.core.node_creation",
    # type engine and wire types
    "TypeEngine": "flytelite.core.type_engine",
    "TypeTransformer": "flytelite.core.type_engine",
    "HashMethod": "flytelite.core.type_engine",
    "FlyteAnnotation": "flytelite.core.type_engine",
    "BatchSize": "flytelite.core.type_engine",
    "Literal": "flytelite.models.literals",
    "Scalar": "flytelite.models.literals",
    "Blob": "flytelite.models.literals",
    "BlobMetadata": "flytelite.models.literals",
    "LiteralType": "flytelite.models.types",
    "BlobType": "flytelite.models.types",
    "StructuredDatasetType": "flytelite.models.types",
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
    from flytelite.configuration import ImageConfig, SerializationSettings
    from flytelite.core.base_sql_task import SQLTask
    from flytelite.core.base_task import IgnoreOutputs, TaskMetadata
    from flytelite.core.condition import conditional
    from flytelite.core.context_manager import ExecutionParameters, SecretsManager, current_context
    from flytelite.core.dynamic import dynamic
    from flytelite.core.interface import kwtypes
    from flytelite.core.launch_plan import LaunchPlan
    from flytelite.core.map_task import map_task
    from flytelite.core.node_creation import create_node
    from flytelite.core.python_function_task import PythonFunctionTask, PythonInstanceTask
    from flytelite.core.resources import Resources
    from flytelite.core.task import task
    from flytelite.core.type_engine import BatchSize, FlyteAnnotation, HashMethod, TypeEngine, TypeTransformer
    from flytelite.core.workflow import ImperativeWorkflow as Workflow
    from flytelite.core.workflow import WorkflowFailurePolicy, workflow
    from flytelite.models.literals import Blob, BlobMetadata, Literal, Scalar
    from flytelite.models.security import Secret
    from flytelite.models.types import BlobType, LiteralType, StructuredDatasetType

__all__ = [
    "BatchSize",
    "Blob",
    "BlobMetadata",
    "BlobType",
    "ExecutionParameters",
    "FlyteAnnotation",
    "FlyteContext",
    "FlyteContextManager",
    "HashMethod",
    "IgnoreOutputs",
    "ImageConfig",
    "LaunchPlan",
    "Literal",
    "LiteralType",
    "PythonFunctionTask",
    "PythonInstanceTask",
    "Resources",
    "SQLTask",
    "Scalar",
    "Secret",
    "SecretsManager",
    "SerializationSettings",
    "StructuredDatasetType",
    "TaskMetadata",
    "TypeEngine",
    "TypeTransformer",
    "Workflow",
    "WorkflowFailurePolicy",
    "__version__",
    "conditional",
    "create_node",
    "current_context",
    "dynamic",
    "kwtypes",
    "map_task",
    "task",
    "workflow",
]
