"""Branch condition messages (`flyteidl.core.condition_pb2`) at flytekit's `models.core.condition` path."""

from flyteidl.core.condition_pb2 import BooleanExpression, ComparisonExpression, ConjunctionExpression, Operand

__all__ = ["BooleanExpression", "ComparisonExpression", "ConjunctionExpression", "Operand"]
