"""Pod templates: run a task in a pod whose spec the user writes, with the task's container merged in.

`PodTemplate.pod_spec` is a `kubernetes.client.V1PodSpec` (imported only when one is serialized) or a plain dict in
the Kubernetes JSON form (`{"containers": [...], "tolerations": [...]}`), so pod tasks can be declared and serialized
without the `kubernetes` package. At serialization the container named `primary_container_name` (added when missing)
gets the task's image, args, resources and env, exactly as flytekit merges them.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from flyteidl.core.tasks_pb2 import Container, Resources

from flytelite.errors import FlyteValidationException

__all__ = ["PRIMARY_CONTAINER_DEFAULT_NAME", "PodTemplate", "serialize_pod_spec"]

PRIMARY_CONTAINER_DEFAULT_NAME = "primary"


@dataclasses.dataclass
class PodTemplate:
    """A pod spec plus the name of the container that runs the task, and pod labels/annotations.

    Args:
        pod_spec: a `kubernetes.client.V1PodSpec` or its JSON dict form; None = an empty spec.
        primary_container_name: the container that runs the task (added to the spec when absent).
        labels: pod labels.
        annotations: pod annotations.
    """

    pod_spec: Any = None
    primary_container_name: str = PRIMARY_CONTAINER_DEFAULT_NAME
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.pod_spec is None:
            self.pod_spec = {"containers": []}
        if not self.primary_container_name:
            raise FlyteValidationException("A primary container name cannot be undefined")

    def version_hash(self) -> str:
        """Return a stable hash of the template (used in cache keys)."""
        data = {
            "pod_spec": _spec_as_dict(self.pod_spec),
            "primary_container_name": self.primary_container_name,
            "labels": self.labels,
            "annotations": self.annotations,
        }
        import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a pod template's name hashes

        return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def _spec_as_dict(spec: Any) -> dict[str, Any]:
    """Return the Kubernetes JSON form (camelCase keys, no nulls) of a V1PodSpec or a dict."""
    if isinstance(spec, dict):
        return copy.deepcopy(spec)
    from kubernetes.client import ApiClient  # optional dependency: only when a V1PodSpec is given

    out: dict[str, Any] = ApiClient().sanitize_for_serialization(spec)  # type: ignore[no-untyped-call,unused-ignore]  # typed from kubernetes 37
    return out


def _resource_name(entry: Resources.ResourceEntry) -> str:
    return str(Resources.ResourceName.Name(entry.name)).lower().replace("_", "-")


def _merge_primary(c: dict[str, Any], primary: Container, image_resolver: Callable[[str], str]) -> None:
    c["image"] = image_resolver(c["image"]) if c.get("image") else primary.image
    c["command"] = list(primary.command)
    c["args"] = list(primary.args)
    limits = {_resource_name(r): r.value for r in primary.resources.limits}
    requests = {_resource_name(r): r.value for r in primary.resources.requests}
    if limits or requests:
        c["resources"] = {"limits": limits, "requests": requests}
    c["env"] = [{"name": e.key, "value": e.value} for e in primary.env] + list(c.get("env") or [])


def serialize_pod_spec(
    pod_template: PodTemplate, primary: Container, image_resolver: Callable[[str], str]
) -> dict[str, Any]:
    """Return the pod spec JSON with the task's container merged into the primary container.

    Args:
        pod_template: the template.
        primary: the task's container (image, args, resources, env).
        image_resolver: resolves `{{.image.x.fqn}}` templates in other containers' images.
    """
    spec = _spec_as_dict(pod_template.pod_spec)
    containers: list[dict[str, Any]] = list(spec.get("containers") or [])
    name = pod_template.primary_container_name
    if not any(c.get("name") == name for c in containers):
        containers.append({"name": name})
    for c in containers:
        if c.get("name") == name:
            _merge_primary(c, primary, image_resolver)
        elif c.get("image"):
            c["image"] = image_resolver(c["image"])
    spec["containers"] = containers
    merged: dict[str, Any] = _drop_nulls(spec)
    return merged


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value
