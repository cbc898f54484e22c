"""Interface messages (`flyteidl.core.interface_pb2`) at flytekit's `models.interface` path."""

from flyteidl.core.interface_pb2 import Parameter, ParameterMap, TypedInterface, Variable, VariableMap

__all__ = ["Parameter", "ParameterMap", "TypedInterface", "Variable", "VariableMap"]
