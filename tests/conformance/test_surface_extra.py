"""Conformance with flytekit of helper H2's surface: launch-plan settings (`ConcurrencyPolicy`, `Labels`,
`Annotations`, `AuthRole`, `RawOutputDataConfig`, security context, `Options`) serialize into the same
`LaunchPlanSpec` fields, and `Config.auto()` reads the same settings from the same environment and files.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import typing
from collections import OrderedDict
from pathlib import Path

import pytest

fk = pytest.importorskip("flytekit")

import flytekit.configuration as fk_config  # noqa: E402
import flytekit.configuration.file as fk_config_file  # noqa: E402
from flytekit.core.options import Options as FkOptions  # noqa: E402
from flytekit.models import common as fk_common  # noqa: E402
from flytekit.models import concurrency as fk_concurrency  # noqa: E402
from flytekit.models import security as fk_security  # noqa: E402
from flytekit.tools.translator import get_serializable as fk_get_serializable  # noqa: E402

import flytelite.configuration as fl_config  # noqa: E402
from flytelite.core.launch_plan import LaunchPlan  # noqa: E402
from flytelite.core.options import Options  # noqa: E402
from flytelite.core.task import task  # noqa: E402
from flytelite.core.workflow import workflow  # noqa: E402
from flytelite.models import common, concurrency, security  # noqa: E402
from flytelite.tools.translator import get_serializable  # noqa: E402


def _named(fn: typing.Any, name: str) -> typing.Any:
    fn.__name__ = fn.__qualname__ = name
    return fn


def _fk_inc(x: int) -> int:
    return x + 1


def _fl_inc(x: int) -> int:
    return x + 1


fk_inc = fk.task(_named(_fk_inc, "inc"))
fl_inc = task(_named(_fl_inc, "inc"))


def _fk_wf(x: int) -> int:
    return fk_inc(x=x)  # type: ignore[no-any-return]


def _fl_wf(x: int) -> int:
    return fl_inc(x=x)


fk_wf = fk.workflow(_named(_fk_wf, "h2_wf"))
fl_wf = workflow(_named(_fl_wf, "h2_wf"))


def _fk_spec(name: str, options: typing.Any = None, **settings: typing.Any) -> typing.Any:
    lp = fk.LaunchPlan.get_or_create(fk_wf, name=name, **settings)
    ss = fk_config.SerializationSettings(image_config=fk_config.ImageConfig.auto_default_image())
    return fk_get_serializable(OrderedDict(), ss, lp, options).spec.to_flyte_idl()


def _fl_spec(name: str, options: typing.Any = None, **settings: typing.Any) -> typing.Any:
    lp = LaunchPlan.get_or_create(fl_wf, name=name, **settings)
    ss = fl_config.SerializationSettings(image_config=fl_config.ImageConfig.from_images("cr.io/img:v1"))
    return get_serializable({}, ss, lp, options).spec


def _settings_fields(spec: typing.Any) -> dict[str, typing.Any]:
    keep = (
        "labels",
        "annotations",
        "raw_output_data_config",
        "max_parallelism",
        "security_context",
        "overwrite_cache",
        "concurrency_policy",
        "auth_role",
    )
    return {k: getattr(spec, k) for k in keep} | {"has": sorted(f.name for f, _ in spec.ListFields() if f.name in keep)}


def test_concurrency_policy_serializes_like_flytekit() -> None:
    kit = _fk_spec("h2_conc", concurrency=fk_concurrency.ConcurrencyPolicy(max_concurrency=3))
    lite = _fl_spec("h2_conc", concurrency=concurrency.ConcurrencyPolicy(max_concurrency=3))
    assert lite.concurrency_policy == kit.concurrency_policy
    assert lite.concurrency_policy.max == 3
    assert concurrency.ConcurrencyLimitBehavior.SKIP == fk_concurrency.ConcurrencyLimitBehavior.SKIP
    kit_policy = fk_concurrency.ConcurrencyPolicy(2, fk_concurrency.ConcurrencyLimitBehavior.SKIP).to_flyte_idl()
    assert concurrency.ConcurrencyPolicy(2, concurrency.ConcurrencyLimitBehavior.SKIP).to_flyte_idl() == kit_policy


def test_no_settings_serialize_like_flytekit() -> None:
    assert _settings_fields(_fl_spec("h2_plain")) == _settings_fields(_fk_spec("h2_plain"))


def test_labels_annotations_raw_output_and_security_context_serialize_like_flytekit() -> None:
    kit = _fk_spec(
        "h2_meta",
        labels=fk_common.Labels({"team": "ml"}),
        annotations=fk_common.Annotations({"owner": "me"}),
        raw_output_data_config=fk_common.RawOutputDataConfig("s3://bucket/raw"),
        max_parallelism=7,
        overwrite_cache=True,
        security_context=fk_security.SecurityContext(
            run_as=fk_security.Identity(k8s_service_account="sa"), secrets=[fk_security.Secret(group="g", key="k")]
        ),
    )
    lite = _fl_spec(
        "h2_meta",
        labels=common.Labels({"team": "ml"}),
        annotations=common.Annotations({"owner": "me"}),
        raw_output_data_config=common.RawOutputDataConfig("s3://bucket/raw"),
        max_parallelism=7,
        overwrite_cache=True,
        security_context=security.SecurityContext(
            run_as=security.Identity(k8s_service_account="sa"), secrets=[security.Secret(group="g", key="k")]
        ),
    )
    assert _settings_fields(lite) == _settings_fields(kit)
    assert lite.labels.values["team"] == "ml"


def test_auth_role_becomes_the_same_security_context() -> None:
    kit = _fk_spec("h2_role", auth_role=fk_common.AuthRole("arn:aws:iam::1:role/r", "svc"))
    lite = _fl_spec("h2_role", auth_role=common.AuthRole("arn:aws:iam::1:role/r", "svc"))
    assert _settings_fields(lite) == _settings_fields(kit)
    assert lite.security_context.run_as.k8s_service_account == "svc"


def test_options_override_like_flytekit() -> None:
    fk_opts = FkOptions(
        labels=fk_common.Labels({"from": "options"}),
        raw_output_data_config=fk_common.RawOutputDataConfig("gs://other"),
        security_context=fk_security.SecurityContext(run_as=fk_security.Identity(iam_role="opt-role")),
        max_parallelism=2,
    )
    fl_opts = Options(
        labels=common.Labels({"from": "options"}),
        raw_output_data_config=common.RawOutputDataConfig("gs://other"),
        security_context=security.SecurityContext(run_as=security.Identity(iam_role="opt-role")),
        max_parallelism=2,
    )
    lp_sc = {"secrets": [fk_security.Secret(group="g", key="k")], "run_as": fk_security.Identity(iam_role="lp")}
    kit = _fk_spec(
        "h2_opts",
        fk_opts,
        labels=fk_common.Labels({"from": "lp"}),
        annotations=fk_common.Annotations({"kept": "yes"}),
        security_context=fk_security.SecurityContext(**lp_sc),
    )
    lite = _fl_spec(
        "h2_opts",
        fl_opts,
        labels=common.Labels({"from": "lp"}),
        annotations=common.Annotations({"kept": "yes"}),
        security_context=security.SecurityContext(
            secrets=[security.Secret(group="g", key="k")], run_as=security.Identity(iam_role="lp")
        ),
    )
    assert _settings_fields(lite) == _settings_fields(kit)
    assert dict(lite.labels.values) == {"from": "options"}
    assert lite.security_context.run_as.iam_role == "opt-role" and len(lite.security_context.secrets) == 1
    assert Options.default_from("sa", "s3://x") == Options(
        security_context=security.SecurityContext(run_as=security.Identity(k8s_service_account="sa")),
        raw_output_data_config=common.RawOutputDataConfig("s3://x"),
    )
    assert FkOptions.default_from("sa", "s3://x").security_context.to_flyte_idl() == (
        Options.default_from("sa", "s3://x").security_context
    )


def test_model_classes_give_flytekits_protobufs() -> None:
    pairs = [
        (common.Labels({"a": "b"}), fk_common.Labels({"a": "b"})),
        (common.Annotations({"a": "b"}), fk_common.Annotations({"a": "b"})),
        (common.AuthRole(kubernetes_service_account="sa"), fk_common.AuthRole(kubernetes_service_account="sa")),
        (common.AuthRole("role"), fk_common.AuthRole("role")),
        (common.RawOutputDataConfig("s3://x"), fk_common.RawOutputDataConfig("s3://x")),
    ]
    for lite, kit in pairs:
        assert lite.to_flyte_idl() == kit.to_flyte_idl()
        assert type(lite).from_flyte_idl(kit.to_flyte_idl()) == lite


# --- Config ----------------------------------------------------------------------------------------------------
def _as_dict(obj: typing.Any) -> dict[str, typing.Any]:
    out = dataclasses.asdict(obj)
    out.pop("local_sandbox_path", None)  # a fresh temp folder per process in both SDKs
    platform = out.get("platform")
    if platform is not None and hasattr(platform.get("auth_mode"), "value"):
        platform["auth_mode"] = platform["auth_mode"].value
    return out


ENV = {
    "FLYTE_PLATFORM_URL": "dns:///flyte.example.com",
    "FLYTE_PLATFORM_INSECURE": "false",
    "FLYTE_CREDENTIALS_CLIENT_ID": "cid",
    "FLYTE_CREDENTIALS_SCOPES": "a,b",
    "FLYTE_AWS_ENDPOINT": "http://minio:9000",
    "FLYTE_AWS_RETRIES": "5",
    "FLYTE_AWS_BACKOFF_SECONDS": "9",
    "FLYTE_SECRETS_DEFAULT_DIR": "/run/secrets",
    "FLYTE_SECRETS_PORT": "9125",
    "FLYTE_GCP_GSUTIL_PARALLELISM": "yes",
    "FLYTE_AZURE_STORAGE_ACCOUNT_NAME": "acct",
    "FLYTE_SDK_LOCAL_SANDBOX": "/tmp/sb",
}

INI = """
[platform]
url = ini.example.com:443
insecure = true
console_endpoint = https://console.example.com
[credentials]
auth_mode = basic
command = get-token,--quiet
[aws]
access_key_id = AK
addressing_style = virtual
[persistence]
attach_execution_metadata = false
[secrets]
env_prefix = _S_
disabled = true
[local]
project = proj
"""

YAML = """
admin:
  endpoint: dns:///yaml.example.com
  insecure: true
  authType: Pkce
  clientSecretEnvVar: H2_TEST_SECRET
  scopes: [x, y]
console:
  endpoint: https://c.example.com
storage:
  connection:
    endpoint: http://localhost:30002
    access-key: minio
    secret-key: miniostorage
task:
  project: yp
  domain: yd
"""


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:

    for k in list(os.environ):
        if k.startswith(("FLYTE", "_FLYTECTL")):
            monkeypatch.delenv(k)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    fk_config_file.get_config_file.cache_clear()
    return monkeypatch


def _both(config_file: str | None) -> tuple[dict[str, typing.Any], dict[str, typing.Any]]:
    fk_config_file.get_config_file.cache_clear()
    kit = _as_dict(fk_config.Config.auto(config_file))
    lite = _as_dict(fl_config.Config.auto(config_file))
    return kit, lite


def test_config_defaults_match(clean_env: pytest.MonkeyPatch) -> None:
    kit, lite = _both(None)
    assert lite == kit


def test_config_from_environment_matches(clean_env: pytest.MonkeyPatch) -> None:
    for k, v in ENV.items():
        clean_env.setenv(k, v)
    kit, lite = _both(None)
    assert lite == kit
    assert lite["platform"]["endpoint"] == "flyte.example.com"
    assert fl_config.Config.auto().local_sandbox_path == "/tmp/sb"


def test_config_from_ini_file_matches(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "flytekit.config"
    path.write_text(INI)
    kit, lite = _both(str(path))
    assert lite == kit
    assert lite["platform"]["command"] == ["get-token", "--quiet"]
    found_kit, found_lite = _both(None)  # ./flytekit.config is found without being named
    assert found_lite == found_kit == kit
    fk_config_file.get_config_file.cache_clear()
    assert dataclasses.asdict(fl_config.TaskConfig.auto(str(path))) == dataclasses.asdict(
        fk_config.TaskConfig.auto(str(path))
    )


def test_config_from_yaml_file_matches(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    path = tmp_path / "config.yaml"
    path.write_text(YAML)
    clean_env.setenv("H2_TEST_SECRET", "s3cr3t")
    clean_env.setenv("FLYTECTL_CONFIG", str(path))
    kit, lite = _both(None)
    assert lite == kit
    assert lite["platform"]["auth_mode"] == "ClientSecret"
    assert lite["data_config"]["s3"]["access_key_id"] == "minio"
    fk_config_file.get_config_file.cache_clear()
    assert dataclasses.asdict(fl_config.TaskConfig.auto()) == dataclasses.asdict(fk_config.TaskConfig.auto())


def test_sandbox_and_endpoint_configs_match(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert _as_dict(fl_config.Config.for_sandbox()) == _as_dict(fk_config.Config.for_sandbox())
    fk_dc = fk_config.DataConfig(s3=fk_config.S3Config(endpoint="http://m:9000"))
    fl_dc = fl_config.DataConfig(s3=fl_config.S3Config(endpoint="http://m:9000"))
    kit = fk_config.Config.for_endpoint("e.example.com", True, fk_dc)
    assert _as_dict(fl_config.Config.for_endpoint("e.example.com", True, fl_dc)) == _as_dict(kit)
    path = tmp_path / "cfg.ini"
    path.write_text(INI)
    fk_config_file.get_config_file.cache_clear()
    kit = fk_config.Config.for_endpoint("e.example.com", config_file=str(path))
    lite = fl_config.Config.for_endpoint("e.example.com", config_file=str(path))
    assert _as_dict(lite) == _as_dict(kit)
    assert lite.platform.console_endpoint == "https://console.example.com"


# --- import paths ------------------------------------------------------------------------------------------------
PATHS: dict[str, list[str]] = {
    "flytelite.configuration": [
        "AuthType",
        "AzureBlobStorageConfig",
        "Config",
        "DataConfig",
        "GCSConfig",
        "GenericPersistenceConfig",
        "LocalConfig",
        "PlatformConfig",
        "S3Config",
        "SecretsConfig",
        "StatsConfig",
        "TaskConfig",
    ],
    "flytelite.core.options": ["Options"],
    "flytelite.core.environment": ["Environment"],
    "flytelite.models.concurrency": ["ConcurrencyLimitBehavior", "ConcurrencyPolicy"],
    "flytelite.models.common": ["Annotations", "AuthRole", "Labels", "RawOutputDataConfig"],
    "flytelite.models.security": ["Identity", "Secret", "SecurityContext"],
}


@pytest.mark.parametrize(("module", "names"), sorted(PATHS.items()))
def test_import_paths_exist_in_both(module: str, names: list[str]) -> None:
    lite = importlib.import_module(module)
    kit = importlib.import_module(module.replace("flytelite", "flytekit", 1))
    assert [n for n in names if not hasattr(lite, n)] == []
    assert [n for n in names if not hasattr(kit, n)] == []
