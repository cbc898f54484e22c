"""Workflows: a function body compiled once into a graph of nodes, run locally by the graph runner.

`@workflow` makes a `PythonFunctionWorkflow`. Its body runs once with promises in place of the inputs
(`compile()`, cached); each call in it adds a node. Calling the workflow (`wf(a=5)`) does **not** run the
body again: the inputs become literals and the graph runner of the run (`graph_runner`: the one in the execution
state, else `flytelite.exec`'s default) walks the compiled nodes. `ImperativeWorkflow` (`Workflow`) builds the same
graph with `add_workflow_input`, `add_entity` and `add_workflow_output`.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, Protocol

from flyteidl.core import workflow_pb2
from flyteidl.core.literals_pb2 import Binding, BindingData, Literal, LiteralMap, RetryStrategy, Scalar, Void
from flyteidl.core.types_pb2 import OutputReference
from flyteidl.core.workflow_pb2 import NodeMetadata

from flytelite.core._call import (
    create_task_output,
    flyte_entity_call_handler,
    inputs_to_literal_map,
    normalize_call_args,
)
from flytelite.core.context_manager import (
    CompilationState,
    ExecutionState,
    FlyteContext,
    FlyteContextManager,
    FlyteEntities,
)
from flytelite.core.interface import (
    Interface,
    transform_function_to_interface,
    transform_interface_to_typed_interface,
    typed_interface,
)
from flytelite.core.node import Node
from flytelite.core.node_creation import binding_from_python_std, create_and_link_node
from flytelite.core.promise import NodeOutput, Promise, VoidPromise
from flytelite.core.task_node import load_object_from_module
from flytelite.core.tracker import TrackedInstance, extract_task_module
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import (
    FlyteAssertion,
    FlyteSystemException,
    FlyteValidationException,
    FlyteValueException,
    message_of,
)
from flytelite.models._view import view_of

__all__ = [
    "GLOBAL_START_NODE",
    "CompiledGraph",
    "ImperativeWorkflow",
    "PythonFunctionWorkflow",
    "WorkflowBase",
    "WorkflowFailurePolicy",
    "WorkflowMetadata",
    "WorkflowMetadataDefaults",
    "graph_runner",
    "is_dynamic_task",
    "run_dynamic_locally",
    "run_graph_locally",
    "run_mocked_workflow",
    "task_graph",
    "workflow",
]

WORKFLOW_NAME_EXTRA = "flytelite.workflow_name"

GLOBAL_START_NODE = Node(id="", metadata=NodeMetadata(), bindings=[], upstream_nodes=[], flyte_entity=None)


class WorkflowFailurePolicy(enum.IntEnum):
    """What Flyte does with the rest of the graph when a node fails (flyteidl `OnFailurePolicy`)."""

    FAIL_IMMEDIATELY = 0
    FAIL_AFTER_EXECUTABLE_NODES_COMPLETE = 1


@dataclasses.dataclass(frozen=True, slots=True)
class WorkflowMetadata:
    """Workflow-level settings: the failure policy."""

    on_failure: WorkflowFailurePolicy = WorkflowFailurePolicy.FAIL_IMMEDIATELY

    def to_flyte_model(self) -> workflow_pb2.WorkflowMetadata:
        """Return the flyteidl `WorkflowMetadata`."""
        return workflow_pb2.WorkflowMetadata(on_failure=int(self.on_failure))


@dataclasses.dataclass(frozen=True, slots=True)
class WorkflowMetadataDefaults:
    """Defaults every node of the workflow inherits: `interruptible`."""

    interruptible: bool = False

    def to_flyte_model(self) -> workflow_pb2.WorkflowMetadataDefaults:
        """Return the flyteidl `WorkflowMetadataDefaults`."""
        return workflow_pb2.WorkflowMetadataDefaults(interruptible=self.interruptible)


class CompiledGraph:
    """What the graph runner executes: nodes in creation order, output bindings, an optional failure node.

    A plain class rather than a dataclass: defining a dataclass compiles its generated methods, ~1 ms of the start-up
    of every process that runs a workflow, and a graph is only built and read.
    """

    __slots__ = ("failure_node", "name", "nodes", "output_bindings")

    def __init__(
        self, name: str, nodes: list[Node], output_bindings: list[Binding], failure_node: Node | None = None
    ) -> None:
        self.name = name
        self.nodes = nodes
        self.output_bindings = output_bindings
        self.failure_node = failure_node

    def __repr__(self) -> str:
        failure = "" if self.failure_node is None else f", failure_node={self.failure_node.id!r}"
        return f"CompiledGraph(name={self.name!r}, nodes={[n.id for n in self.nodes]}{failure})"


def task_graph(task: Any) -> CompiledGraph:
    """Return the one-node graph that runs `task` on the workflow inputs (how `flytelite run` runs a task)."""
    bindings = [
        Binding(var=k, binding=BindingData(promise=OutputReference(node_id=GLOBAL_START_NODE.id, var=k)))
        for k in task.python_interface.inputs
    ]
    metadata = task.construct_node_metadata()
    node = Node(id="n0", metadata=metadata, bindings=bindings, upstream_nodes=[], flyte_entity=task)
    outputs = [
        Binding(var=k, binding=BindingData(promise=OutputReference(node_id="n0", var=k)))
        for k in task.python_interface.outputs
    ]
    return CompiledGraph(task.name, [node], outputs)


class LocalGraphRunner(Protocol):
    """What runs a compiled graph locally (`flytelite.exec.GraphRunner`)."""

    def run_graph(self, graph: CompiledGraph, ctx: FlyteContext, inputs: LiteralMap, path: str = "") -> LiteralMap:
        """Run `graph` on `inputs` and return its outputs."""
        ...


DEFAULT_RUNNER = "flytelite.exec.default_runner"
"""The function that returns the graph runner of a run whose execution state names none (looked up by name)."""


def graph_runner(ctx: FlyteContext) -> LocalGraphRunner:
    """Return the graph runner of the current run: the one in the execution state, else the default one.

    The default lives a layer above (`flytelite.exec`) and is found by its qualified name, as the type engine finds
    lazy transformers: the same object whatever was imported first, and nothing registers itself on import.
    """
    es = ctx.execution_state
    runner = es.runner if es is not None else None
    if runner is None or not hasattr(runner, "run_graph"):
        runner = load_object_from_module(DEFAULT_RUNNER)()
    return typing.cast(LocalGraphRunner, runner)


def run_graph_locally(graph: CompiledGraph, ctx: FlyteContext, inputs: LiteralMap) -> LiteralMap:
    """Run `graph` with the graph runner of the current run (`graph_runner`)."""
    return graph_runner(ctx).run_graph(graph, ctx, inputs)


def is_dynamic_task(entity: Any) -> bool:
    """Tell whether `entity` is a `@dynamic` task."""
    mode = getattr(entity, "execution_mode", None)
    return getattr(mode, "name", None) == "DYNAMIC"


def _none_literal() -> Literal:
    return Literal(scalar=Scalar(none_type=Void()))


# --- compilation -----------------------------------------------------------------------------------
def _bind_outputs(ctx: FlyteContext, name: str, interface: Interface, typed: Any, outputs: Any) -> list[Binding]:
    names = list(interface.outputs)
    if not names:
        if outputs is not None and not isinstance(outputs, VoidPromise):
            raise FlyteValueException(f"workflow '{name}' declares no outputs but returned {outputs!r}")
        return []
    if len(names) == 1:
        if isinstance(outputs, tuple) and not isinstance(outputs, Promise):
            if len(outputs) != 1 or interface.output_tuple_name is None:
                raise FlyteValidationException(
                    f"workflow '{name}' declares one output but returned {len(outputs)} values"
                )
            outputs = outputs[0]
        values = [outputs]
    else:
        if not isinstance(outputs, tuple) or len(outputs) != len(names):
            got = len(outputs) if isinstance(outputs, tuple) else 1
            raise FlyteValidationException(f"workflow '{name}' declares {len(names)} outputs but returned {got}")
        values = list(outputs)
    bindings = []
    for var, value in zip(names, values, strict=True):
        try:
            b, _ = binding_from_python_std(ctx, var, typed.outputs.variables[var].type, value, interface.outputs[var])
        except Exception as e:
            raise FlyteValidationException(f"workflow '{name}', output '{var}': {message_of(e)}") from e
        bindings.append(b)
    return bindings


def compile_function(
    fn: Callable[..., Any],
    name: str,
    interface: Interface,
    inputs: dict[str, Any],
    prefix: str = "",
    resolver: Any = None,
) -> tuple[list[Node], list[Binding], dict[str, Any]]:
    """Run `fn` with `inputs` (promises or constants) under a fresh compilation state.

    Returns:
        The nodes created, the output bindings, and the inputs the body was called with.
    """
    ctx = FlyteContextManager.current_context()
    typed = transform_interface_to_typed_interface(interface)
    cs = CompilationState(prefix=prefix, task_resolver=resolver)
    with FlyteContextManager.with_context(ctx.with_compilation_state(cs).with_extra(WORKFLOW_NAME_EXTRA, name)) as cctx:
        outputs = fn(**inputs)
        bindings = _bind_outputs(cctx, name, interface, typed, outputs)
    return list(cs.nodes), bindings, inputs


def _input_promises(interface: Interface, typed: Any) -> dict[str, Promise]:
    return {k: Promise(k, NodeOutput(GLOBAL_START_NODE, k), typed.inputs.variables[k].type) for k in interface.inputs}


# --- workflows --------------------------------------------------------------------------------------
class WorkflowBase:
    """What every workflow has: a name, metadata, an interface, a compiled graph, an optional failure handler.

    Args:
        name: the workflow name (`<module>.<function>`).
        workflow_metadata: the failure policy.
        workflow_metadata_defaults: defaults for the nodes (`interruptible`).
        python_interface: the native interface.
        on_failure: a task or workflow run when the workflow fails.
        docs: the documentation entity, if any.
    """

    entity_kind = "workflow"  # how error messages name it

    def __init__(
        self,
        name: str,
        workflow_metadata: WorkflowMetadata,
        workflow_metadata_defaults: WorkflowMetadataDefaults,
        python_interface: Interface,
        on_failure: Any = None,
        docs: Any = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise TypeError(f"Unexpected arguments for workflow '{name}': {sorted(kwargs)}")
        self._name = name
        self._workflow_metadata = workflow_metadata
        self._workflow_metadata_defaults = workflow_metadata_defaults
        self._python_interface = python_interface
        self._interface: Any = transform_interface_to_typed_interface(python_interface)
        self._on_failure = on_failure
        self._docs = docs
        self._nodes: list[Node] = []
        self._output_bindings: list[Binding] = []
        self._failure_node: Node | None = None
        self._graph: CompiledGraph | None = None
        FlyteEntities.entities.append(self)

    @property
    def name(self) -> str:
        """Return the workflow name."""
        return self._name

    @property
    def short_name(self) -> str:
        """Return the last dotted part of the name."""
        return self._name.rsplit(".", 1)[-1]

    @property
    def workflow_metadata(self) -> WorkflowMetadata:
        """Return the failure policy."""
        return self._workflow_metadata

    @property
    def workflow_metadata_defaults(self) -> WorkflowMetadataDefaults:
        """Return the node defaults."""
        return self._workflow_metadata_defaults

    @property
    def python_interface(self) -> Interface:
        """Return the native interface."""
        return self._python_interface

    @property
    def interface(self) -> Any:
        """Return the typed interface as flytekit's `models.interface.TypedInterface` (a view over the protobuf)."""
        return view_of(self._interface)

    @property
    def on_failure(self) -> Any:
        """Return the failure handler, if any."""
        return self._on_failure

    @property
    def docs(self) -> Any:
        """Return the documentation entity, if any."""
        return self._docs

    @property
    def nodes(self) -> list[Node]:
        """Return the compiled nodes, in creation order."""
        return self.graph.nodes

    @property
    def output_bindings(self) -> list[Binding]:
        """Return the workflow output bindings."""
        return self.graph.output_bindings

    @property
    def failure_node(self) -> Node | None:
        """Return the compiled failure-handler node, if any."""
        return self.graph.failure_node

    @property
    def graph(self) -> CompiledGraph:
        """Return the compiled graph (compiling on first use)."""
        if self._graph is None:
            self.compile()
        if self._graph is None:
            raise FlyteSystemException(f"workflow '{self._name}' did not compile")
        return self._graph

    def compile(self, ctx: FlyteContext | None = None, *args: Any, **kwargs: Any) -> Any:
        """Compile the graph; inside another workflow's compilation, add this workflow as a node instead.

        A subworkflow's defaults are ordinary inputs of its node, as in flytekit, so a mutable default
        (`x: list[int] = [1, 2]`) binds a copy of its value (a task or launch plan rejects one).
        """
        if ctx is not None and ctx.compilation_state is not None:
            defaults = self._python_interface.inputs_with_defaults
            for k, v in kwargs.items():
                if isinstance(v, list | dict | set) and v is defaults.get(k, (None, None))[1]:
                    kwargs[k] = copy.deepcopy(v)
            return create_and_link_node(ctx, entity=self, **kwargs)
        if self._graph is None:
            self._graph = self._build_graph()
        return None

    def _build_graph(self) -> CompiledGraph:
        return CompiledGraph(self._name, self._nodes, self._output_bindings, self._failure_node)

    def construct_node_metadata(self) -> NodeMetadata:
        """Return the metadata of a node that calls this workflow."""
        return NodeMetadata(
            name=self.short_name,
            retries=RetryStrategy(),
            interruptible=self._workflow_metadata_defaults.interruptible,
        )

    def local_execution_mode(self) -> ExecutionState.Mode:
        """Return the mode a local run of this workflow uses."""
        return ExecutionState.Mode.LOCAL_WORKFLOW_EXECUTION

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return flyte_entity_call_handler(self, *args, **kwargs)

    def get_input_types(self) -> dict[str, Any]:
        """Return `{name: type}` of the inputs."""
        return self._python_interface.inputs

    def inputs_to_literals(self, ctx: FlyteContext, kwargs: dict[str, Any]) -> LiteralMap:
        """Convert native (or ready-promise) inputs into a `LiteralMap` (errors name the workflow and the input)."""
        return inputs_to_literal_map(ctx, self, kwargs)

    def local_execute(self, ctx: FlyteContext, **kwargs: Any) -> Any:
        """Run the compiled graph on the inputs and return the outputs (C's output holder)."""
        inputs = self.inputs_to_literals(ctx, kwargs)
        outputs = run_graph_locally(self.graph, ctx, inputs)
        return create_task_output(self, outputs)

    def add_error_input(self, ctx: FlyteContext, node: Node, inputs: LiteralMap, err: BaseException) -> None:
        """Give a failure handler that declares an optional `err` input a value (None locally)."""
        del ctx, err
        if "err" in getattr(node.flyte_entity.python_interface, "inputs", {}) and "err" not in inputs.literals:
            inputs.literals["err"].CopyFrom(_none_literal())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._name})"


class PythonFunctionWorkflow(TrackedInstance, WorkflowBase):
    """A workflow defined by a decorated Python function; also the resolver of tasks declared in its body."""

    def __init__(
        self,
        workflow_function: Callable[..., Any],
        metadata: WorkflowMetadata | None = None,
        default_metadata: WorkflowMetadataDefaults | None = None,
        docstring: Any = None,
        on_failure: Any = None,
        docs: Any = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("pickle_untyped", None)
        kwargs.pop("default_options", None)
        name = extract_task_module(workflow_function)[0]
        self._workflow_function = workflow_function
        self._mapping: list[Any] = []
        interface = transform_function_to_interface(workflow_function, docstring=docstring)
        super().__init__(
            name=name,
            workflow_metadata=metadata or WorkflowMetadata(),
            workflow_metadata_defaults=default_metadata or WorkflowMetadataDefaults(),
            python_interface=interface,
            on_failure=on_failure,
            docs=docs,
            **kwargs,
        )
        self._lhs = workflow_function.__name__

    @property
    def function(self) -> Callable[..., Any]:
        """Return the decorated function."""
        return self._workflow_function

    def execute(self, **kwargs: Any) -> Any:
        """Call the workflow function (with promises when compiling)."""
        return self._workflow_function(**kwargs)

    def _build_graph(self) -> CompiledGraph:
        promises = _input_promises(self._python_interface, self._interface)
        nodes, bindings, _ = compile_function(
            self.execute, self._name, self._python_interface, dict(promises), prefix="", resolver=self
        )
        for n in nodes:
            if getattr(n.flyte_entity, "task_resolver", None) is self and n.flyte_entity not in self._mapping:
                self._mapping.append(n.flyte_entity)
        failure = self._compile_failure_node(promises)
        return CompiledGraph(self._name, nodes, bindings, failure)

    def _compile_failure_node(self, promises: dict[str, Promise]) -> Node | None:
        handler = self._on_failure
        if handler is None:
            return None
        wf_inputs = self._python_interface.inputs
        handler_inputs = handler.python_interface.inputs
        missing = set(wf_inputs) - set(handler_inputs)
        extra = [k for k in handler_inputs if k not in wf_inputs and not _is_optional(handler_inputs[k])]
        if missing or extra:
            raise FlyteValidationException(
                f"failure handler '{handler.name}' of workflow '{self._name}' must take every workflow input "
                f"(missing {sorted(missing)}) and only optional extra inputs (got required {extra})"
            )
        nodes, _, _ = compile_function(
            lambda **kw: handler(**kw), self._name, Interface(), dict(promises), prefix="f", resolver=self
        )
        if len(nodes) != 1:
            raise FlyteAssertion("A failure handler must be a single task or workflow")
        return nodes[0]

    # --- task resolver (tasks declared inside the workflow body) ---------------------------------
    def task_name(self, t: Any) -> str:
        """Return the name a task declared in this workflow's body gets."""
        return f"{self._name}.{type(t).__module__}.{t.name}"

    def add(self, t: Any) -> None:
        """Record a task declared in this workflow's body."""
        if t not in self._mapping:
            self._mapping.append(t)

    def loader_args(self, settings: Any, t: Any) -> list[str]:
        """Return the arguments that find `t` again: its index among the stored tasks."""
        del settings
        self.compile()
        if t not in self._mapping:
            raise ValueError("no such task")
        return [str(self._mapping.index(t))]

    def load_task(self, loader_args: list[str]) -> Any:
        """Return the stored task at the index in `loader_args`."""
        if len(loader_args) != 1:
            raise RuntimeError(f"Unable to load task, received ambiguous loader args {loader_args}, expected only one")
        self.compile()
        return self._mapping[int(loader_args[0])]

    def get_all_tasks(self) -> list[Any]:
        """Return the tasks declared in this workflow's body."""
        self.compile()
        return list(self._mapping)


def _is_optional(t: Any) -> bool:
    return typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in typing.get_args(t)


def workflow(
    _workflow_function: Callable[..., Any] | None = None,
    failure_policy: WorkflowFailurePolicy | None = None,
    interruptible: bool = False,
    on_failure: Any = None,
    docs: Any = None,
    pickle_untyped: bool = False,
    default_options: Any = None,
) -> Any:
    """Turn a function into a workflow (`@workflow` or `@workflow(on_failure=handler)`).

    Args:
        _workflow_function: the function, when used without parentheses.
        failure_policy: what happens to other nodes when one fails.
        interruptible: default for every node.
        on_failure: a task or workflow run (with the workflow's inputs) when the workflow fails.
        docs: documentation entity.
        pickle_untyped: accepted for compatibility.
        default_options: accepted for compatibility.
    """
    del pickle_untyped, default_options

    def wrapper(fn: Callable[..., Any]) -> PythonFunctionWorkflow:
        wf = PythonFunctionWorkflow(
            fn,
            metadata=WorkflowMetadata(on_failure=failure_policy or WorkflowFailurePolicy.FAIL_IMMEDIATELY),
            default_metadata=WorkflowMetadataDefaults(interruptible),
            on_failure=on_failure,
            docs=docs,
        )
        functools.update_wrapper(wf, fn)
        return wf

    return wrapper(_workflow_function) if _workflow_function is not None else wrapper


class ImperativeWorkflow(WorkflowBase):
    """A workflow built step by step (`Workflow(name=...)`, `add_workflow_input`, `add_entity`, `add_workflow_output`).

    Args:
        name: the workflow name.
        failure_policy: the failure policy.
        interruptible: default for every node.
    """

    def __init__(
        self, name: str, failure_policy: WorkflowFailurePolicy | None = None, interruptible: bool = False
    ) -> None:
        super().__init__(
            name=name,
            workflow_metadata=WorkflowMetadata(on_failure=failure_policy or WorkflowFailurePolicy.FAIL_IMMEDIATELY),
            workflow_metadata_defaults=WorkflowMetadataDefaults(interruptible),
            python_interface=Interface(),
        )
        self._inputs: dict[str, Promise] = {}
        self._input_types: dict[str, Any] = {}
        self._output_types: dict[str, Any] = {}
        self._cs = CompilationState(prefix="")

    @property
    def inputs(self) -> dict[str, Promise]:
        """Return the workflow input promises by name."""
        return self._inputs

    @property
    def compilation_state(self) -> CompilationState:
        """Return the state nodes are added to."""
        return self._cs

    def _refresh_interface(self) -> None:
        self._python_interface = Interface(inputs=dict(self._input_types), outputs=dict(self._output_types))
        self._interface = transform_interface_to_typed_interface(self._python_interface)
        self._graph = None

    def add_workflow_input(self, input_name: str, python_type: Any) -> Promise:
        """Declare an input and return its promise."""
        if input_name in self._inputs:
            raise FlyteValidationException(f"Input {input_name!r} was already added to workflow '{self.name}'")
        self._input_types[input_name] = python_type
        self._refresh_interface()
        lt = self._interface.inputs.variables[input_name].type
        self._inputs[input_name] = Promise(input_name, NodeOutput(GLOBAL_START_NODE, input_name), lt)
        return self._inputs[input_name]

    def add_entity(self, entity: Any, **kwargs: Any) -> Node:
        """Add a node calling `entity` with `kwargs` (promises or constants) and return the node."""
        ctx = FlyteContextManager.current_context()
        with FlyteContextManager.with_context(
            ctx.with_compilation_state(self._cs).with_extra(WORKFLOW_NAME_EXTRA, self.name)
        ) as cctx:
            kwargs = normalize_call_args(entity, (), kwargs)
            if isinstance(entity, WorkflowBase):
                entity.compile(cctx, **kwargs)
            else:
                create_and_link_node(cctx, entity=entity, **kwargs)
        self._graph = None
        return typing.cast(Node, self._cs.nodes[-1])

    def add_task(self, task: Any, **kwargs: Any) -> Node:
        """Add a node calling `task`."""
        return self.add_entity(task, **kwargs)

    def add_subwf(self, sub_wf: WorkflowBase, **kwargs: Any) -> Node:
        """Add a node calling another workflow."""
        return self.add_entity(sub_wf, **kwargs)

    def add_launch_plan(self, launch_plan: Any, **kwargs: Any) -> Node:
        """Add a node calling a launch plan."""
        return self.add_entity(launch_plan, **kwargs)

    def add_workflow_output(self, output_name: str, p: Any, python_type: Any = None) -> None:
        """Declare output `output_name` bound to `p` (a promise, a list/dict of promises, or a constant)."""
        if output_name in self._output_types:
            raise FlyteValidationException(f"Output {output_name!r} was already added to workflow '{self.name}'")
        if python_type is None:
            if not isinstance(p, Promise) or p.is_ready:
                raise FlyteValidationException(f"Output {output_name!r}: give python_type for a non-promise value")
            python_type = p.ref.node.flyte_entity.python_interface.outputs[p.ref.var]
        self._output_types[output_name] = python_type
        self._refresh_interface()
        ctx = FlyteContextManager.current_context()
        b, _ = binding_from_python_std(
            ctx, output_name, self._interface.outputs.variables[output_name].type, p, python_type
        )
        self._output_bindings.append(b)

    def add_on_failure_handler(self, entity: Any) -> None:
        """Run `entity` (with the workflow inputs) when the workflow fails."""
        self._on_failure = entity
        cs = CompilationState(prefix="f")
        ctx = FlyteContextManager.current_context()
        with FlyteContextManager.with_context(ctx.with_compilation_state(cs)) as cctx:
            kwargs = {k: v for k, v in self._inputs.items() if k in entity.python_interface.inputs}
            create_and_link_node(cctx, entity=entity, **normalize_call_args(entity, (), kwargs))
        self._failure_node = cs.nodes[0]
        self._graph = None

    def _build_graph(self) -> CompiledGraph:
        return CompiledGraph(self.name, list(self._cs.nodes), list(self._output_bindings), self._failure_node)

    def ready(self) -> bool:
        """Tell whether the workflow has at least one node."""
        return bool(self._cs.nodes)


Workflow = ImperativeWorkflow


def run_dynamic_locally(task: Any, ctx: FlyteContext, **native_inputs: Any) -> LiteralMap:
    """Compile a `@dynamic` task's body with its native inputs (node prefix `d`) and run that sub-graph.

    This is the hook `PythonFunctionTask.dynamic_execute` calls in local modes; the sub-graph runs through
    the runner of the current run, so its nodes reach the same executor.
    """
    interface = task.python_interface
    fn = task.task_function
    nodes, bindings, _ = compile_function(fn, task.name, interface, dict(native_inputs), prefix="d")
    graph = CompiledGraph(task.name, nodes, bindings)
    es = ctx.execution_state
    if es is not None:
        ctx = ctx.with_execution_state(es.with_params(mode=ExecutionState.Mode.LOCAL_DYNAMIC_TASK_EXECUTION))
    with FlyteContextManager.with_context(ctx) as dctx:
        return run_graph_locally(graph, dctx, LiteralMap())


def run_mocked_workflow(wf: WorkflowBase, ctx: FlyteContext, inputs: LiteralMap) -> LiteralMap:
    """Run a workflow whose `execute` was replaced (`flytelite.testing`): native inputs in, outputs converted."""
    interface = wf.python_interface
    kwargs = TypeEngine.literal_map_to_kwargs(ctx, inputs, interface.inputs)
    result = wf.execute(**kwargs)  # type: ignore[attr-defined]  # set by flytelite.testing
    names = list(interface.outputs)
    values = [result] if len(names) == 1 else list(result or ())
    variables = typed_interface(wf).outputs.variables
    return LiteralMap(
        literals={
            k: TypeEngine.to_literal(ctx, v, interface.outputs[k], variables[k].type)
            for k, v in zip(names, values, strict=True)
        }
    )
