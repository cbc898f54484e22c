"""Launch-plan settings: `Labels`, `Annotations`, `AuthRole`, `ConcurrencyPolicy`, `SecurityContext`, `Options`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from flyteidl.core.security_pb2 import Identity, Secret, SecurityContext

from flytelite.configuration import ImageConfig, SerializationSettings
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.options import Options
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.models.common import Annotations, AuthRole, Labels, RawOutputDataConfig
from flytelite.models.concurrency import ConcurrencyLimitBehavior, ConcurrencyPolicy
from flytelite.tools.translator import get_serializable

SETTINGS = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"), project="p", domain="d")


@task
def h2_add(a: int, b: int) -> int:
    return a + b


@workflow
def h2_lp_wf(a: int, b: int = 2) -> int:
    return h2_add(a=a, b=b)


def _spec(lp: LaunchPlan, options: Options | None = None) -> object:
    return get_serializable({}, SETTINGS, lp, options).spec


def test_model_values_compare_print_and_round_trip() -> None:
    assert Labels({"team": "ml"}) == Labels(values={"team": "ml"}) != Labels({"team": "web"})
    assert Labels({"a": "b"}) != Annotations({"a": "b"})
    assert Labels({"team": "ml"}).values == {"team": "ml"}
    assert repr(Annotations({"o": "me"})) == "Annotations({'o': 'me'})"
    role = AuthRole("arn:role", kubernetes_service_account="sa")
    assert (role.assumable_iam_role, role.kubernetes_service_account) == ("arn:role", "sa")
    assert AuthRole.from_flyte_idl(role.to_flyte_idl()) == role
    assert RawOutputDataConfig("s3://b/raw").output_location_prefix == "s3://b/raw"
    assert len({Labels({"x": "1"}), Labels({"x": "1"})}) == 1
    assert AuthRole().is_empty and not role.is_empty  # a property, as in flytekit


def test_concurrency_policy_defaults_to_skip() -> None:
    policy = ConcurrencyPolicy(max_concurrency=2)
    assert policy.behavior == ConcurrencyLimitBehavior.SKIP
    assert ConcurrencyLimitBehavior.enum_to_string(policy.behavior) == "SKIP"
    assert ConcurrencyLimitBehavior.enum_to_string(99) == "<UNKNOWN>"
    assert ConcurrencyPolicy.from_flyte_idl(policy.to_flyte_idl()) == policy
    assert repr(policy) == "ConcurrencyPolicy(max_concurrency=2, behavior=SKIP)"


def test_launch_plan_serializes_settings() -> None:
    lp = LaunchPlan.get_or_create(
        h2_lp_wf,
        name="h2_settings_lp",
        labels=Labels({"team": "ml"}),
        annotations=Annotations({"owner": "me"}),
        raw_output_data_config=RawOutputDataConfig("s3://bucket/raw"),
        concurrency=ConcurrencyPolicy(max_concurrency=1),
    )
    spec = _spec(lp)
    assert dict(spec.labels.values) == {"team": "ml"}  # type: ignore[attr-defined]
    assert dict(spec.annotations.values) == {"owner": "me"}  # type: ignore[attr-defined]
    assert spec.raw_output_data_config.output_location_prefix == "s3://bucket/raw"  # type: ignore[attr-defined]
    assert spec.concurrency_policy.max == 1  # type: ignore[attr-defined]
    assert lp.concurrency == ConcurrencyPolicy(1)
    assert lp(a=1) == 3  # settings do not change local runs


def test_auth_role_becomes_a_security_context() -> None:
    lp = LaunchPlan.get_or_create(h2_lp_wf, name="h2_role_lp", auth_role=AuthRole("arn:r", "svc"))
    assert lp.security_context == SecurityContext(run_as=Identity(iam_role="arn:r", k8s_service_account="svc"))
    assert _spec(lp).security_context.run_as.k8s_service_account == "svc"  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="both AuthRole and SecurityContext"):
        LaunchPlan.get_or_create(
            h2_lp_wf, name="h2_role_lp2", auth_role=AuthRole("r"), security_context=SecurityContext()
        )


def test_security_context_is_built_with_flytekits_keywords() -> None:
    sc = SecurityContext(run_as=Identity(k8s_service_account="sa"), secrets=[Secret(group="g", key="k")], tokens=None)
    assert sc.run_as.k8s_service_account == "sa" and sc.secrets[0].group == "g"
    lp = LaunchPlan.get_or_create(h2_lp_wf, name="h2_sc_lp", security_context=sc)
    assert _spec(lp).security_context == sc  # type: ignore[attr-defined]


def test_options_override_launch_plan_settings() -> None:
    lp = LaunchPlan.get_or_create(
        h2_lp_wf,
        name="h2_opts_lp",
        labels=Labels({"from": "lp"}),
        max_parallelism=5,
        security_context=SecurityContext(secrets=[Secret(group="g")], run_as=Identity(iam_role="lp")),
    )
    opts = Options(
        labels=Labels({"from": "opts"}),
        overwrite_cache=True,
        security_context=SecurityContext(run_as=Identity(iam_role="opts")),
    )
    spec = _spec(lp, opts)
    assert dict(spec.labels.values) == {"from": "opts"}  # type: ignore[attr-defined]
    assert spec.max_parallelism == 5 and spec.overwrite_cache  # type: ignore[attr-defined]
    assert spec.security_context.run_as.iam_role == "opts"  # type: ignore[attr-defined]
    assert [s.group for s in spec.security_context.secrets] == ["g"]  # type: ignore[attr-defined]
    default = Options.default_from(k8s_service_account="sa", raw_data_prefix="s3://b/x")
    assert default.raw_output_data_config == RawOutputDataConfig("s3://b/x")
    assert Options.default_from() == Options()


def test_admin_protos_load_only_with_these_models() -> None:
    probe = (
        "import json, sys; import flytelite; a = 'flyteidl.admin.common_pb2' in sys.modules; "
        "import flytelite.models.common, flytelite.models.concurrency; "
        "print(json.dumps([a, 'flyteidl.admin.launch_plan_pb2' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, True]
