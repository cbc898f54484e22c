"""`ArrayNode`: map a launch plan over list inputs (flytekit's `array_node`, what `map_task(launch_plan)` returns).

Every input of the launch plan except its fixed inputs becomes `List[T]` (defaults do not carry over: each
item needs a value) and its output `List[T]` (`List[Optional[T]]` when `min_success_ratio` is given and below
1, failed items being None). The node is named after the launch plan. Locally, each item runs the launch
plan's workflow through the graph runner of the run (`flytelite.exec._map_runner.run_array_node`), at most
`concurrency` items at a time; `wf(...)`, a `@dynamic` body and a top-level call all take that path.

```python
lp = LaunchPlan.get_or_create(sub_wf, "scaled", fixed_inputs={"factor": 10})

@workflow
def wf(xs: list[int]) -> list[int]:
    return map_task(lp)(a=xs)
```
"""

from __future__ import annotations

from typing import Any

from flyteidl.core.literals_pb2 import Binding, BindingData, RetryStrategy
from flyteidl.core.types_pb2 import OutputReference
from flyteidl.core.workflow_pb2 import ArrayNode as ArrayNodeModel
from flyteidl.core.workflow_pb2 import NodeMetadata

from flytelite.core._call import create_task_output, flyte_entity_call_handler, inputs_to_literal_map
from flytelite.core.context_manager import ExecutionState, FlyteContext
from flytelite.core.interface import Interface, transform_interface_to_typed_interface
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.node import Node
from flytelite.core.node_creation import create_and_link_node
from flytelite.core.workflow import CompiledGraph, run_graph_locally
from flytelite.models._view import view_of

__all__ = ["ARRAY_NODE_SUBNODE_NAME", "ArrayNode", "array_node"]

ARRAY_NODE_SUBNODE_NAME = "array_node_subnode"
"""The id flytekit gives the inner node of an array node (the serialized sub-node)."""


def _list_interface(interface: Interface, optional_outputs: bool) -> Interface:
    inputs = {k: list[t] for k, t in interface.inputs.items()}  # type: ignore[valid-type]  # runtime types
    outputs = {
        k: list[t | None] if optional_outputs else list[t]  # type: ignore[valid-type]
        for k, t in interface.outputs.items()
    }
    return Interface(inputs=inputs, outputs=outputs)


class ArrayNode:
    """A node running a launch plan once per element of its list inputs.

    Args:
        target: the launch plan to map.
        concurrency: how many items may run at once (None or 0: no limit).
        min_successes: how many items must succeed (takes precedence over `min_success_ratio`).
        min_success_ratio: the fraction of items that must succeed (None: all).
        metadata: the node metadata (default: named after the launch plan).
        run_all_sub_nodes: run every item even once the minimum can no longer be met, then decide.

    Attributes:
        target: the launch plan run for each item.
        python_interface: the list interface (fixed inputs excluded).
        concurrency: how many items may run at once (None: no limit).
        min_successes: how many items must succeed, if set.
        min_success_ratio: the fraction of items that must succeed (None when `min_successes` is set).
        run_all_sub_nodes: whether every item runs even after the minimum can no longer be met.
    """

    def __init__(
        self,
        target: LaunchPlan,
        concurrency: int | None = None,
        min_successes: int | None = None,
        min_success_ratio: float | None = None,
        metadata: NodeMetadata | None = None,
        run_all_sub_nodes: bool = False,
    ) -> None:
        if not isinstance(target, LaunchPlan):
            raise ValueError(f"Only LaunchPlans are supported for now, but got {type(target)}")
        n_outputs = len(target.python_interface.outputs)
        if n_outputs > 1:
            raise ValueError("Only tasks with a single output are supported in map tasks.")
        self.target: LaunchPlan = target
        self.concurrency: int | None = concurrency
        self.min_successes: int | None = min_successes
        ratio = 1.0 if min_success_ratio is None else min_success_ratio
        self.min_success_ratio: float | None = None if min_successes is not None else ratio
        self._metadata = metadata
        self.run_all_sub_nodes: bool = run_all_sub_nodes
        optional = min_success_ratio is not None and min_success_ratio != 1 and n_outputs == 1
        self.python_interface: Interface = _list_interface(target.python_interface, optional)
        self._interface: Any = transform_interface_to_typed_interface(self.python_interface)
        self._graph: CompiledGraph | None = None

    # --- what a node needs ------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """Return the node name: the launch plan's name."""
        return self.target.name

    @property
    def flyte_entity(self) -> LaunchPlan:
        """Return the launch plan run for each item."""
        return self.target

    @property
    def interface(self) -> Any:
        """Return the typed list interface as flytekit's `models.interface.TypedInterface` (a view)."""
        return view_of(self._interface)

    @property
    def bound_inputs(self) -> set[str]:
        """Return no inputs: every input of a mapped launch plan is mapped over."""
        return set()

    @property
    def data_mode(self) -> int:
        """Return the flyteidl `ArrayNode.DataMode` (launch plans read one input file)."""
        return int(ArrayNodeModel.SINGLE_INPUT_FILE)

    @property
    def execution_mode(self) -> int:
        """Return the flyteidl `ArrayNode.ExecutionMode` (launch plans keep full state)."""
        return int(ArrayNodeModel.FULL_STATE)

    @property
    def is_original_sub_node_interface(self) -> bool:
        """Tell that the sub-node keeps the launch plan's own (non-list) interface."""
        return True

    def get_input_types(self) -> dict[str, Any]:
        """Return `{name: type}` of the list inputs."""
        return dict(self.python_interface.inputs)

    def construct_node_metadata(self) -> NodeMetadata:
        """Return the node metadata: the given one, else named after the launch plan (no retries, as flytekit)."""
        return self._metadata or NodeMetadata(name=self.target.name, retries=RetryStrategy())

    def local_execution_mode(self) -> ExecutionState.Mode:
        """Return the mode a local call runs in."""
        return ExecutionState.Mode.LOCAL_TASK_EXECUTION

    # --- calls ------------------------------------------------------------------------------------
    def compile(self, ctx: FlyteContext, *args: Any, **kwargs: Any) -> Any:
        """Add the array node to the workflow being compiled."""
        return create_and_link_node(ctx, entity=self, **kwargs)

    def local_execute(self, ctx: FlyteContext, **kwargs: Any) -> Any:
        """Run the items through the graph runner (as a one-node graph) and return the outputs holder."""
        inputs = inputs_to_literal_map(ctx, self, kwargs)
        return create_task_output(self, run_graph_locally(self._one_node_graph(), ctx, inputs))

    def _one_node_graph(self) -> CompiledGraph:
        if self._graph is None:
            bindings = [
                Binding(var=k, binding=BindingData(promise=OutputReference(node_id="", var=k)))
                for k in sorted(self.python_interface.inputs)
            ]
            node = Node("n0", self.construct_node_metadata(), bindings, [], self)
            outputs = [
                Binding(var=k, binding=BindingData(promise=OutputReference(node_id="n0", var=k)))
                for k in self.python_interface.outputs
            ]
            self._graph = CompiledGraph(self.name, [node], outputs)
        return self._graph

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return flyte_entity_call_handler(self, *args, **kwargs)

    def __repr__(self) -> str:
        return f"ArrayNode({self.target.name})"


def array_node(
    target: LaunchPlan,
    concurrency: int | None = None,
    min_success_ratio: float | None = None,
    min_successes: int | None = None,
    run_all_sub_nodes: bool = False,
) -> ArrayNode:
    """Return an `ArrayNode` mapping launch plan `target` over list inputs (see `map_task`)."""
    return ArrayNode(
        target,
        concurrency=concurrency,
        min_successes=min_successes,
        min_success_ratio=min_success_ratio,
        run_all_sub_nodes=run_all_sub_nodes,
    )
