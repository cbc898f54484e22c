"""flytekit's `flytekit.configuration.file` path: config-file entries and the config-file reader (re-exports)."""

from flytelite._config_reader import (
    ConfigEntry,
    ConfigFile,
    LegacyConfigEntry,
    YamlConfigEntry,
    read_file_if_exists,
    set_if_exists,
)
from flytelite._config_reader import load_config_file as get_config_file

__all__ = [
    "ConfigEntry",
    "ConfigFile",
    "LegacyConfigEntry",
    "YamlConfigEntry",
    "get_config_file",
    "read_file_if_exists",
    "set_if_exists",
]
