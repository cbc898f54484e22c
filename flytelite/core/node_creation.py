"""Node creation: bind a call's inputs and add its node to the workflow being compiled.

`create_and_link_node` is what a call inside a workflow body does (tasks, workflows, launch plans):
inputs are bound in sorted order into flyteidl `Binding` protos (promises become `OutputReference`s,
constants scalars), defaults are filled, and the node is added with id `<prefix>n<i>`. `create_node`
is the user-facing form that returns the node itself:

```python
n1 = create_node(t1, a=a)
n2 = create_node(t2)
n1 >> n2          # t2 runs after t1
return n1.o0      # outputs are attributes of the node
```
"""

from __future__ import annotations

import os
import sys
import types
import typing
from typing import Any

from flyteidl.core.interface_pb2 import TypedInterface
from flyteidl.core.literals_pb2 import Binding, BindingData, BindingDataCollection, BindingDataMap, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.core.interface import transform_interface_to_typed_interface, typed_interface
from flytelite.core.node import Node
from flytelite.core.promise import NodeOutput, Promise, VoidPromise, create_task_output, resolve_attr_path
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import FlyteAssertion, FlyteTypeException, message_of

__all__ = [
    "NodeWithOutputs",
    "binding_data_from_python_std",
    "binding_from_python_std",
    "create_and_link_node",
    "create_node",
]

_PRIMITIVE_SIMPLES = frozenset({1, 2, 3, 4, 5, 6})  # INTEGER FLOAT STRING BOOLEAN DATETIME DURATION


def _type_label(lt: LiteralType) -> str:
    kind = lt.WhichOneof("type")
    if kind == "simple":
        return str(SimpleType.Name(lt.simple)).lower()
    if kind == "collection_type":
        return f"list[{_type_label(lt.collection_type)}]"
    if kind == "map_value_type":
        return f"dict[str, {_type_label(lt.map_value_type)}]"
    if kind == "union_type":
        return " | ".join(_type_label(v) for v in lt.union_type.variants)
    return kind or "none"


def _incompatible(upstream: LiteralType, expected: LiteralType) -> bool:
    """Tell whether `upstream` can certainly not feed `expected` (lenient: only clear mismatches)."""
    up_kind, exp_kind = upstream.WhichOneof("type"), expected.WhichOneof("type")
    if exp_kind == "union_type":
        if up_kind == "union_type":
            return False
        return all(_incompatible(upstream, v) for v in expected.union_type.variants)
    if up_kind == "union_type" or up_kind is None or exp_kind is None:
        return False
    if up_kind == "simple" and exp_kind == "simple":
        a, b = upstream.simple, expected.simple
        return a != b and a in _PRIMITIVE_SIMPLES | {0} and b in _PRIMITIVE_SIMPLES
    if up_kind == exp_kind == "collection_type":
        return _incompatible(upstream.collection_type, expected.collection_type)
    if up_kind == exp_kind == "map_value_type":
        return _incompatible(upstream.map_value_type, expected.map_value_type)
    shapes = {"simple", "collection_type", "map_value_type"}
    return up_kind in shapes and exp_kind in shapes and up_kind != exp_kind and "simple" not in (up_kind, exp_kind)


def _upstream_type(ref: NodeOutput) -> LiteralType | None:
    if ref.attr_path:
        return None
    entity = ref.node.flyte_entity
    own = getattr(entity, "_interface", None)  # flytelite's entities keep the protobuf: no model view is built
    if isinstance(own, TypedInterface):
        iface: TypedInterface | None = own
    else:
        iface = typed_interface(entity) if getattr(entity, "interface", None) is not None else None
    variables = iface.outputs.variables if iface is not None else None
    if variables is None or ref.var not in variables:
        return None
    return typing.cast(LiteralType, variables[ref.var].type)


def binding_data_from_python_std(
    ctx: FlyteContext, expected: LiteralType, value: Any, py_type: Any, nodes: list[Node]
) -> BindingData:
    """Return the `BindingData` for `value`: a promise reference, a collection/map of bindings, or a scalar.

    Upstream nodes referenced by promises are appended to `nodes`.
    """
    if isinstance(value, Promise):
        if value.is_ready:
            return BindingData(scalar=resolve_attr_path(value.val, value.attr_path).scalar)
        ref = value.ref
        up = _upstream_type(ref)
        if up is not None and _incompatible(up, expected):
            raise FlyteTypeException(
                f"{value._describe_node()} output '{ref.var}' has type {_type_label(up)}, "
                f"but the input expects {_type_label(expected)}"
            )
        if ref.node.id:
            nodes.append(ref.node)
        return BindingData(promise=ref.to_proto())
    if isinstance(value, VoidPromise):
        raise FlyteAssertion(f"Cannot pass the result of {value.task_name}, which returns nothing, to another call")
    if isinstance(value, tuple):
        raise FlyteAssertion(
            f"A tuple ({value!r}) cannot be passed as one value; if it holds several outputs of a task, pass "
            "the one you mean (e.g. `r.o0` or `r[0]`)."
        )
    if _contains_promise(value):
        return _container_binding(ctx, expected, value, py_type, nodes)
    lit = TypeEngine.to_literal(ctx, value, py_type if py_type is not None else type(value), expected)
    return _literal_binding(lit)


def _literal_binding(lit: Literal) -> BindingData:
    kind = lit.WhichOneof("value")
    if kind == "collection":
        return BindingData(
            collection=BindingDataCollection(bindings=[_literal_binding(x) for x in lit.collection.literals])
        )
    if kind == "map":
        return BindingData(map=BindingDataMap(bindings={k: _literal_binding(v) for k, v in lit.map.literals.items()}))
    return BindingData(scalar=lit.scalar)


def _contains_promise(v: Any) -> bool:
    if isinstance(v, Promise | VoidPromise):
        return True
    if isinstance(v, list):
        return any(_contains_promise(x) for x in v)
    if isinstance(v, dict):
        return any(_contains_promise(x) for x in v.values())
    return False


def _container_binding(
    ctx: FlyteContext, expected: LiteralType, value: Any, py_type: Any, nodes: list[Node]
) -> BindingData:
    kind = expected.WhichOneof("type")
    if kind == "union_type":
        errors = []
        for i, variant in enumerate(expected.union_type.variants):
            args = typing.get_args(py_type)
            try:
                return _container_binding(ctx, variant, value, args[i] if i < len(args) else None, nodes)
            except (FlyteAssertion, FlyteTypeException, TypeError, ValueError) as e:
                errors.append(message_of(e))
        raise FlyteAssertion(f"Cannot bind {value!r} to any variant of {_type_label(expected)}: {errors}")
    args = typing.get_args(py_type) if py_type is not None else ()
    if isinstance(value, list) and kind == "collection_type":
        sub = args[0] if args else None
        items = [binding_data_from_python_std(ctx, expected.collection_type, x, sub, nodes) for x in value]
        return BindingData(collection=BindingDataCollection(bindings=items))
    if isinstance(value, dict) and kind == "map_value_type":
        sub = args[1] if len(args) == 2 else None
        bindings = {
            k: binding_data_from_python_std(ctx, expected.map_value_type, x, sub, nodes) for k, x in value.items()
        }
        return BindingData(map=BindingDataMap(bindings=bindings))
    raise FlyteTypeException(f"A {type(value).__name__} holding promises cannot be bound to {_type_label(expected)}")


def binding_from_python_std(
    ctx: FlyteContext, var_name: str, expected_literal_type: LiteralType, t_value: Any, t_value_type: Any
) -> tuple[Binding, list[Node]]:
    """Return the `Binding` of input `var_name` to `t_value` and the upstream nodes it references."""
    nodes: list[Node] = []
    bd = binding_data_from_python_std(ctx, expected_literal_type, t_value, t_value_type, nodes)
    return Binding(var=var_name, binding=bd), nodes


def _is_optional(t: Any) -> bool:
    return typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in typing.get_args(t)


def _call_site() -> str:
    """Return `file:line` of the innermost frame outside flytelite (the user's call), or ''."""
    frame = sys._getframe(1)
    while frame is not None:
        if not frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]  # loop ends at the outermost frame
    return ""


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _bind_error(ctx: FlyteContext, entity: Any, node_id: str, var: str, message: str) -> str:
    wf = ctx.get_extra("flytelite.workflow_name")
    where = _call_site()
    return (
        f"{f'workflow {wf!r}, ' if wf else ''}node {node_id!r} ({entity.name}), input {var!r}: {message}"
        f"{f' (called at {where})' if where else ''}"
    )


def _bind_inputs(
    ctx: FlyteContext, entity: Any, interface: Any, typed: Any, node_id: str, kwargs: dict[str, Any]
) -> tuple[list[Binding], list[Node]]:
    bindings: list[Binding] = []
    upstream: list[Node] = []
    variables = typed.inputs.variables
    defaults = interface.inputs_with_defaults
    for k in sorted(interface.inputs):
        if k not in kwargs:
            py_type, default = defaults.get(k, (interface.inputs[k], None))
            if default is None and not _is_optional(py_type):
                raise FlyteAssertion(_bind_error(ctx, entity, node_id, k, f"input of type {py_type} was not specified"))
            if isinstance(default, list | dict | set):
                raise FlyteAssertion(
                    _bind_error(
                        ctx, entity, node_id, k, "a mutable default argument (list, dict or set) is not supported"
                    )
                )
            kwargs[k] = default
        default = defaults.get(k, (None, None))[1]
        if kwargs[k] is default and isinstance(default, list | dict | set):
            # The call handler may have filled the default in already; it is still the shared mutable object.
            raise FlyteAssertion(
                _bind_error(ctx, entity, node_id, k, "a mutable default argument (list, dict or set) is not supported")
            )
        try:
            b, n = binding_from_python_std(ctx, k, variables[k].type, kwargs[k], interface.inputs[k])
        except FlyteTypeException as e:
            raise FlyteTypeException(_bind_error(ctx, entity, node_id, k, message_of(e))) from e
        except (FlyteAssertion, TypeError, ValueError) as e:
            reason = f"expected {interface.inputs[k]}: {message_of(e)}"
            raise FlyteAssertion(_bind_error(ctx, entity, node_id, k, reason)) from e
        bindings.append(b)
        upstream.extend(x for x in n if x not in upstream)
    extra = set(kwargs) - set(interface.inputs)
    if extra:
        raise FlyteAssertion(_bind_error(ctx, entity, node_id, sorted(extra)[0], f"unexpected inputs {sorted(extra)}"))
    return bindings, upstream


def create_and_link_node(
    ctx: FlyteContext,
    entity: Any,
    overridden_interface: Any = None,
    add_node_to_compilation_state: bool = True,
    node_id: str = "",
    **kwargs: Any,
) -> Any:
    """Add a node calling `entity` to the graph being compiled and return its output promises.

    Inputs are bound in sorted order; a missing input takes its default (or None when Optional); a
    mutable default, an unknown input or a value of the wrong type raises.
    """
    cs = ctx.compilation_state
    if cs is None and add_node_to_compilation_state:
        raise FlyteAssertion("Cannot create a node outside of a workflow compilation")
    interface = overridden_interface or entity.python_interface
    typed: Any = transform_interface_to_typed_interface(interface) if overridden_interface else typed_interface(entity)
    if not node_id and cs is not None and add_node_to_compilation_state:
        node_id = f"{cs.prefix}n{len(cs.nodes)}"
    bindings, upstream = _bind_inputs(ctx, entity, interface, typed, node_id, dict(kwargs))
    node = Node(
        id=node_id,
        metadata=entity.construct_node_metadata(),
        bindings=bindings,
        upstream_nodes=upstream,
        flyte_entity=entity,
    )
    if add_node_to_compilation_state and cs is not None:
        cs.add_node(node)
    outputs = typed.outputs.variables
    if not outputs:
        node.outputs = {}
        return VoidPromise(entity.name, NodeOutput(node, "placeholder"))
    promises = [Promise(name, NodeOutput(node, name), outputs[name].type) for name in interface.outputs]
    node.outputs = {p.var: p for p in promises}
    return create_task_output(promises, interface)


class NodeWithOutputs(Node):
    """A node whose outputs are also its attributes (`node.o0`)."""

    def __getattr__(self, name: str) -> Any:
        outputs = self.__dict__.get("outputs") or {}
        if name in outputs:
            return outputs[name]
        raise AttributeError(f"node {self.__dict__.get('_id')!r} has no output {name!r}")


def create_node(entity: Any, *args: Any, **kwargs: Any) -> NodeWithOutputs:
    """Add a node calling `entity` to the workflow being compiled and return it.

    Raises:
        FlyteAssertion: outside of a workflow body, or with positional arguments.
    """
    if args:
        raise FlyteAssertion("create_node accepts only keyword arguments")
    ctx = FlyteContextManager.current_context()
    if ctx.compilation_state is None:
        raise FlyteAssertion("create_node can only be used inside a workflow")
    entity(**kwargs)
    node = ctx.compilation_state.nodes[-1]
    node.__class__ = NodeWithOutputs
    return node  # type: ignore[no-any-return]  # the class was switched above
