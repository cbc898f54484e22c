"""Gate nodes: pause a workflow for a timer (`sleep`), for a value (`wait_for_input`) or for a yes (`approve`).

```python
@workflow
def wf(x: int) -> int:
    sleep(timedelta(minutes=5))
    factor = wait_for_input("factor", timeout=timedelta(hours=1), expected_type=int)
    y = approve(double(x=x), "check-double", timeout=timedelta(hours=2))
    return times(a=y, b=factor)
```
On a cluster each is a `GateNode` (sleep, signal or approve condition) that propeller resolves. Locally, as in
flytekit, `sleep` returns at once, `wait_for_input` reads the value from standard input and `approve` asks
`[Y/n]` there; prompts go to standard output. Standard input may be a terminal or piped (`echo 5 | python wf.py`):
an answer that does not parse is reported and asked again, and standard input that ends (or cannot be read, as
under pytest's capture) before a valid answer raises `FlyteGateInputUnavailable` naming the gate (a
`FlyteAssertion` and, like flytekit's click `Abort`, a `RuntimeError`).
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
import typing
from typing import Any

from flyteidl.core.interface_pb2 import TypedInterface
from flyteidl.core.literals_pb2 import LiteralMap
from flyteidl.core.types_pb2 import LiteralType
from flyteidl.core.workflow_pb2 import ApproveCondition, GateNode, NodeMetadata, SignalCondition, SleepCondition

from flytelite.core._call import create_task_output, flyte_entity_call_handler, inputs_to_literal_map
from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager
from flytelite.core.interface import Interface, transform_interface_to_typed_interface
from flytelite.core.node_creation import create_and_link_node
from flytelite.core.promise import Promise, VoidPromise
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import FlyteDisapprovalException, FlyteGateInputUnavailable, FlyteValidationException
from flytelite.models._convert import view_of

__all__ = ["DEFAULT_TIMEOUT", "Gate", "approve", "sleep", "wait_for_input"]

DEFAULT_TIMEOUT = _dt.timedelta(hours=1)
_YES = frozenset({"", "y", "yes", "true", "1"})
_NO = frozenset({"n", "no", "false", "0"})


class Gate:
    """A node that waits: for `sleep_duration`, for a value of `input_type`, or for an approval of `upstream_item`.

    Args:
        name: the gate (and signal) name.
        input_type: the type of the value to wait for (a signal gate).
        upstream_item: the promise to approve (an approval gate).
        sleep_duration: how long to sleep (a sleep gate).
        timeout: how long Flyte waits before failing the node (one hour by default).
    """

    def __init__(
        self,
        name: str,
        input_type: Any = None,
        upstream_item: Any = None,
        sleep_duration: _dt.timedelta | None = None,
        timeout: _dt.timedelta | None = None,
    ) -> None:
        self._name = name
        self._input_type = input_type
        self._upstream_item = upstream_item
        self._sleep_duration = sleep_duration
        self._timeout = timeout or DEFAULT_TIMEOUT
        self._literal_type = TypeEngine.to_literal_type(input_type) if input_type is not None else None
        if sleep_duration:
            self._python_interface: Interface | None = Interface()
        elif input_type is not None:
            self._python_interface = Interface(outputs={"o0": input_type})
        else:
            self._python_interface = None  # set by approve(), which knows the upstream type
        self._interface: TypedInterface | None = None

    @property
    def name(self) -> str:
        """Return the gate name."""
        return self._name

    @property
    def input_type(self) -> Any:
        """Return the type a signal gate waits for (None otherwise)."""
        return self._input_type

    @property
    def literal_type(self) -> LiteralType | None:
        """Return the `LiteralType` of `input_type` (None otherwise)."""
        return self._literal_type

    @property
    def sleep_duration(self) -> _dt.timedelta | None:
        """Return how long a sleep gate sleeps (None otherwise)."""
        return self._sleep_duration

    @property
    def timeout(self) -> _dt.timedelta:
        """Return how long Flyte waits before failing the node."""
        return self._timeout

    @property
    def python_interface(self) -> Interface:
        """Return the native interface (an approval gate gets it from `approve`)."""
        if self._python_interface is None:
            raise FlyteValidationException(f"approval gate '{self._name}' has no interface outside of approve()")
        return self._python_interface

    @property
    def interface(self) -> Any:
        """Return the typed interface as flytekit's `models.interface.TypedInterface` (a view over the protobuf)."""
        if self._interface is None:
            self._interface = transform_interface_to_typed_interface(self.python_interface)
        return view_of(self._interface)

    def get_input_types(self) -> dict[str, Any]:
        """Return `{name: type}` of the inputs."""
        return self.python_interface.inputs

    def construct_node_metadata(self) -> NodeMetadata:
        """Return the node metadata: the gate name and its timeout."""
        md = NodeMetadata(name=self._name)
        md.timeout.FromTimedelta(self._timeout)
        md.retries.SetInParent()  # flytekit always writes an empty retry strategy
        return md

    def to_gate_node(self) -> GateNode:
        """Return the flyteidl `GateNode` (sleep, signal or approve condition)."""
        if self._sleep_duration:
            cond = SleepCondition()
            cond.duration.FromTimedelta(self._sleep_duration)
            return GateNode(sleep=cond)
        if self._input_type is not None:
            out = next(iter(self.python_interface.outputs))
            return GateNode(
                signal=SignalCondition(signal_id=self._name, type=self._literal_type, output_variable_name=out)
            )
        return GateNode(approve=ApproveCondition(signal_id=self._name))

    # --- local execution ----------------------------------------------------------------------------
    def local_execution_mode(self) -> ExecutionState.Mode:
        """Return the mode a local run uses."""
        return ExecutionState.Mode.LOCAL_TASK_EXECUTION

    def compile(self, ctx: FlyteContext, *args: Any, **kwargs: Any) -> Any:
        """Add the gate node to the workflow being compiled."""
        return create_and_link_node(ctx, entity=self, **kwargs)

    def local_execute(self, ctx: FlyteContext, **kwargs: Any) -> Any:
        """Run the gate at once on native inputs (a call outside a workflow)."""
        return create_task_output(self, self.dispatch_execute(ctx, inputs_to_literal_map(ctx, self, kwargs)))

    def dispatch_execute(self, ctx: FlyteContext, input_literal_map: LiteralMap) -> LiteralMap:
        """Resolve the gate locally: return at once, read a value, or ask for approval on standard input.

        Raises:
            FlyteGateInputUnavailable: standard input ended or cannot be read before a valid answer was given.
            FlyteDisapprovalException: the approval was refused.
        """
        if self._sleep_duration:
            _say(f"[Sleep Gate] Simulating Sleep for {self._sleep_duration}")
            return LiteralMap()
        if self._input_type is not None:
            t = self._input_type
            prompt = f"[Input Gate] Waiting for input @{self._name} of type {t}: "
            value = _ask(self._name, prompt, lambda text: _parse(text, t))
            lit = TypeEngine.to_literal(ctx, value, self._input_type, typing.cast(LiteralType, self._literal_type))
            return LiteralMap(literals={"o0": lit})
        shown = ", ".join(_show(v) for v in input_literal_map.literals.values())  # one value: the approved output
        if _ask(self._name, f"[Approval Gate] @{self._name} Approve {shown}? [Y/n]: ", _yes_no):
            return input_literal_map
        raise FlyteDisapprovalException(f"User did not approve the transaction for gate node {self._name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return flyte_entity_call_handler(self, *args, **kwargs)

    def __repr__(self) -> str:
        return f"Gate({self._name!r})"


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


_T = typing.TypeVar("_T")


def _ask(gate: str, prompt: str, parse: typing.Callable[[str], _T]) -> _T:
    """Prompt on standard output and read lines from standard input (a terminal or a pipe) until one parses.

    An answer `parse` rejects with `ValueError` is reported and asked again, as flytekit's prompts do.
    """
    problem = ""
    while True:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        stdin = sys.stdin
        try:
            line = stdin.readline() if stdin is not None and not stdin.closed else ""
        except (OSError, ValueError) as e:  # pytest's captured stdin raises OSError; a detached one ValueError
            raise FlyteGateInputUnavailable(
                f"gate '{gate}' needs an answer on standard input, which cannot be read: {e}"
            ) from e
        if not line:
            sys.stdout.write("\n")
            raise FlyteGateInputUnavailable(
                f"gate '{gate}': standard input ended before a valid answer was given{problem}"
            )
        try:
            return parse(line.rstrip("\r\n"))
        except ValueError as e:
            problem = f" (last answer: {e})"
            sys.stdout.write(f"Error: {e}\n")


def _yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise ValueError(f"answer y or n, not {text!r}")


def _parse(text: str, t: Any) -> Any:
    """Turn the typed text into a value of `t`: as is for str, a number or bool, else JSON.

    Raises:
        ValueError: the text is empty or not a valid `t`.
    """
    if not text.strip():
        raise ValueError("an answer is required")
    try:
        if t is str:
            return text
        if t is bool:
            low = text.strip().lower()
            if low in ("true", "yes", "y", "1", "t", "on"):
                return True
            if low in ("false", "no", "n", "0", "f", "off"):
                return False
            raise ValueError("expected true or false")
        if t in (int, float):
            return t(text.strip())
        return json.loads(text)
    except ValueError as e:
        raise ValueError(f"{text!r} is not a valid {getattr(t, '__name__', t)}: {e}") from e


def _show(lit: Any) -> str:
    scalar = lit.scalar if lit.HasField("scalar") else None
    if scalar is not None and scalar.HasField("primitive"):
        return str(getattr(scalar.primitive, scalar.primitive.WhichOneof("value") or "string_value"))
    return str(lit).replace("\n", " ").strip()


def wait_for_input(name: str, timeout: _dt.timedelta, expected_type: Any) -> Any:
    """Wait for a value of `expected_type`, sent to the execution as signal `name` (locally: typed on stdin)."""
    return flyte_entity_call_handler(Gate(name, input_type=expected_type, timeout=timeout))


def sleep(duration: _dt.timedelta) -> Any:
    """Pause the workflow for `duration` on a cluster (locally: returns at once)."""
    return flyte_entity_call_handler(Gate("sleep-gate", sleep_duration=duration))


def approve(upstream_item: Any, name: str, timeout: _dt.timedelta) -> Any:
    """Pass `upstream_item` (one task output) on once someone approves it as signal `name`.

    Raises:
        ValueError: `upstream_item` is nothing, a workflow input, or has no known type.
    """
    if upstream_item is None or isinstance(upstream_item, VoidPromise):
        raise ValueError("You can't use approval on a task that doesn't return anything.")
    gate = Gate(name, upstream_item=upstream_item, timeout=timeout)
    ctx = FlyteContextManager.current_context()
    if isinstance(upstream_item, Promise) and not upstream_item.is_ready:
        if upstream_item.ref.node_id == "":
            raise ValueError("Workflow inputs cannot be passed to approval nodes.")
        producer = upstream_item.ref.node.flyte_entity
        io_type = producer.python_interface.outputs[upstream_item.ref.var]
        var = upstream_item.var
    elif ctx.compilation_state is not None:
        raise ValueError(f"approval gate '{name}' must approve the output of a task in this workflow")
    else:
        io_type, var = type(upstream_item), "o0"
    gate._python_interface = Interface(inputs={var: io_type}, outputs={var: io_type})
    return flyte_entity_call_handler(gate, **{var: upstream_item})
