"""Import every module of a package, so the tasks, workflows and launch plans it defines are created."""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import sys
from collections.abc import Iterable, Iterator
from types import ModuleType

from flytelite.core.task_node import load_object_from_module as load_object_from_module  # flytekit's path

__all__ = ["add_sys_path", "iter_package_modules", "just_load_modules", "load_object_from_module"]


@contextlib.contextmanager
def add_sys_path(path: str | os.PathLike[str] | None) -> Iterator[None]:
    """Put `path` first on `sys.path` for the duration of the block."""
    if path is None:
        yield
        return
    entry = os.fspath(path)
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def iter_package_modules(pkg: str) -> Iterator[ModuleType]:
    """Import `pkg` and, when it is a package, every module below it (in `pkgutil.walk_packages` order)."""
    module = importlib.import_module(pkg)
    yield module
    paths = getattr(module, "__path__", None)
    if paths is None:
        return
    for info in pkgutil.walk_packages(paths, prefix=f"{pkg}."):
        yield importlib.import_module(info.name)


def just_load_modules(pkgs: Iterable[str]) -> list[ModuleType]:
    """Import every module of `pkgs` and return them."""
    return [m for pkg in pkgs for m in iter_package_modules(pkg)]
