"""The per-thread stack of Flyte contexts, below everything that reads the current context.

`FlyteContextManager` (`flytelite.core.context_manager`) is the API to push, pop and read contexts. The stack itself
lives here so that the parts a context holds — its secrets manager (`flytelite.core.secrets`) and a task's
checkpoint (`SyncCheckpoint`, in `flytelite.core.execution_parameters`) — can read the current context without
importing the module that builds the default one, which needs them. That module hands its builder to
`set_default_builder` when it is imported (`import flytelite` imports it), so the import graph stays one-way.
"""

from __future__ import annotations

import typing
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the context classes sit above this module
    from flytelite.core.context_manager import FlyteContext

__all__ = ["CONTEXT_STACK", "current_flyte_context", "set_default_builder"]

CONTEXT_STACK: ContextVar[tuple[FlyteContext, ...]] = ContextVar("flytelite_context_stack", default=())
"""The pushed contexts, innermost last; each thread and asyncio task sees its own."""

_default_builder: list[typing.Callable[[], FlyteContext]] = []


def set_default_builder(builder: typing.Callable[[], FlyteContext]) -> None:
    """Set the function that returns the default context (used when nothing is pushed)."""
    _default_builder[:] = [builder]


def current_flyte_context() -> FlyteContext:
    """Return the innermost pushed context, or the default one when nothing is pushed.

    Raises:
        RuntimeError: nothing is pushed and `flytelite.core.context_manager` was never imported.
    """
    stack = CONTEXT_STACK.get()
    if stack:
        return stack[-1]
    if not _default_builder:
        raise RuntimeError("no Flyte context: import flytelite.core.context_manager first")
    return _default_builder[0]()
