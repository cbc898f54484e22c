"""Native interfaces from functions, their TypedInterface protobufs, and docstring parsing."""

from __future__ import annotations

import typing

import pytest
from flyteidl.core.types_pb2 import SimpleType

from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.docstring import Docstring
from flytelite.core.interface import (
    Interface,
    extract_return_annotation,
    kwtypes,
    transform_function_to_interface,
    transform_inputs_to_parameters,
    transform_interface_to_typed_interface,
)
from flytelite.errors import FlyteCompilationException, FlyteValidationException


class Pair(typing.NamedTuple):
    left: int
    right: str


def test_default_output_names_and_tuple_outputs() -> None:
    def f(a: int, b: str) -> typing.Tuple[int, str]:
        return a, b

    iface = transform_function_to_interface(f)
    assert iface.inputs == {"a": int, "b": str}
    assert iface.outputs == {"o0": int, "o1": str}
    assert iface.output_tuple_name is None
    assert iface.output_tuple(1, "x") == (1, "x")
    assert type(iface.output_tuple(1, "x")).__name__ == "DefaultNamedTupleOutput"


def test_named_tuple_outputs_keep_names() -> None:
    def f(a: int) -> Pair:
        return Pair(a, "x")

    iface = transform_function_to_interface(f)
    assert list(iface.outputs) == ["left", "right"]
    assert iface.output_tuple_name == "Pair"
    assert type(iface.output_tuple(1, "a")).__name__ == "Pair"


def test_none_return_and_defaults_and_optional() -> None:
    def f(a: int, b: int = 3, c: str | None = None) -> None:
        return None

    iface = transform_function_to_interface(f)
    assert iface.outputs == {}
    assert iface.output_names is None
    assert iface.inputs_with_defaults == {"a": (int, None), "b": (int, 3), "c": (str | None, None)}
    assert iface.default_inputs_as_kwargs == {"b": 3}


def test_missing_annotation_is_a_clear_error() -> None:
    def f(a, b: int) -> int:  # type: ignore[no-untyped-def]
        return b

    with pytest.raises(FlyteCompilationException, match=r"'a'.*has no type"):
        transform_function_to_interface(f)


def test_single_element_tuple_is_rejected() -> None:
    with pytest.raises(FlyteValidationException):
        extract_return_annotation(typing.Tuple[int])
    assert extract_return_annotation((int, str)) == {"o0": int, "o1": str}
    assert extract_return_annotation(typing.List[int]) == {"o0": typing.List[int]}


def test_typed_interface_descriptions_default_to_names() -> None:
    ti = transform_interface_to_typed_interface(Interface(kwtypes(a=int), kwtypes(o0=str)))
    assert ti is not None
    assert ti.inputs.variables["a"].description == "a"
    assert ti.inputs.variables["a"].type.simple == SimpleType.INTEGER
    assert ti.outputs.variables["o0"].description == "o0"
    assert ti.outputs.variables["o0"].type.simple == SimpleType.STRING


def test_typed_interface_uses_docstring_descriptions() -> None:
    def f(a: int, b: int) -> Pair:
        """Combine.

        Args:
            a: the first number
            b: the second number

        Returns:
            a pair
        """
        return Pair(a, str(b))

    iface = transform_function_to_interface(f, Docstring(callable_=f))
    ti = transform_interface_to_typed_interface(iface)
    assert ti is not None
    assert ti.inputs.variables["a"].description == "the first number"
    assert ti.inputs.variables["b"].description == "the second number"
    # One shared return description is given to every output.
    assert ti.outputs.variables["left"].description == "a pair"
    assert ti.outputs.variables["right"].description == "a pair"


@pytest.mark.parametrize(
    ("text", "inputs", "outputs"),
    [
        ("Do.\n\nArgs:\n    a (int): first\n        more\n    b: second\n", {"a": "first\nmore", "b": "second"}, {}),
        (
            "Do.\n\nParameters\n----------\na : int\n    first\n\nReturns\n-------\nx : int\n    out\n",
            {"a": "first"},
            {"x": "out"},
        ),
        (":param a: first\n:param int b: second\n:return: result\n", {"a": "first", "b": "second"}, {None: "result"}),
    ],
)
def test_docstring_styles(text: str, inputs: dict[str, str], outputs: dict[typing.Any, str]) -> None:
    d = Docstring(text)
    assert d.input_descriptions == inputs
    assert d.output_descriptions == outputs


def test_docstring_short_and_long_description() -> None:
    d = Docstring("Short line.\n\nLonger\ntext.\n\nArgs:\n    a: x\n")
    assert d.short_description == "Short line."
    assert d.long_description == "Longer\ntext."


def test_interface_edits() -> None:
    iface = Interface(kwtypes(a=int, b=str), kwtypes(o0=int))
    assert iface.remove_inputs(["a"]).inputs == {"b": str}
    assert iface.with_inputs({"c": float}).inputs == {"a": int, "b": str, "c": float}
    assert iface.with_outputs({"o1": str}).outputs == {"o0": int, "o1": str}
    with pytest.raises(ValueError, match="already exists"):
        iface.with_inputs({"a": int})
    with pytest.raises(ValueError, match="identifier"):
        Interface({"not valid": int})


def test_parameters_mark_required_default_and_optional() -> None:
    iface = Interface({"a": int, "b": (int, 5), "c": typing.Optional[int]}, {})  # noqa: UP045 - both spellings must work
    pm = transform_inputs_to_parameters(FlyteContextManager.current_context(), iface)
    assert pm.parameters["a"].required is True
    assert pm.parameters["b"].default.scalar.primitive.integer == 5
    assert pm.parameters["c"].default.scalar.HasField("none_type")
