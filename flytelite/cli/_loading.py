"""Find the module a command names (a `.py` file or a dotted module) and the runnable entities in it."""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Any

import click

from flytelite.cli._traceback import user_traceback
from flytelite.core.base_task import PythonTask
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.workflow import WorkflowBase

__all__ = ["LoadedModule", "entity_kind", "find_entities", "get_entity", "load_module"]


class LoadedModule:
    """A user module and the folder that had to be put on `sys.path` to import it.

    A plain class, not a dataclass, for the start-up time of `flytelite run` (see `flytelite.cli.run.RunOptions`).

    Args:
        module: the imported module.
        source_root: the folder above the module's top-level package (None for an installed module).
        label: how the user named it (the path or the dotted name).
    """

    __slots__ = ("label", "module", "source_root")

    def __init__(self, *, module: ModuleType, source_root: str | None, label: str) -> None:
        self.module = module
        self.source_root = source_root
        self.label = label


def _is_path(target: str) -> bool:
    return target.endswith(".py") or os.sep in target or (os.altsep is not None and os.altsep in target)


def module_name_for(path: str) -> tuple[str, str]:
    """Return `(source root, dotted module name)` of a Python file's absolute path: climb while the folder is a package.

    `os.path` rather than `pathlib`, which `flytelite run` would otherwise import for this alone (~4 ms).
    """
    parts = [os.path.splitext(os.path.basename(path))[0]]
    folder = os.path.dirname(path)
    while os.path.isfile(os.path.join(folder, "__init__.py")) and os.path.dirname(folder) != folder:
        parts.append(os.path.basename(folder))
        folder = os.path.dirname(folder)
    return folder, ".".join(reversed(parts))


def _ensure_on_path(root: str) -> None:
    if root not in sys.path:
        sys.path.insert(0, root)
    # worker processes (processes engine, Dask's local workers) must import the module by the same name
    current = os.environ.get("PYTHONPATH", "")
    if root not in current.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (root, current) if p)


def load_module(target: str) -> LoadedModule:
    """Import the module a command names: a path to a `.py` file, or a dotted module name.

    A file is imported under its package-qualified name (the folders above it that hold `__init__.py`), with
    the first folder that is not a package put on `sys.path`, so tasks get the same names they get when the
    file is packaged and registered.

    Raises:
        click.BadParameter: the file does not exist or the module cannot be imported.
    """
    if _is_path(target):
        path = os.path.realpath(target)
        if not os.path.isfile(path):
            raise click.BadParameter(f"no such file: {target}", param_hint="FILE_OR_MODULE")
        root, name = module_name_for(path)
        _ensure_on_path(root)
    else:
        root, name = os.getcwd(), target
        _ensure_on_path(root)
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name is not None and name.startswith(e.name):
            raise click.BadParameter(f"cannot import module {name!r}: {e}", param_hint="FILE_OR_MODULE") from e
        raise click.ClickException(f"importing {target} failed:\n{user_traceback(e)}") from e
    except Exception as e:  # the user's module raised while it was imported: show where, without our frames
        raise click.ClickException(f"importing {target} failed:\n{user_traceback(e)}") from e
    return LoadedModule(module=module, source_root=root, label=target)


def entity_kind(obj: Any) -> str | None:
    """Return `"task"`, `"workflow"` or `"launch plan"` for a runnable entity, else None."""
    if isinstance(obj, LaunchPlan):
        return "launch plan"
    if isinstance(obj, WorkflowBase):
        return "workflow"
    if isinstance(obj, PythonTask):
        return "task"
    return None


def find_entities(module: ModuleType) -> dict[str, Any]:
    """Return the module's tasks, workflows and launch plans by attribute name (sorted)."""
    found = {name: obj for name, obj in vars(module).items() if not name.startswith("_") and entity_kind(obj)}
    return dict(sorted(found.items()))


def get_entity(loaded: LoadedModule, name: str) -> Any:
    """Return entity `name` of the module.

    Raises:
        click.UsageError: there is no such attribute or it is not a task, workflow or launch plan.
    """
    obj = getattr(loaded.module, name, None)
    if obj is None or entity_kind(obj) is None:
        known = ", ".join(find_entities(loaded.module)) or "none"
        what = f"'{name}' is not a task, workflow or launch plan" if obj is not None else f"no entity '{name}'"
        raise click.UsageError(f"{loaded.label} has {what}; runnable entities: {known}")
    return obj
