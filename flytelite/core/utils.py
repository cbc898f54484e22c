"""Small helpers flytekit users import from `flytekit.core.utils`: `timeit` and `has_return_statement`."""

from __future__ import annotations

import ast
import datetime as _dt
import functools
import inspect
import linecache
import logging
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
    fn_node = _function_node(func)
    if fn_node is None:
        return None
    finder = _ReturnFinder()
    for stmt in fn_node.body:
        finder.visit(stmt)
    return finder.found


# file name -> (the `linecache` lines it was parsed from, its syntax tree); several tasks of one file parse it once
_TREES: dict[str, tuple[list[str], ast.Module]] = {}


def _function_node(func: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """Return the syntax tree of `func`'s definition, found in its module's parsed source.

    The module is parsed whole rather than cutting the function out with `inspect.getsource`, whose block finder
    runs `tokenize` (that module's patterns alone cost ~5 ms to compile, paid by every script declaring a task).
    """
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None:
        return None
    try:
        filename = inspect.getsourcefile(func)
    except TypeError:
        return None
    if not filename:
        return None
    lines = linecache.getlines(filename, getattr(func, "__globals__", None))
    if not lines:
        return None
    cached = _TREES.get(filename)
    if cached is not None and cached[0] is lines:
        tree = cached[1]
    else:
        try:
            tree = ast.parse("".join(lines), filename)
        except (SyntaxError, ValueError):
            return None
        _TREES[filename] = (lines, tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == code.co_name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if first == code.co_firstlineno:
                return node
    return None
