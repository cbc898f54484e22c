"""Python-typed task and workflow interfaces, and their Flyte `TypedInterface`.

`Interface` is the native signature (`{name: type}` inputs with defaults, `{name: type}` outputs);
`transform_function_to_interface` reads one from a function's annotations and
`transform_interface_to_typed_interface` turns it into the protobuf the platform sees. Outputs are named `o0`, `o1`,
… unless the function returns a `typing.NamedTuple`, whose field names (and class name) are kept.
"""

from __future__ import annotations

import collections
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

from flyteidl.core.interface_pb2 import ParameterMap, TypedInterface, Variable
from flyteidl.core.literals_pb2 import Literal, Scalar, Void

from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.docstring import Docstring
from flytelite.core.type_engine import TypeEngine
from flytelite.core.utils import has_return_statement
from flytelite.errors import (
    FlyteMissingReturnValueException,
    FlyteMissingTypeException,
    FlyteValidationException,
)
from flytelite.models._convert import to_pb

__all__ = [
    "Interface",
    "default_output_name",
    "extract_return_annotation",
    "kwtypes",
    "output_name_generator",
    "transform_function_to_interface",
    "transform_inputs_to_parameters",
    "transform_interface_to_typed_interface",
    "transform_type",
    "transform_variable_map",
    "typed_interface",
]

_DEFAULT_TUPLE_NAME = "DefaultNamedTupleOutput"


def typed_interface(entity: Any) -> TypedInterface:
    """Return the protobuf `TypedInterface` of a task, workflow, launch plan or array node.

    `entity.interface` is flytekit's model class (a view over that protobuf, for user and plugin code);
    flytelite's own code reads the protobuf itself.
    """
    pb = getattr(entity, "_interface", None)
    return pb if isinstance(pb, TypedInterface) else typing.cast(TypedInterface, to_pb(entity.interface))


def kwtypes(**kwargs: Any) -> collections.OrderedDict[str, Any]:
    """Return the keyword arguments as an ordered `{name: type}` map (`kwtypes(a=int, b=str)`)."""
    return collections.OrderedDict(kwargs)


class Interface:
    """A native interface: `(inputs) -> outputs` with Python types.

    Args:
        inputs: `{name: type}` or `{name: (type, default)}`; a default of `None` means "no default".
        outputs: `{name: type}`.
        output_tuple_name: the `typing.NamedTuple` class name when the function returns one.
        docstring: the parsed docstring, the source of variable descriptions.
    """

    def __init__(
        self,
        inputs: typing.Mapping[str, Any] | None = None,
        outputs: typing.Mapping[str, Any] | None = None,
        output_tuple_name: str | None = None,
        docstring: Docstring | None = None,
    ) -> None:
        self._inputs: dict[str, tuple[Any, Any]] = {}
        for k, v in (inputs or {}).items():
            if not k.isidentifier():
                raise ValueError(f"Input name must be a valid Python identifier: {k!r}")
            self._inputs[k] = v if type(v) is tuple and len(v) > 1 else (v, None)
        self._outputs: dict[str, Any] = dict(outputs or {})
        self._output_tuple_name = output_tuple_name
        self._docstring = docstring
        self._output_tuple_class: type[tuple[Any, ...]] | None = None
        self._input_types: dict[str, Any] | None = None

    @property
    def output_tuple(self) -> type[tuple[Any, ...]]:
        """Return the named-tuple class a multi-output call returns (named after the user's NamedTuple)."""
        if self._output_tuple_class is None:
            self._output_tuple_class = collections.namedtuple(  # type: ignore[misc]  # field names are dynamic
                self._output_tuple_name or _DEFAULT_TUPLE_NAME, list(self._outputs)
            )
        return self._output_tuple_class

    @property
    def output_tuple_name(self) -> str | None:
        """Return the user's NamedTuple class name, if the outputs came from one."""
        return self._output_tuple_name

    @property
    def inputs(self) -> dict[str, Any]:
        """Return `{name: type}` of the inputs (built once: every task call reads it; the inputs never change)."""
        types = self._input_types
        if types is None:
            types = self._input_types = {k: v[0] for k, v in self._inputs.items()}
        return types

    @property
    def inputs_with_defaults(self) -> dict[str, tuple[Any, Any]]:
        """Return `{name: (type, default)}` of the inputs (`None` = no default)."""
        return self._inputs

    @property
    def default_inputs_as_kwargs(self) -> dict[str, Any]:
        """Return `{name: default}` for the inputs that have a default."""
        return {k: v[1] for k, v in self._inputs.items() if v[1] is not None}

    @property
    def outputs(self) -> dict[str, Any]:
        """Return `{name: type}` of the outputs."""
        return self._outputs

    @property
    def output_names(self) -> list[str] | None:
        """Return the output names, or None when there are none."""
        return list(self._outputs) or None

    @property
    def docstring(self) -> Docstring | None:
        """Return the parsed docstring, if any."""
        return self._docstring

    def remove_inputs(self, vars: list[str] | None) -> Interface:
        """Return a copy without the named inputs."""
        if vars is None:
            return self
        kept = {k: v for k, v in self._inputs.items() if k not in vars}
        return Interface(kept, self._outputs, self._output_tuple_name, docstring=self._docstring)

    def with_inputs(self, extra_inputs: typing.Mapping[str, Any]) -> Interface:
        """Return a copy with more inputs; an existing name raises `ValueError`."""
        if not extra_inputs:
            return self
        merged: dict[str, Any] = dict(self._inputs)
        for k, v in extra_inputs.items():
            if k in merged:
                raise ValueError(f"Input {k} cannot be added as it already exists in the interface")
            merged[k] = v
        return Interface(merged, self._outputs, self._output_tuple_name, docstring=self._docstring)

    def with_outputs(self, extra_outputs: typing.Mapping[str, Any]) -> Interface:
        """Return a copy with more outputs; an existing name raises `ValueError`."""
        if not extra_outputs:
            return self
        merged = dict(self._outputs)
        for k, v in extra_outputs.items():
            if k in merged:
                raise ValueError(f"Output {k} cannot be added as it already exists in the interface")
            merged[k] = v
        return Interface(self._inputs, merged)

    def __str__(self) -> str:
        ins = ", ".join(f"{k}: {t}" + (f"={d}" if d is not None else "") for k, (t, d) in self._inputs.items())
        outs = ", ".join(f"{k}: {t}" for k, t in self._outputs.items())
        return f"({ins}) -> ({outs})"

    __repr__ = __str__


def default_output_name(index: int = 0) -> str:
    """Return the default name of output `index` (`o0`, `o1`, …)."""
    return f"o{index}"


def output_name_generator(length: int) -> typing.Iterator[str]:
    """Yield `length` default output names."""
    for i in range(length):
        yield default_output_name(i)


def _is_named_tuple(t: Any) -> bool:
    bases = getattr(t, "__bases__", None)
    return isinstance(t, type) and bases is not None and bases == (tuple,) and hasattr(t, "_fields")


def extract_return_annotation(return_annotation: Any) -> dict[str, Any]:
    """Name the outputs of a return annotation.

    `None` -> no outputs; a `typing.NamedTuple` -> its fields; `Tuple[A, B]` or `(A, B)` -> `o0`, `o1`; anything
    else -> one output `o0`.

    Raises:
        FlyteValidationException: a one-element tuple annotation.
    """
    if return_annotation in (None, type(None), inspect.Signature.empty):
        return {}
    if _is_named_tuple(return_annotation):
        return dict(typing.get_type_hints(return_annotation, include_extras=True))
    if typing.get_origin(return_annotation) is tuple:
        args = typing.get_args(return_annotation)
        if len(args) == 1:
            raise FlyteValidationException(
                "Tuples should be used to indicate multiple return values, found only one return variable."
            )
        return {default_output_name(i): a for i, a in enumerate(args)}
    if isinstance(return_annotation, tuple):
        if len(return_annotation) == 1:
            raise FlyteValidationException("Please don't use a tuple if you're just returning one thing.")
        return {default_output_name(i): a for i, a in enumerate(return_annotation)}
    return {default_output_name(): return_annotation}


def transform_function_to_interface(
    fn: Callable[..., Any], docstring: Docstring | None = None, is_reference_entity: bool = False
) -> Interface:
    """Build the native interface of a function from its annotations and defaults.

    Raises:
        FlyteMissingTypeException: a parameter has no type annotation.
        FlyteMissingReturnValueException: a non-None return annotation but no `return` (where functions are declared).
    """
    type_hints = typing.get_type_hints(fn, include_extras=True)
    signature = inspect.signature(fn)
    return_annotation = type_hints.get("return", None)
    if not is_reference_entity and _declares_output_but_never_returns(fn, return_annotation):
        raise FlyteMissingReturnValueException(fn=fn)
    outputs = extract_return_annotation(return_annotation)
    inputs: dict[str, tuple[Any, Any]] = {}
    for name, param in signature.parameters.items():
        annotation = type_hints.get(name)
        if annotation is None:
            raise FlyteMissingTypeException(fn=fn, param_name=name)
        default = param.default if param.default is not inspect.Parameter.empty else None
        inputs[name] = (annotation, default)
    tuple_name = getattr(return_annotation, "__name__", None) if _is_named_tuple(return_annotation) else None
    return Interface(inputs, outputs, output_tuple_name=tuple_name or None, docstring=docstring)


def _declares_output_but_never_returns(fn: Callable[..., Any], return_annotation: Any) -> bool:
    """Tell whether `fn` is annotated with a non-None return type but has no `return`/`yield` (flytekit's check).

    As in flytekit the check runs only where functions are declared (the context has no execution mode: a script,
    a test, a notebook), never in a pod or inside a running workflow, and it is skipped when the source is not
    available. Unlike flytekit's line scan, it reads the function's syntax tree, so a comment or a string containing
    "return" does not count, and neither does a `return` inside a nested function.
    """
    if return_annotation is None or return_annotation is type(None) or type(None) in typing.get_args(return_annotation):
        return False
    es = FlyteContextManager.current_context().execution_state
    if es is None or es.mode is not None:
        return False
    return has_return_statement(fn) is False


def transform_type(t: Any, description: str | None = None) -> Variable:
    """Return the Flyte `Variable` of a Python type."""
    return Variable(type=TypeEngine.to_literal_type(t), description=description or "")


def transform_variable_map(
    variable_map: typing.Mapping[str, Any], descriptions: typing.Mapping[Any, str] | None = None
) -> dict[str, Variable]:
    """Return `{name: Variable}`; a variable's description defaults to its name (as flytekit)."""
    descriptions = descriptions or {}
    return {k: transform_type(v, descriptions.get(k, k)) for k, v in variable_map.items()}


def _output_descriptions(interface: Interface) -> dict[Any, str]:
    if interface.docstring is None:
        return {}
    described = interface.docstring.output_descriptions
    if len(described) != 1:
        return dict(described)
    # One description (Google `Returns:` or reST `:return:`) is shared by every output.
    shared = next(iter(described.values()))
    return {k: shared for k in interface.outputs}


def transform_interface_to_typed_interface(
    interface: Interface | None, allow_partial_artifact_id_binding: bool = False
) -> TypedInterface | None:
    """Return the `TypedInterface` protobuf of a native interface (None for None)."""
    if interface is None:
        return None
    input_descriptions = interface.docstring.input_descriptions if interface.docstring else {}
    ti = TypedInterface()
    for k, v in transform_variable_map(interface.inputs, input_descriptions).items():
        ti.inputs.variables[k].CopyFrom(v)
    for k, v in transform_variable_map(interface.outputs, _output_descriptions(interface)).items():
        ti.outputs.variables[k].CopyFrom(v)
    return ti


def _is_optional(t: Any) -> bool:
    return typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in typing.get_args(t)


def transform_inputs_to_parameters(ctx: Any, interface: Interface) -> ParameterMap:
    """Return the `ParameterMap` of a workflow's inputs: defaults as literals, `Optional` without default -> None."""
    descriptions = interface.docstring.input_descriptions if interface.docstring else {}
    variables = transform_variable_map(interface.inputs, descriptions)
    pm = ParameterMap()
    for k, var in variables.items():
        py_type, default = interface.inputs_with_defaults[k]
        param = pm.parameters[k]
        param.var.CopyFrom(var)
        if default is None and _is_optional(py_type):
            param.default.CopyFrom(Literal(scalar=Scalar(none_type=Void())))
        elif default is None:
            param.required = True
        else:
            param.default.CopyFrom(TypeEngine.to_literal(ctx, default, py_type, var.type))
    return pm
