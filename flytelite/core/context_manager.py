"""The current Flyte context: what is being compiled or executed, and where data goes.

A `FlyteContext` is an immutable snapshot. `FlyteContextManager` keeps a stack of them in a `ContextVar`
(so threads and asyncio tasks each see their own), and `with_context(builder)` pushes a changed copy
for the duration of a `with` block, popping everything above it on exit.

```python
ctx = FlyteContextManager.current_context()
with FlyteContextManager.with_context(ctx.with_execution_state(ctx.new_execution_state())) as c:
    ...
```
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import io
import logging
import os
import typing
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from flytelite.storage import FileAccessProvider

if TYPE_CHECKING:  # annotations only: the protobuf runtime is loaded when the default parameters are built
    import pathlib

    from flytelite.models.core.identifier import Identifier, WorkflowExecutionIdentifier

__all__ = [
    "BranchEvalMode",
    "CompilationState",
    "ExecutionParameters",
    "ExecutionState",
    "FlyteContext",
    "FlyteContextManager",
    "FlyteEntities",
    "SecretsManager",
    "SyncCheckpoint",
    "current_context",
    "with_retry_checkpoints",
]

user_space_logger = logging.getLogger("flytelite.user_space")

LOCAL_CHECKPOINTS_ATTR = "FLYTELITE_LOCAL_CHECKPOINTS"
"""`ExecutionParameters` attribute: the checkpoint folders of earlier local attempts of one task execution."""


class BranchEvalMode(enum.Enum):
    """Whether the nodes being visited belong to the taken branch of a conditional."""

    BRANCH_ACTIVE = "branch active"
    BRANCH_SKIPPED = "branch skipped"


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
        es = FlyteContextManager.current_context().execution_state
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
        checkpoint_dest: where this attempt's checkpoint goes (a local folder or an object-store prefix).
        checkpoint_src: the previous attempt's checkpoint, if any.
    """

    SRC_LOCAL_FOLDER = "prev_cp"
    TMP_DST_PATH = "_dst_cp"

    def __init__(self, checkpoint_dest: str, checkpoint_src: str | None = None) -> None:
        self._dest = checkpoint_dest
        self._src = checkpoint_src or None
        self._prev: pathlib.Path | None = None

    def _fa(self) -> FileAccessProvider:
        return FlyteContextManager.current_context().file_access

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

    def save(self, cp: str | os.PathLike[str] | io.BufferedReader) -> None:
        """Save a folder, a file, or an open binary file as this attempt's checkpoint."""
        if isinstance(cp, io.BufferedReader):
            self.write(cp.read())
            return
        p = _as_path(cp)
        if p.is_dir():
            self._fa().put_data(str(p), self._dest, is_multipart=True)
        elif p.is_file():
            self._fa().put_data(str(p), self._fa().join(self._dest, p.name))
        else:
            raise ValueError(f"checkpoint path {p} is neither a file nor a folder")

    def read(self) -> bytes | None:
        """Return the single file of the previous checkpoint, or None when there is none."""
        folder = self.restore()
        if folder is None:
            return None
        files = [f for f in folder.iterdir() if f.is_file()]
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


_D = typing.TypeVar("_D")


def _copy_with(obj: _D, changes: dict[str, Any]) -> _D:
    """Copy a frozen value with some fields changed, without re-running `__init__` (a hot path).

    Unlike `dataclasses.replace`, unknown field names are not caught; callers pass known names only.
    """
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


class _Frozen:
    """A small immutable value: equality, hash and repr over `_fields`, and no attribute assignment.

    The three context values below are written out by hand rather than as frozen dataclasses: `import flytelite`
    then does not load `dataclasses` (and `inspect` with it), and building them costs nothing at import.
    """

    _fields: typing.ClassVar[tuple[str, ...]] = ()

    def _set(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(self.__dict__[f] for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={self.__dict__[f]!r}" for f in self._fields)
        return f"{type(self).__qualname__}({inner})"


class ExecutionParameters:
    """What a running task sees through `current_context()`.

    Plugins may attach extra attributes (`params.builder().add_attr("SPARK_SESSION", s)`), read back with
    attribute access or `get`.
    """

    def __init__(
        self,
        execution_date: _dt.datetime,
        tmp_dir: str | _Sandbox,
        stats: Any = None,
        execution_id: WorkflowExecutionIdentifier | None = None,
        logging: logging.Logger | None = None,
        raw_output_prefix: str | None = None,
        output_metadata_prefix: str | None = None,
        checkpoint: Any = None,
        decks: list[Any] | None = None,
        task_id: Identifier | None = None,
        enable_deck: bool = False,
        secrets: Any = None,
        **attrs: Any,
    ) -> None:
        self._execution_date = execution_date
        self._working_directory = tmp_dir
        self._stats = stats
        self._execution_id = execution_id
        self._logging = logging or user_space_logger
        self._raw_output_prefix = raw_output_prefix
        self._output_metadata_prefix = output_metadata_prefix
        self._checkpoint = checkpoint
        self._decks = decks if decks is not None else []
        self._task_id = task_id
        self._enable_deck = enable_deck
        self._secrets = secrets
        self._attrs = {k.upper(): v for k, v in attrs.items()}

    @property
    def execution_date(self) -> _dt.datetime:
        """Return when the execution started."""
        return self._execution_date

    @property
    def working_directory(self) -> str:
        """Return a scratch folder private to this task execution (created on first use)."""
        wd = self._working_directory
        return wd.path if isinstance(wd, _Sandbox) else wd

    @property
    def stats(self) -> Any:
        """Return the metrics client (a no-op locally)."""
        return self._stats

    @property
    def execution_id(self) -> WorkflowExecutionIdentifier | None:
        """Return the workflow execution identifier (`local:local:local` locally)."""
        return self._execution_id

    @property
    def task_id(self) -> Identifier | None:
        """Return the identifier of the running task."""
        return self._task_id

    @property
    def logging(self) -> logging.Logger:
        """Return the logger for user code."""
        return self._logging

    @property
    def raw_output_prefix(self) -> str | None:
        """Return where this execution writes offloaded data."""
        return self._raw_output_prefix

    @property
    def output_metadata_prefix(self) -> str | None:
        """Return the execution's output prefix (where `outputs.pb` goes)."""
        return self._output_metadata_prefix

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

    # Deck classes live above this layer (`flytelite.deck`), which fills this map when imported (every task module
    # imports it): "default" builds a `Deck` added to `decks`, "timeline" a `TimeLineDeck` that is not.
    deck_factories: typing.ClassVar[dict[str, typing.Callable[[str], Any]]] = {}

    def _deck_factory(self, kind: str) -> typing.Callable[[str], Any]:
        factory = ExecutionParameters.deck_factories.get(kind)
        if factory is None:
            raise RuntimeError("decks are not available: import flytelite.deck first")
        return factory

    @property
    def default_deck(self) -> Any:
        """Return this execution's deck named "default", created (and added to `decks`) on first use.

        Unlike flytekit, which adds a new "default" deck on every access (so only the last one is shown), repeated
        accesses return the same deck.
        """
        for deck in self._decks:
            if getattr(deck, "name", None) == "default":
                return deck
        return self._deck_factory("default")("default")

    @property
    def timeline_deck(self) -> Any:
        """Return this execution's timeline deck (phase timings), created on first use and not added to `decks`."""
        for deck in self._decks:
            if hasattr(deck, "append_time_info"):
                return deck
        cached = self.__dict__.get("_timeline_deck")
        if cached is None:
            cached = self._deck_factory("timeline")("Timeline")
            self.__dict__["_timeline_deck"] = cached
        return cached

    @property
    def enable_deck(self) -> bool:
        """Tell whether decks are rendered for this execution."""
        return self._enable_deck

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
            "execution_date": self._execution_date,
            "tmp_dir": self._working_directory,
            "stats": self._stats,
            "execution_id": self._execution_id,
            "logging": self._logging,
            "raw_output_prefix": self._raw_output_prefix,
            "output_metadata_prefix": self._output_metadata_prefix,
            "checkpoint": self._checkpoint,
            "decks": self._decks,
            "task_id": self._task_id,
            "enable_deck": self._enable_deck,
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
        return self.replace(tmp_dir=_Sandbox(self._sandbox_parent()), checkpoint=None, decks=[])

    def _sandbox_parent(self) -> str:
        wd = self._working_directory
        return wd.path if isinstance(wd, _Sandbox) else wd

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
        from flytelite.models.core.identifier import Identifier, ResourceType, WorkflowExecutionIdentifier

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


class ExecutionState(_Frozen):
    """How the current code runs: in a pod, locally as a task or workflow, or inside a dynamic task."""

    class Mode(enum.IntEnum):
        """flytekit's execution modes, with its numbers."""

        TASK_EXECUTION = 1
        LOCAL_WORKFLOW_EXECUTION = 2
        LOCAL_TASK_EXECUTION = 3
        DYNAMIC_TASK_EXECUTION = 4
        EAGER_EXECUTION = 5
        EAGER_LOCAL_EXECUTION = 6
        LOCAL_DYNAMIC_TASK_EXECUTION = 7

    _fields = ("working_dir", "mode", "engine_dir", "branch_eval_mode", "user_space_params")
    working_dir: str
    mode: ExecutionState.Mode | None
    engine_dir: str
    branch_eval_mode: BranchEvalMode | None
    user_space_params: ExecutionParameters | None

    def __init__(
        self,
        working_dir: str,
        mode: ExecutionState.Mode | None = None,
        engine_dir: str = "",
        branch_eval_mode: BranchEvalMode | None = None,
        user_space_params: ExecutionParameters | None = None,
    ) -> None:
        self._set(
            working_dir=working_dir,
            mode=mode,
            engine_dir=engine_dir or os.path.join(working_dir, "engine_dir"),
            branch_eval_mode=branch_eval_mode,
            user_space_params=user_space_params,
        )

    def with_params(self, **changes: Any) -> ExecutionState:
        """Return a copy with the given fields changed."""
        if "working_dir" in changes and "engine_dir" not in changes:
            changes["engine_dir"] = os.path.join(changes["working_dir"], "engine_dir")
        return _copy_with(self, changes)

    def is_local_execution(self) -> bool:
        """Tell whether this is one of the local modes."""
        return self.mode in _LOCAL_MODES

    def take_branch(self) -> None:
        """Kept for flytekit compatibility; branches are tracked by the graph runner."""

    def branch_complete(self) -> None:
        """Kept for flytekit compatibility; branches are tracked by the graph runner."""


_LOCAL_MODES = frozenset(
    {
        ExecutionState.Mode.LOCAL_WORKFLOW_EXECUTION,
        ExecutionState.Mode.LOCAL_TASK_EXECUTION,
        ExecutionState.Mode.EAGER_LOCAL_EXECUTION,
        ExecutionState.Mode.LOCAL_DYNAMIC_TASK_EXECUTION,
    }
)


class CompilationState(_Frozen):
    """The graph being built while a workflow function runs with promises.

    Args:
        prefix: prepended to node ids (`""` at the top, `"d"` in dynamic sub-graphs).
        mode: 1 for normal compilation (flytekit's value).
        task_resolver: the resolver given to tasks declared inside a workflow body.
        nodes: the nodes created so far, in creation order.
    """

    _fields = ("prefix", "mode", "task_resolver", "nodes")
    prefix: str
    mode: int
    task_resolver: Any
    nodes: list[Any]

    def __init__(self, prefix: str = "", mode: int = 1, task_resolver: Any = None, nodes: list[Any] | None = None):
        self._set(prefix=prefix, mode=mode, task_resolver=task_resolver, nodes=[] if nodes is None else nodes)

    def add_node(self, node: Any) -> None:
        """Record a node created by a call in the workflow body."""
        self.nodes.append(node)

    def with_params(
        self, prefix: str, mode: int | None = None, resolver: Any = None, nodes: list[Any] | None = None
    ) -> CompilationState:
        """Return a new state with a fresh node list (unless `nodes` is given)."""
        return CompilationState(
            prefix=prefix,
            mode=mode if mode is not None else self.mode,
            task_resolver=resolver,
            nodes=nodes if nodes is not None else [],
        )


class FlyteEntities:
    """Every task, workflow and launch plan created in this process, in creation order."""

    entities: list[Any] = []


class FlyteContext(_Frozen):
    """One immutable snapshot of the current context; change it with the `with_*` methods."""

    _fields = (
        "file_access",
        "level",
        "compilation_state",
        "execution_state",
        "serialization_settings",
        "in_a_condition",
        "output_metadata_tracker",
        "extras",
    )
    file_access: FileAccessProvider
    level: int
    compilation_state: CompilationState | None
    execution_state: ExecutionState | None
    serialization_settings: Any
    in_a_condition: bool
    output_metadata_tracker: Any
    extras: tuple[tuple[str, Any], ...]

    def __init__(
        self,
        file_access: FileAccessProvider,
        level: int = 0,
        compilation_state: CompilationState | None = None,
        execution_state: ExecutionState | None = None,
        serialization_settings: Any = None,
        in_a_condition: bool = False,
        output_metadata_tracker: Any = None,
        extras: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        self._set(
            file_access=file_access,
            level=level,
            compilation_state=compilation_state,
            execution_state=execution_state,
            serialization_settings=serialization_settings,
            in_a_condition=in_a_condition,
            output_metadata_tracker=output_metadata_tracker,
            extras=extras,
        )

    @property
    def user_space_params(self) -> ExecutionParameters | None:
        """Return the parameters the running task sees, if any."""
        return self.execution_state.user_space_params if self.execution_state else None

    def new_builder(self) -> FlyteContext:
        """Return this context; flytekit's builder calls chain on it (`ctx.new_builder().with_…().build()`)."""
        return self

    def build(self) -> FlyteContext:
        """Return this context (the end of a flytekit-style builder chain)."""
        return self

    def _changed(self, **changes: Any) -> FlyteContext:
        changes["level"] = self.level + 1
        return _copy_with(self, changes)

    def with_execution_state(self, es: ExecutionState | None) -> FlyteContext:
        """Return a copy with another execution state."""
        return self._changed(execution_state=es)

    def with_compilation_state(self, cs: CompilationState | None) -> FlyteContext:
        """Return a copy with another compilation state."""
        return self._changed(compilation_state=cs)

    def with_file_access(self, fa: FileAccessProvider) -> FlyteContext:
        """Return a copy with another storage provider."""
        return self._changed(file_access=fa)

    def with_serialization_settings(self, ss: Any) -> FlyteContext:
        """Return a copy with serialization settings."""
        return self._changed(serialization_settings=ss)

    def enter_conditional_section(self) -> FlyteContext:
        """Return a copy marked as being inside a conditional."""
        return self._changed(in_a_condition=True)

    def with_extra(self, key: str, value: Any) -> FlyteContext:
        """Return a copy carrying a named extra value (used by higher layers)."""
        return self._changed(extras=(*[(k, v) for k, v in self.extras if k != key], (key, value)))

    def get_extra(self, key: str, default: Any = None) -> Any:
        """Return a named extra value set with `with_extra`."""
        for k, v in self.extras:
            if k == key:
                return v
        return default

    def new_execution_state(self, working_dir: str | None = None) -> ExecutionState:
        """Return a fresh execution state under the sandbox (or `working_dir`)."""
        wd = working_dir or os.path.join(self.file_access.local_sandbox_dir, "exec")
        return ExecutionState(working_dir=wd, user_space_params=self.user_space_params)

    def new_compilation_state(self, prefix: str = "") -> CompilationState:
        """Return a fresh compilation state with the given node-id prefix."""
        return CompilationState(prefix=prefix)

    @staticmethod
    def current_context() -> FlyteContext:
        """Return the current context (same as `FlyteContextManager.current_context()`)."""
        return FlyteContextManager.current_context()


class FlyteContextManager:
    """The stack of contexts, one per thread or asyncio task (a `ContextVar`)."""

    _stack: ContextVar[tuple[FlyteContext, ...]] = ContextVar("flytelite_context_stack", default=())
    _root: FlyteContext | None = None

    @classmethod
    def _default(cls) -> FlyteContext:
        if cls._root is None:
            fa = FileAccessProvider.new_local()
            user_dir = os.path.join(fa.local_sandbox_dir, "user_space")
            os.makedirs(user_dir, exist_ok=True)
            params = ExecutionParameters.new_local(user_dir, fa.raw_output_prefix)
            es = ExecutionState(working_dir=user_dir, user_space_params=params)
            cls._root = FlyteContext(file_access=fa, execution_state=es)
        return cls._root

    @classmethod
    def current_context(cls) -> FlyteContext:
        """Return the innermost context, creating the default one on first use."""
        stack = cls._stack.get()
        return stack[-1] if stack else cls._default()

    @classmethod
    def size(cls) -> int:
        """Return how many contexts are pushed in this thread or task."""
        return len(cls._stack.get())

    @classmethod
    def push_context(cls, ctx: FlyteContext) -> FlyteContext:
        """Push `ctx` and return it."""
        cls._stack.set((*cls._stack.get(), ctx))
        return ctx

    @classmethod
    def pop_context(cls) -> FlyteContext:
        """Pop and return the innermost pushed context."""
        stack = cls._stack.get()
        if not stack:
            raise RuntimeError("no Flyte context was pushed, so none can be popped")
        cls._stack.set(stack[:-1])
        return stack[-1]

    @classmethod
    @contextlib.contextmanager
    def with_context(cls, ctx: FlyteContext) -> Iterator[FlyteContext]:
        """Push `ctx` for the `with` block; on exit drop it and anything pushed above it."""
        depth = cls.size()
        cls.push_context(ctx)
        try:
            yield ctx
        finally:
            cls._stack.set(cls._stack.get()[:depth])

    @classmethod
    def initialize(cls) -> FlyteContext:
        """Reset to a fresh default context (new sandbox) and return it."""
        cls._root = None
        cls._stack.set(())
        return cls._default()


def with_retry_checkpoints(ctx: FlyteContext) -> FlyteContext:
    """Return `ctx` set up so that local retries of one task execution share their checkpoints.

    Each attempt's `current_context().checkpoint` then restores what the latest earlier attempt saved, as the
    attempts of a node do on a Flyte cluster. Without execution parameters `ctx` is returned unchanged.
    """
    es = ctx.execution_state
    params = ctx.user_space_params
    if es is None or params is None:
        return ctx
    params = params.builder().add_attr(LOCAL_CHECKPOINTS_ATTR, []).build()
    return ctx.with_execution_state(es.with_params(user_space_params=params))


def new_temp_dir(prefix: str = "flytelite-") -> str:
    """Create a temp folder (used for sandboxes)."""
    return _make_temp_dir(prefix=prefix)


def current_context() -> ExecutionParameters:
    """Return what the running task sees: execution id, working directory, secrets, checkpoint, decks, logging.

    Outside a task this is the default local context's parameters.
    """
    params = FlyteContextManager.current_context().user_space_params
    if params is None:
        raise RuntimeError("the current Flyte context has no execution parameters")
    return params
