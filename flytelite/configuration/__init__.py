"""Settings used when entities are serialized for registration, and their transport to the container.

`SerializationSettings` says which images, project, domain and version entities are serialized with. A copy of it
travels to the container in the environment variable `_F_SS_C` (`with_serialized_context()`): base64 of a gzip
(mtime 0) of its JSON, with flytekit's field names, so flytekit and flytelite read each other's value.

The package also holds flytekit's submodules: `default_images` (`DefaultImages`), `plugin` (the configuration plugin
an installed package may provide) and `file` (config-file entries); the client configuration (`Config`, ...) lives in
`flytelite.config_files` and is re-exported here on first access.

Every class and function is re-exported on first access too (the settings and images from `_settings`): a local run
imports this package only for `plugin`, and should not pay for the settings' dataclasses, `configparser` and `gzip`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "DEFAULT_FLYTEKIT_ENTRYPOINT_FILELOC",
    "DEFAULT_IMAGE_NAME",
    "DEFAULT_IN_CONTAINER_SRC_PATH",
    "DEFAULT_RUNTIME_PYTHON_INTERPRETER",
    "DOMAIN_PLACEHOLDER",
    "FLYTECTL_CONFIG_ENV_VAR",
    "FLYTECTL_CONFIG_ENV_VAR_OVERRIDE",
    "PROJECT_PLACEHOLDER",
    "SERIALIZED_CONTEXT_ENV_VAR",
    "VERSION_PLACEHOLDER",
    "EntrypointSettings",
    "FastSerializationSettings",
    "Image",
    "ImageConfig",
    "LocalConfig",
    "SerializationSettings",
    "get_config_file",
    "read_config_images",
]

DEFAULT_RUNTIME_PYTHON_INTERPRETER = "/opt/venv/bin/python3"
DEFAULT_ENTRYPOINT_FILELOC = "bin/entrypoint.py"
DEFAULT_FLYTEKIT_ENTRYPOINT_FILELOC = DEFAULT_ENTRYPOINT_FILELOC  # flytekit's name
PROJECT_PLACEHOLDER = "{{ registration.project }}"
DOMAIN_PLACEHOLDER = "{{ registration.domain }}"
VERSION_PLACEHOLDER = "{{ registration.version }}"
DEFAULT_IMAGE_NAME = "default"
DEFAULT_IN_CONTAINER_SRC_PATH = "/root"
SERIALIZED_CONTEXT_ENV_VAR = "_F_SS_C"
FLYTECTL_CONFIG_ENV_VAR = "FLYTECTL_CONFIG"
FLYTECTL_CONFIG_ENV_VAR_OVERRIDE = "_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE"


# flytekit's client configuration (`Config`, `PlatformConfig`, `DataConfig`, …) lives in its own L0 module, re-exported
# here at flytekit's `flytekit.configuration` path. It is imported on first access: a task container reads only the
# serialization settings, and the client configuration's dozen dataclasses cost ~10 ms to build.
_N_OWN_NAMES = len(__all__)
__all__ += [
    "AuthType",
    "AzureBlobStorageConfig",
    "Config",
    "ConfigEntry",
    "ConfigFile",
    "DataConfig",
    "GCSConfig",
    "GenericPersistenceConfig",
    "PlatformConfig",
    "S3Config",
    "SecretsConfig",
    "StatsConfig",
    "TaskConfig",
]
_SETTINGS_NAMES = (
    "EntrypointSettings",
    "FastSerializationSettings",
    "Image",
    "ImageConfig",
    "LocalConfig",
    "SerializationSettings",
    "get_config_file",
    "read_config_images",
)
# The client configuration's names above live in `config_files`; the others in the module named (all loaded on first
# access).
_LAZY_HOMES = {
    **dict.fromkeys(_SETTINGS_NAMES, "flytelite.configuration._settings"),
    "_yaml_images_block": "flytelite.configuration._settings",  # private; a test compares it with PyYAML
    "DefaultImages": "flytelite.configuration.default_images",
    "read_file_if_exists": "flytelite._config_reader",
    "set_if_exists": "flytelite._config_reader",
}
__all__ += ["DefaultImages", "read_file_if_exists", "set_if_exists"]  # the keys of _LAZY_HOMES not listed above
_CONFIG_FILES_NAMES = frozenset(__all__[_N_OWN_NAMES:]) - frozenset(_LAZY_HOMES)


def __getattr__(name: str) -> Any:
    if name in _CONFIG_FILES_NAMES:
        home = "flytelite.config_files"
    elif name in _LAZY_HOMES:
        home = _LAZY_HOMES[name]
    else:
        raise AttributeError(f"module 'flytelite.configuration' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from flytelite._config_reader import read_file_if_exists, set_if_exists
    from flytelite.config_files import (
        AuthType,
        AzureBlobStorageConfig,
        Config,
        ConfigEntry,
        ConfigFile,
        DataConfig,
        GCSConfig,
        GenericPersistenceConfig,
        PlatformConfig,
        S3Config,
        SecretsConfig,
        StatsConfig,
        TaskConfig,
    )
    from flytelite.configuration._settings import (
        EntrypointSettings,
        FastSerializationSettings,
        Image,
        ImageConfig,
        LocalConfig,
        SerializationSettings,
        get_config_file,
        read_config_images,
    )
    from flytelite.configuration.default_images import DefaultImages
