"""The current Flyte context: what is being compiled or executed, and where data goes.

A `FlyteContext` is an immutable snapshot. `FlyteContextManager` keeps a stack of them in a `ContextVar`
(so threads and asyncio tasks each see their own), and `with_context(builder)` pushes a changed copy
for the duration of a `with` block, popping everything above it on exit.

What a running task sees (`ExecutionParameters`, `SecretsManager`, `SyncCheckpoint`) lives in
`execution_parameters` and `secrets`, and is re-exported here, where flytekit has it.

```python
ctx = FlyteContextManager.current_context()
with FlyteContextManager.with_context(ctx.with_execution_state(ctx.new_execution_state())) as c:
    ...
```
"""

from __future__ import annotations

import enum
import os
import typing
from contextvars import ContextVar
from typing import Any

from flytelite.core._context_stack import CONTEXT_STACK, set_default_builder
from flytelite.core.execution_parameters import (
    LOCAL_CHECKPOINTS_ATTR,
    ExecutionParameters,
    SyncCheckpoint,
    _make_temp_dir,
)
from flytelite.core.execution_parameters import user_space_logger as user_space_logger  # re-export (old home)
from flytelite.core.secrets import SecretsManager
from flytelite.storage import FileAccessProvider

__all__ = [
    "BranchEvalMode",
    "CompilationState",
    "Deferred",
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


class BranchEvalMode(enum.Enum):
    """Whether the nodes being visited belong to the taken branch of a conditional."""

    BRANCH_ACTIVE = "branch active"
    BRANCH_SKIPPED = "branch skipped"


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


class ExecutionState(_Frozen):
    """How the current code runs: in a pod, locally as a task or workflow, or inside a dynamic task.

    `runner` is what runs the work of the current run: locally the graph runner (`flytelite.exec.GraphRunner`, with
    its executor and event observer), inside an `@eager` body the object that starts each awaited call. None means
    the default (a graph runner on `$FLYTELITE_EXECUTOR`).
    """

    class Mode(enum.IntEnum):
        """flytekit's execution modes, with its numbers."""

        TASK_EXECUTION = 1
        LOCAL_WORKFLOW_EXECUTION = 2
        LOCAL_TASK_EXECUTION = 3
        DYNAMIC_TASK_EXECUTION = 4
        EAGER_EXECUTION = 5
        EAGER_LOCAL_EXECUTION = 6
        LOCAL_DYNAMIC_TASK_EXECUTION = 7

    _fields = ("working_dir", "mode", "engine_dir", "branch_eval_mode", "user_space_params", "runner")
    working_dir: str
    mode: ExecutionState.Mode | None
    engine_dir: str
    branch_eval_mode: BranchEvalMode | None
    user_space_params: ExecutionParameters | None
    runner: Any

    def __init__(
        self,
        working_dir: str,
        mode: ExecutionState.Mode | None = None,
        engine_dir: str = "",
        branch_eval_mode: BranchEvalMode | None = None,
        user_space_params: ExecutionParameters | None = None,
        runner: Any = None,
    ) -> None:
        self._set(
            working_dir=working_dir,
            mode=mode,
            engine_dir=engine_dir or os.path.join(working_dir, "engine_dir"),
            branch_eval_mode=branch_eval_mode,
            user_space_params=user_space_params,
            runner=runner,
        )

    def with_params(self, **changes: Any) -> ExecutionState:
        """Return a copy with the given fields changed."""
        if "working_dir" in changes and "engine_dir" not in changes:
            changes["engine_dir"] = os.path.join(changes["working_dir"], "engine_dir")
        new = object.__new__(type(self))  # `_copy_with`, inlined: once per task call
        values = new.__dict__
        values.update(self.__dict__)
        values.update(changes)
        return new

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


class Deferred:
    """A value built by `make()` on its first `get()` and kept (the entrypoint's serialization settings).

    A context holding one in `serialization_settings` returns the built value; a task container that never reads
    its settings then never imports or parses them.
    """

    __slots__ = ("_make", "_value")

    def __init__(self, make: typing.Callable[[], Any]) -> None:
        self._make: typing.Callable[[], Any] | None = make
        self._value: Any = None

    def get(self) -> Any:
        """Return the value, building it on the first call."""
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value


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
    def serialization_settings(self) -> Any:
        """Return the serialization settings (built now if they were given as a `Deferred`)."""
        ss = self.__dict__["serialization_settings"]
        return ss.get() if type(ss) is Deferred else ss

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
        new = object.__new__(type(self))  # `_changed`, inlined: once per task call
        values = new.__dict__
        values.update(self.__dict__)
        values["execution_state"] = es
        values["level"] = self.level + 1
        return new

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
        """Return a fresh execution state under the sandbox (or `working_dir`), keeping the parameters and runner."""
        wd = working_dir or os.path.join(self.file_access.local_sandbox_dir, "exec")
        es = self.execution_state
        runner = es.runner if es is not None else None
        return ExecutionState(working_dir=wd, user_space_params=self.user_space_params, runner=runner)

    def new_compilation_state(self, prefix: str = "") -> CompilationState:
        """Return a fresh compilation state with the given node-id prefix."""
        return CompilationState(prefix=prefix)

    @staticmethod
    def current_context() -> FlyteContext:
        """Return the current context (same as `FlyteContextManager.current_context()`)."""
        return FlyteContextManager.current_context()


class _Pushed:
    """The `with` block of `FlyteContextManager.with_context(ctx)`: push `ctx`; on exit drop it and all above it.

    A class rather than a generator (which costs ~2 µs per call); `with_context` is the class itself.
    """

    __slots__ = ("_ctx", "_depth")

    def __init__(self, ctx: FlyteContext) -> None:
        self._ctx = ctx
        self._depth = 0

    def __enter__(self) -> FlyteContext:
        pushed = CONTEXT_STACK.get()
        self._depth = len(pushed)
        CONTEXT_STACK.set((*pushed, self._ctx))
        return self._ctx

    def __exit__(self, *exc: object) -> None:
        CONTEXT_STACK.set(CONTEXT_STACK.get()[: self._depth])


class FlyteContextManager:
    """The stack of contexts, one per thread or asyncio task (a `ContextVar`)."""

    _stack: ContextVar[tuple[FlyteContext, ...]] = CONTEXT_STACK
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
        if stack:
            return stack[-1]
        return cls._root if cls._root is not None else cls._default()

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

    with_context = staticmethod(_Pushed)  # the class itself: one Python call fewer per push

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


set_default_builder(FlyteContextManager._default)
