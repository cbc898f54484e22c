"""`LiteralsResolver`: a mapping of literals that converts each to a Python value on first access."""

from __future__ import annotations

import collections
from typing import Any

from flyteidl.core.interface_pb2 import Variable
from flyteidl.core.literals_pb2 import Literal

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.types._engine import TypeEngine

__all__ = ["LiteralsResolver"]


class LiteralsResolver(collections.UserDict):  # type: ignore[type-arg]
    """Read named literals (e.g. an execution's outputs) as Python values, converting lazily and once.

    Args:
        literals: the literals by name.
        variable_map: their declared variables; used to guess a Python type when none is given.
        ctx: the context used for conversions (the current one by default).
    """

    def __init__(
        self,
        literals: dict[str, Literal],
        variable_map: dict[str, Variable] | None = None,
        ctx: FlyteContext | None = None,
    ) -> None:
        super().__init__(literals)
        self._variable_map = variable_map
        self._native_values: dict[str, Any] = {}
        self._type_hints: dict[str, Any] = {}
        self._ctx = ctx

    def __repr__(self) -> str:
        return f"LiteralsResolver({list(self.data)})"

    @property
    def native_values(self) -> dict[str, Any]:
        """Return the values converted so far."""
        return self._native_values

    @property
    def variable_map(self) -> dict[str, Variable] | None:
        """Return the declared variables, if known."""
        return self._variable_map

    @property
    def literals(self) -> dict[str, Literal]:
        """Return the literals by name."""
        return dict(self.data)

    def update_type_hints(self, type_hints: dict[str, Any]) -> None:
        """Set the Python types to convert named values to."""
        self._type_hints.update(type_hints)

    def get_literal(self, key: str) -> Literal:
        """Return the raw literal named `key`.

        Raises:
            KeyError: there is no such literal.
        """
        if key not in self.data:
            raise KeyError(f"no literal named {key!r}; available: {list(self.data)}")
        lit: Literal = self.data[key]
        return lit

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def get(self, attr: str, as_type: Any = None) -> Any:
        """Return the value named `attr` as `as_type` (or the hinted or guessed type).

        Raises:
            ValueError: no type is given, hinted or guessable.
        """
        if attr in self._native_values:
            return self._native_values[attr]
        lit = self.get_literal(attr)
        if as_type is None:
            as_type = self._type_hints.get(attr)
        if as_type is None:
            if not self._variable_map or attr not in self._variable_map:
                raise ValueError(f"give as_type= to read {attr!r}: no type hint or variable is known")
            as_type = TypeEngine.guess_python_type(self._variable_map[attr].type)
        ctx = self._ctx or FlyteContextManager.current_context()
        value = TypeEngine.to_python_value(ctx, lit, as_type)
        self._native_values[attr] = value
        return value

    def as_python_native(self, python_interface: Any) -> Any:
        """Return the outputs as a task returns them: None, the single value, or a tuple in declared order."""
        outputs: dict[str, Any] = dict(python_interface.outputs)
        if not outputs:
            return None
        values = tuple(self.get(name, t) for name, t in outputs.items())
        return values[0] if len(values) == 1 else values
