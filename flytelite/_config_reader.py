"""flytekit's config-file reader: settings from environment variables, an INI file or flytectl's YAML file.

A `ConfigEntry` names one setting: its INI entry `[section] option` (also read from the environment variable
`FLYTE_<SECTION>_<OPTION>`), its YAML path, and how a read value is converted. `load_config_file` finds the file;
`read_config` reads a table of entries. The `Config` classes built from them live in `flytelite.config_files`, which
re-exports these names (and `flytelite.configuration` re-exports them at flytekit's `flytekit.configuration` path).
"""

from __future__ import annotations

import configparser
import dataclasses
import os
import pathlib
from collections.abc import Callable
from typing import Any

from flytelite.errors import FlyteAssertion
from flytelite.loggers import get_logger

__all__ = [
    "ConfigEntry",
    "ConfigFile",
    "LegacyConfigEntry",
    "YamlConfigEntry",
    "config_entry",
    "load_config_file",
    "read_config",
    "read_file_if_exists",
    "set_if_exists",
]

logger = get_logger("flytelite.configuration")

_CONFIG_ENV_VAR = "FLYTECTL_CONFIG"
_CONFIG_ENV_VAR_OVERRIDE = "_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE"


def _exists(value: Any) -> bool:
    """Tell whether a read value counts as set (flytekit's rule: any bool, else a truthy non-None value)."""
    return isinstance(value, bool) or bool(value is not None and value)


def set_if_exists(d: dict[str, Any], k: str, v: Any) -> dict[str, Any]:
    """Set `d[k] = v` when `v` counts as set; return `d` (mutated)."""
    if _exists(v):
        d[k] = v
    return d


def read_file_if_exists(filename: str | None, encoding: str | None = None) -> str | None:
    """Return the text of `filename`, or None when no file name is given."""
    if not filename:
        return None
    return pathlib.Path(filename).read_text(encoding=encoding)


def _to_bool(value: Any) -> Any:
    if isinstance(value, str):
        return bool(value) and value.lower() not in ("false", "0", "off", "no")
    return value


def _to_list(value: Any) -> Any:
    return value.split(",") if isinstance(value, str) else value


def _to_int(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            logger.warning("Couldn't convert configuration setting %s into %s, leaving as is.", value, int)
    return value


_DEFAULT_TRANSFORMS: dict[type, Callable[[Any], Any]] = {bool: _to_bool, list: _to_list, int: _to_int}


class ConfigFile:
    """A parsed config file: INI (`legacy_config`) or, for `.yaml`/`.yml` names, YAML (`yaml_config`).

    Attributes:
        location: the file's path.
        legacy_config: the parsed INI file (None for a YAML file).
        yaml_config: the parsed YAML mapping (None for an INI file, or when it could not be read).

    Raises:
        FlyteAssertion: an INI file has an `[internal]` section.
    """

    def __init__(self, location: str) -> None:
        self.location: str = location
        self.legacy_config: configparser.ConfigParser | None = None
        self.yaml_config: dict[str, Any] | None = None
        if location.endswith(("yaml", "yml")):
            self.yaml_config = self._read_yaml(location)
        else:
            parser = configparser.ConfigParser()
            parser.read(location)
            if parser.has_section("internal"):
                raise FlyteAssertion(
                    f"The config file '{location}' cannot contain a section for internal only configurations."
                )
            self.legacy_config = parser

    @staticmethod
    def _read_yaml(location: str) -> dict[str, Any] | None:
        try:
            import yaml  # optional: YAML config files need PyYAML
        except ImportError:
            logger.warning("PyYAML is not installed: ignoring the YAML config file %s", location)
            return None
        with open(location, encoding="utf-8") as fh:
            try:
                data = yaml.safe_load(fh)
            except yaml.YAMLError as exc:
                logger.warning("Error %s reading yaml config file at %s, ignoring...", exc, location)
                return None
        return data if isinstance(data, dict) else None

    def get(self, entry: LegacyConfigEntry | YamlConfigEntry) -> Any:
        """Return the raw value of `entry` in this file.

        Raises:
            configparser.Error: an INI entry whose section or option is missing.
            KeyError: a YAML entry asked of a file that is not YAML.
        """
        if isinstance(entry, LegacyConfigEntry) and self.legacy_config is not None:
            return self._get_legacy(self.legacy_config, entry)
        if isinstance(entry, YamlConfigEntry) and self.yaml_config:
            node: Any = self.yaml_config
            for key in entry.switch.split("."):
                if not isinstance(node, dict) or key not in node:
                    return None
                node = node[key]
            return node
        raise KeyError(f"{entry} cannot be read from {self.location}")

    @staticmethod
    def _get_legacy(parser: configparser.ConfigParser, entry: LegacyConfigEntry) -> Any:
        if issubclass(entry.type_, bool):
            return parser.getboolean(entry.section, entry.option)
        if issubclass(entry.type_, int):
            return parser.getint(entry.section, entry.option)
        value = parser.get(entry.section, entry.option)
        return value.split(",") if issubclass(entry.type_, list) else value


@dataclasses.dataclass(frozen=True)
class LegacyConfigEntry:
    """An INI entry `[section] option`, also read from the variable `FLYTE_<SECTION>_<OPTION>`."""

    section: str
    option: str
    type_: type = str

    def get_env_name(self) -> str:
        """Return the environment variable of this entry."""
        return f"FLYTE_{self.section.upper()}_{self.option.upper()}"

    def read_from_env(self, transform: Callable[[Any], Any] | None = None) -> Any:
        """Return the (transformed) value of the environment variable, or None when it is not set."""
        value = os.environ.get(self.get_env_name())
        if value is None:
            return None
        return transform(value) if transform else value

    def read_from_file(self, cfg: ConfigFile | None, transform: Callable[[Any], Any] | None = None) -> Any:
        """Return the (transformed) value in an INI file, or None when it is missing."""
        if not cfg:
            return None
        try:
            value = cfg.get(self)
        except configparser.Error:
            return None
        return transform(value) if transform else value


@dataclasses.dataclass(frozen=True)
class YamlConfigEntry:
    """A flytectl YAML entry named by its dotted path (`admin.endpoint`)."""

    switch: str
    config_value_type: type = str

    def read_from_file(self, cfg: ConfigFile | None, transform: Callable[[Any], Any] | None = None) -> Any:
        """Return the (transformed) value in a YAML file, or None when it is missing or empty."""
        if not cfg:
            return None
        try:
            value = cfg.get(self)
        except Exception:  # flytekit ignores any unreadable YAML entry
            return None
        if not _exists(value):
            return None
        return transform(value) if transform else value


@dataclasses.dataclass(frozen=True)
class ConfigEntry:
    """One setting: its INI entry (and environment variable), its YAML entry, and how a read value is converted."""

    legacy: LegacyConfigEntry
    yaml_entry: YamlConfigEntry | None = None
    transform: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if self.transform is None and self.legacy.type_ in _DEFAULT_TRANSFORMS:
            object.__setattr__(self, "transform", _DEFAULT_TRANSFORMS[self.legacy.type_])

    def read(self, cfg: ConfigFile | None = None) -> Any:
        """Return the value from the environment, else the INI file, else the YAML file (None when unset)."""
        from_env = self.legacy.read_from_env(self.transform)
        if from_env is not None:
            return from_env
        if cfg is not None and cfg.legacy_config is not None:
            return self.legacy.read_from_file(cfg, self.transform)
        if cfg is not None and cfg.yaml_config and self.yaml_entry is not None:
            return self.yaml_entry.read_from_file(cfg, self.transform)
        return None


def config_entry(section: str, option: str, type_: type = str, yaml: str | None = None, **kw: Any) -> ConfigEntry:
    """Return the setting `[section] option` (env var `FLYTE_<SECTION>_<OPTION>`), with its YAML path if any."""
    return ConfigEntry(LegacyConfigEntry(section, option, type_), YamlConfigEntry(yaml) if yaml else None, **kw)


def load_config_file(c: str | ConfigFile | None = None) -> ConfigFile | None:
    """Return `c` loaded as a `ConfigFile`, or the first config file found (flytekit's `get_config_file`).

    Without `c`: `$_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE`, then `$FLYTECTL_CONFIG` (if the file exists),
    `./flytekit.config`, `~/.flyte/config`, `~/.flyte/config.yaml`; None when there is none.
    """
    if isinstance(c, ConfigFile):
        return c
    if c is not None:
        return ConfigFile(os.fspath(c))
    from_env = os.environ.get(_CONFIG_ENV_VAR_OVERRIDE, os.environ.get(_CONFIG_ENV_VAR))
    if from_env:
        if pathlib.Path(from_env).exists():
            return ConfigFile(str(pathlib.Path(from_env).absolute()))
        logger.warning("flytectl config file %s does not exist, ignoring...", pathlib.Path(from_env).absolute())
    flyte_dir = pathlib.Path.home() / ".flyte"
    for candidate in (pathlib.Path("flytekit.config"), flyte_dir / "config", flyte_dir / "config.yaml"):
        if candidate.exists():
            return ConfigFile(str(candidate.absolute()))
    return None


def read_config(config_file: str | ConfigFile | None, fields: dict[str, ConfigEntry]) -> dict[str, Any]:
    """Return the value of each field that is set, by field name (`config_file` as in `load_config_file`)."""
    cfg = load_config_file(config_file)
    kwargs: dict[str, Any] = {}
    for name, entry in fields.items():
        set_if_exists(kwargs, name, entry.read(cfg))
    return kwargs
