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

import dataclasses
import datetime
import enum
import os
import tempfile
from typing import Any

from flytelite._config_reader import (
    ConfigEntry,
    ConfigFile,
    LegacyConfigEntry,
    YamlConfigEntry,
    load_config_file,
    read_file_if_exists,
    set_if_exists,
)
from flytelite._config_reader import config_entry as _entry
from flytelite._config_reader import read_config as _read

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
