"""flytekit's `flytekit.loggers` path: `logger`, the `flytelite` logger (no handlers are installed on import).

Library modules log through `get_logger(name)`, which returns a `LazyLogger`: the standard `logging` module (~6 ms to
import, with `traceback`, `string` and `threading`) is loaded only when a record may be emitted. A task pod that logs
nothing never loads it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging

    logger: logging.Logger

__all__ = ["LazyLogger", "get_logger", "logger"]

_DEBUG, _INFO = 10, 20  # `logging.DEBUG` and `logging.INFO`


class LazyLogger:
    """A stand-in for `logging.getLogger(name)` that imports `logging` on the first record that may be emitted.

    `debug` and `info` records are dropped without importing `logging` while nothing has imported it: then no level
    or handler can have been set, and the root logger's default level (`WARNING`) drops them anyway. Any other
    method or attribute is that of the real logger.
    """

    __slots__ = ("_logger", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._logger: logging.Logger | None = None

    @property
    def logger(self) -> logging.Logger:
        """Return the real `logging.Logger` (importing `logging`)."""
        if self._logger is None:
            import logging  # see the class docstring

            self._logger = logging.getLogger(self.name)
        return self._logger

    def isEnabledFor(self, level: int) -> bool:  # `logging.Logger`'s name
        """Tell whether a record of `level` would be handled."""
        if level < 30 and "logging" not in sys.modules:  # below `WARNING`: nothing configured a lower level
            return False
        return self.logger.isEnabledFor(level)

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log `msg % args` at `DEBUG` level."""
        if self.isEnabledFor(_DEBUG):
            self.logger.debug(msg, *args, **_one_level_up(kwargs))

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log `msg % args` at `INFO` level."""
        if self.isEnabledFor(_INFO):
            self.logger.info(msg, *args, **_one_level_up(kwargs))

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log `msg % args` at `WARNING` level."""
        self.logger.warning(msg, *args, **_one_level_up(kwargs))

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log `msg % args` at `ERROR` level."""
        self.logger.error(msg, *args, **_one_level_up(kwargs))

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log `msg % args` at `ERROR` level with the exception being handled."""
        self.logger.exception(msg, *args, **_one_level_up(kwargs))

    def critical(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log `msg % args` at `CRITICAL` level."""
        self.logger.critical(msg, *args, **_one_level_up(kwargs))

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log `msg % args` at `level`."""
        if self.isEnabledFor(level):
            self.logger.log(level, msg, *args, **_one_level_up(kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.logger, name)

    def __repr__(self) -> str:
        return f"<LazyLogger {self.name}>"


def _one_level_up(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return `kwargs` with `stacklevel` raised by one, so records name the caller rather than this module."""
    kwargs["stacklevel"] = kwargs.get("stacklevel", 1) + 1
    return kwargs


def get_logger(name: str) -> LazyLogger:
    """Return the logger `name` for library code, without importing `logging` (see `LazyLogger`)."""
    return LazyLogger(name)


def __getattr__(name: str) -> Any:
    if name == "logger":  # the real `flytelite` logger: users set its level and add handlers
        import logging

        value = logging.getLogger("flytelite")
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
