"""What a running task sees through `current_context()`: `ExecutionParameters`, and its `SyncCheckpoint`.

Users import `ExecutionParameters` from `flytelite.core.context_manager` and `SyncCheckpoint` from
`flytelite.core.checkpointer` (flytekit's paths), which re-export them.
Its working directory is a `_Sandbox` (a private task folder made on first use) inside a task, a plain folder outside.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import os
from typing import TYPE_CHECKING, Any

from flytelite.core._context_stack import current_flyte_context
from flytelite.core._decks import Deck, TimeLineDeck
from flytelite.core.secrets import SecretsManager
from flytelite.loggers import LazyLogger, get_logger

if TYPE_CHECKING:  # annotations only: the protobuf runtime is loaded when the default parameters are built
    import logging
    import pathlib

    from flyteidl.core.identifier_pb2 import Identifier, WorkflowExecutionIdentifier

    from flytelite.storage import FileAccessProvider

__all__ = ["LOCAL_CHECKPOINTS_ATTR", "ExecutionParameters", "SyncCheckpoint", "user_space_logger"]

user_space_logger = get_logger("flytelite.user_space")

LOCAL_CHECKPOINTS_ATTR = "FLYTELITE_LOCAL_CHECKPOINTS"
"""`ExecutionParameters` attribute: the checkpoint folders of earlier local attempts of one task execution."""


def _make_temp_dir(prefix: str | None = None, parent: str | None = None) -> str:
    """Create a new temp folder (under `parent`, else the system's temp folder) and return its path."""
    import tempfile  # local import: tempfile loads random; `import flytelite` makes no temp folder

    return tempfile.mkdtemp(prefix=prefix, dir=parent)


def _as_path(path: str | os.PathLike[str]) -> pathlib.Path:
    """Return `path` as a `pathlib.Path`, the type flytekit's checkpoints take and return."""
    import pathlib  # local import: pathlib loads urllib.parse and ipaddress; only checkpoints use it here

    return pathlib.Path(path)


class SyncCheckpoint:
    """A task attempt's checkpoint: restore the previous attempt's files, save this attempt's.

    Args:
        checkpoint_dest: where this attempt's checkpoint goes (a local folder or an object-store prefix; a path-like
            object such as `pathlib.Path` or pytest's `tmpdir` is accepted).
        checkpoint_src: the previous attempt's checkpoint, if any (a string or a path-like object).
    """

    SRC_LOCAL_FOLDER = "prev_cp"
    TMP_DST_PATH = "_dst_cp"

    def __init__(
        self, checkpoint_dest: str | os.PathLike[str], checkpoint_src: str | os.PathLike[str] | None = None
    ) -> None:
        self._dest: str = os.fspath(checkpoint_dest)
        self._src: str | None = os.fspath(checkpoint_src) if checkpoint_src else None
        self._prev: pathlib.Path | None = None

    def _fa(self) -> FileAccessProvider:
        return current_flyte_context().file_access

    def prev_exists(self) -> bool:
        """Tell whether a previous attempt left a checkpoint."""
        return self._src is not None

    def restore(self, path: str | os.PathLike[str] | None = None) -> pathlib.Path | None:
        """Copy the previous checkpoint into `path` (a new temp folder by default) and return that folder."""
        if self._src is None:
            return None
        if self._prev is not None and path is None:
            return self._prev
        target = _as_path(path) if path is not None else _as_path(_make_temp_dir()) / self.SRC_LOCAL_FOLDER
        target.mkdir(parents=True, exist_ok=True)
        self._fa().get_data(self._src, str(target), is_multipart=True)
        self._prev = target
        return target

    def save(self, cp: str | os.PathLike[str] | io.IOBase) -> None:
        """Save a folder or a file (a string or a path-like object), or a stream, as this attempt's checkpoint.

        A stream (`open(..., "rb")`, `io.BytesIO`) is saved as the single file `_dst_cp`, as flytekit does.
        """
        if isinstance(cp, io.IOBase):
            data = cp.read()
            self.write(data.encode() if isinstance(data, str) else data)
            return
        p = _as_path(cp)
        if p.is_dir():
            self._fa().put_data(str(p), self._dest, is_multipart=True)
        elif p.is_file():
            self._fa().put_data(str(p), self._fa().join(self._dest, p.name))
        else:
            raise ValueError(f"checkpoint path {p} is neither a file nor a folder")

    def read(self) -> bytes | None:
        """Return the single file of the previous checkpoint, or None when there is none (or it is empty)."""
        folder = self.restore()
        if folder is None:
            return None
        files = [f for f in folder.iterdir() if f.is_file()]
        if not files:
            return None
        if len(files) != 1:
            raise ValueError(f"expected one file in the previous checkpoint, found {len(files)}")
        return files[0].read_bytes()

    def write(self, b: bytes) -> None:
        """Save `b` as the single file of this attempt's checkpoint."""
        tmp = _as_path(_make_temp_dir()) / self.TMP_DST_PATH
        tmp.write_bytes(b)
        try:
            self.save(tmp)
        finally:  # the folder holds only `tmp`
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
                tmp.parent.rmdir()


class _Sandbox:
    """A task execution's private folder, created on first use (most tasks never touch it)."""

    __slots__ = ("_parent", "_path")

    def __init__(self, parent: str) -> None:
        self._parent = parent
        self._path: str | None = None

    @property
    def path(self) -> str:
        if self._path is None:
            os.makedirs(self._parent, exist_ok=True)
            self._path = _make_temp_dir(prefix="task-", parent=self._parent)
            os.makedirs(os.path.join(self._path, "__cp"), exist_ok=True)
        return self._path


class ExecutionParameters:
    """What a running task sees through `current_context()`.

    Plugins may attach extra attributes (`params.builder().add_attr("SPARK_SESSION", s)`), read back with
    attribute access or `get`.

    Attributes:
        execution_date: when the execution started.
        stats: the metrics client (a no-op locally).
        execution_id: the workflow execution identifier (`local:local:local` locally).
        task_id: the identifier of the running task.
        logging: the logger for user code.
        raw_output_prefix: where this execution writes offloaded data.
        output_metadata_prefix: the execution's output prefix (where `outputs.pb` goes).
        enable_deck: whether decks are rendered for this execution.
    """

    def __init__(
        self,
        execution_date: _dt.datetime,
        tmp_dir: str | _Sandbox,
        stats: Any = None,
        execution_id: WorkflowExecutionIdentifier | None = None,
        logging: logging.Logger | LazyLogger | None = None,
        raw_output_prefix: str | None = None,
        output_metadata_prefix: str | None = None,
        checkpoint: Any = None,
        decks: list[Any] | None = None,
        task_id: Identifier | None = None,
        enable_deck: bool = False,
        secrets: Any = None,
        **attrs: Any,
    ) -> None:
        self.execution_date: _dt.datetime = execution_date
        self._working_directory = tmp_dir
        self.stats: Any = stats
        self.execution_id: WorkflowExecutionIdentifier | None = execution_id
        self._logging = logging or user_space_logger
        self.raw_output_prefix: str | None = raw_output_prefix
        self.output_metadata_prefix: str | None = output_metadata_prefix
        self._checkpoint = checkpoint
        self._decks = decks if decks is not None else []
        self.task_id: Identifier | None = task_id
        self.enable_deck: bool = enable_deck
        self._secrets = secrets
        self._attrs = {k.upper(): v for k, v in attrs.items()}

    @property
    def logging(self) -> logging.Logger:
        """Return the logger for user code, a `logging.Logger` (`logging` is imported when user code first asks)."""
        lg = self._logging
        return lg.logger if isinstance(lg, LazyLogger) else lg

    @property
    def working_directory(self) -> str:
        """Return a scratch folder private to this task execution (created on first use)."""
        wd = self._working_directory
        return wd.path if isinstance(wd, _Sandbox) else wd

    @property
    def checkpoint(self) -> Any:
        """Return the checkpoint of this attempt (a `SyncCheckpoint` in a task sandbox)."""
        if self._checkpoint is None and isinstance(self._working_directory, _Sandbox):
            dest = os.path.join(self.working_directory, "__cp")
            # Local retries share a list of the earlier attempts' checkpoint folders (see `PythonTask` retries):
            # like a Flyte cluster, an attempt restores the last checkpoint an earlier attempt saved.
            earlier: list[str] | None = self._attrs.get(LOCAL_CHECKPOINTS_ATTR)
            src = next((d for d in reversed(earlier or []) if os.path.isdir(d) and os.listdir(d)), None)
            self._checkpoint = SyncCheckpoint(checkpoint_dest=dest, checkpoint_src=src)
            if earlier is not None:
                earlier.append(dest)
        return self._checkpoint

    @property
    def decks(self) -> list[Any]:
        """Return the decks this execution renders."""
        return self._decks

    @property
    def default_deck(self) -> Any:
        """Return this execution's deck named "default", created (and added to `decks`) on first use.

        Unlike flytekit, which adds a new "default" deck on every access (so only the last one is shown), repeated
        accesses return the same deck.
        """
        for deck in self._decks:
            if getattr(deck, "name", None) == "default":
                return deck
        return Deck("default")

    @property
    def timeline_deck(self) -> Any:
        """Return this execution's timeline deck (phase timings), created on first use and not added to `decks`."""
        for deck in self._decks:
            if hasattr(deck, "append_time_info"):
                return deck
        cached = self.__dict__.get("_timeline_deck")
        if cached is None:
            cached = TimeLineDeck("Timeline", auto_add_to_deck=False)
            self.__dict__["_timeline_deck"] = cached
        return cached

    @property
    def secrets(self) -> SecretsManager:
        """Return the secrets manager."""
        if self._secrets is None:
            self._secrets = SecretsManager()
        return self._secrets  # type: ignore[no-any-return]  # set just above or by the caller

    def has_attr(self, name: str) -> bool:
        """Tell whether a plugin attached attribute `name`."""
        return name.upper() in self._attrs

    def get(self, name: str) -> Any:
        """Return the attached attribute `name` (case-insensitive)."""
        return self._attrs[name.upper()]

    def __getattr__(self, name: str) -> Any:
        attrs = self.__dict__.get("_attrs", {})
        if name.upper() in attrs:
            return attrs[name.upper()]
        raise AttributeError(f"ExecutionParameters has no attribute {name!r}")

    def replace(self, **changes: Any) -> ExecutionParameters:
        """Return a copy with the given constructor arguments changed (extra attributes by name)."""
        current: dict[str, Any] = {
            "execution_date": self.execution_date,
            "tmp_dir": self._working_directory,
            "stats": self.stats,
            "execution_id": self.execution_id,
            "logging": self._logging,
            "raw_output_prefix": self.raw_output_prefix,
            "output_metadata_prefix": self.output_metadata_prefix,
            "checkpoint": self._checkpoint,
            "decks": self._decks,
            "task_id": self.task_id,
            "enable_deck": self.enable_deck,
            "secrets": self._secrets,
        }
        current.update({k.lower(): v for k, v in self._attrs.items()})
        current.update(changes)
        return ExecutionParameters(**current)

    def with_task_sandbox(self) -> ExecutionParameters:
        """Return a copy whose working directory and checkpoint are private to one task execution.

        The folder (`task-<random>/` under the current working directory, with a `__cp` checkpoint folder) is created
        the first time `working_directory` or `checkpoint` is read, so tasks that never use it cost nothing.
        """
        new = object.__new__(type(self))  # a copy without `__init__` (once per task call and map item, a hot path)
        values = new.__dict__
        values.update(self.__dict__)
        values.pop("_timeline_deck", None)  # each execution renders its own timeline
        values["_working_directory"] = _Sandbox(self.working_directory)
        values["_checkpoint"] = None
        values["_decks"] = []
        values["_attrs"] = dict(self._attrs)
        return new

    def with_enable_deck(self, enable_deck: bool) -> ExecutionParameters:
        """Return a copy with deck rendering switched on or off."""
        return self.replace(enable_deck=enable_deck)

    def build(self) -> ExecutionParameters:
        """Return self; ends a flytekit-style builder chain (`params.with_task_sandbox().build()`)."""
        return self

    def builder(self) -> ExecutionParameters.Builder:
        """Return a builder to attach plugin attributes (`params.builder().add_attr("SESSION", s).build()`)."""
        return ExecutionParameters.Builder(self)

    new_builder = builder

    class Builder:
        """Collect changes to an `ExecutionParameters`; `build()` returns the changed copy."""

        def __init__(self, current: ExecutionParameters) -> None:
            self._current = current
            self._changes: dict[str, Any] = {}

        def add_attr(self, key: str, v: Any) -> ExecutionParameters.Builder:
            """Attach a plugin attribute (read back case-insensitively)."""
            self._changes[key.lower()] = v
            return self

        def build(self) -> ExecutionParameters:
            """Return the changed copy."""
            return self._current.replace(**self._changes)

    @classmethod
    def new_local(cls, working_dir: str, raw_output_prefix: str | None = None) -> ExecutionParameters:
        """Build the parameters of a local run (`local:local:local`)."""
        # The identifier protos (and the protobuf runtime) are first needed here, on the first `current_context()`.
        from flyteidl.core.identifier_pb2 import Identifier, ResourceType, WorkflowExecutionIdentifier

        return cls(
            execution_date=_dt.datetime.now(_dt.timezone.utc),
            tmp_dir=working_dir,
            execution_id=WorkflowExecutionIdentifier(project="local", domain="local", name="local"),
            task_id=Identifier(
                resource_type=ResourceType.TASK, project="local", domain="local", name="local", version="local"
            ),
            raw_output_prefix=raw_output_prefix,
            secrets=SecretsManager(),
        )
