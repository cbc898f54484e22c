"""Small helpers flytekit users import from `flytekit.core.utils`.

`timeit`, `has_return_statement`, protobuf files (`load_proto_from_file`, `write_proto_to_file`), temporary folders
(`AutoDeletingTempDir`), `ClassDecorator` (the base of decorators that carry config, e.g. for Flyte deck links)
and `str2bool`.
"""

from __future__ import annotations

import abc
import ast
import datetime as _dt
import functools
import inspect
import linecache
import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from flytelite.core.context_manager import FlyteContextManager
from flytelite.loggers import get_logger

__all__ = [
    "AutoDeletingTempDir",
    "ClassDecorator",
    "Directory",
    "has_return_statement",
    "load_proto_from_file",
    "str2bool",
    "timeit",
    "write_proto_to_file",
]

logger = get_logger("flytelite")

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


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


def load_proto_from_file(pb2_type: type[M], path: str | os.PathLike[str]) -> M:
    """Read a serialized protobuf message of class `pb2_type` from the file at `path`."""
    with open(path, "rb") as reader:
        out = pb2_type()
        out.ParseFromString(reader.read())  # type: ignore[attr-defined]  # any protobuf message class
        return out


def write_proto_to_file(proto: Any, path: str | os.PathLike[str]) -> None:
    """Write a protobuf message to `path`, creating its folder."""
    folder = os.path.dirname(os.fspath(path))
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "wb") as writer:
        writer.write(proto.SerializeToString())


class Directory:
    """A local folder (`name`) whose entries `list_dir()` lists; usable as a (no-op) context manager.

    Attributes:
        name: the folder's path.
    """

    def __init__(self, path: str | None) -> None:
        self.name: str | None = path

    def list_dir(self) -> list[str]:
        """Return the paths of the folder's immediate entries."""
        folder = self.name or "."
        return [os.path.join(folder, f) for f in os.listdir(folder)]

    def __enter__(self) -> Any:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


class AutoDeletingTempDir(Directory):
    """A temporary folder made on `with` entry and deleted on exit (unless `cleanup=False`).

    Args:
        working_dir_prefix: starts the folder's name (followed by `_`).
        tmp_dir: the folder to make it in (default: the system's temp folder).
        cleanup: delete it on exit.
    """

    def __init__(self, working_dir_prefix: str | None = None, tmp_dir: str | None = None, cleanup: bool = True) -> None:
        self._tmp_dir = tmp_dir
        self._working_dir_prefix = f"{working_dir_prefix}_" if working_dir_prefix else ""
        self._cleanup = cleanup
        super().__init__(None)

    def __enter__(self) -> AutoDeletingTempDir:
        import tempfile  # local import: tempfile loads random; declaring a task must not pay for it

        self.name = tempfile.mkdtemp(dir=self._tmp_dir, prefix=self._working_dir_prefix)
        return self

    def get_named_tempfile(self, name: str) -> str:
        """Return the path of `name` inside the folder."""
        return os.path.join(self.name or "", name)

    def _cleanup_dir(self) -> None:
        if self.name and self._cleanup:
            import shutil  # local import: shutil loads bz2 and lzma; declaring a task must not pay for it

            shutil.rmtree(self.name, ignore_errors=True)
            self.name = None

    def force_cleanup(self) -> None:
        """Delete the folder now (if cleanup is on)."""
        self._cleanup_dir()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._cleanup_dir()

    def __repr__(self) -> str:
        return f"Auto-Deleting Tmp Directory @ {self.name}"

    __str__ = __repr__


class ClassDecorator(abc.ABC):
    """Base of a decorator that keeps its keyword config: `@Deco` or `@Deco(port=8080)` over a task function.

    Subclasses implement `execute(*args, **kwargs)` (the call of the decorated function) and
    `get_extra_config()` (what the decorator adds to the task's config).
    """

    LINK_TYPE_KEY = "link_type"
    PORT_KEY = "port"

    def __init__(self, task_function: Callable[..., Any] | None = None, **kwargs: Any) -> None:
        self.task_function = task_function
        self.decorator_kwargs = kwargs
        if task_function:
            functools.wraps(task_function)(self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.task_function:
            return self.execute(*args, **kwargs)
        # called with config only: this call receives the function to decorate
        return self.__class__(args[0], **self.decorator_kwargs)

    @abc.abstractmethod
    def execute(self, *args: Any, **kwargs: Any) -> Any:
        """Run the decorated function."""

    @abc.abstractmethod
    def get_extra_config(self) -> dict[str, str]:
        """Return the config this decorator adds."""


def str2bool(value: str | None) -> bool:
    """Read an environment-variable style flag: `true`, `t` and `1` (any case) are True, the rest False."""
    if value is None:
        return False
    return value.lower() in ("true", "t", "1")
