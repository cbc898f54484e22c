"""What happens when a task (or workflow) is called: `t(a=1)` or `t(1)`.

`flyte_entity_call_handler` checks the arguments against the entity's interface first (positional become
keyword, defaults fill in, a missing or unknown input raises one `FlyteTypeException` naming the entity and the
input), then:

1. when a workflow is being compiled (`ctx.compilation_state` set), returns `entity.compile(ctx, **kwargs)`;
2. inside an `@eager` body, hands the call to the body's runner (`ExecutionState.runner.start_call`), which returns
   an awaitable;
3. inside a local workflow run, runs `entity.local_execute` in the entity's local mode and returns its outputs
   as they are (the holder made by `create_task_output`);
4. otherwise (a top-level call) runs it in a fresh local execution state and returns native values: one value,
   a named tuple for several outputs (or for one output declared as a one-field `NamedTuple`), None for none.

`inputs_to_literal_map` is the one input converter (tasks, workflows, launch plans, `flytelite run`): its errors name
the entity, the input, the expected and the actual type. `create_task_output` wraps the output literals of
`local_execute`; `outputs_to_native` unwraps them for a top-level call.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, Protocol

from flyteidl.core.literals_pb2 import Literal, LiteralMap
from flyteidl.core.types_pb2 import LiteralType

from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.interface import typed_interface
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import (
    FlyteDownloadDataException,
    FlyteTypeException,
    FlyteUnexpectedInputException,
    FlyteUploadDataException,
    TypeTransformerFailedError,
    message_of,
)
from flytelite.loggers import get_logger

__all__ = [
    "TaskOutputs",
    "compile_entity",
    "create_task_output",
    "entity_label",
    "flyte_entity_call_handler",
    "input_error",
    "inputs_to_literal_map",
    "normalize_call_args",
    "outputs_to_native",
    "type_name",
]

logger = get_logger("flytelite")


class CallableEntity(Protocol):
    """What the handler needs from a task or workflow."""

    @property
    def name(self) -> str: ...

    @property
    def python_interface(self) -> Any: ...

    def local_execution_mode(self) -> ExecutionState.Mode: ...

    def local_execute(self, ctx: FlyteContext, **kwargs: Any) -> Any: ...

    def compile(self, ctx: FlyteContext, *args: Any, **kwargs: Any) -> Any: ...


def type_name(t: Any) -> str:
    """Return a short readable name of a type (`int`, `list[int]`, `Optional[str]`)."""
    if isinstance(t, type) and not typing.get_args(t):
        return t.__name__
    return str(t).replace("typing.", "")


def _is_optional(t: Any) -> bool:
    return typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in typing.get_args(t)


def _signature(interface: Any) -> str:
    return ", ".join(f"{k}: {type_name(t)}" for k, t in interface.inputs.items())


def normalize_call_args(entity: CallableEntity, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return the call's inputs as keywords, with defaults filled in.

    Raises:
        FlyteTypeException: too many positional arguments, an input given twice, an unknown input, or a missing one.
    """
    interface = entity.python_interface
    inputs = interface.inputs_with_defaults
    if not args and kwargs.keys() <= inputs.keys():
        out = dict(kwargs)  # the common call: every argument by keyword, each a known input
    else:
        out = _bind(entity, interface, inputs, args, kwargs)
    if len(out) == len(inputs):  # every key of `out` is an input
        return out
    for k, (t, default) in inputs.items():
        if k in out:
            continue
        if default is not None:
            out[k] = default
        elif _is_optional(t):
            out[k] = None
        else:
            # A conversion error (TypeError, ValueError, AssertionError), as flytekit's launch plans raise one when
            # they convert the missing input's None; its tasks and workflows raise a TypeError, which this is too.
            raise TypeTransformerFailedError(
                f"{entity_label(entity)}, input '{k}': expected {type_name(t)}, got nothing"
            )
    return out


def _bind(
    entity: CallableEntity, interface: Any, inputs: dict[str, Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Return the positional and keyword arguments by input name (defaults not filled in yet)."""
    names = list(inputs)
    if len(args) > len(names):
        raise FlyteTypeException(
            f"{entity_label(entity)} takes {len(names)} input(s) ({_signature(interface)}) "
            f"but {len(args)} positional argument(s) were given"
        )
    out = dict(zip(names, args, strict=False))  # fewer args than inputs is normal
    for k, v in kwargs.items():
        if k in out:
            raise FlyteTypeException(f"{entity_label(entity)} got multiple values for input '{k}'")
        if k not in inputs:
            raise FlyteUnexpectedInputException(
                f"{entity_label(entity)}, input '{k}': no such input (got {type(v).__name__}); "
                f"the inputs are ({_signature(interface)})"
            )
        out[k] = v
    return out


def entity_label(entity: Any) -> str:
    """Return how errors name `entity`: `task 'm.t'`, `workflow 'm.wf'`, `launch plan 'm.lp'`."""
    return f"{getattr(type(entity), 'entity_kind', 'task')} '{entity.name}'"


def input_error(entity: Any, name: str, py_type: Any, value: Any, reason: str = "", path: str = "") -> tuple[str, str]:
    """Return the message of an input that does not fit its type, and its reason part.

    The message is `task 'm.t', input 'a': expected int, got str ('x'): <reason>`; with a `path` inside the value
    (`xs[3].a`), or a reason that already says what was expected, the reason is used as it is.
    """
    if not path and "expected" not in reason:
        got = f"expected {type_name(py_type)}, got {type(value).__name__} ({value!r:.60})"
        reason = f"{got}: {reason}" if reason else got
    return f"{entity_label(entity)}, input '{name}{path}': {reason}", reason


def inputs_to_literal_map(ctx: FlyteContext, entity: Any, kwargs: Mapping[str, Any]) -> LiteralMap:
    """Convert a call's keyword inputs into a `LiteralMap` (tasks, workflows, launch plans and `flytelite run`).

    Raises:
        TypeTransformerFailedError: an input does not fit its type; the message names the entity, the input (with
            the path inside it), the expected and the actual type. Storage failures (uploading a file input) pass
            through unchanged: they are not the value's fault.
    """
    types_ = entity.get_input_types() or {}
    registry = TypeEngine.registry()

    def input_type(name: str) -> LiteralType:
        return typed_interface(entity).inputs.variables[name].type

    # No promise exists before `flytelite.core.promise` is imported (a task pod never imports it), so the module is
    # looked up rather than imported here.
    promise_type = getattr(sys.modules.get("flytelite.core.promise"), "Promise", ())
    lm = LiteralMap()
    literals = lm.literals
    for k, v in kwargs.items():
        py_type = types_.get(k, type(v))
        try:
            if isinstance(v, promise_type) and v.is_ready:  # a promise that already holds a literal passes it through
                literals[k].CopyFrom(v.val)
            else:
                registry.fill_literal(ctx, v, py_type, literals, k, input_type)
        except (FlyteUploadDataException, FlyteDownloadDataException):
            raise
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as exc:
            path = getattr(exc, "path", "")
            reason = getattr(exc, "reason", None) or str(exc)
            message, reason = input_error(entity, k, py_type, v, reason, path)
            err = TypeTransformerFailedError(message)
            err.path, err.reason = f"{k}{path}", reason
            raise err from exc
    return lm


class TaskOutputs:
    """The outputs of one local execution, as literals by name (what `local_execute` returns for now)."""

    __slots__ = ("entity_name", "literals")

    def __init__(self, entity_name: str, literals: Mapping[str, Literal]) -> None:
        self.entity_name = entity_name
        self.literals = literals  # read-only: the outputs' own map, not a copy

    def __repr__(self) -> str:
        return f"TaskOutputs({self.entity_name!r}, {sorted(self.literals)})"


def create_task_output(entity: Any, outputs: LiteralMap) -> Any:
    """Wrap the output literals of a local execution (seam: promises replace `TaskOutputs`).

    Returns None when the entity declares no outputs.
    """
    if not entity.python_interface.outputs:
        return None
    return TaskOutputs(entity.name, outputs.literals)


def outputs_to_native(ctx: FlyteContext, entity: Any, result: Any) -> Any:
    """Turn what `local_execute` returned into native values: one value, a named tuple, or None."""
    interface = entity.python_interface
    outputs = interface.outputs
    if not outputs:
        return None
    if not isinstance(result, TaskOutputs):
        return result
    registry = TypeEngine.registry()
    literals = result.literals
    values = []
    for k, t in outputs.items():
        try:
            values.append(registry.to_python_value(ctx, literals[k], t))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise TypeTransformerFailedError(f"task '{entity.name}', output '{k}': {message_of(exc)}") from exc
    if len(values) == 1 and not interface.output_tuple_name:
        return values[0]
    return interface.output_tuple(*values)


def compile_entity(ctx: FlyteContext, entity: Any, **kwargs: Any) -> Any:
    """Add a node calling `entity` to the workflow being compiled; return its output promises."""
    from flytelite.core.node_creation import create_and_link_node  # compiling only: a task pod never loads it

    return create_and_link_node(ctx, entity=entity, **kwargs)


_EAGER_LOCAL = ExecutionState.Mode.EAGER_LOCAL_EXECUTION  # enum members read once: each read costs ~0.1 µs
_LOCAL_TASK = ExecutionState.Mode.LOCAL_TASK_EXECUTION
_IN_A_TASK = frozenset({ExecutionState.Mode.TASK_EXECUTION, ExecutionState.Mode.LOCAL_TASK_EXECUTION})

_last_top_level: tuple[FlyteContext | None, Any, FlyteContext | None] = (None, None, None)


def _top_level_context(ctx: FlyteContext, mode: ExecutionState.Mode) -> FlyteContext:
    """Return `ctx` with a fresh local execution state in `mode` (the last one is reused: it would be equal)."""
    global _last_top_level
    last_ctx, last_mode, last_out = _last_top_level
    if last_ctx is ctx and last_mode == mode and last_out is not None:
        return last_out
    out = ctx.with_execution_state(ctx.new_execution_state().with_params(mode=mode))
    _last_top_level = (ctx, mode, out)
    return out


def flyte_entity_call_handler(entity: CallableEntity, *args: Any, **kwargs: Any) -> Any:
    """Call a task or workflow: compile a node, run inside a local workflow, or run at the top level."""
    inputs = normalize_call_args(entity, args, kwargs)
    ctx = FlyteContextManager.current_context()
    if ctx.compilation_state is not None and ctx.compilation_state.mode == 1:
        return entity.compile(ctx, **inputs)
    es = ctx.execution_state
    if es is not None and es.mode == _EAGER_LOCAL and hasattr(es.runner, "start_call"):
        return es.runner.start_call(entity, inputs)  # inside an `@eager` body: its runner starts the call
    mode = entity.local_execution_mode()
    if es is not None and es.is_local_execution() and es.mode != _LOCAL_TASK:
        with FlyteContextManager.with_context(ctx.with_execution_state(es.with_params(mode=mode))) as child:
            return entity.local_execute(child, **inputs)
    if es is not None and es.mode in _IN_A_TASK:
        logger.warning("'%s' is called from inside a running task; it runs in the same process", entity.name)
    top = _top_level_context(ctx, mode)
    params = top.user_space_params
    if params is not None:
        # As flytekit: a top-level call starts with no decks; `current_context().decks` shows its decks afterwards.
        params._decks = []
    with FlyteContextManager.with_context(top) as child:
        result = entity.local_execute(child, **inputs)
        return outputs_to_native(child, entity, result)
