"""`Config` and its parts (`flytelite.configuration`): environment variables, INI and YAML files, storage options."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import pytest

from flytelite.configuration import (
    AuthType,
    AzureBlobStorageConfig,
    Config,
    DataConfig,
    PlatformConfig,
    S3Config,
    SecretsConfig,
    StatsConfig,
)
from flytelite.errors import FlyteAssertion
from flytelite.storage import FileAccessProvider, get_fsspec_storage_options


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for k in list(os.environ):
        if k.startswith(("FLYTE", "_FLYTECTL")):
            monkeypatch.delenv(k)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_defaults_without_environment_or_file() -> None:
    c = Config.auto()
    assert c.platform == PlatformConfig()
    assert c.platform.endpoint == "localhost:30080" and c.platform.auth_mode is AuthType.STANDARD
    assert c.secrets == SecretsConfig(env_prefix="_FSEC_", default_dir="/etc/secrets", file_prefix="")
    assert c.stats == StatsConfig() and c.data_config == DataConfig()
    assert os.path.isdir(c.local_sandbox_path)
    assert Config().local_sandbox_path == c.local_sandbox_path  # one scratch folder per process


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("yes", True), ("false", False), ("0", False), ("off", False)]
)
def test_boolean_environment_values(clean_env: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    clean_env.setenv("FLYTE_PLATFORM_INSECURE", raw)
    assert PlatformConfig.auto().insecure is expected


def test_environment_variables_are_read_and_converted(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("FLYTE_PLATFORM_URL", "dns:///flyte.example.com:443")
    clean_env.setenv("FLYTE_CREDENTIALS_SCOPES", "all,offline")
    clean_env.setenv("FLYTE_AWS_RETRIES", "7")
    clean_env.setenv("FLYTE_AWS_BACKOFF_SECONDS", "2")
    clean_env.setenv("FLYTE_AWS_ENDPOINT", "http://minio:9000")
    clean_env.setenv("FLYTE_AZURE_TENANT_ID", "tenant")
    c = Config.auto()
    assert c.platform.endpoint == "flyte.example.com:443"
    assert c.platform.scopes == ["all", "offline"]
    assert c.data_config.s3.retries == 7
    assert c.data_config.s3.backoff == datetime.timedelta(seconds=2)
    assert c.data_config.s3.endpoint == "http://minio:9000"
    assert c.data_config.azure == AzureBlobStorageConfig(tenant_id="tenant")


def test_ini_file_is_read_and_environment_wins(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "my.config"
    path.write_text("[platform]\nurl = ini.example.com\ninsecure = true\n[aws]\nretries = 4\n")
    clean_env.setenv("FLYTE_AWS_RETRIES", "9")
    c = Config.auto(str(path))
    assert c.platform.endpoint == "ini.example.com" and c.platform.insecure is True
    assert c.data_config.s3.retries == 9


def test_ini_file_with_internal_section_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.config"
    path.write_text("[internal]\nx = 1\n")
    with pytest.raises(FlyteAssertion, match="internal"):
        Config.auto(str(path))


def test_yaml_file_found_through_flytectl_config(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    path = tmp_path / "config.yaml"
    path.write_text(
        "admin:\n  endpoint: dns:///y.example.com\n  insecure: true\nstorage:\n  connection:\n"
        "    endpoint: http://localhost:30002\n    access-key: minio\n"
    )
    clean_env.setenv("FLYTECTL_CONFIG", str(path))
    c = Config.auto()
    assert (c.platform.endpoint, c.platform.insecure) == ("y.example.com", True)
    assert c.data_config.s3 == S3Config(endpoint="http://localhost:30002", access_key_id="minio")


def test_yaml_file_is_ignored_without_pyyaml(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("admin:\n  endpoint: y.example.com\n")
    monkeypatch.setitem(sys.modules, "yaml", None)  # `import yaml` now raises ImportError
    assert Config.auto(str(path)).platform.endpoint == "localhost:30080"
    assert "PyYAML is not installed" in caplog.text


def test_client_secret_from_file_sets_client_secret_auth(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("hunter2\n")
    clean_env.setenv("FLYTE_CREDENTIALS_CLIENT_SECRET_LOCATION", str(secret))
    p = PlatformConfig.auto()
    assert p.client_credentials_secret == "hunter2"
    assert p.auth_mode == "ClientSecret"


def test_sandbox_endpoint_and_with_params() -> None:
    sb = Config.for_sandbox()
    assert (sb.platform.endpoint, sb.platform.insecure, sb.platform.auth_mode) == ("localhost:30080", True, "Pkce")
    assert sb.data_config.s3.endpoint == "http://localhost:30002"
    c = Config.for_endpoint("flyte.example.com", insecure=True)
    assert c.platform == PlatformConfig(endpoint="flyte.example.com", insecure=True)
    assert c.with_params(stats=StatsConfig(port=1)).stats.port == 1
    assert c.with_params(stats=StatsConfig(port=1)).platform == c.platform


def test_file_access_provider_takes_a_data_config(tmp_path: Path) -> None:
    dc = DataConfig(s3=S3Config(endpoint="http://minio:9000", access_key_id="k", secret_access_key="s"))
    fap = FileAccessProvider(tmp_path / "sandbox", "s3://bucket/raw", data_config=dc)
    assert fap.data_config["s3"]["client_kwargs"] == {"endpoint_url": "http://minio:9000"}
    opts = get_fsspec_storage_options("s3", dc)
    assert (opts["key"], opts["secret"]) == ("k", "s")
    assert opts["client_kwargs"]["endpoint_url"] == "http://minio:9000"
    assert (
        get_fsspec_storage_options("abfs", DataConfig(azure=AzureBlobStorageConfig(account_name="a")))["account_name"]
        == "a"
    )
