"""Promises: values a workflow body passes around before they exist.

While a workflow is compiled, each call returns `Promise`s that point at a node output (`NodeOutput`);
passing one to another call becomes a flyteidl `Binding` with an `OutputReference`. A *ready* promise holds
a `Literal` instead (local task results). Attribute access (`p.a`, `p[0]`, `p["k"]`) extends the reference's
`attr_path`; comparisons build `ComparisonExpression`s for `conditional`, combined with `&` and `|`.

Bindings and node creation (`binding_from_python_std`, `create_and_link_node`) are in
`flytelite.core.node_creation`.
"""

from __future__ import annotations

import collections
import enum
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flyteidl.core.literals_pb2 import (
    Binary,
    Literal,
    Primitive,
    Scalar,
)
from flyteidl.core.types_pb2 import LiteralType, OutputReference, PromiseAttribute

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import FlyteAssertion, FlyteValidationException
from flytelite.types._codecs import msgpack

if TYPE_CHECKING:  # annotations only: nodes are made by the compiler, which imports them
    from flytelite.core.node import Node

__all__ = [
    "ComparisonExpression",
    "ComparisonOps",
    "ConjunctionExpression",
    "ConjunctionOps",
    "NodeOutput",
    "Promise",
    "VoidPromise",
    "create_native_named_tuple",
    "create_task_output",
    "get_primitive_val",
    "resolve_attr_path",
]

AttrKey = str | int


class NodeOutput:
    """A reference to output `var` of `node`, optionally followed by an attribute path.

    The node id is read from the node each time, so a node renamed with `with_overrides(node_name=…)` is
    referenced by its new id.
    """

    __slots__ = ("attr_path", "node", "var")

    def __init__(self, node: Node, var: str, attr_path: list[AttrKey] | None = None) -> None:
        self.node = node
        self.var = var
        self.attr_path: list[AttrKey] = list(attr_path or [])

    @property
    def node_id(self) -> str:
        """Return the id of the node that produces the value (`""` for workflow inputs)."""
        return self.node.id

    def with_attr(self, key: AttrKey) -> NodeOutput:
        """Return a copy whose attribute path ends with `key`."""
        return NodeOutput(self.node, self.var, [*self.attr_path, key])

    def to_proto(self) -> OutputReference:
        """Return the flyteidl `OutputReference`."""
        return OutputReference(
            node_id=self.node.id,
            var=self.var,
            attr_path=[
                PromiseAttribute(int_value=a) if isinstance(a, int) else PromiseAttribute(string_value=a)
                for a in self.attr_path
            ],
        )

    def __repr__(self) -> str:
        path = "".join(f"[{a!r}]" for a in self.attr_path)
        return f"NodeOutput({self.node.id or '<inputs>'}.{self.var}{path})"


def _compiling_workflow() -> str:
    name = FlyteContextManager.current_context().get_extra("flytelite.workflow_name")
    return f" in workflow '{name}'" if name else ""


class Promise:
    """A value produced by a node (unready, while compiling) or already computed (ready).

    Args:
        var: the output variable name.
        val: a `Literal` (ready) or a `NodeOutput` (unready).
        type: the output's `LiteralType`, when known.

    Attributes:
        var: the output variable name.
        attr_path: the attribute path applied to the output.
        literal_type: the output's literal type, when known.
    """

    def __init__(self, var: str, val: Literal | NodeOutput | None, type: LiteralType | None = None) -> None:
        self.var: str = var
        self.literal_type: LiteralType | None = type
        self.attr_path: list[AttrKey] = []
        self._val: Literal | None = None
        self._ref: NodeOutput | None = None
        if isinstance(val, NodeOutput):
            self._ref = val
            self.attr_path = list(val.attr_path)
        else:
            self._val = val

    @property
    def is_ready(self) -> bool:
        """Tell whether the promise holds a computed literal."""
        return self._ref is None

    @property
    def val(self) -> Literal:
        """Return the literal of a ready promise."""
        if self._val is None:
            raise ValueError(f"promise {self.var!r} is not ready: it is known only when the workflow runs")
        return self._val

    @property
    def ref(self) -> NodeOutput:
        """Return the node output an unready promise refers to."""
        if self._ref is None:
            raise ValueError(f"promise {self.var!r} is ready and refers to no node")
        return self._ref

    def with_var(self, new_var: str) -> Promise:
        """Return a copy under another variable name."""
        p = Promise(new_var, self._ref if self._ref is not None else self._val, self.literal_type)
        p.attr_path = list(self.attr_path)
        return p

    def eval(self) -> Any:
        """Return the Python value of a ready promise holding a primitive (or None)."""
        lit = resolve_attr_path(self.val, self.attr_path)
        return _literal_to_comparable(lit)

    def __hash__(self) -> int:
        return id(self)

    def __rshift__(self, other: Any) -> Any:
        other_ref = other._ref if isinstance(other, Promise) else other.ref if isinstance(other, VoidPromise) else None
        if self._ref is not None and other_ref is not None:
            self._ref.node.runs_before(other_ref.node)
        return other

    def runs_before(self, other: Any) -> Any:
        """Make the node behind `other` wait for this promise's node."""
        return self >> other

    # --- comparison expressions -------------------------------------------------------------------
    def is_(self, v: bool) -> ComparisonExpression:
        """Return the expression `self == v` for a boolean `v`."""
        return ComparisonExpression(self, ComparisonOps.EQ, v)

    def is_false(self) -> ComparisonExpression:
        """Return the expression `self is False`."""
        return self.is_(False)

    def is_true(self) -> ComparisonExpression:
        """Return the expression `self is True`."""
        return self.is_(True)

    def is_none(self) -> ComparisonExpression:
        """Return the expression `self is None`."""
        return ComparisonExpression(self, ComparisonOps.EQ, None)

    def __eq__(self, other: object) -> ComparisonExpression:  # type: ignore[override]  # builds an expression
        return ComparisonExpression(self, ComparisonOps.EQ, other)

    def __ne__(self, other: object) -> ComparisonExpression:  # type: ignore[override]  # builds an expression
        return ComparisonExpression(self, ComparisonOps.NE, other)

    def __gt__(self, other: Any) -> ComparisonExpression:
        return ComparisonExpression(self, ComparisonOps.GT, other)

    def __ge__(self, other: Any) -> ComparisonExpression:
        return ComparisonExpression(self, ComparisonOps.GE, other)

    def __lt__(self, other: Any) -> ComparisonExpression:
        return ComparisonExpression(self, ComparisonOps.LT, other)

    def __le__(self, other: Any) -> ComparisonExpression:
        return ComparisonExpression(self, ComparisonOps.LE, other)

    def __bool__(self) -> bool:
        raise FlyteValidationException(
            f"A promise cannot be used as a Python truth value{_compiling_workflow()}: output '{self.var}' "
            f"of {self._describe_node()} is known only when the workflow runs. Use `conditional(...).if_(...)` "
            "to branch, and `&` / `|` instead of `and` / `or`."
        )

    def __and__(self, other: Any) -> ComparisonExpression | ConjunctionExpression:
        return ConjunctionExpression(self.is_true(), ConjunctionOps.AND, _as_expr(other))

    def __or__(self, other: Any) -> ComparisonExpression | ConjunctionExpression:
        return ConjunctionExpression(self.is_true(), ConjunctionOps.OR, _as_expr(other))

    def __iter__(self) -> Any:
        raise FlyteValidationException(
            f"A promise cannot be iterated{_compiling_workflow()}: output '{self.var}' of "
            f"{self._describe_node()} is known only when the workflow runs. Iterate inside a task, a "
            "@dynamic task or use map_task."
        )

    def _describe_node(self) -> str:
        if self._ref is None:
            return "a local result"
        if not self._ref.node.id:
            return "the workflow inputs"
        entity = self._ref.node.flyte_entity
        return f"node '{self._ref.node.id}' ({getattr(entity, 'name', type(entity).__name__)})"

    # --- overrides and attribute access ------------------------------------------------------------
    def with_overrides(self, *args: Any, **kwargs: Any) -> Promise:
        """Apply `Node.with_overrides` to the producing node; return this promise."""
        if self._ref is not None:
            self._ref.node.with_overrides(*args, **kwargs)
        return self

    def __getitem__(self, key: AttrKey) -> Promise:
        return self._append_attr(key)

    def __getattr__(self, key: str) -> Promise:
        if key.startswith("__") or key in ("var", "literal_type", "attr_path", "_val", "_ref"):
            raise AttributeError(key)
        return self._append_attr(key)

    def _append_attr(self, key: AttrKey) -> Promise:
        p = Promise(self.var, self._ref.with_attr(key) if self._ref is not None else self._val, None)
        p.attr_path = [*self.attr_path, key]
        return p

    def deepcopy(self) -> Promise:
        """Return an independent copy."""
        return self.with_var(self.var)

    def __repr__(self) -> str:
        # flytekit's spelling (a workflow input has node id ""): workflow bodies print promises while compiling,
        # and users compare that output.
        if self._ref is not None:
            return f"Promise(node:{self._ref.node.id or ''}.{self.var}.{list(self.attr_path)!r})"
        return f"Resolved({self.var}={self._val})"

    __str__ = __repr__


class VoidPromise:
    """What a call of an entity with no outputs returns; it can only order nodes.

    Args:
        task_name: the entity's name (for error messages).
        ref: the node reference (a placeholder output) while compiling.

    Attributes:
        task_name: the name of the entity that returns nothing.
        ref: the node reference, if compiling.
    """

    def __init__(self, task_name: str, ref: NodeOutput | None = None) -> None:
        self.task_name: str = task_name
        self.ref: NodeOutput | None = ref

    def runs_before(self, other: Any) -> Any:
        """Make the node behind `other` wait for this one."""
        return self >> other

    def __rshift__(self, other: Any) -> Any:
        other_ref = getattr(other, "ref", None)
        if self.ref is not None and isinstance(other_ref, NodeOutput):
            self.ref.node.runs_before(other_ref.node)
        return other

    def with_overrides(self, *args: Any, **kwargs: Any) -> VoidPromise:
        """Apply `Node.with_overrides` to the node; return this promise."""
        if self.ref is not None:
            self.ref.node.with_overrides(*args, **kwargs)
        return self

    def _fail(self, *_: Any) -> Any:
        raise FlyteValidationException(
            f"{self.task_name} returns nothing: its result cannot be used as a value, compared or combined"
        )

    __eq__ = __and__ = __or__ = __le__ = __ge__ = __gt__ = __lt__ = __add__ = __mod__ = __xor__ = _fail
    __bool__ = _fail
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"VoidPromise({self.task_name})"


# --- expressions -----------------------------------------------------------------------------------
class ComparisonOps(enum.Enum):
    """The comparison operators a condition may use (flyteidl `ComparisonExpression.Operator`)."""

    EQ = "=="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="


class ConjunctionOps(enum.Enum):
    """How two boolean expressions combine."""

    AND = "and"
    OR = "or"


_COMPARATORS: dict[ComparisonOps, Callable[[Any, Any], bool]] = {
    ComparisonOps.EQ: operator.eq,
    ComparisonOps.NE: operator.ne,
    ComparisonOps.GT: operator.gt,
    ComparisonOps.GE: operator.ge,
    ComparisonOps.LT: operator.lt,
    ComparisonOps.LE: operator.le,
}


def _constant_literal(v: Any) -> Literal:
    if v is None:
        return Literal(scalar=Scalar(none_type={}))
    ctx = FlyteContextManager.current_context()
    return TypeEngine.to_literal(ctx, v, type(v), TypeEngine.to_literal_type(type(v)))


class ComparisonExpression:
    """`lhs <op> rhs` where each side is a promise or a constant (kept as a `Literal`).

    Attributes:
        lhs: the left operand.
        op: the operator.
        rhs: the right operand.
    """

    def __init__(self, lhs: Any, op: ComparisonOps, rhs: Any) -> None:
        self.op: ComparisonOps = op
        self.lhs: Promise | Literal = lhs if isinstance(lhs, Promise) else _constant_literal(lhs)
        self.rhs: Promise | Literal = rhs if isinstance(rhs, Promise) else _constant_literal(rhs)
        for side in (self.lhs, self.rhs):
            if isinstance(side, Literal) and not (
                side.scalar.HasField("primitive") or side.scalar.HasField("none_type")
            ):
                raise FlyteValidationException("Only primitive values and None can be used in a comparison")

    def eval(self) -> bool:
        """Evaluate with ready promises."""
        left = self.lhs.eval() if isinstance(self.lhs, Promise) else _literal_to_comparable(self.lhs)
        right = self.rhs.eval() if isinstance(self.rhs, Promise) else _literal_to_comparable(self.rhs)
        return bool(_COMPARATORS[self.op](left, right))

    def __and__(self, other: Any) -> ConjunctionExpression:
        return ConjunctionExpression(self, ConjunctionOps.AND, _as_expr(other))

    def __or__(self, other: Any) -> ConjunctionExpression:
        return ConjunctionExpression(self, ConjunctionOps.OR, _as_expr(other))

    def __bool__(self) -> bool:
        raise FlyteValidationException(
            "A comparison of promises has no truth value while the workflow is compiled; use `&` and `|` "
            "instead of `and` and `or`, and `conditional(...)` instead of `if`."
        )

    def __repr__(self) -> str:
        return f"({self.lhs} {self.op.value} {self.rhs})"


class ConjunctionExpression:
    """Two expressions joined with `&` (AND) or `|` (OR).

    Attributes:
        lhs: the left expression.
        op: the conjunction.
        rhs: the right expression.
    """

    def __init__(self, lhs: ComparisonExpression | ConjunctionExpression, op: ConjunctionOps, rhs: Any) -> None:
        self.lhs: ComparisonExpression | ConjunctionExpression = lhs
        self.op: ConjunctionOps = op
        self.rhs: ComparisonExpression | ConjunctionExpression = _as_expr(rhs)

    def eval(self) -> bool:
        """Evaluate with ready promises."""
        if self.op is ConjunctionOps.AND:
            return self.lhs.eval() and self.rhs.eval()
        return self.lhs.eval() or self.rhs.eval()

    def __and__(self, other: Any) -> ConjunctionExpression:
        return ConjunctionExpression(self, ConjunctionOps.AND, other)

    def __or__(self, other: Any) -> ConjunctionExpression:
        return ConjunctionExpression(self, ConjunctionOps.OR, other)

    def __bool__(self) -> bool:
        raise FlyteValidationException("Use `&` and `|` to combine conditions, not `and` and `or`.")

    def __repr__(self) -> str:
        return f"({self.lhs} {self.op.value} {self.rhs})"


def _as_expr(v: Any) -> ComparisonExpression | ConjunctionExpression:
    if isinstance(v, ComparisonExpression | ConjunctionExpression):
        return v
    if isinstance(v, Promise):
        return v.is_true()
    raise FlyteValidationException(f"Cannot combine a condition with {v!r}; combine comparisons of promises")


# --- literal helpers --------------------------------------------------------------------------------
def get_primitive_val(prim: Primitive) -> Any:
    """Return the Python value inside a flyteidl `Primitive`."""
    kind = prim.WhichOneof("value")
    if kind == "datetime":
        return prim.datetime.ToDatetime()
    if kind == "duration":
        return prim.duration.ToTimedelta()
    return getattr(prim, kind) if kind else None


def _literal_to_comparable(lit: Literal) -> Any:
    scalar = lit.scalar
    kind = scalar.WhichOneof("value")
    if kind == "union":
        return _literal_to_comparable(scalar.union.value)
    if kind == "none_type" or kind is None:
        return None
    if kind == "primitive":
        return get_primitive_val(scalar.primitive)
    if kind == "binary" and scalar.binary.tag == "msgpack":
        return msgpack.loads(scalar.binary.value, strict_map_key=False)
    raise FlyteValidationException(f"Only primitive values can be used in a comparison, got a {kind} literal")


def resolve_attr_path(lit: Literal, attr_path: list[AttrKey]) -> Literal:
    """Return the part of `lit` that `attr_path` selects (lists, maps, then msgpack-encoded objects).

    Raises:
        FlyteAssertion: when a key or index does not exist.
    """
    cur = lit
    for i, key in enumerate(attr_path):
        kind = cur.WhichOneof("value")
        if kind == "collection":
            items = cur.collection.literals
            if not isinstance(key, int) or key >= len(items):
                raise FlyteAssertion(f"Cannot resolve {attr_path}: index {key!r} out of range ({len(items)} items)")
            cur = items[key]
        elif kind == "map":
            if key not in cur.map.literals:
                raise FlyteAssertion(f"Cannot resolve {attr_path}: key {key!r} not in {sorted(cur.map.literals)}")
            cur = cur.map.literals[str(key)]
        elif kind == "scalar" and cur.scalar.WhichOneof("value") == "binary":
            return _resolve_in_binary(cur.scalar.binary, attr_path, attr_path[i:])
        elif kind == "scalar" and cur.scalar.WhichOneof("value") == "union":
            cur = cur.scalar.union.value
            return resolve_attr_path(cur, attr_path[i:])
        else:
            raise FlyteAssertion(f"Cannot resolve {attr_path}: attribute {key!r} of a {kind} literal")
    return cur


def _resolve_in_binary(binary: Binary, full: list[AttrKey], rest: list[AttrKey]) -> Literal:
    if binary.tag != "msgpack":
        raise FlyteAssertion(f"Cannot resolve {full} inside a binary literal tagged {binary.tag!r}")
    value = msgpack.loads(binary.value, strict_map_key=False)
    for key in rest:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError) as e:
            raise FlyteAssertion(f"Cannot resolve {full}: attribute {key!r} not found in {value!r}") from e
    return Literal(scalar=Scalar(binary=Binary(value=msgpack.dumps(value), tag="msgpack")))


# --- outputs ----------------------------------------------------------------------------------------
def create_task_output(promises: list[Promise] | Promise | None, entity_interface: Any = None) -> Any:
    """Package a call's output promises: one promise, or a named tuple of them.

    A one-element `NamedTuple` output stays a tuple (its name is recorded in `output_tuple_name`).
    """
    if promises is None or isinstance(promises, Promise):
        return promises
    if not promises:
        raise ValueError("create_task_output needs at least one promise; use VoidPromise for no outputs")
    tuple_name = getattr(entity_interface, "output_tuple_name", None) if entity_interface is not None else None
    if len(promises) == 1 and not tuple_name:
        return promises[0]
    fields = list(entity_interface.outputs) if entity_interface is not None else [p.var for p in promises]
    return _output_tuple_class(tuple_name or "DefaultNamedTupleOutput", tuple(fields))(*promises)


_TUPLE_CLASSES: dict[tuple[str, tuple[str, ...]], type] = {}


def _output_tuple_class(name: str, fields: tuple[str, ...]) -> type:
    cls = _TUPLE_CLASSES.get((name, fields))
    if cls is None:
        base = collections.namedtuple(name, fields)  # type: ignore[misc]  # dynamic field names

        def with_overrides(self: Any, *args: Any, **kwargs: Any) -> Any:
            getattr(self, self._fields[0]).with_overrides(*args, **kwargs)
            return self

        def runs_before(self: Any, other: Any) -> Any:
            return getattr(self, self._fields[0]).runs_before(other)

        def rshift(self: Any, other: Any) -> Any:
            return getattr(self, self._fields[0]) >> other

        cls = type(name, (base,), {"with_overrides": with_overrides, "runs_before": runs_before, "__rshift__": rshift})
        _TUPLE_CLASSES[(name, fields)] = cls
    return cls


def create_native_named_tuple(ctx: FlyteContext, promises: Any, entity_interface: Any) -> Any:
    """Turn ready output promises into Python values: one value, a named tuple, or None."""
    if promises is None or isinstance(promises, VoidPromise):
        return None
    outputs = entity_interface.outputs
    if isinstance(promises, Promise):
        name, py_type = next(iter(outputs.items()))
        return _to_python(ctx, promises, py_type, name)
    if len(promises) == 0:
        return None
    values = {p.var: _to_python(ctx, p, outputs[p.var], p.var) for p in promises}
    name = entity_interface.output_tuple_name or "DefaultNamedTupleOutput"
    return collections.namedtuple(name, list(values))(**values)


def _to_python(ctx: FlyteContext, p: Any, py_type: Any, name: str) -> Any:
    if not isinstance(p, Promise):
        raise FlyteAssertion(f"Output '{name}' must be a promise returned by a task, got {type(p).__name__}")
    try:
        return TypeEngine.to_python_value(ctx, p.val, py_type)
    except Exception as e:
        raise TypeError(f"Failed to convert output '{name}' of value {p.val} to {py_type}") from e
