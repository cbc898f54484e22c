"""Every public name flytekit 1.16 exports (at its top level and at the paths users import) exists in flytelite.

`NOT_PROVIDED` lists what flytelite deliberately leaves out, each with the reason; keep it short.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

flytekit = pytest.importorskip("flytekit")

NOT_PROVIDED: dict[str, str] = {
    "FlyteRemote": "the remote client (admin API) is out of scope; use flytekit's remote to talk to a cluster",
    "SensorEngine": "sensors run in Flyte's connector service; flytelite runs them locally by polling",
    "load_implicit_plugins": "flytelite discovers no plugins on import (STYLE.md 9)",
    "LOGGING_RICH_FMT_ENV_VAR": "flytelite configures no logging on import (STYLE.md 9)",
    "entry_points": "importlib.metadata.entry_points re-exported by accident in flytekit",
    "Generator": "typing.Generator re-exported by accident in flytekit",
    "new_context": "flytekit's internal context helper; use FlyteContextManager.with_context",
    "Artifact": "artifacts need Flyte's artifact service, which flytelite does not talk to",
}


def _flytekit_public_names() -> list[str]:
    names = []
    for name in dir(flytekit):
        if name.startswith("_") or inspect.ismodule(getattr(flytekit, name)):
            continue
        names.append(name)
    return sorted(names)


@pytest.mark.parametrize("name", _flytekit_public_names())
def test_top_level_name(name: str) -> None:
    if name in NOT_PROVIDED:
        pytest.skip(NOT_PROVIDED[name])
    import flytelite

    assert getattr(flytelite, name, None) is not None, f"flytelite does not export {name!r} at its top level"


PATHS: dict[str, list[str]] = {
    "flytelite.image_spec": ["ImageSpec"],
    "flytelite.image_spec.image_spec": ["ImageSpec", "ImageBuildEngine", "ImageSpecBuilder"],
    "flytelite.core.schedule": ["CronSchedule", "FixedRate"],
    "flytelite.core.notification": ["Email", "PagerDuty", "Slack"],
    "flytelite.models.core.execution": ["WorkflowExecutionPhase"],
    "flytelite.core.gate": ["sleep", "wait_for_input", "approve", "Gate"],
    "flytelite.core.reference_entity": ["ReferenceEntity", "TaskReference", "LaunchPlanReference", "WorkflowReference"],
    "flytelite.core.reference": ["get_reference_entity"],
    "flytelite.core.task": ["task", "Echo", "ReferenceTask", "reference_task"],
    "flytelite.core.python_function_task": ["PythonFunctionTask", "PythonInstanceTask"],
    "flytelite.core.checkpointer": ["Checkpoint", "SyncCheckpoint"],
    "flytelite.core.node_creation": ["create_node"],
    "flytelite.core.type_engine": ["BatchSize", "HashMethod", "TypeEngine"],
    "flytelite.exceptions.eager": ["EagerException"],
    "flytelite.exceptions.base": ["FlyteException", "FlyteRecoverableException"],
    "flytelite.exceptions.user": [
        "FlyteAssertion",
        "FlyteCompilationException",
        "FlyteDisapprovalException",
        "FlyteEntityNotExistException",
        "FlyteFailureNodeInputMismatchException",
        "FlyteRecoverableException",
        "FlyteTimeout",
        "FlyteTypeException",
        "FlyteUserException",
        "FlyteUserRuntimeException",
        "FlyteValidationException",
        "FlyteValueException",
    ],
    "flytelite.exceptions.system": [
        "FlyteDownloadDataException",
        "FlyteEntrypointNotLoadable",
        "FlyteNonRecoverableSystemException",
        "FlyteSystemException",
        "FlyteUploadDataException",
    ],
    "flytelite.types.error": ["FlyteError"],
    "flytelite.types.error.error": ["FlyteError"],
    "flytelite.sensor": ["BaseSensor", "FileSensor"],
    "flytelite.sensor.file_sensor": ["FileSensor"],
    "flytelite.core.dynamic_workflow_task": ["dynamic"],
    "flytelite.core.array_node": ["ArrayNode", "array_node"],
    "flytelite.core.array_node_map_task": ["ArrayNodeMapTask", "map_task"],
    "flytelite.core.base_task": ["IgnoreOutputs", "PythonTask", "Task", "TaskMetadata", "TaskResolverMixin", "kwtypes"],
    "flytelite.core.base_sql_task": ["SQLTask"],
    "flytelite.core.python_auto_container": [
        "DefaultTaskResolver",
        "PythonAutoContainerTask",
        "default_task_resolver",
    ],
    "flytelite.core.context_manager": [
        "CompilationState",
        "ExecutionParameters",
        "ExecutionState",
        "FlyteContext",
        "FlyteContextManager",
        "SecretsManager",
    ],
    "flytelite.core.workflow": [
        "ImperativeWorkflow",
        "PythonFunctionWorkflow",
        "WorkflowBase",
        "WorkflowFailurePolicy",
        "WorkflowMetadata",
        "WorkflowMetadataDefaults",
        "workflow",
    ],
    "flytelite.core.interface": [
        "Interface",
        "transform_function_to_interface",
        "transform_interface_to_typed_interface",
    ],
    "flytelite.core.promise": ["NodeOutput", "Promise", "VoidPromise"],
    "flytelite.core.condition": ["conditional"],
    "flytelite.core.launch_plan": ["LaunchPlan", "ReferenceLaunchPlan", "reference_launch_plan"],
    "flytelite.core.tracker": ["TrackedInstance", "extract_task_module"],
    "flytelite.core.data_persistence": ["FileAccessProvider", "default_local_file_access_provider", "flyte_tmp_dir"],
    "flytelite.core.utils": [
        "AutoDeletingTempDir",
        "ClassDecorator",
        "has_return_statement",
        "load_proto_from_file",
        "str2bool",
        "timeit",
        "write_proto_to_file",
    ],
    "flytelite.core.testing": ["patch", "task_mock"],
    "flytelite.lazy_import.lazy_module": ["is_imported", "lazy_module"],
    "flytelite.constants": ["CopyFileDetection"],
    "flytelite.core.constants": [
        "CACHE_KEY_METADATA",
        "DEFAULT_FAILURE_NODE_ID",
        "END_NODE_ID",
        "ERROR_FILE_NAME",
        "FLYTE_FAIL_ON_ERROR",
        "FUTURES_FILE_NAME",
        "INPUT_FILE_NAME",
        "MESSAGEPACK",
        "OUTPUT_FILE_NAME",
        "START_NODE_ID",
    ],
    "flytelite.configuration.default_images": ["DefaultImages", "PythonVersion"],
    "flytelite.configuration.plugin": ["FlytekitPlugin", "FlytekitPluginProtocol", "get_plugin"],
    "flytelite.configuration.file": [
        "ConfigEntry",
        "ConfigFile",
        "LegacyConfigEntry",
        "YamlConfigEntry",
        "get_config_file",
        "read_file_if_exists",
        "set_if_exists",
    ],
    "flytelite.types.structured.structured_dataset": [
        "CSV",
        "GENERIC_FORMAT",
        "GENERIC_PROTOCOL",
        "MESSAGEPACK",
        "PARQUET",
        "DuplicateHandlerError",
        "StructuredDataset",
        "StructuredDatasetDecoder",
        "StructuredDatasetEncoder",
        "StructuredDatasetTransformerEngine",
        "get_supported_types",
    ],
    "flytelite.extend.backend.base_connector": [
        "AsyncConnectorBase",
        "AsyncConnectorExecutorMixin",
        "ConnectorBase",
        "ConnectorRegistry",
        "Resource",
        "ResourceMeta",
        "SyncConnectorBase",
        "SyncConnectorExecutorMixin",
        "TaskCategory",
    ],
    "flytelite.extend.backend.base_agent": [
        "AgentBase",
        "AgentRegistry",
        "AsyncAgentBase",
        "AsyncAgentExecutorMixin",
        "Resource",
        "ResourceMeta",
        "SyncAgentBase",
        "SyncAgentExecutorMixin",
        "TaskCategory",
    ],
    "flytelite.extend.backend.utils": [
        "convert_to_flyte_phase",
        "get_agent_secret",
        "get_connector_secret",
        "is_terminal_phase",
        "mirror_async_methods",
        "render_task_template",
    ],
    "flytelite.core.resources": ["Resources"],
    "flytelite.configuration": [
        "DefaultImages",
        "FastSerializationSettings",
        "Image",
        "ImageConfig",
        "SerializationSettings",
        "read_file_if_exists",
        "set_if_exists",
    ],
    "flytelite.types.file": ["FlyteFile"],
    "flytelite.types.directory": ["FlyteDirectory"],
    "flytelite.types.structured": ["StructuredDataset", "StructuredDatasetTransformerEngine"],
    "flytelite.types.pickle": ["FlytePickle"],
    "flytelite.types.iterator": ["FlyteIterator", "JSON"],
    "flytelite.types.iterator.iterator": ["FlyteIterator", "IteratorTransformer"],
    "flytelite.types.iterator.json_iterator": ["JSON", "JSONIterator", "JSONIteratorTransformer"],
    "flytelite.types.schema": ["FlyteSchema"],
    "flytelite.models.literals": ["Literal", "LiteralCollection", "LiteralMap", "Primitive", "Scalar"],
    "flytelite.models.types": ["LiteralType", "SimpleType"],
    "flytelite.models.interface": ["TypedInterface", "Variable"],
    "flytelite.models.core.identifier": ["Identifier", "ResourceType"],
    "flytelite.extras.sqlite3.task": ["SQLite3Config", "SQLite3Task"],
    "flytelite.extras.tasks.shell": ["OutputLocation", "RawShellTask", "ShellTask"],
    "flytelite.testing": ["SecretsManager", "patch", "task_mock"],
    "flytelite.sensor.base_sensor": ["BaseSensor"],
    "flytelite.loggers": ["logger"],
}


@pytest.mark.parametrize(("module", "names"), sorted(PATHS.items()))
def test_import_path(module: str, names: list[str]) -> None:
    mod = importlib.import_module(module)
    missing = [n for n in names if not hasattr(mod, n)]
    assert not missing, f"{module} lacks {missing}"
    # the same names exist at flytekit's path (so this list only holds real flytekit import paths)
    kit = importlib.import_module(module.replace("flytelite", "flytekit", 1))
    assert [n for n in names if not hasattr(kit, n)] == []
