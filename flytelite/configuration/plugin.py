"""flytekit's `flytekit.configuration.plugin` path: one installed package may change a few defaults of flytelite.

A plugin is any object with the methods of `FlytekitPluginProtocol`, published under the entry-point group
`flytelite.configuration.plugin` (flytekit's group, with the import word changed):

```toml
[project.entry-points."flytelite.configuration.plugin"]
my_plugin = "my_module:MyPlugin"
```

`get_plugin()` looks the group up on first use (never on `import flytelite`) and returns `FlytekitPlugin`, the
defaults, when nothing is installed. flytelite reads `secret_requires_group()` and `get_default_image()`;
`get_remote()` exists for the protocol's sake: flytelite has no remote client.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from flytelite.errors import FlyteNotImplementedException
from flytelite.loggers import get_logger

__all__ = ["PLUGIN_ENTRY_POINT_GROUP", "FlytekitPlugin", "FlytekitPluginProtocol", "get_plugin", "set_plugin"]

PLUGIN_ENTRY_POINT_GROUP = "flytelite.configuration.plugin"

logger = get_logger("flytelite")


@runtime_checkable
class FlytekitPluginProtocol(Protocol):
    """What a configuration plugin provides (each method is a static method)."""

    @staticmethod
    def get_remote(config: str | None, project: str, domain: str, data_upload_location: str | None = None) -> Any:
        """Return a remote client for a CLI session."""

    @staticmethod
    def configure_pyflyte_cli(main: Any) -> Any:
        """Return the command-line group, changed as the plugin wants."""

    @staticmethod
    def secret_requires_group() -> bool:
        """Tell whether a `Secret` must name its group when entities are defined for registration."""

    @staticmethod
    def get_default_image() -> str | None:
        """Return the default image, or None to use `DefaultImages`."""

    @staticmethod
    def get_auth_success_html(endpoint: str) -> str | None:
        """Return the page shown after logging in, or None for the default."""

    @staticmethod
    def get_default_cache_policies() -> list[Any]:
        """Return the cache policies tasks use by default."""


class FlytekitPlugin:
    """The defaults, used when no plugin is installed."""

    @staticmethod
    def get_remote(config: str | None, project: str, domain: str, data_upload_location: str | None = None) -> Any:
        """Refuse: flytelite has no remote client (use flytekit's `FlyteRemote` to talk to a cluster).

        Raises:
            FlyteNotImplementedException: always (a `NotImplementedError`).
        """
        raise FlyteNotImplementedException(
            "flytelite has no remote client; use flytekit's FlyteRemote to talk to a cluster"
        )

    @staticmethod
    def configure_pyflyte_cli(main: Any) -> Any:
        """Return the command-line group unchanged."""
        return main

    @staticmethod
    def secret_requires_group() -> bool:
        """Return True: a `Secret` must name its group."""
        return True

    @staticmethod
    def get_default_image() -> str | None:
        """Return None: use `DefaultImages`."""
        return None

    @staticmethod
    def get_auth_success_html(endpoint: str) -> str | None:
        """Return None: the default page."""
        return None

    @staticmethod
    def get_default_cache_policies() -> list[Any]:
        """Return no default cache policies."""
        return []


# flytekit's name: tests replace the plugin with `mock.patch.dict(_GLOBAL_CONFIG, {"plugin": MyPlugin})`.
_GLOBAL_CONFIG: dict[str, Any] = {}


def _load_from_entry_points() -> Any:
    from importlib.metadata import entry_points  # local import: ~5 ms, only when a plugin is first asked for

    plugins = list(entry_points(group=PLUGIN_ENTRY_POINT_GROUP))
    if not plugins:
        return FlytekitPlugin
    if len(plugins) >= 2:
        names = [p.name for p in plugins]
        raise ValueError(
            f"Multiple plugins installed: {names}. flytelite only supports one installed plugin at a time."
        )
    logger.info("Loading plugin: %s", plugins[0].name)
    return plugins[0].load()


def get_plugin() -> Any:
    """Return the installed configuration plugin (looked up once), or `FlytekitPlugin`.

    Raises:
        ValueError: more than one plugin is installed.
    """
    if "plugin" not in _GLOBAL_CONFIG:
        _GLOBAL_CONFIG["plugin"] = _load_from_entry_points()
    return _GLOBAL_CONFIG["plugin"]


def set_plugin(plugin: Any) -> None:
    """Use `plugin` from now on (`None`: look the entry points up again on next use)."""
    if plugin is None:
        _GLOBAL_CONFIG.pop("plugin", None)
    else:
        _GLOBAL_CONFIG["plugin"] = plugin
