"""Build the registration archive: load packages, serialize every entity, write `.pb` files and the gzip tar.

The archive is flat, like `pyflyte package`'s: `{i:0w}_{name}_{k}.pb` in registration order with
`w = ceil(log10(count))` digits and `k` = 1 for a `TaskSpec`, 2 for a `WorkflowSpec`, 3 for a `LaunchPlan`; with
fast registration (`copy` other than `none`) it also holds `fast<md5>.tar.gz`, the source code, which
`flytelite-fast-execute` unpacks in the container.
"""

from __future__ import annotations

import enum
import gzip
import io
import math
import os
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from flyteidl.admin import launch_plan_pb2 as _lp
from flyteidl.admin import task_pb2 as _admin_task
from flyteidl.admin import workflow_pb2 as _admin_wf

from flytelite.configuration import SerializationSettings
from flytelite.core.base_task import PythonTask
from flytelite.core.context_manager import FlyteContextManager, FlyteEntities
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.workflow import WorkflowBase
from flytelite.errors import FlyteUserException
from flytelite.tools.module_loader import add_sys_path, just_load_modules
from flytelite.tools.translator import EntityMapping, get_serializable, is_reference_entity

__all__ = [
    "CopyFileDetection",
    "NoSerializableEntitiesError",
    "SerializationFailedError",
    "entity_file_name",
    "fast_package",
    "get_registrable_entities",
    "package",
    "persist_registrable_entities",
    "serialize_and_package",
    "serialize_packages",
    "serialize_to_folder",
]

FAST_PREFIX = "fast"
FAST_SUFFIX = ".tar.gz"
_SKIP_DIRS = {".git", "__pycache__", ".venv", ".mypy_cache", ".pytest_cache", ".ruff_cache", "node_modules"}


class CopyFileDetection(str, enum.Enum):
    """Which source files fast registration ships: none, those of loaded modules, or all of them."""

    NO_COPY = "none"
    LOADED_MODULES = "auto"
    ALL = "all"


class NoSerializableEntitiesError(FlyteUserException):
    """The packages define no task, workflow or launch plan."""


class SerializationFailedError(FlyteUserException):
    """An entity cannot be serialized; the message names it and says what to change."""


def _kind(entity: Any) -> str:
    if isinstance(entity, PythonTask):
        return "task"
    return "workflow" if isinstance(entity, WorkflowBase) else "launch plan"


def _registrable(cp: Any) -> bool:
    return isinstance(cp, (_admin_task.TaskSpec, _admin_wf.WorkflowSpec, _lp.LaunchPlan))


def get_registrable_entities(settings: SerializationSettings, entities: Iterable[Any] | None = None) -> list[Any]:
    """Serialize every task, workflow and launch plan (plus each workflow's default launch plan), dependencies first.

    Args:
        settings: serialization settings.
        entities: what to serialize (default: every entity created in this process).

    Raises:
        SerializationFailedError: an entity cannot be serialized (the message names it and the fix).
    """
    mapping: EntityMapping = {}
    ctx = FlyteContextManager.current_context()
    for entity in list(FlyteEntities.entities if entities is None else entities):
        if not isinstance(entity, (PythonTask, WorkflowBase, LaunchPlan)) or is_reference_entity(entity):
            continue  # references point at entities registered already
        try:
            get_serializable(mapping, settings, entity)
            if isinstance(entity, WorkflowBase):
                get_serializable(mapping, settings, LaunchPlan.get_default_launch_plan(ctx, entity))
        except SerializationFailedError:
            raise
        except Exception as e:
            raise SerializationFailedError(
                f"cannot serialize {_kind(entity)} '{getattr(entity, 'name', entity)}': {e}"
            ) from e
    return [cp for cp in mapping.values() if _registrable(cp)]


def serialize_packages(pkgs: Sequence[str], settings: SerializationSettings, source: str = ".") -> list[Any]:
    """Import every module of `pkgs` (with `source` on `sys.path`) and return the registrable protobufs."""
    settings = settings if settings.source_root else _with_source_root(settings, os.path.abspath(source))
    with add_sys_path(os.path.abspath(source)):
        just_load_modules(pkgs)
    return get_registrable_entities(settings)


def _with_source_root(settings: SerializationSettings, source: str) -> SerializationSettings:
    builder = settings.new_builder()
    builder.source_root = source
    return builder.build()


def entity_file_name(index: int, width: int, cp: Any) -> str:
    """Return `{index:0width}_{name}_{1|2|3}.pb` for a `TaskSpec`, `WorkflowSpec` or `LaunchPlan`."""
    if isinstance(cp, _admin_task.TaskSpec):
        name, k = cp.template.id.name, 1
    elif isinstance(cp, _admin_wf.WorkflowSpec):
        name, k = cp.template.id.name, 2
    elif isinstance(cp, _lp.LaunchPlan):
        name, k = cp.id.name, 3
    else:
        raise TypeError(f"cannot persist {type(cp).__name__}")
    return f"{str(index).zfill(width)}_{name}_{k}.pb"


def persist_registrable_entities(entities: Sequence[Any], folder: str) -> list[str]:
    """Write one `.pb` file per protobuf into `folder`; return the file names in order."""
    os.makedirs(folder, exist_ok=True)
    width = math.ceil(math.log10(len(entities))) if entities else 0
    names = []
    for i, cp in enumerate(entities):
        name = entity_file_name(i, width, cp)
        with open(os.path.join(folder, name), "wb") as f:
            f.write(cp.SerializeToString())
        names.append(name)
    return names


def serialize_to_folder(pkgs: Sequence[str], settings: SerializationSettings, source: str, folder: str) -> list[str]:
    """Serialize `pkgs` into `.pb` files in `folder`; return the file names."""
    return persist_registrable_entities(serialize_packages(pkgs, settings, source), folder)


def _source_files(source: str, copy: CopyFileDetection, exclude: Iterable[str]) -> list[str]:
    root = os.path.abspath(source)
    skip = {os.path.abspath(p) for p in exclude}
    if copy == CopyFileDetection.LOADED_MODULES:
        found = {
            os.path.abspath(f)
            for m in list(sys.modules.values())
            if isinstance(f := getattr(m, "__file__", None), str) and os.path.abspath(f).startswith(root + os.sep)
        }
        return sorted(p for p in found if p not in skip and os.path.isfile(p))
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        out.extend(os.path.join(dirpath, f) for f in filenames if not f.endswith((".pyc", ".pyo")))
    return sorted(p for p in out if p not in skip)


def fast_package(source: str, output_dir: str, copy: CopyFileDetection, exclude: Iterable[str] = ()) -> str:
    """Write `fast<md5>.tar.gz` of the source files into `output_dir` and return its path.

    The digest covers relative paths and contents, so the same code gives the same archive name; members carry
    mtime 0 so the archive bytes are reproducible.
    """
    root = os.path.abspath(source)
    files = _source_files(source, copy, exclude)
    import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only fast registration hashes

    digest = hashlib.md5(usedforsecurity=False)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for path in files:
            rel = os.path.relpath(path, root)
            with open(path, "rb") as f:
                data = f.read()
            digest.update(rel.encode("utf-8") + b"\0" + data)
            info = tarfile.TarInfo(rel)
            info.size, info.mtime, info.mode = len(data), 0, os.stat(path).st_mode & 0o777
            tar.addfile(info, io.BytesIO(data))
    out = os.path.join(output_dir, f"{FAST_PREFIX}{digest.hexdigest()}{FAST_SUFFIX}")
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(buf.getvalue())
    return out


def package(
    entities: Sequence[Any],
    source: str = ".",
    output: str = "flyte-package.tgz",
    copy: CopyFileDetection | str = "none",
) -> list[str]:
    """Write the archive `output`: the `.pb` files and, with fast registration, the source archive.

    Returns:
        The member names, in order.

    Raises:
        NoSerializableEntitiesError: `entities` is empty.
    """
    if not entities:
        raise NoSerializableEntitiesError("Nothing to package")
    copy = CopyFileDetection(copy)
    with tempfile.TemporaryDirectory() as tmp:
        names = persist_registrable_entities(entities, tmp)
        if copy != CopyFileDetection.NO_COPY:
            names.append(os.path.basename(fast_package(source, tmp, copy, exclude=[output])))
        with tarfile.open(output, "w:gz") as tar:
            for name in names:
                tar.add(os.path.join(tmp, name), arcname=name)
    return names


def serialize_and_package(
    pkgs: Sequence[str],
    settings: SerializationSettings,
    source: str = ".",
    output: str = "flyte-package.tgz",
    copy: CopyFileDetection | str = "none",
) -> list[str]:
    """Load `pkgs`, serialize every entity and write the archive; return the member names."""
    return package(serialize_packages(pkgs, settings, source), source, output, copy)
