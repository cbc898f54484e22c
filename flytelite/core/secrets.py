"""Secrets a task asked for (`secret_requests=[Secret(group=..., key=...)]`): `current_context().secrets`.

Users import `SecretsManager` from `flytelite.core.context_manager` (flytekit's path), which re-exports it.
"""

from __future__ import annotations

import os
from typing import Any

from flytelite.core._context_stack import current_flyte_context

__all__ = ["SecretsManager"]


class SecretsManager:
    """Find the secrets a task asked for (`secret_requests=[Secret(group=..., key=...)]`), as flytekit does.

    Lookup order: the env var `<prefix><GROUP>[_<GROUP_VERSION>]_<KEY>` (prefix `_FSEC_`, from
    `FLYTE_SECRETS_ENV_PREFIX`); in a local run also the same name without the prefix; then the file
    `<dir>/<group>[/<group_version>]/<file prefix><key>` (lower case; dir `/etc/secrets` from
    `FLYTE_SECRETS_DEFAULT_DIR`, file prefix from `FLYTE_SECRETS_FILE_PREFIX`). Attribute access works too:
    `secrets.my_group.my_key`.
    """

    class _GroupSecrets:
        def __init__(self, group: str, sm: SecretsManager) -> None:
            self._group = group
            self._sm = sm

        def __getattr__(self, item: str) -> str:
            return str(self._sm.get(self._group, item))

    def __init__(self, env_prefix: str | None = None, default_dir: str | None = None, file_prefix: str | None = None):
        env = os.environ
        if env_prefix is None:
            env_prefix = env.get("FLYTE_SECRETS_ENV_PREFIX", "_FSEC_")
        if default_dir is None:
            default_dir = env.get("FLYTE_SECRETS_DEFAULT_DIR", os.path.join("/etc", "secrets"))
        if file_prefix is None:
            file_prefix = env.get("FLYTE_SECRETS_FILE_PREFIX", "")
        self._env_prefix = env_prefix.strip()
        self._base_dir = default_dir.strip()
        self._file_prefix = file_prefix.strip()

    def __getattr__(self, item: str) -> SecretsManager._GroupSecrets:
        if item.startswith("_"):
            raise AttributeError(item)
        return SecretsManager._GroupSecrets(item, self)

    def get(
        self, group: str | None = None, key: str | None = None, group_version: str | None = None, encode_mode: str = "r"
    ) -> Any:
        """Return the secret's value (stripped); `encode_mode="rb"` reads a file secret as bytes.

        Raises:
            ValueError: neither the env var nor the file exists.
        """
        prefixes = [self._env_prefix]
        es = current_flyte_context().execution_state
        if es is None or es.mode is None or es.is_local_execution():
            prefixes.append("")
        for prefix in prefixes:
            value = os.environ.get(self._env_var(group, key, group_version, prefix))
            if value is not None:
                return value.strip()
        fpath = self.get_secrets_file(group, key, group_version)
        if os.path.exists(fpath):
            with open(fpath, encode_mode) as f:
                return f.read().strip()
        raise ValueError(
            f"Unable to find secret for key {key} in group {group} in env var "
            f"{self.get_secrets_env_var(group, key, group_version)} or file {fpath}. "
            f"Add secret_requests=[Secret(group={group!r}, key={key!r})] to the task."
        )

    @staticmethod
    def _env_var(group: str | None, key: str | None, group_version: str | None, prefix: str) -> str:
        return prefix + "_".join(p.upper() for p in (group, group_version, key) if p)

    def get_secrets_env_var(
        self, group: str | None = None, key: str | None = None, group_version: str | None = None
    ) -> str:
        """Return the env var name the secret is read from."""
        return self._env_var(group, key, group_version, self._env_prefix)

    def get_secrets_file(
        self, group: str | None = None, key: str | None = None, group_version: str | None = None
    ) -> str:
        """Return the file path the secret is read from."""
        parts = [p.lower() for p in (group, group_version, key) if p]
        if not parts:
            raise ValueError("a secret needs at least a group or a key")
        parts[-1] = self._file_prefix + parts[-1]
        return os.path.join(self._base_dir, *parts)
