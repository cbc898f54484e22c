"""Find the source folder of a task's module and pack it as the fast-register archive, for the Dask workers.

A task is loaded on a worker by module name (`task-module m task-name t`), so the folder to ship is the one that
makes `m` importable: the module's file, minus one folder per dotted part. Only the files of modules this process
has loaded from that folder are packed (`fast_package(..., LOADED_MODULES)`), without flytelite itself; modules
from site-packages and the standard library are expected to be installed on the workers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import sysconfig
import tempfile

from flytelite.exec._dask_errors import DaskCodeError
from flytelite.tools.repo import FAST_PREFIX, FAST_SUFFIX, CopyFileDetection, fast_package

__all__ = ["CodeBundle", "build_bundle", "source_root", "task_module"]

_FLYTELITE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CodeBundle:
    """One version of the code of one source folder."""

    key: str  # names the folder (a hash of its path)
    digest: str  # the archive's md5 (its `fast<md5>.tar.gz` name)
    archive: bytes
    root: str


def task_module(loader_args: list[str]) -> str | None:
    """Return the module named after `task-module` in a resolver's loader args (None when there is none)."""
    for i, arg in enumerate(loader_args[:-1]):
        if arg == "task-module":
            return loader_args[i + 1]
    return None


def _installed_dirs() -> list[str]:
    paths = sysconfig.get_paths()
    dirs = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    return [os.path.abspath(d) for d in dirs] + [_FLYTELITE_DIR]


def _is_installed(path: str) -> bool:
    parts = path.split(os.sep)
    if "site-packages" in parts or "dist-packages" in parts:
        return True
    return any(path == d or path.startswith(d + os.sep) for d in _installed_dirs())


def _file_of(module_name: str) -> str | None:
    mod = sys.modules.get(module_name)
    file = getattr(mod, "__file__", None)
    if isinstance(file, str):
        return os.path.abspath(file)
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if isinstance(main_file, str) and os.path.splitext(os.path.basename(main_file))[0] == module_name.split(".")[-1]:
        return os.path.abspath(main_file)  # a script run as `__main__`, registered under its file's module name
    return None


def source_root(module_name: str, task_name: str) -> str | None:
    """Return the folder to ship for `module_name`, or None when the module is installed (not the user's code).

    Raises:
        DaskCodeError: the module is `__main__` or has no file (a notebook, an interactive session).
    """
    file = None if module_name == "__main__" else _file_of(module_name)
    if file is None:
        raise DaskCodeError(
            f"task '{task_name}' is defined in {module_name!r}, which has no file Dask workers could import "
            "(a notebook, an interactive session or `python -c`): move the task into a .py module and import it"
        )
    if _is_installed(file):
        return None
    folder = os.path.dirname(file)
    depth = module_name.count(".") + (1 if os.path.basename(file) == "__init__.py" else 0)
    for _ in range(depth):
        folder = os.path.dirname(folder)
    return folder


def build_bundle(root: str) -> CodeBundle:
    """Pack the loaded modules under `root` (flytelite and installed packages left out) into a `CodeBundle`."""
    exclude = [
        f
        for m in list(sys.modules.values())
        if isinstance(f := getattr(m, "__file__", None), str) and _is_installed(os.path.abspath(f))
    ]
    with tempfile.TemporaryDirectory(prefix="flytelite-dask-code-") as tmp:
        path = fast_package(root, tmp, CopyFileDetection.LOADED_MODULES, exclude=exclude)
        with open(path, "rb") as f:
            archive = f.read()
    digest = os.path.basename(path).removeprefix(FAST_PREFIX).removesuffix(FAST_SUFFIX)
    key = hashlib.sha1(root.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
    return CodeBundle(key=key, digest=digest, archive=archive, root=root)
