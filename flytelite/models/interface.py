"""flytekit's `flytekit.models.interface` classes, as views over `flyteidl.core.interface_pb2` (see `_view`).

`TypedInterface.inputs` / `.outputs` are dicts of `Variable` (as in flytekit), not `VariableMap`s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flyteidl.core import interface_pb2 as _pb

from flytelite.models import literals as _literals  # noqa: F401 -- registers Literal for Parameter.default
from flytelite.models._view import View, f, to_pb
from flytelite.models.types import LiteralType  # noqa: F401 -- registers LiteralType for Variable.type

__all__ = ["Parameter", "ParameterMap", "TypedInterface", "Variable", "VariableMap"]


class Variable(View):
    """A typed, described input or output: `Variable(LiteralType(simple=SimpleType.INTEGER), "x")`."""

    _PB = _pb.Variable
    _FIELDS = (
        f("type"),
        f("description"),
        f("artifact_partial_id", conv="raw"),
        f("artifact_tag", conv="raw"),
    )


class VariableMap(View):
    """Named variables (`.variables` is a dict)."""

    _PB = _pb.VariableMap
    _FIELDS = (f("variables"),)


def _variables(side: str) -> tuple[Callable[[Any], Any], Callable[[Any, Any], None]]:
    def read(pb: Any) -> dict[str, Variable]:
        return {k: Variable.from_flyte_idl(v) for k, v in getattr(pb, side).variables.items()}

    def write(pb: Any, value: Any) -> None:
        target = getattr(pb, side)
        if isinstance(value, dict):
            for k, v in value.items():
                target.variables[k].CopyFrom(to_pb(v))
        else:
            target.CopyFrom(to_pb(value))

    return read, write


class TypedInterface(View):
    """A task's or workflow's inputs and outputs, each a dict of name → `Variable`."""

    _PB = _pb.TypedInterface
    _FIELDS = (
        f("inputs", read=_variables("inputs")[0], write=_variables("inputs")[1]),
        f("outputs", read=_variables("outputs")[0], write=_variables("outputs")[1]),
    )


class Parameter(View):
    """A launch-plan or workflow input: its `Variable`, and a `default` literal or `required=True`."""

    _PB = _pb.Parameter
    _FIELDS = (
        f("var"),
        f("default"),
        f("required"),
        f("artifact_query", conv="raw"),
        f("artifact_id", conv="raw"),
    )

    @property
    def behavior(self) -> Any:
        """Return the default literal or the `required` flag, whichever is set."""
        return self.default or self.required


class ParameterMap(View):
    """Named parameters (`.parameters` is a dict)."""

    _PB = _pb.ParameterMap
    _FIELDS = (f("parameters"),)
