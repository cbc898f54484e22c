"""flytekit's client configuration: `Config` and its parts, read from the environment and the config file.

```python
cfg = Config.auto()                      # env vars, then ~/.flyte/config.yaml (or flytekit.config), then defaults
cfg = Config.for_sandbox()               # the local Flyte sandbox (localhost:30080, MinIO on :30002)
cfg = Config.for_endpoint("flyte.example.com", data_config=DataConfig(s3=S3Config(endpoint="http://minio:9000")))
```

Each setting is read, as flytekit does, first from its environment variable `FLYTE_<SECTION>_<OPTION>` (for
example `FLYTE_PLATFORM_URL`, `FLYTE_AWS_ENDPOINT`, `FLYTE_CREDENTIALS_CLIENT_ID`), then from the config file: an
INI file (`[platform] url = ...`) or flytectl's YAML file (`admin.endpoint`, `storage.connection.endpoint`, …).
YAML files are read only when PyYAML is installed (imported on first use); without it a YAML file is ignored with
a warning. The file is the one given, else `$FLYTECTL_CONFIG`, `./flytekit.config`, `~/.flyte/config`,
`~/.flyte/config.yaml`. `DataConfig.fsspec_options()` turns the storage settings into the per-protocol options
`flytelite.storage.FileAccessProvider(data_config=...)` takes (it also accepts a `DataConfig` directly).
"""

from __future__ import annotations

import configparser
import dataclasses
import datetime
import enum
import logging
import os
import pathlib
import tempfile
from collections.abc import Callable
from typing import Any

from flytelite.errors import FlyteAssertion

__all__ = [
    "AuthType",
    "AzureBlobStorageConfig",
    "Config",
    "ConfigEntry",
    "ConfigFile",
    "DataConfig",
    "GCSConfig",
    "GenericPersistenceConfig",
    "LegacyConfigEntry",
    "PlatformConfig",
    "S3Config",
    "SecretsConfig",
    "StatsConfig",
    "TaskConfig",
    "YamlConfigEntry",
    "load_config_file",
    "read_file_if_exists",
    "set_if_exists",
]

logger = logging.getLogger("flytelite.configuration")

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

    Raises:
        FlyteAssertion: an INI file has an `[internal]` section.
    """

    def __init__(self, location: str) -> None:
        self._location = location
        self._legacy_config: configparser.ConfigParser | None = None
        self._yaml_config: dict[str, Any] | None = None
        if location.endswith(("yaml", "yml")):
            self._yaml_config = self._read_yaml(location)
        else:
            parser = configparser.ConfigParser()
            parser.read(location)
            if parser.has_section("internal"):
                raise FlyteAssertion(
                    f"The config file '{location}' cannot contain a section for internal only configurations."
                )
            self._legacy_config = parser

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

    @property
    def location(self) -> str:
        """Return the file's path."""
        return self._location

    @property
    def legacy_config(self) -> configparser.ConfigParser | None:
        """Return the parsed INI file (None for a YAML file)."""
        return self._legacy_config

    @property
    def yaml_config(self) -> dict[str, Any] | None:
        """Return the parsed YAML mapping (None for an INI file, or when it could not be read)."""
        return self._yaml_config

    def get(self, entry: LegacyConfigEntry | YamlConfigEntry) -> Any:
        """Return the raw value of `entry` in this file.

        Raises:
            configparser.Error: an INI entry whose section or option is missing.
            KeyError: a YAML entry asked of a file that is not YAML.
        """
        if isinstance(entry, LegacyConfigEntry) and self._legacy_config is not None:
            return self._get_legacy(self._legacy_config, entry)
        if isinstance(entry, YamlConfigEntry) and self._yaml_config:
            node: Any = self._yaml_config
            for key in entry.switch.split("."):
                if not isinstance(node, dict) or key not in node:
                    return None
                node = node[key]
            return node
        raise KeyError(f"{entry} cannot be read from {self._location}")

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


def _entry(section: str, option: str, type_: type = str, yaml: str | None = None, **kw: Any) -> ConfigEntry:
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


def _read(config_file: str | ConfigFile | None, fields: dict[str, ConfigEntry]) -> dict[str, Any]:
    cfg = load_config_file(config_file)
    kwargs: dict[str, Any] = {}
    for name, entry in fields.items():
        set_if_exists(kwargs, name, entry.read(cfg))
    return kwargs


class AuthType(enum.Enum):
    """How the client authenticates with Flyte Admin."""

    STANDARD = "standard"
    BASIC = "basic"
    CLIENT_CREDENTIALS = "client_credentials"
    EXTERNAL_PROCESS = "external_process"
    CLIENTSECRET = "ClientSecret"
    PKCE = "Pkce"
    EXTERNALCOMMAND = "ExternalCommand"
    DEVICEFLOW = "DeviceFlow"


_PLATFORM = "platform"
_CREDENTIALS = "credentials"
_PLATFORM_FIELDS = {
    "insecure": _entry(_PLATFORM, "insecure", bool, "admin.insecure"),
    "insecure_skip_verify": _entry(_PLATFORM, "insecure_skip_verify", bool, "admin.insecureSkipVerify"),
    "ca_cert_file_path": _entry(_PLATFORM, "ca_cert_file_path", yaml="admin.caCertFilePath"),
    "command": _entry(_CREDENTIALS, "command", list, "admin.command"),
    "proxy_command": _entry(_CREDENTIALS, "proxy_command", list, "admin.proxyCommand"),
    "client_id": _entry(_CREDENTIALS, "client_id", yaml="admin.clientId"),
    "client_credentials_secret": _entry(_CREDENTIALS, "client_secret"),
    "audience": _entry(_CREDENTIALS, "audience", yaml="admin.audience"),
}
_PLATFORM_LATE_FIELDS = {
    "scopes": _entry(_CREDENTIALS, "scopes", list, "admin.scopes"),
    "auth_mode": _entry(_CREDENTIALS, "auth_mode", yaml="admin.authType"),
}
_PLATFORM_ENDPOINT_FIELDS = {
    "endpoint": _entry(_PLATFORM, "url", yaml="admin.endpoint", transform=lambda x: x.replace("dns:///", "")),
    "console_endpoint": _entry(_PLATFORM, "console_endpoint", yaml="console.endpoint"),
    "http_proxy_url": _entry(_PLATFORM, "http_proxy_url", yaml="admin.httpProxyURL"),
}
_SECRET_LOCATION = _entry(_CREDENTIALS, "client_secret_location", yaml="admin.clientSecretLocation")
_SECRET_ENV_VAR = _entry(_CREDENTIALS, "client_secret_env_var", yaml="admin.clientSecretEnvVar")


@dataclasses.dataclass(frozen=True)
class PlatformConfig:
    """How to reach and authenticate with a Flyte backend (Flyte Admin's address and credentials)."""

    endpoint: str = "localhost:30080"
    insecure: bool = False
    insecure_skip_verify: bool = False
    ca_cert_file_path: str | None = None
    console_endpoint: str | None = None
    command: list[str] | None = None
    proxy_command: list[str] | None = None
    client_id: str | None = None
    client_credentials_secret: str | None = None
    scopes: list[str] = dataclasses.field(default_factory=list)
    auth_mode: AuthType | str = AuthType.STANDARD
    audience: str | None = None
    rpc_retries: int = 3
    http_proxy_url: str | None = None

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> PlatformConfig:
        """Read the settings from the environment, then the config file.

        A client secret read from `client_secret_location` (a file, trailing newline removed) or from the variable
        named by `client_secret_env_var` sets `auth_mode` to `"ClientSecret"`, as in flytekit.
        """
        cfg = load_config_file(config_file)
        kwargs = _read(cfg, _PLATFORM_FIELDS)
        secret = read_file_if_exists(_SECRET_LOCATION.read(cfg))
        from_secret = bool(secret)
        if secret and secret.endswith("\n"):
            secret = secret.strip()
        set_if_exists(kwargs, "client_credentials_secret", secret)
        secret_env_var = _SECRET_ENV_VAR.read(cfg)
        if secret_env_var:
            secret = os.getenv(secret_env_var)
            from_secret = from_secret or bool(secret)
        set_if_exists(kwargs, "client_credentials_secret", secret)
        kwargs.update(_read(cfg, _PLATFORM_LATE_FIELDS))
        if from_secret:
            kwargs["auth_mode"] = AuthType.CLIENTSECRET.value
        kwargs.update(_read(cfg, _PLATFORM_ENDPOINT_FIELDS))
        return cls(**kwargs)

    @classmethod
    def for_endpoint(cls, endpoint: str, insecure: bool = False) -> PlatformConfig:
        """Return the default settings for another endpoint."""
        return cls(endpoint=endpoint, insecure=insecure)


# flytekit reads the statsd settings from the `secrets` section (FLYTE_SECRETS_HOST, …); kept for compatibility.
_STATS_FIELDS = {
    "host": _entry("secrets", "host"),
    "port": _entry("secrets", "port", int),
    "disabled": _entry("secrets", "disabled", bool),
    "disabled_tags": _entry("secrets", "disable_tags", bool),
}


@dataclasses.dataclass(frozen=True)
class StatsConfig:
    """Where statsd metrics go, and whether they are sent."""

    host: str = "localhost"
    port: int = 8125
    disabled: bool = False
    disabled_tags: bool = False

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> StatsConfig:
        """Read the settings from the environment, then the config file."""
        return cls(**_read(config_file, _STATS_FIELDS))


_SECRETS_FIELDS = {
    "env_prefix": _entry("secrets", "env_prefix"),
    "default_dir": _entry("secrets", "default_dir"),
    "file_prefix": _entry("secrets", "file_prefix"),
}


@dataclasses.dataclass(frozen=True)
class SecretsConfig:
    """Where a running task finds its secrets: environment variables `<env_prefix>…`, files under `default_dir`."""

    env_prefix: str = "_FSEC_"
    default_dir: str = os.path.join(os.sep, "etc", "secrets")
    file_prefix: str = ""

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> SecretsConfig:
        """Read the settings from the environment (`FLYTE_SECRETS_*`), then the config file."""
        return cls(**_read(config_file, _SECRETS_FIELDS))


_S3_FIELDS = {
    "enable_debug": _entry("aws", "enable_debug", bool),
    "endpoint": _entry("aws", "endpoint", yaml="storage.connection.endpoint"),
    "retries": _entry("aws", "retries", int),
    "backoff": _entry(
        "aws", "backoff_seconds", datetime.timedelta, transform=lambda x: datetime.timedelta(seconds=int(x))
    ),
    "access_key_id": _entry("aws", "access_key_id", yaml="storage.connection.access-key"),
    "secret_access_key": _entry("aws", "secret_access_key", yaml="storage.connection.secret-key"),
    "adressing_style": _entry("aws", "addressing_style", yaml="storage.connection.addressing-style"),
}


@dataclasses.dataclass(frozen=True)
class S3Config:
    """S3 (and S3-compatible: MinIO, moto) settings. `adressing_style` keeps flytekit's spelling."""

    enable_debug: bool = False
    endpoint: str | None = None
    retries: int = 3
    backoff: datetime.timedelta = datetime.timedelta(seconds=5)
    access_key_id: str | None = None
    secret_access_key: str | None = None
    adressing_style: str | None = None

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> S3Config:
        """Read the settings from the environment (`FLYTE_AWS_*`), then the config file."""
        return cls(**_read(config_file, _S3_FIELDS))

    def fsspec_options(self) -> dict[str, Any]:
        """Return the s3fs options these settings set (only those given)."""
        opts: dict[str, Any] = {}
        if self.access_key_id:
            opts["key"] = self.access_key_id
        if self.secret_access_key:
            opts["secret"] = self.secret_access_key
        if self.endpoint is not None:
            opts["client_kwargs"] = {"endpoint_url": self.endpoint}
            opts["cache_regions"] = False  # as flytelite.storage: a custom endpoint has no region routing
        if self.adressing_style:
            opts["config_kwargs"] = {"s3": {"addressing_style": "virtual"}}
        return opts


@dataclasses.dataclass(frozen=True)
class GCSConfig:
    """Google Cloud Storage settings."""

    gsutil_parallelism: bool = False

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> GCSConfig:
        """Read the settings from the environment (`FLYTE_GCP_*`), then the config file."""
        return cls(**_read(config_file, {"gsutil_parallelism": _entry("gcp", "gsutil_parallelism", bool)}))


@dataclasses.dataclass(frozen=True)
class GenericPersistenceConfig:
    """Storage settings of every provider."""

    attach_execution_metadata: bool = True

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> GenericPersistenceConfig:
        """Read the settings from the environment (`FLYTE_PERSISTENCE_*`), then the config file."""
        entry = _entry("persistence", "attach_execution_metadata", bool)
        return cls(**_read(config_file, {"attach_execution_metadata": entry}))


_AZURE_FIELDS = {
    "account_name": _entry("azure", "storage_account_name"),
    "account_key": _entry("azure", "storage_account_key"),
    "tenant_id": _entry("azure", "tenant_id"),
    "client_id": _entry("azure", "client_id"),
    "client_secret": _entry("azure", "client_secret"),
}


@dataclasses.dataclass(frozen=True)
class AzureBlobStorageConfig:
    """Azure Blob Storage (abfs) settings."""

    account_name: str | None = None
    account_key: str | None = None
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> AzureBlobStorageConfig:
        """Read the settings from the environment (`FLYTE_AZURE_*`), then the config file."""
        return cls(**_read(config_file, _AZURE_FIELDS))

    def fsspec_options(self) -> dict[str, Any]:
        """Return the adlfs options these settings set (only those given)."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v}


@dataclasses.dataclass(frozen=True)
class DataConfig:
    """Storage settings per provider (S3, GCS, Azure) and for all of them."""

    s3: S3Config = S3Config()
    gcs: GCSConfig = GCSConfig()
    azure: AzureBlobStorageConfig = AzureBlobStorageConfig()
    generic: GenericPersistenceConfig = GenericPersistenceConfig()

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> DataConfig:
        """Read every provider's settings from the environment, then the config file."""
        cfg = load_config_file(config_file)
        return cls(
            s3=S3Config.auto(cfg),
            gcs=GCSConfig.auto(cfg),
            azure=AzureBlobStorageConfig.auto(cfg),
            generic=GenericPersistenceConfig.auto(cfg),
        )

    def fsspec_options(self) -> dict[str, dict[str, Any]]:
        """Return the fsspec options these settings set, by protocol (what `FileAccessProvider` takes)."""
        s3, azure = self.s3.fsspec_options(), self.azure.fsspec_options()
        return {"s3": s3, "s3a": s3, "abfs": azure, "abfss": azure}


_TASK_FIELDS = {
    "project": _entry("local", "project", yaml="task.project"),
    "domain": _entry("local", "domain", yaml="task.domain"),
    "org": _entry("local", "org", yaml="task.org"),
}


@dataclasses.dataclass(frozen=True)
class TaskConfig:
    """The project, domain and organisation entities are registered under by default."""

    project: str | None = "flytesnacks"
    domain: str | None = "development"
    org: str | None = "None"

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> TaskConfig:
        """Read the settings from the environment (`FLYTE_LOCAL_*`), then the config file (`task.*` in YAML)."""
        return cls(**_read(config_file, _TASK_FIELDS))


_SANDBOX_DIR: list[str] = []


def _default_sandbox_path() -> str:
    """Return this process's scratch folder (created once, on first use; flytekit makes it at import)."""
    if not _SANDBOX_DIR:
        _SANDBOX_DIR.append(tempfile.mkdtemp(prefix="flyte"))
    return _SANDBOX_DIR[0]


@dataclasses.dataclass(frozen=True)
class Config:
    """All client settings: the backend (`platform`), secrets, statsd, storage, and the local scratch folder."""

    platform: PlatformConfig = PlatformConfig()
    secrets: SecretsConfig = SecretsConfig()
    stats: StatsConfig = StatsConfig()
    data_config: DataConfig = DataConfig()
    local_sandbox_path: str = dataclasses.field(default_factory=_default_sandbox_path)

    def with_params(
        self,
        platform: PlatformConfig | None = None,
        secrets: SecretsConfig | None = None,
        stats: StatsConfig | None = None,
        data_config: DataConfig | None = None,
        local_sandbox_path: str | None = None,
    ) -> Config:
        """Return a copy with the given parts replaced."""
        return Config(
            platform=platform or self.platform,
            secrets=secrets or self.secrets,
            stats=stats or self.stats,
            data_config=data_config or self.data_config,
            local_sandbox_path=local_sandbox_path or self.local_sandbox_path,
        )

    @classmethod
    def auto(cls, config_file: str | ConfigFile | None = None) -> Config:
        """Read every setting from the environment, then the config file, else use the defaults."""
        cfg = load_config_file(config_file)
        kwargs = _read(cfg, {"local_sandbox_path": _entry("sdk", "local_sandbox")})
        return cls(
            platform=PlatformConfig.auto(cfg),
            secrets=SecretsConfig.auto(cfg),
            stats=StatsConfig.auto(cfg),
            data_config=DataConfig.auto(cfg),
            **kwargs,
        )

    @classmethod
    def for_sandbox(cls) -> Config:
        """Return the settings of the local Flyte sandbox (Admin on localhost:30080, MinIO on localhost:30002)."""
        return cls(
            platform=PlatformConfig(endpoint="localhost:30080", auth_mode="Pkce", insecure=True),
            data_config=DataConfig(
                s3=S3Config(endpoint="http://localhost:30002", access_key_id="minio", secret_access_key="miniostorage")
            ),
        )

    @classmethod
    def for_endpoint(
        cls,
        endpoint: str,
        insecure: bool = False,
        data_config: DataConfig | None = None,
        config_file: str | ConfigFile | None = None,
    ) -> Config:
        """Return `Config.auto(config_file)` pointed at `endpoint` (and using `data_config` when given).

        With a `config_file`, its platform settings are kept and only the endpoint and `insecure` change;
        without one, the platform settings are the defaults for `endpoint`.
        """
        c = cls.auto(config_file)
        if config_file:
            platform = dataclasses.replace(c.platform, endpoint=endpoint, insecure=insecure)
        else:
            platform = PlatformConfig.for_endpoint(endpoint, insecure)
        return c.with_params(platform=platform, data_config=data_config)
