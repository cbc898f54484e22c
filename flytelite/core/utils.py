"""Small helpers flytekit users import from `flytekit.core.utils`: `timeit` and `has_return_statement`."""

from __future__ import annotations

import ast
import datetime as _dt
import functools
import inspect
import logging
import textwrap
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from flytelite.core.context_manager import FlyteContextManager

__all__ = ["has_return_statement", "timeit"]

logger = logging.getLogger("flytelite")

F = TypeVar("F", bound=Callable[..., Any])


class timeit:  # flytekit's (lowercase) name; used as `@timeit("name")` and `with timeit("name"):`
    """Measure a block or a function and record it in the running task's timeline deck.

    ```python
    @timeit("download data")
    def download() -> None: ...
    ```
    """

    def __init__(self, name: str = "") -> None:
        self._name = name
        self.start_time: _dt.datetime | None = None
        self._wall = 0.0
        self._cpu = 0.0

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature

    def __enter__(self) -> timeit:
        self.start_time = _dt.datetime.now(_dt.timezone.utc)
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        wall = time.perf_counter() - self._wall
        cpu = time.process_time() - self._cpu
        params = FlyteContextManager.current_context().user_space_params
        if params is not None and params.enable_deck:
            params.timeline_deck.append_time_info(
                {
                    "Name": self._name,
                    "Start": self.start_time,
                    "Finish": _dt.datetime.now(_dt.timezone.utc),
                    "WallTime": wall,
                    "ProcessTime": cpu,
                }
            )
        logger.info("%s. [Time: %.6fs]", self._name, wall)


class _ReturnFinder(ast.NodeVisitor):
    """Look for `return`, `yield` or `yield from` in a function body, not in nested functions or classes."""

    def __init__(self) -> None:
        self.found = False

    def visit_Return(self, node: ast.Return) -> None:
        self.found = True

    def visit_Yield(self, node: ast.Yield) -> None:
        self.found = True

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self.found = True

    def _skip(self, node: ast.AST) -> None:
        return None

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _skip


def has_return_statement(func: Callable[..., Any]) -> bool | None:
    """Tell whether a function's own body has a `return` (or `yield`); None when its source is not available."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    fn_node = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if fn_node is None:
        return None
    finder = _ReturnFinder()
    for stmt in fn_node.body:
        finder.visit(stmt)
    return finder.found
