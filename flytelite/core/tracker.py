"""Remember which module created an object, and find the module variable that holds it.

A task that is an *instance* (not a decorated function) is found again in the container by
`<module>.<variable>`. `InstanceTrackingMeta` records the module whose top-level code created the instance
(for `__main__`, the module name derived from the file path relative to the working directory);
`TrackedInstance.find_lhs()` then looks the instance up among that module's attributes.

`extract_task_module(obj)` returns `(full name, module, short name, file)`. Module names are made absolute by
walking up folders that contain `__init__.py`, unless `FLYTE_PYTHON_PACKAGE_ROOT` says otherwise (`"."` turns
this off; a path stops the walk there; `"auto"`, the default, walks to the top).
"""

from __future__ import annotations

import abc
import importlib
import inspect
import os
import sys
import types
from collections.abc import Callable
from typing import Any

from flytelite.errors import FlyteAssertion, FlyteSystemException
from flytelite.loggers import get_logger

__all__ = [
    "FlyteTrackedABC",
    "InstanceTrackingMeta",
    "TrackedInstance",
    "extract_task_module",
    "get_full_module_path",
    "import_module_from_file",
    "is_functools_wrapped_module_level",
    "isnested",
    "istestfunction",
]

logger = get_logger("flytelite")


def import_module_from_file(module_name: str, file: str | os.PathLike[str]) -> types.ModuleType:
    """Return an (unexecuted) module object for `file` named `module_name`.

    Raises:
        ModuleNotFoundError: the file cannot be loaded as a module.
    """
    import importlib.util  # only modules loaded from a file path need it

    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None:
        raise ModuleNotFoundError(f"Module from file {file} cannot be loaded")
    return importlib.util.module_from_spec(spec)


def _module_name_from_main(f_globals: dict[str, Any]) -> tuple[str | None, str | None]:
    file = f_globals.get("__file__")
    if file is None:
        return None, None
    cwd = os.getcwd()
    root = os.path.join(cwd, "")  # with a trailing separator
    resolved = os.path.realpath(file)
    if not resolved.startswith(root):
        return None, None
    parts = resolved[len(root) :].split(os.sep)
    stem, _, suffix = parts[-1].rpartition(".")
    if stem and suffix:  # drop the last suffix, as `Path.with_suffix("")` does
        parts[-1] = stem
    if not all(p.isidentifier() for p in parts):
        return None, None
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    return ".".join(parts), str(file)


def _find_instance_module() -> tuple[str | None, str | None]:
    frame = inspect.currentframe()
    while frame is not None:
        if frame.f_code.co_name == "<module>" and "__name__" in frame.f_globals:
            name = frame.f_globals["__name__"]
            if name != "__main__":
                return name, frame.f_globals.get("__file__")
            return _module_name_from_main(frame.f_globals)
        frame = frame.f_back
    return None, None


class InstanceTrackingMeta(type):
    """Metaclass recording, after `__init__`, the module whose top-level code created the instance."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        o = super().__call__(*args, **kwargs)
        mod_name, mod_file = _find_instance_module()
        o.instantiated_in = mod_name
        o._module_file = os.path.realpath(mod_file) if mod_file else None
        return o


class FlyteTrackedABC(InstanceTrackingMeta, abc.ABCMeta):
    """The metaclass of tracked abstract classes (tasks)."""


class TrackedInstance(metaclass=InstanceTrackingMeta):
    """An object that knows the module it was created in and can find its variable name there.

    Attributes:
        instantiated_in: the module whose top-level code created this object.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.instantiated_in: str | None = None
        self._module_file: str | None = None
        self._lhs: str | None = None
        super().__init__(*args, **kwargs)

    @property
    def location(self) -> str:
        """Return the importable dotted path of this object (`<module>.<variable>`)."""
        return extract_task_module(self)[0]

    @property
    def lhs(self) -> str:
        """Return the module variable that holds this object."""
        return self._lhs if self._lhs is not None else self.find_lhs()

    def find_lhs(self) -> str:
        """Find the module variable holding this object.

        Raises:
            FlyteSystemException: the creating module is unknown, or none of its variables holds this object.
        """
        if self._lhs is not None:
            return self._lhs
        if not self.instantiated_in:
            raise FlyteSystemException(f"Object {self} does not have an _instantiated in")
        # A script run as `__main__` holds the object in its own globals: look there before importing the script
        # again by its module name, which would run its top-level code a second time.
        main = sys.modules.get("__main__")
        if self._module_file is not None and main is not None and self._is_main_file(main):
            for k, v in list(vars(main).items()):
                if v is self:
                    self._lhs = k
                    return k
        m = importlib.import_module(self.instantiated_in)
        for k, v in list(vars(m).items()):
            if v is self:
                self._lhs = k
                return k
        found = self._find_twin(m)
        if found is not None:
            self._lhs = found
            return found
        logger.error("Could not find LHS for %s in %s", self, self.instantiated_in)
        raise FlyteSystemException(
            f"Error looking for LHS in {self.instantiated_in}: no module-level variable holds this "
            f"{type(self).__name__}; assign it to a variable at the top level of the module"
        )

    def _is_main_file(self, main: types.ModuleType) -> bool:
        main_file = getattr(main, "__file__", None)
        return main_file is not None and os.path.realpath(main_file) == self._module_file

    def _find_twin(self, module: types.ModuleType) -> str | None:
        """Find the twin of an object created by a script run as `__main__`.

        Importing the script by its module name runs it again, which creates a second, equal object; it is
        matched by type, `name` and creating module.
        """
        if self._module_file is None:
            return None
        my_name = getattr(self, "name", None)
        for k, candidate in list(vars(module).items()):
            if (
                candidate is not self
                and type(candidate).__qualname__ == type(self).__qualname__
                and my_name is not None
                and getattr(candidate, "name", None) == my_name
                and getattr(candidate, "instantiated_in", None) == self.instantiated_in
            ):
                return k
        return None


def isnested(func: Callable[..., Any]) -> bool:
    """Tell whether `func` was defined inside another function."""
    code = getattr(func, "__code__", None)
    return code is not None and bool(code.co_flags & inspect.CO_NESTED)


def is_functools_wrapped_module_level(func: Callable[..., Any]) -> bool:
    """Tell whether `func` is a `functools.wraps` wrapper of a module-level function."""
    return hasattr(func, "__wrapped__") and func.__name__ == func.__qualname__


def istestfunction(func: Callable[..., Any]) -> bool:
    """Tell whether `func` lives in a test module (`test_*` or `*_test`)."""
    mod = inspect.getmodule(func)
    if mod is None:
        return False
    last = mod.__name__.rsplit(".", 1)[-1]
    return last.startswith("test_") or last.endswith("_test")


def _package_root() -> str | None:
    """Return the configured package root: None for "auto", "." for "off", else a folder."""
    root = os.environ.get("FLYTE_PYTHON_PACKAGE_ROOT", "auto")
    return None if root == "auto" else root


def _absolute_module_name(path: str, package_root: str | None) -> str:
    basename = os.path.splitext(os.path.basename(path))[0]
    dirname = os.path.dirname(path)
    parts = [basename]
    while dirname and os.path.isdir(dirname) and dirname != package_root:
        if not os.path.exists(os.path.join(dirname, "__init__.py")):
            break
        parts.append(os.path.basename(dirname))
        parent = os.path.dirname(dirname)
        if parent == dirname:
            break
        dirname = parent
    return ".".join(reversed(parts))


def get_full_module_path(mod: types.ModuleType | Callable[..., Any], mod_name: str) -> str:
    """Return the longer of `mod_name` and the package path derived from the module's file."""
    root = _package_root()
    if root == ".":
        return mod_name
    try:
        file = inspect.getabsfile(mod)
    except TypeError:
        return mod_name
    derived = _absolute_module_name(file, root)
    return derived if len(derived) > len(mod_name) else mod_name


def _module_of_callable(f: Callable[..., Any]) -> tuple[types.ModuleType | None, str, str]:
    mod = inspect.getmodule(f)
    mod_name = getattr(mod, "__name__", getattr(f, "__module__", ""))
    return mod, mod_name, f.__name__.split(".")[-1]


def extract_task_module(f: Callable[..., Any] | TrackedInstance) -> tuple[str, str, str, str]:
    """Return `(full name, module name, short name, file path)` of a function or tracked instance.

    Raises:
        FlyteAssertion: the module cannot be determined.
        FlyteSystemException: a tracked instance is held by no module variable.
    """
    mod: types.ModuleType | None
    if isinstance(f, TrackedInstance):
        fn = getattr(f, "task_function", None)
        if fn is not None:
            mod, mod_name, name = _module_of_callable(fn)
        elif f.instantiated_in:
            mod = importlib.import_module(f.instantiated_in)
            mod_name, name = mod.__name__, f.lhs
        else:
            raise FlyteAssertion(f"Unable to determine module of {f}")
    else:
        mod, mod_name, name = _module_of_callable(f)
    if mod is None:
        raise FlyteAssertion(f"Unable to determine module of {f}")
    if mod_name == "__main__":
        target: Any = getattr(f, "task_function", f)
        file = inspect.getfile(target)
        mod_name = get_full_module_path(target, os.path.splitext(os.path.basename(file))[0])
        return f"{mod_name}.{name}", mod_name, name, os.path.abspath(file)
    mod_name = get_full_module_path(mod, mod_name)
    try:
        file = os.path.abspath(inspect.getfile(mod))
    except TypeError:
        file = ""
    return f"{mod_name}.{name}", mod_name, name, file
