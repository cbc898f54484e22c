"""Enforce DESIGN.md §2: lower layers never import higher ones, and module-level imports form no cycle.

Every module under `flytelite/` is parsed with `ast` (nothing is imported). Each import is resolved to the
most specific `flytelite` module it names (`from flytelite.core import type_engine` → `flytelite.core.type_engine`,
`from flytelite.errors import X` → `flytelite.errors`). An import of a higher layer fails, whether it sits at module
level, inside a function or under `if TYPE_CHECKING:`. Cycles are looked for among the imports that run when a
module is imported (module level, not under `TYPE_CHECKING`).
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
from pathlib import Path

import pytest

PACKAGE = "flytelite"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

# Layer of a module: the entry with the longest matching prefix wins (DESIGN.md §2).
LAYERS: dict[str, int] = {
    "flytelite.errors": 0,
    "flytelite.models": 0,
    "flytelite.configuration": 0,
    "flytelite.config_files": 0,  # flytekit's client `Config` (re-exported by `configuration`); imports only L0
    "flytelite._config_reader": 0,  # the config-file reader `config_files` builds on; imports only `errors`
    "flytelite.storage": 0,
    "flytelite.exceptions": 0,  # flytekit's `flytekit.exceptions.*` paths: re-exports of `flytelite.errors`
    "flytelite.image_spec": 0,  # `ImageSpec`, a value object that L3 containers read; imports only `errors`
    "flytelite.loggers": 0,  # flytekit's `flytekit.loggers.logger` path; a bare logger, no handlers
    "flytelite.lazy_import": 0,  # flytekit's `lazy_module` (stdlib only); plugins call it at their top
    "flytelite.constants": 0,  # flytekit's `flytekit.constants` path: plain enums
    "flytelite.sensor": 4,  # sensors are built-in tasks like `extras` (L4): they read storage and the task stack
    "flytelite.core.constants": 0,  # flytekit's `core.constants` path: names and values only, imports nothing
    "flytelite.core.context_manager": 1,
    # The rest of the context layer, split out of `context_manager` (which re-exports their names, flytekit's paths):
    "flytelite.core._context_stack": 1,  # the per-thread context stack that secrets and checkpoints read
    "flytelite.core._decks": 1,  # `Deck`/`TimeLineDeck`: what `ExecutionParameters` builds (`default_deck`)
    "flytelite.core.secrets": 1,  # `SecretsManager`
    "flytelite.core.execution_parameters": 1,  # `ExecutionParameters` (`current_context()`), `SyncCheckpoint`
    "flytelite.types": 2,
    "flytelite.core": 3,
    "flytelite.deck": 3,  # decks (flytekit's `flytekit.deck` path): read the context (L1) and the type engine (L2)
    "flytelite.exec": 4,
    "flytelite.tools": 4,
    "flytelite.extras": 4,
    "flytelite.bin": 5,
    "flytelite.cli": 5,
    "flytelite.extend": 5,
    "flytelite.testing": 5,
    "flytelite.core.testing": 5,  # flytekit's path of `task_mock`/`patch`: re-exports `flytelite.testing` (L5)
}
# The top-level package (this exact module only) is the public surface that re-exports every layer, so only the
# top layer may import from it.
TOP_PACKAGE_LAYER = 5

# Modules that only re-export names and may therefore import any layer. Keep this list short, and say why.
REEXPORT_SHIMS: dict[str, str] = {
    "flytelite": "top-level API: re-exports the public names of every layer",
}

LAYER_NAMES = {0: "L0", 1: "L1", 2: "L2", 3: "L3", 4: "L4", 5: "L5"}


@dataclasses.dataclass(frozen=True)
class ImportEdge:
    """One import statement of a flytelite module, resolved to the flytelite module it names."""

    source: str
    target: str
    line: int
    module_level: bool

    def __str__(self) -> str:
        where = "module level" if self.module_level else "function-local or TYPE_CHECKING"
        return (
            f"{self.source} ({LAYER_NAMES[layer_of(self.source)]}) imports {self.target} "
            f"({LAYER_NAMES[layer_of(self.target)]}) at {module_path(self.source)}:{self.line} [{where}]"
        )


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_path(name: str) -> str:
    return str(_MODULE_FILES[name].relative_to(ROOT.parent))


def layer_of(name: str) -> int:
    if name == PACKAGE:
        return TOP_PACKAGE_LAYER
    best = max((prefix for prefix in LAYERS if name == prefix or name.startswith(prefix + ".")), key=len, default=None)
    if best is None:
        raise KeyError(name)
    return LAYERS[best]


def _collect_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


_MODULE_FILES = _collect_modules()


def _resolve(name: str) -> str:
    """Return the longest prefix of the dotted `name` that is a flytelite module."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in _MODULE_FILES:
            return candidate
        parts.pop()
    return PACKAGE


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _absolute_from(source: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    is_package = _MODULE_FILES[source].name == "__init__.py"
    base = source.split(".")
    drop = node.level - 1 if is_package else node.level
    base = base[: len(base) - drop] if drop else base
    return ".".join([*base, node.module] if node.module else base)


def _targets(source: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [_resolve(a.name) for a in node.names if a.name.split(".")[0] == PACKAGE]
    base = _absolute_from(source, node)
    if base.split(".")[0] != PACKAGE:
        return []
    return [_resolve(f"{base}.{a.name}") for a in node.names]


def edges_of(source: str) -> list[ImportEdge]:
    tree = ast.parse(_MODULE_FILES[source].read_text(encoding="utf-8"), filename=str(_MODULE_FILES[source]))
    found: list[ImportEdge] = []

    def visit(node: ast.AST, module_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.extend(
                    ImportEdge(source, t, child.lineno, module_level) for t in _targets(source, child) if t != source
                )
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) or _is_type_checking_block(
                child
            ):
                visit(child, False)
            else:
                visit(child, module_level)

    visit(tree, True)
    return found


ALL_EDGES = [e for m in _MODULE_FILES for e in edges_of(m)]


def test_every_module_has_a_layer() -> None:
    unmapped = []
    for name in _MODULE_FILES:
        try:
            layer_of(name)
        except KeyError:
            unmapped.append(name)
    assert not unmapped, f"modules without a layer (add them to LAYERS in {__file__}): {unmapped}"


def test_no_module_imports_a_higher_layer() -> None:
    bad = [e for e in ALL_EDGES if e.source not in REEXPORT_SHIMS and layer_of(e.target) > layer_of(e.source)]
    assert not bad, "layering violations (lower layers must not import higher ones):\n" + "\n".join(map(str, bad))


def test_reexport_shims_only_reexport() -> None:
    # An allow-listed module may import anything, so it must not hide real code: only a docstring, imports,
    # assignments of dunders or of literal data (a lazy name -> module table), `if TYPE_CHECKING:` blocks, and
    # PEP 562 `__getattr__`/`__dir__` for lazy re-exports.
    for name in REEXPORT_SHIMS:
        tree = ast.parse(_MODULE_FILES[name].read_text(encoding="utf-8"))
        for node in tree.body:
            ok = (
                isinstance(node, (ast.Import, ast.ImportFrom))
                or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
                or (isinstance(node, (ast.Assign, ast.AnnAssign)) and _assigns_dunders_or_data(node))
                or (isinstance(node, ast.FunctionDef) and node.name in ("__getattr__", "__dir__"))
                or _is_type_checking_block(node)
            )
            assert ok, f"{module_path(name)}:{node.lineno} is allow-listed as a re-export shim but defines code"


def _assigns_dunders_or_data(node: ast.Assign | ast.AnnAssign) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if all(isinstance(t, ast.Name) and t.id.startswith("__") and t.id.endswith("__") for t in targets):
        return True
    try:
        ast.literal_eval(node.value) if node.value is not None else None
    except ValueError:
        return False
    return True


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as a list of modules (first == last), or None."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(graph, white)
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        color[node] = grey
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if color.get(nxt, white) == grey:
                return [*stack[stack.index(nxt) :], nxt]
            if color.get(nxt, white) == white:
                cycle = dfs(nxt)
                if cycle:
                    return cycle
        stack.pop()
        color[node] = black
        return None

    for start in sorted(graph):
        if color[start] == white:
            cycle = dfs(start)
            if cycle:
                return cycle
    return None


def test_no_module_level_import_cycle() -> None:
    graph: dict[str, set[str]] = {m: set() for m in _MODULE_FILES}
    lines: dict[tuple[str, str], int] = {}
    for e in ALL_EDGES:
        if e.module_level:
            graph[e.source].add(e.target)
            lines.setdefault((e.source, e.target), e.line)
    cycle = find_cycle(graph)
    if cycle:
        steps = [f"{a} -> {b} ({module_path(a)}:{lines[(a, b)]})" for a, b in itertools.pairwise(cycle)]
        pytest.fail("module-level import cycle:\n" + "\n".join(steps))


def test_checker_catches_a_cycle_and_an_upward_import() -> None:
    # The checker itself must be able to fail.
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert layer_of("flytelite.core.context_manager") < layer_of("flytelite.types.primitives")
    assert layer_of("flytelite.types.primitives") < layer_of("flytelite.core.workflow")
    assert layer_of("flytelite.exec._runner") < layer_of("flytelite.cli.run")
    assert layer_of("flytelite.types") < layer_of("flytelite")
    with pytest.raises(KeyError):
        layer_of("flytelite.not_in_the_layer_map")
    # ...and it must see real edges (context_manager imports storage at module level).
    assert any(
        e.source == "flytelite.core.context_manager" and e.target == "flytelite.storage" and e.module_level
        for e in ALL_EDGES
    )
