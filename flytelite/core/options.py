"""`Options`: launch-plan settings given at registration (flytekit's `flytekit.core.options`).

```python
opts = Options(labels=Labels({"team": "ml"}), raw_output_data_config=RawOutputDataConfig("s3://bucket/raw"))
get_serializable(OrderedDict(), settings, my_launch_plan, options=opts)
```
Each set field replaces the launch plan's own when it is serialized (`flytelite.tools.translator`); a security
context is merged field by field (`run_as`, `secrets`, `tokens`). Unset fields (None, empty) leave the launch
plan's value. Local runs ignore options.
"""

from __future__ import annotations

import dataclasses

from flyteidl.core.security_pb2 import Identity, SecurityContext

from flytelite.models.common import Annotations, Labels, RawOutputDataConfig

__all__ = ["Options"]


@dataclasses.dataclass(frozen=True)
class Options:
    """Settings for the executions of a launch plan, applied when it is registered.

    Args:
        labels: Kubernetes labels of the executions.
        annotations: Kubernetes annotations of the executions.
        raw_output_data_config: where offloaded data (files, dataframes, …) is written.
        security_context: the identity, secrets and tokens executions run with.
        max_parallelism: the most task nodes of one execution that run at once.
        notifications: notifications (`Email`, `Slack`, `PagerDuty`) sent on terminal phases.
        disable_notifications: turn every notification off.
        overwrite_cache: recompute cached tasks and overwrite their cache entries.
    """

    labels: Labels | None = None
    annotations: Annotations | None = None
    raw_output_data_config: RawOutputDataConfig | None = None
    security_context: SecurityContext | None = None
    max_parallelism: int | None = None
    notifications: list[object] | None = None
    disable_notifications: bool | None = None
    overwrite_cache: bool | None = None

    @classmethod
    def default_from(cls, k8s_service_account: str | None = None, raw_data_prefix: str | None = None) -> Options:
        """Return options that run executions as `k8s_service_account` and write data under `raw_data_prefix`."""
        return cls(
            security_context=(
                SecurityContext(run_as=Identity(k8s_service_account=k8s_service_account))
                if k8s_service_account
                else None
            ),
            raw_output_data_config=RawOutputDataConfig(raw_data_prefix) if raw_data_prefix else None,
        )
