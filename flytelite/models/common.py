"""Launch-plan and execution settings at flytekit's `flytekit.models.common` path.

`Labels`, `Annotations`, `AuthRole` and `RawOutputDataConfig` are small value classes with flytekit's constructors
(`Labels({"team": "ml"})`, `RawOutputDataConfig("s3://bucket/raw")`) and `to_flyte_idl()` / `from_flyte_idl()`
to their `flyteidl.admin.common_pb2` messages. They are classes rather than aliases of the protobufs because
flytekit code builds them positionally, which protobuf constructors refuse, and generated protobuf classes cannot
be subclassed. Importing this module loads the admin protos (`import flytelite` does not).
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any

from flyteidl.admin import common_pb2

__all__ = ["Annotations", "AuthRole", "Labels", "RawOutputDataConfig"]


class _IdlValue(abc.ABC):
    """Equality, hashing and printing through the protobuf form (as flytekit's `FlyteIdlEntity`)."""

    @abc.abstractmethod
    def to_flyte_idl(self) -> Any:
        """Return the protobuf message."""

    def serialize_to_string(self) -> bytes:
        """Return the protobuf wire bytes."""
        return bytes(self.to_flyte_idl().SerializeToString(deterministic=True))

    def is_empty(self) -> bool:
        """Tell whether the protobuf form has no field set."""
        return bool(len(self.serialize_to_string()) == 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _IdlValue) and self.to_flyte_idl() == other.to_flyte_idl()

    def __hash__(self) -> int:
        return hash(self.serialize_to_string())

    def __repr__(self) -> str:
        fields = self.to_flyte_idl().ListFields()
        return f"{type(self).__name__}({', '.join(f'{f.name}={v!r}' for f, v in fields)})"


class _KeyValues(_IdlValue):
    _PROTO: Any = None

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self._values = {str(k): str(v) for k, v in (values or {}).items()}

    @property
    def values(self) -> dict[str, str]:
        """Return the key/value pairs."""
        return dict(self._values)

    def to_flyte_idl(self) -> Any:
        """Return the flyteidl message."""
        return self._PROTO(values=self._values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._values!r})"


class Labels(_KeyValues):
    """Kubernetes labels put on the executions of a launch plan: `Labels({"team": "ml"})`."""

    _PROTO = common_pb2.Labels

    @classmethod
    def from_flyte_idl(cls, pb2_object: common_pb2.Labels) -> Labels:
        """Read a flyteidl `Labels`."""
        return cls(dict(pb2_object.values))


class Annotations(_KeyValues):
    """Kubernetes annotations put on the executions of a launch plan: `Annotations({"owner": "me"})`."""

    _PROTO = common_pb2.Annotations

    @classmethod
    def from_flyte_idl(cls, pb2_object: common_pb2.Annotations) -> Annotations:
        """Read a flyteidl `Annotations`."""
        return cls(dict(pb2_object.values))


class AuthRole(_IdlValue):
    """The identity executions run as (deprecated in flytekit in favour of `SecurityContext(run_as=Identity(...))`).

    A launch plan given `auth_role=` turns it into a `SecurityContext` whose `run_as` has `iam_role` and
    `k8s_service_account`, as flytekit does.
    """

    def __init__(self, assumable_iam_role: str | None = None, kubernetes_service_account: str | None = None) -> None:
        self._assumable_iam_role = assumable_iam_role
        self._kubernetes_service_account = kubernetes_service_account

    @property
    def assumable_iam_role(self) -> str | None:
        """Return the IAM role (AWS) executions assume."""
        return self._assumable_iam_role

    @property
    def kubernetes_service_account(self) -> str | None:
        """Return the Kubernetes service account executions run as."""
        return self._kubernetes_service_account

    def to_flyte_idl(self) -> common_pb2.AuthRole:
        """Return the flyteidl `AuthRole`."""
        return common_pb2.AuthRole(
            assumable_iam_role=self._assumable_iam_role or None,
            kubernetes_service_account=self._kubernetes_service_account or None,
        )

    @classmethod
    def from_flyte_idl(cls, pb2_object: common_pb2.AuthRole) -> AuthRole:
        """Read a flyteidl `AuthRole`."""
        return cls(
            assumable_iam_role=pb2_object.assumable_iam_role or None,
            kubernetes_service_account=pb2_object.kubernetes_service_account or None,
        )


class RawOutputDataConfig(_IdlValue):
    """Where executions write offloaded data: `RawOutputDataConfig("s3://bucket/raw")`."""

    def __init__(self, output_location_prefix: str) -> None:
        self._output_location_prefix = output_location_prefix

    @property
    def output_location_prefix(self) -> str:
        """Return the prefix offloaded data goes under."""
        return self._output_location_prefix

    def to_flyte_idl(self) -> common_pb2.RawOutputDataConfig:
        """Return the flyteidl `RawOutputDataConfig`."""
        return common_pb2.RawOutputDataConfig(output_location_prefix=self._output_location_prefix)

    @classmethod
    def from_flyte_idl(cls, pb2_object: common_pb2.RawOutputDataConfig) -> RawOutputDataConfig:
        """Read a flyteidl `RawOutputDataConfig`."""
        return cls(pb2_object.output_location_prefix)
