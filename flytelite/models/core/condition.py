"""flytekit's `flytekit.models.core.condition` classes, as views over `flyteidl.core.condition_pb2`."""

from __future__ import annotations

from flyteidl.core import condition_pb2 as _pb

from flytelite.models import literals as _literals  # noqa: F401 -- registers Primitive and Scalar for Operand
from flytelite.models._view import View, consts, f

__all__ = ["BooleanExpression", "ComparisonExpression", "ConjunctionExpression", "Operand"]


class ComparisonExpression(View):
    """`left <operator> right` on two operands."""

    Operator = consts("Operator", dict(_pb.ComparisonExpression.Operator.items()))

    _PB = _pb.ComparisonExpression
    _FIELDS = (f("operator"), f("left_value"), f("right_value"))


class ConjunctionExpression(View):
    """`left AND/OR right` on two boolean expressions."""

    LogicalOperator = consts("LogicalOperator", dict(_pb.ConjunctionExpression.LogicalOperator.items()))

    _PB = _pb.ConjunctionExpression
    _FIELDS = (f("operator"), f("left_expression"), f("right_expression"))


class Operand(View):
    """A primitive, a variable name or a scalar."""

    _PB = _pb.Operand
    _FIELDS = (f("primitive"), f("var"), f("scalar"))


class BooleanExpression(View):
    """A conjunction or a comparison."""

    _PB = _pb.BooleanExpression
    _FIELDS = (f("conjunction"), f("comparison"))
