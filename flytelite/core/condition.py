"""Conditionals: `conditional(name).if_(expr).then(call).elif_(...).then(...).else_().then(...)` / `.fail(msg)`.

A conditional compiles into one *branch node* in the enclosing graph. Each case keeps its condition as a
flyteidl `BooleanExpression` (operands that are promises become variables named `<node_id>.<var>`, bound as
the branch node's inputs) and the node of the call passed to `then`. Calls inside the conditional get
their own node ids, starting again at `n0`. The graph runner evaluates the conditions on the branch node's
resolved inputs and runs only the chosen case.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flyteidl.core.condition_pb2 import BooleanExpression, Operand
from flyteidl.core.condition_pb2 import ComparisonExpression as ComparisonProto
from flyteidl.core.condition_pb2 import ConjunctionExpression as ConjunctionProto
from flyteidl.core.literals_pb2 import Binding, BindingData, Literal, LiteralMap, RetryStrategy
from flyteidl.core.workflow_pb2 import NodeMetadata

from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.node import Node
from flytelite.core.promise import (
    ComparisonExpression,
    ComparisonOps,
    ConjunctionExpression,
    ConjunctionOps,
    NodeOutput,
    Promise,
    VoidPromise,
    create_task_output,
    get_primitive_val,
    resolve_attr_path,
)
from flytelite.errors import FlyteAssertion, FlyteUserException, FlyteValidationException

__all__ = [
    "BranchCase",
    "BranchNode",
    "Case",
    "ConditionFailedError",
    "ConditionalSection",
    "conditional",
    "evaluate_branch",
    "evaluate_expression",
]

_COMPARISON_OPS = {
    ComparisonOps.EQ: ComparisonProto.EQ,
    ComparisonOps.NE: ComparisonProto.NEQ,
    ComparisonOps.GT: ComparisonProto.GT,
    ComparisonOps.GE: ComparisonProto.GTE,
    ComparisonOps.LT: ComparisonProto.LT,
    ComparisonOps.LE: ComparisonProto.LTE,
}
_CONJUNCTION_OPS = {ConjunctionOps.AND: ConjunctionProto.AND, ConjunctionOps.OR: ConjunctionProto.OR}


class ConditionFailedError(FlyteUserException, ValueError):
    """The chosen case of a conditional was `.fail(message)` (a `ValueError` with that message, as in flytekit)."""

    _ERROR_CODE = "USER:ConditionFailed"

    def __str__(self) -> str:
        return Exception.__str__(self)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class BranchCase:
    """One compiled case: its condition (None for `else_`), and the node to run or the error to raise.

    `nodes` are all the nodes the case's `then(...)` argument created, in order; `then_node` (the last one
    producing the output) is what a serialized branch refers to.
    """

    condition: BooleanExpression | None
    then_node: Node | None
    error: str | None
    nodes: tuple[Node, ...] = ()


class BranchNode:
    """The entity of a branch node: named cases evaluated in order."""

    def __init__(self, name: str, cases: list[BranchCase]) -> None:
        self.name = name
        self.cases = cases

    def inner_nodes(self) -> list[Node]:
        """Return the nodes the cases may run."""
        return [n for c in self.cases for n in (c.nodes or ((c.then_node,) if c.then_node else ()))]

    def __repr__(self) -> str:
        return f"BranchNode({self.name}, {len(self.cases)} cases)"


# --- compile expressions to protos ----------------------------------------------------------------
def _operand(v: Promise | Literal, promises: dict[str, Promise]) -> Operand:
    if isinstance(v, Promise):
        if v.is_ready:
            return _operand(resolve_attr_path(v.val, v.attr_path), promises)
        var = f"{v.ref.node_id}.{v.var}"
        promises.setdefault(var, v)
        return Operand(var=var)
    if v.scalar.HasField("none_type"):
        return Operand(scalar=v.scalar)
    return Operand(primitive=v.scalar.primitive)


def to_boolean_expression(expr: Any, promises: dict[str, Promise]) -> BooleanExpression:
    """Return the flyteidl form of a comparison or conjunction; record the promises it reads."""
    if isinstance(expr, ConjunctionExpression):
        return BooleanExpression(
            conjunction=ConjunctionProto(
                operator=_CONJUNCTION_OPS[expr.op],
                left_expression=to_boolean_expression(expr.lhs, promises),
                right_expression=to_boolean_expression(expr.rhs, promises),
            )
        )
    return BooleanExpression(
        comparison=ComparisonProto(
            operator=_COMPARISON_OPS[expr.op],
            left_value=_operand(expr.lhs, promises),
            right_value=_operand(expr.rhs, promises),
        )
    )


# --- evaluate at run time -------------------------------------------------------------------------
def _operand_value(op: Operand, inputs: LiteralMap) -> Any:
    kind = op.WhichOneof("val")
    if kind == "primitive":
        return get_primitive_val(op.primitive)
    if kind == "var":
        lit = inputs.literals[op.var]
        while lit.scalar.HasField("union"):
            lit = lit.scalar.union.value
        if lit.scalar.HasField("primitive"):
            return get_primitive_val(lit.scalar.primitive)
        if lit.scalar.HasField("none_type"):
            return None
        p = Promise(op.var, lit)
        return p.eval()
    return None


_EVAL = {
    ComparisonProto.EQ: lambda a, b: a == b,
    ComparisonProto.NEQ: lambda a, b: a != b,
    ComparisonProto.GT: lambda a, b: a > b,
    ComparisonProto.GTE: lambda a, b: a >= b,
    ComparisonProto.LT: lambda a, b: a < b,
    ComparisonProto.LTE: lambda a, b: a <= b,
}


def evaluate_expression(expr: BooleanExpression, inputs: LiteralMap) -> bool:
    """Evaluate a flyteidl `BooleanExpression` against the branch node's inputs."""
    if expr.HasField("conjunction"):
        c = expr.conjunction
        left = evaluate_expression(c.left_expression, inputs)
        if c.operator == ConjunctionProto.AND:
            return left and evaluate_expression(c.right_expression, inputs)
        return left or evaluate_expression(c.right_expression, inputs)
    cmp = expr.comparison
    left, right = _operand_value(cmp.left_value, inputs), _operand_value(cmp.right_value, inputs)
    return bool(_EVAL[cmp.operator](left, right))


def evaluate_branch(branch: BranchNode, inputs: LiteralMap) -> tuple[BranchCase | None, list[Node]]:
    """Pick the case to run: return it (None if it has no node) and the nodes of the other cases.

    Raises:
        ConditionFailedError: the chosen case is `.fail(message)`.
    """
    for i, case in enumerate(branch.cases):
        if case.condition is None or evaluate_expression(case.condition, inputs):
            skipped = [n for j, c in enumerate(branch.cases) if j != i for n in c.nodes]
            if case.error is not None:
                raise ConditionFailedError(case.error)
            return (case if case.then_node is not None else None), skipped
    raise ConditionFailedError(f"conditional '{branch.name}': no case matched and there is no else_()")


# --- the builder ----------------------------------------------------------------------------------
class Case:
    """One `if_` / `elif_` / `else_` clause, completed by `then(call)` or `fail(message)`."""

    def __init__(self, cs: ConditionalSection, expr: Any, stmt: str) -> None:
        if expr is not None:
            if isinstance(expr, bool):
                raise FlyteAssertion(
                    f"conditional '{cs.name}'.{stmt}: got an already evaluated bool; `and`, `or`, `not` and `is` "
                    "are not supported, use comparisons (<, <=, >, >=, ==, !=) joined by & and |"
                )
            if isinstance(expr, Promise):
                raise FlyteAssertion(
                    f"conditional '{cs.name}'.{stmt}: a bare promise ({expr}) is not a condition; "
                    "write `x.is_true()` or a comparison"
                )
            if not isinstance(expr, ComparisonExpression | ConjunctionExpression):
                raise FlyteAssertion(f"conditional '{cs.name}'.{stmt}: expected a comparison, got {expr!r}")
        self._cs = cs
        self.expr = expr
        self.stmt = stmt
        self.output_promise: Any = None
        self.output_node: Node | None = None
        self.err: str | None = None
        self.first_node = cs.inner_node_count()
        self.nodes: tuple[Node, ...] = ()

    def then(self, p: Any) -> Any:
        """Run the call that produced `p` when this case is chosen."""
        self.output_promise = p
        self.output_node = _node_of(p)
        self.nodes = self._cs.inner_nodes_since(self.first_node)
        return self._cs.end_branch()

    def fail(self, err: str) -> Any:
        """Fail the workflow with `err` when this case is chosen."""
        self.err = err
        return self._cs.end_branch()

    def __repr__(self) -> str:
        return f"{self.stmt}({self.expr!r})"


def _node_of(p: Any) -> Node | None:
    if isinstance(p, Promise | VoidPromise):
        ref = p.ref if isinstance(p, VoidPromise) or not p.is_ready else None
        return ref.node if isinstance(ref, NodeOutput) else None
    if isinstance(p, tuple):
        for item in p:
            node = _node_of(item)
            if node is not None:
                return node
    return None


class ConditionalSection:
    """A conditional being compiled; `conditional(name)` returns one.

    Attributes:
        name: the conditional's name.
        cases: the cases so far.
    """

    def __init__(self, name: str) -> None:
        ctx = FlyteContextManager.current_context()
        cs = ctx.compilation_state
        if cs is None:
            raise FlyteAssertion(f"conditional '{name}' can only be used inside a workflow")
        self.name: str = name
        self.cases: list[Case] = []
        self._last_case = False
        self._depth = FlyteContextManager.size()
        self._inner = cs.with_params(prefix=cs.prefix, resolver=cs.task_resolver)
        FlyteContextManager.push_context(ctx.enter_conditional_section().with_compilation_state(self._inner))

    def inner_node_count(self) -> int:
        """Return how many nodes the conditional's calls created so far."""
        return len(self._inner.nodes)

    def inner_nodes_since(self, start: int) -> tuple[Node, ...]:
        """Return the nodes created since `start`."""
        return tuple(self._inner.nodes[start:])

    def _start(self, expr: Any, stmt: str, last: bool = False) -> Case:
        if self._last_case:
            raise FlyteAssertion(f"conditional '{self.name}' already ended with else_()")
        if stmt != "if_" and not self.cases:
            raise FlyteAssertion(f"conditional '{self.name}' must start with if_()")
        self._last_case = last
        case = Case(self, expr, stmt)
        self.cases.append(case)
        return case

    def if_(self, expr: Any) -> Case:
        """Start the conditional with its first case."""
        if self.cases:
            raise FlyteAssertion(f"conditional '{self.name}' already has an if_(); use elif_()")
        if expr is None:
            raise FlyteAssertion(f"conditional '{self.name}'.if_() needs an expression")
        return self._start(expr, "if_")

    def elif_(self, expr: Any) -> Case:
        """Add another case."""
        if expr is None:
            raise FlyteAssertion(f"conditional '{self.name}'.elif_() needs an expression")
        return self._start(expr, "elif_")

    def else_(self) -> Case:
        """Add the last case, chosen when no other matched."""
        return self._start(None, "else_", last=True)

    def end_branch(self) -> Any:
        """Finish a case: return `self` to continue, or (after `else_`) the branch node's outputs."""
        if not self._last_case:
            return self
        while FlyteContextManager.size() > self._depth:
            FlyteContextManager.pop_context()
        return self._add_branch_node()

    def _add_branch_node(self) -> Any:
        ctx = FlyteContextManager.current_context()
        cs = ctx.compilation_state
        if cs is None:
            raise FlyteAssertion(f"conditional '{self.name}' ended outside of a workflow")
        promises: dict[str, Promise] = {}
        cases = [
            BranchCase(
                condition=to_boolean_expression(c.expr, promises) if c.expr is not None else None,
                then_node=c.output_node if c.err is None else None,
                error=c.err,
                nodes=c.nodes if c.err is None else (),
            )
            for c in self.cases
        ]
        if len(cases) < 2:
            raise FlyteAssertion(f"conditional '{self.name}' needs at least an if_() and an else_()")
        bindings = [Binding(var=v, binding=BindingData(promise=p.ref.to_proto())) for v, p in sorted(promises.items())]
        upstream: list[Node] = []
        for p in promises.values():
            if p.ref.node.id and p.ref.node not in upstream:
                upstream.append(p.ref.node)
        md = NodeMetadata(name=self.name, retries=RetryStrategy(retries=0))
        node = Node(
            id=f"{cs.prefix}n{len(cs.nodes)}",
            metadata=md,
            bindings=bindings,
            upstream_nodes=upstream,
            flyte_entity=BranchNode(self.name, cases),
        )
        cs.add_node(node)
        return self._outputs(node)

    def compute_output_vars(self) -> list[str] | None:
        """Return the output names every case produces (in the first case's order), or None."""
        names: list[str] | None = None
        for c in self.cases:
            if c.err is not None:
                continue
            p = c.output_promise
            if p is None or isinstance(p, VoidPromise):
                return None
            current = [x.var for x in p] if isinstance(p, tuple) else [p.var]
            names = current if names is None else [n for n in names if n in current]
        return names

    def _outputs(self, node: Node) -> Any:
        names = self.compute_output_vars()
        if not names:
            return VoidPromise(node.id, NodeOutput(node, "placeholder"))
        return create_task_output([Promise(n, NodeOutput(node, n)) for n in names])

    def __repr__(self) -> str:
        return f"ConditionalSection({self.name}, {self.cases})"


def conditional(name: str) -> ConditionalSection:
    """Start a conditional inside a workflow: `conditional("x").if_(a > 1).then(t1(a=a)).else_().then(t2(a=a))`.

    Raises:
        FlyteValidationException: when called outside of a workflow body.
    """
    if FlyteContextManager.current_context().compilation_state is None:
        raise FlyteValidationException(f"conditional '{name}' can only be used inside a workflow")
    return ConditionalSection(name)
