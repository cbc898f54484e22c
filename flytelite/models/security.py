"""flytekit's `flytekit.models.security` classes, as views over `flyteidl.core.security_pb2` (see `_view`).

`Secret(group="g", key="k", mount_requirement=Secret.MountType.FILE)`; `secret.mount_requirement` reads as the
`Secret.MountType` enum.
"""

from __future__ import annotations

import enum
import re
from typing import Any

from flyteidl.core import security_pb2 as _pb

from flytelite.configuration.plugin import get_plugin
from flytelite.models._view import View, f

__all__ = ["Identity", "OAuth2Client", "OAuth2TokenRequest", "Secret", "SecurityContext"]

_ENV_VAR = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class Secret(View):
    """A secret a task asks for (`secret_requests=[Secret(group="db", key="password")]`).

    Raises:
        ValueError: `env_var` is not a valid environment variable name; no `group` (unless the configuration
            plugin says secrets need none), as in flytekit.
    """

    class MountType(enum.Enum):
        """How the secret reaches the task: as the platform chooses, as an environment variable, or as a file."""

        ANY = _pb.Secret.MountType.ANY
        ENV_VAR = _pb.Secret.MountType.ENV_VAR
        FILE = _pb.Secret.MountType.FILE

    _PB = _pb.Secret
    _FIELDS = (
        f("group", conv="none_if_empty"),
        f("key", conv="none_if_empty"),
        f("group_version", conv="none_if_empty"),
        f("mount_requirement", enum=MountType),
        f("env_var", conv="none_if_empty"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kwargs.get("group", args[0] if args else None) is None and get_plugin().secret_requires_group():
            raise ValueError("Group is a required parameter")
        env_var = self._pb.env_var
        if env_var and not _ENV_VAR.match(env_var):
            raise ValueError(f"Invalid environment variable name: {env_var}")


class OAuth2Client(View):
    """An OAuth2 client id and the secret holding its client secret."""

    _PB = _pb.OAuth2Client
    _FIELDS = (f("client_id"), f("client_secret"))


class Identity(View):
    """Who executions run as: an IAM role, a Kubernetes service account, an OAuth2 client."""

    _PB = _pb.Identity
    _FIELDS = (
        f("iam_role", conv="none_if_empty"),
        f("k8s_service_account", conv="none_if_empty"),
        f("oauth2_client"),
        f("execution_identity", conv="none_if_empty"),
    )


class OAuth2TokenRequest(View):
    """A token the platform fetches for the task."""

    class Type(enum.Enum):
        """The OAuth2 flow."""

        CLIENT_CREDENTIALS = _pb.OAuth2TokenRequest.Type.CLIENT_CREDENTIALS

    _PB = _pb.OAuth2TokenRequest
    _FIELDS = (
        f("name"),
        f("client"),
        f("idp_discovery_endpoint", conv="none_if_empty"),
        f("token_endpoint", conv="none_if_empty"),
        f("type_", pb="type", enum=Type),
    )


class SecurityContext(View):
    """The identity a task runs as and the secrets and tokens it asks for."""

    _PB = _pb.SecurityContext
    _FIELDS = (f("run_as"), f("secrets"), f("tokens"))
