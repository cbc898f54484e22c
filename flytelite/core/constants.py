"""Names and values of the container contract, at flytekit's `flytekit.core.constants` path.

The file names the entrypoint reads and writes, the node ids of the compiled graph, the literal metadata keys and the
environment variables flytekit's plugins (connectors, eager tasks) look up. This module imports nothing, so every
layer may use it.
"""

from __future__ import annotations

__all__ = [
    "CACHE_KEY_METADATA",
    "CONTAINER_ARRAY_TASK",
    "DEFAULT_FAILURE_NODE_ID",
    "EAGER_ROOT_ENV_NAME",
    "EAGER_TAG_KEY",
    "EAGER_TAG_ROOT_KEY",
    "END_NODE_ID",
    "ERROR_FILE_NAME",
    "FLYTE_FAIL_ON_ERROR",
    "FLYTE_INTERNAL_IMAGE_ENV_VAR",
    "FLYTE_USE_OLD_DC_FORMAT",
    "FUTURES_FILE_NAME",
    "GLOBAL_INPUT_NODE_ID",
    "INPUT_FILE_NAME",
    "MESSAGEPACK",
    "OUTPUT_FILE_NAME",
    "REQUIREMENTS_FILE_NAME",
    "RUNTIME_PACKAGES_ENV_NAME",
    "SERIALIZATION_FORMAT",
    "SHARED_MEMORY_MOUNT_NAME",
    "SHARED_MEMORY_MOUNT_PATH",
    "SOURCE_CODE",
    "START_NODE_ID",
]

# Files of one task attempt under its output prefix.
INPUT_FILE_NAME = "inputs.pb"
OUTPUT_FILE_NAME = "outputs.pb"
FUTURES_FILE_NAME = "futures.pb"
ERROR_FILE_NAME = "error.pb"
REQUIREMENTS_FILE_NAME = "requirements.txt"
SOURCE_CODE = "source_code"

# Task type of a map task over a container task.
CONTAINER_ARRAY_TASK = "container_array"

# Node ids of a compiled workflow: workflow inputs bind from the start node, outputs go to the end node.
GLOBAL_INPUT_NODE_ID = ""
START_NODE_ID = "start-node"
END_NODE_ID = "end-node"
DEFAULT_FAILURE_NODE_ID = "efn"

# Environment variables.
FLYTE_INTERNAL_IMAGE_ENV_VAR = "FLYTE_INTERNAL_IMAGE"
FLYTE_USE_OLD_DC_FORMAT = "FLYTE_USE_OLD_DC_FORMAT"
FLYTE_FAIL_ON_ERROR = "FLYTE_FAIL_ON_ERROR"
EAGER_ROOT_ENV_NAME = "_F_EE_ROOT"
RUNTIME_PACKAGES_ENV_NAME = "_F_RUNTIME_PACKAGES"

# Literal metadata: the msgpack binary tag, the cache-key annotation key, the dataclass serialization format key.
MESSAGEPACK = "msgpack"
CACHE_KEY_METADATA = "cache-key-metadata"
SERIALIZATION_FORMAT = "serialization-format"

# Execution tags of eager workflows.
EAGER_TAG_KEY = "eager-exec"
EAGER_TAG_ROOT_KEY = "eager-root-exec"

# The shared-memory volume `Resources(shm=...)` mounts.
SHARED_MEMORY_MOUNT_NAME = "flyte-shared-memory"
SHARED_MEMORY_MOUNT_PATH = "/dev/shm"
