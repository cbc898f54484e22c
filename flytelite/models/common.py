"""flytekit's `flytekit.models.common`: the model base classes and launch-plan / execution settings.

`FlyteIdlEntity` is the base of every model class (subclass it and define `to_flyte_idl` / `from_flyte_idl`);
`NamedEntityIdentifier`, the notification classes, `UrlBlob` and `Envs` are views over their admin messages.

`Labels`, `Annotations`, `AuthRole` and `RawOutputDataConfig` are small value classes with flytekit's constructors
(`Labels({"team": "ml"})`, `RawOutputDataConfig("s3://bucket/raw")`) and `to_flyte_idl()` / `from_flyte_idl()`
to their `flyteidl.admin.common_pb2` messages. They are classes rather than aliases of the protobufs because
flytekit code builds them positionally, which protobuf constructors refuse, and generated protobuf classes cannot
be subclassed. Importing this module loads the admin protos (`import flytelite` does not).
"""

from __future__ import annotations

import abc
import json
from collections.abc import Mapping
from typing import Any

from flyteidl.admin import common_pb2
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct

from flytelite.models._view import FlyteIdlEntity, FlyteType, View, f

__all__ = [
    "Annotations",
    "AuthRole",
    "EmailNotification",
    "Envs",
    "FlyteABCMeta",
    "FlyteCustomIdlEntity",
    "FlyteIdlEntity",
    "FlyteType",
    "Labels",
    "NamedEntityIdentifier",
    "Notification",
    "PagerDutyNotification",
    "RawOutputDataConfig",
    "SlackNotification",
    "UrlBlob",
]

FlyteABCMeta = abc.ABCMeta


class FlyteCustomIdlEntity(FlyteIdlEntity):
    """A model whose protobuf form is a `Struct`: define `to_dict` and `from_dict`."""

    @classmethod
    def from_flyte_idl(cls, idl_object: Struct) -> Any:
        """Build the object from a `Struct`."""
        return cls.from_dict(json_format.MessageToDict(idl_object))

    def to_flyte_idl(self) -> Struct:
        """Return the `Struct` of `to_dict()`."""
        return json_format.Parse(json.dumps(self.to_dict()), Struct())

    @classmethod
    @abc.abstractmethod
    def from_dict(cls, idl_dict: dict[str, Any]) -> Any:
        """Build the object from a dict."""

    @abc.abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """Return the object as a dict."""


class NamedEntityIdentifier(View):
    """A project, a domain and (optionally) a name."""

    _PB = common_pb2.NamedEntityIdentifier
    _FIELDS = (f("project"), f("domain"), f("name"))


class EmailNotification(View):
    """Email recipients of a notification."""

    _PB = common_pb2.EmailNotification
    _FIELDS = (f("recipients_email"),)


class SlackNotification(View):
    """Slack recipients of a notification."""

    _PB = common_pb2.SlackNotification
    _FIELDS = (f("recipients_email"),)


class PagerDutyNotification(View):
    """PagerDuty recipients of a notification."""

    _PB = common_pb2.PagerDutyNotification
    _FIELDS = (f("recipients_email"),)


class Notification(View):
    """Who hears about an execution reaching one of `phases`."""

    _PB = common_pb2.Notification
    _FIELDS = (f("phases"), f("email"), f("pager_duty"), f("slack"))


class UrlBlob(View):
    """A URL and the size of what it points to."""

    _PB = common_pb2.UrlBlob
    _FIELDS = (f("url"), f("bytes"))


class Envs(View):
    """Environment variables (`.envs` is a dict)."""

    _PB = common_pb2.Envs
    _FIELDS = (f("envs", pb="values", conv="kv"),)


class _IdlValue(FlyteIdlEntity):
    """Equality, hashing and printing through the protobuf form (as flytekit's `FlyteIdlEntity`)."""

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
