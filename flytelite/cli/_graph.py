"""A drawable form of a compiled workflow graph, and its mermaid and Graphviz dot renderings.

`build_graph(entity)` walks the same `CompiledGraph` the runner executes and the translator serializes: tasks,
map tasks, dynamic tasks, sub-workflows and launch plans (drawn as clusters with their own nodes), branches
(a cluster with a decision node and one edge per case, labelled with its condition) and the failure node.
Data edges are labelled with the variables they carry (`o0 → a`); ordering-only edges (`a >> b`) are dashed.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from typing import Any

from flyteidl.core.condition_pb2 import BooleanExpression, ComparisonExpression, ConjunctionExpression, Operand
from flyteidl.core.literals_pb2 import Binding, BindingData

from flytelite.core.array_node_map_task import ArrayNodeMapTask
from flytelite.core.condition import BranchNode
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.node import Node
from flytelite.core.workflow import CompiledGraph, WorkflowBase, is_dynamic_task

__all__ = ["Cluster", "GraphEdge", "GraphNode", "WorkflowGraph", "build_graph", "to_dot", "to_mermaid"]

START, END = "start-node", "end-node"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class GraphNode:
    """A box in the drawing. `kind`: start, end, task, map, dynamic, workflow, launchplan, branch, fail, failure."""

    id: str
    label: str
    kind: str
    cluster: str | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class GraphEdge:
    """An arrow: `data` edges carry variables (named in `label`); the others only order nodes or pick a case."""

    source: str
    target: str
    label: str = ""
    data: bool = True


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    """A framed group: a sub-workflow, a launch plan or a branch (`parent`: the enclosing cluster)."""

    id: str
    label: str
    parent: str | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowGraph:
    """The whole drawing."""

    name: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    clusters: tuple[Cluster, ...]


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


_CMP = {
    ComparisonExpression.EQ: "==",
    ComparisonExpression.NEQ: "!=",
    ComparisonExpression.GT: ">",
    ComparisonExpression.GTE: ">=",
    ComparisonExpression.LT: "<",
    ComparisonExpression.LTE: "<=",
}


def _operand_text(op: Operand) -> str:
    kind = op.WhichOneof("val")
    if kind == "var":
        return str(op.var)
    if kind == "primitive":
        which = op.primitive.WhichOneof("value")
        return json.dumps(getattr(op.primitive, which), default=str) if which else "?"
    return "None"


def expression_text(expr: BooleanExpression) -> str:
    """Return a condition as text: `n0.o0 > 5 and a == 1`."""
    if expr.HasField("conjunction"):
        c = expr.conjunction
        word = "and" if c.operator == ConjunctionExpression.AND else "or"
        return f"({expression_text(c.left_expression)}) {word} ({expression_text(c.right_expression)})"
    cmp = expr.comparison
    return f"{_operand_text(cmp.left_value)} {_CMP.get(cmp.operator, '?')} {_operand_text(cmp.right_value)}"


def _refs(bd: BindingData) -> Iterable[tuple[str, str]]:
    """Yield `(node id, variable with attribute path)` of every promise in a binding."""
    kind = bd.WhichOneof("value")
    if kind == "promise":
        path = "".join(
            f"[{a.int_value}]" if a.WhichOneof("value") == "int_value" else f".{a.string_value}"
            for a in bd.promise.attr_path
        )
        yield bd.promise.node_id, bd.promise.var + path
    elif kind == "collection":
        for b in bd.collection.bindings:
            yield from _refs(b)
    elif kind == "map":
        for b in bd.map.bindings.values():
            yield from _refs(b)


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[GraphNode] = []
        self.edges: dict[tuple[str, str, bool], list[str]] = {}
        self.clusters: list[Cluster] = []

    def edge(self, source: str, target: str, label: str = "", data: bool = True) -> None:
        labels = self.edges.setdefault((source, target, data), [])
        if label and label not in labels:
            labels.append(label)

    def bind(self, bindings: list[Binding], target: str, scope: dict[str, str]) -> set[str]:
        """Add the data edges of `bindings` into `target`; return the source ids."""
        sources = set()
        for b in bindings:
            for node_id, var in _refs(b.binding):
                source = scope.get(node_id)
                if source is None:
                    continue
                self.edge(source, target, var if var == b.var else f"{var} → {b.var}")
                sources.add(source)
        return sources

    def add_nodes(self, nodes: list[Node], scope: dict[str, str], prefix: str, cluster: str | None) -> dict[str, str]:
        """Add `nodes` (one graph level) and return the scope extended with their ids."""
        scope = dict(scope)
        for node in nodes:
            gid = f"{prefix}{node.id}"
            self.add_node(node, gid, scope, cluster)
            sources = self.bind(node.bindings, gid, scope)
            for up in node.upstream_nodes:
                source = scope.get(up.id)
                if source is not None and source not in sources:
                    self.edge(source, gid, data=False)
            scope[node.id] = gid
        return scope

    def add_node(self, node: Node, gid: str, scope: dict[str, str], cluster: str | None) -> None:
        entity = node.flyte_entity
        if isinstance(entity, BranchNode):
            self.add_branch(entity, gid, scope, cluster)
        elif isinstance(entity, LaunchPlan | WorkflowBase):
            wf = entity.workflow if isinstance(entity, LaunchPlan) else entity
            kind = "launchplan" if isinstance(entity, LaunchPlan) else "workflow"
            title = f"launch plan {_short(entity.name)} → {_short(wf.name)}" if kind == "launchplan" else wf.name
            self.clusters.append(Cluster(id=f"cluster-{gid}", label=title, parent=cluster))
            self.nodes.append(GraphNode(id=gid, label=_short(entity.name), kind=kind, cluster=f"cluster-{gid}"))
            self.add_nodes(wf.graph.nodes, {"": gid}, f"{gid}-", f"cluster-{gid}")
        elif isinstance(entity, ArrayNodeMapTask):
            extra = f" (concurrency {entity.concurrency})" if entity.concurrency else ""
            label = f"map {_short(entity.python_function_task.name)}{extra}"
            self.nodes.append(GraphNode(id=gid, label=label, kind="map", cluster=cluster))
        elif is_dynamic_task(entity):
            self.nodes.append(
                GraphNode(id=gid, label=f"dynamic {_short(entity.name)}", kind="dynamic", cluster=cluster)
            )
        else:
            task_type = getattr(entity, "task_type", "python-task")
            suffix = f" [{task_type}]" if task_type not in ("python-task", "", None) else ""
            name = _short(str(getattr(entity, "name", type(entity).__name__)))
            self.nodes.append(GraphNode(id=gid, label=name + suffix, kind="task", cluster=cluster))

    def add_branch(self, branch: BranchNode, gid: str, scope: dict[str, str], cluster: str | None) -> None:
        cid = f"cluster-{gid}"
        self.clusters.append(Cluster(id=cid, label=f"branch {branch.name}", parent=cluster))
        self.nodes.append(GraphNode(id=gid, label=branch.name, kind="branch", cluster=cid))
        for i, case in enumerate(branch.cases):
            condition = expression_text(case.condition) if case.condition is not None else "else"
            if case.error is not None:
                fail_id = f"{gid}-{i}-fail"
                self.nodes.append(GraphNode(id=fail_id, label=f"fail: {case.error}", kind="fail", cluster=cid))
                self.edge(gid, fail_id, condition, data=False)
                continue
            case_nodes = list(case.nodes) or ([case.then_node] if case.then_node is not None else [])
            case_scope = self.add_nodes(case_nodes, scope, f"{gid}-{i}-", cid)
            if case.then_node is not None:
                self.edge(gid, case_scope[case.then_node.id], condition, data=False)


def graph_of(entity: Any) -> CompiledGraph:
    """Return the compiled graph of a workflow or launch plan, or a one-node graph for a task."""
    if isinstance(entity, LaunchPlan):
        return entity.workflow.graph
    if isinstance(entity, WorkflowBase):
        return entity.graph
    node = Node(id="n0", metadata=entity.construct_node_metadata(), bindings=[], upstream_nodes=[], flyte_entity=entity)
    return CompiledGraph(entity.name, [node], [])


def build_graph(entity: Any) -> WorkflowGraph:
    """Return the drawable graph of a workflow, launch plan or task."""
    graph = graph_of(entity)
    b = _Builder()
    inputs = ", ".join(entity.python_interface.inputs)
    outputs = ", ".join(entity.python_interface.outputs)
    b.nodes.append(GraphNode(id=START, label=f"inputs: {inputs}" if inputs else "start", kind="start"))
    scope = b.add_nodes(graph.nodes, {"": START}, "", None)
    if not isinstance(entity, WorkflowBase | LaunchPlan):
        for var in entity.python_interface.inputs:
            b.edge(START, "n0", var)
    b.nodes.append(GraphNode(id=END, label=f"outputs: {outputs}" if outputs else "end", kind="end"))
    if graph.output_bindings:
        b.bind(graph.output_bindings, END, scope)
    elif not isinstance(entity, WorkflowBase | LaunchPlan):
        for var in entity.python_interface.outputs:
            b.edge("n0", END, var)
    if graph.failure_node is not None:
        fid = f"failure-{graph.failure_node.id}"
        label = f"on failure: {_short(getattr(graph.failure_node.flyte_entity, 'name', 'handler'))}"
        b.nodes.append(GraphNode(id=fid, label=label, kind="failure"))
        b.bind(graph.failure_node.bindings, fid, scope)
    edges = tuple(GraphEdge(source=s, target=t, label=", ".join(ls), data=d) for (s, t, d), ls in b.edges.items())
    return WorkflowGraph(name=graph.name, nodes=tuple(b.nodes), edges=edges, clusters=tuple(b.clusters))


# --- renderings -----------------------------------------------------------------------------------------------
def _mid(node_id: str) -> str:
    return re.sub(r"\W", "_", node_id)


def _mtext(text: str) -> str:
    return text.replace('"', "#quot;")


_MERMAID_SHAPES = {
    "start": '(["{}"])',
    "end": '(["{}"])',
    "map": '[["{}"]]',
    "dynamic": '[/"{}"/]',
    "branch": '{{"{}"}}',
    "fail": '>"{}"]',
    "failure": '>"{}"]',
    "workflow": '[["{}"]]',
    "launchplan": '[["{}"]]',
}


def to_mermaid(g: WorkflowGraph) -> str:
    """Render as a mermaid `flowchart`."""
    lines = ["flowchart TD"]

    def emit(cluster: str | None, indent: str) -> None:
        for c in g.clusters:
            if c.parent == cluster:
                lines.append(f'{indent}subgraph {_mid(c.id)} ["{_mtext(c.label)}"]')
                emit(c.id, indent + "    ")
                lines.append(f"{indent}end")
        for n in g.nodes:
            if n.cluster == cluster:
                shape = _MERMAID_SHAPES.get(n.kind, '["{}"]').format(_mtext(n.label))
                lines.append(f"{indent}{_mid(n.id)}{shape}")

    emit(None, "    ")
    for e in g.edges:
        arrow = "-->" if e.data else "-.->"
        label = f'|"{_mtext(e.label)}"|' if e.label else ""
        lines.append(f"    {_mid(e.source)} {arrow}{label} {_mid(e.target)}")
    return "\n".join(lines) + "\n"


_DOT_SHAPES = {
    "start": "oval",
    "end": "oval",
    "map": "box3d",
    "dynamic": "parallelogram",
    "branch": "diamond",
    "fail": "octagon",
    "failure": "octagon",
    "workflow": "tab",
    "launchplan": "tab",
}


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(g: WorkflowGraph) -> str:
    """Render as Graphviz dot."""
    lines = [
        f"digraph {_q(g.name)} {{",
        "    rankdir=TB;",
        '    node [shape=box, style=rounded, fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]

    def emit(cluster: str | None, indent: str) -> None:
        for c in g.clusters:
            if c.parent == cluster:
                lines.append(f"{indent}subgraph {_q(c.id.replace('-', '_'))} {{")
                lines.append(f"{indent}    label={_q(c.label)}; style=dashed;")
                emit(c.id, indent + "    ")
                lines.append(f"{indent}}}")
        for n in g.nodes:
            if n.cluster == cluster:
                shape = _DOT_SHAPES.get(n.kind, "box")
                lines.append(f"{indent}{_q(n.id)} [label={_q(n.label)}, shape={shape}];")

    emit(None, "    ")
    for e in g.edges:
        attrs = [f"label={_q(e.label)}"] if e.label else []
        if not e.data:
            attrs.append("style=dashed")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {_q(e.source)} -> {_q(e.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
