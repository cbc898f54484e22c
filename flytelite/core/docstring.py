"""Read input and output descriptions from a task's docstring (Google, numpy or reST style).

A small parser of our own: it finds the short description (the first line), the long description (the text
before the first section) and the `Args:`/`Parameters`/`:param x:` and `Returns:`/`:return:` entries. Return
descriptions are keyed by the output name when the style names them (numpy `o0 : int`), else by `None`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

__all__ = ["Docstring"]

_GOOGLE_ARGS = {"args", "arguments", "parameters", "params", "keyword args", "keyword arguments", "other parameters"}
_GOOGLE_RETURNS = {"returns", "yields"}
_GOOGLE_OTHER = {
    "return",
    "raises",
    "exceptions",
    "except",
    "attributes",
    "example",
    "examples",
    "note",
    "notes",
    "warns",
}
# patterns, compiled by `re` on first use (and cached there): most tasks have no docstring sections to parse
_NUMPY_UNDERLINE = r"^\s*-{3,}\s*$"
_REST_FIELD = r"^:(\w+)((?:\s+[^:]+)?):\s*(.*)$"
_GOOGLE_ITEM = r"^(\*{0,2}\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$"


class Docstring:
    """The parsed docstring of a function (or given text)."""

    def __init__(self, docstring: str | None = None, callable_: Callable[..., Any] | None = None) -> None:
        text = docstring if docstring is not None else getattr(callable_, "__doc__", None)
        self.short_description: str | None = None
        self.long_description: str | None = None
        self.input_descriptions: dict[str, str] = {}
        self.output_descriptions: dict[str | None, str] = {}
        if text:
            self._parse(inspect.cleandoc(text).splitlines())

    def _parse(self, lines: list[str]) -> None:
        body_end = len(lines)
        for i, line in enumerate(lines):
            if _section_kind(lines, i) is not None or re.match(_REST_FIELD, line.strip()):
                body_end = i
                break
        self._set_descriptions(lines[:body_end])
        i = body_end
        while i < len(lines):
            kind = _section_kind(lines, i)
            stripped = lines[i].strip()
            if kind is not None:
                start = i + (2 if kind[0] == "numpy" else 1)
                end = _section_end(lines, start)
                self._read_section(kind, lines[start:end])
                i = end
            elif re.match(_REST_FIELD, stripped):
                i = self._read_rest_field(lines, i)
            else:
                i += 1

    def _set_descriptions(self, lines: list[str]) -> None:
        text = "\n".join(lines).strip()
        if not text:
            return
        first, _, rest = text.partition("\n")
        self.short_description = first.strip() or None
        self.long_description = rest.strip() or None

    def _read_section(self, kind: tuple[str, str], lines: list[str]) -> None:
        style, what = kind
        items = _numpy_items(lines, what == "returns") if style == "numpy" else _google_items(lines)
        if what == "args":
            for name, desc in items:
                if name is not None:
                    self.input_descriptions[name.lstrip("*")] = desc
        elif what == "returns":
            if style == "google":
                # Google `Returns:` describes the value as a whole; `int: text` is a type, not a name.
                self.output_descriptions[None] = _strip_type("\n".join(line.strip() for line in lines).strip())
            else:
                for name, desc in items:
                    self.output_descriptions[name] = desc

    def _read_rest_field(self, lines: list[str], i: int) -> int:
        m = re.match(_REST_FIELD, lines[i].strip())
        if m is None:
            return i + 1
        field, arg, text = m.group(1), m.group(2).split(), m.group(3)
        j = i + 1
        extra = []
        while j < len(lines) and lines[j].strip() and not re.match(_REST_FIELD, lines[j].strip()):
            extra.append(lines[j].strip())
            j += 1
        desc = "\n".join([text, *extra]).strip()
        if field in ("param", "parameter", "arg", "argument", "key", "keyword") and arg:
            self.input_descriptions[arg[-1]] = desc
        elif field in ("return", "returns"):
            self.output_descriptions[None] = desc
        return j


def _strip_type(text: str) -> str:
    head, sep, rest = text.partition(":")
    if sep and head and re.fullmatch(r"[\w\[\], .|]+", head) and not head.strip().count(" "):
        return rest.strip()
    return text


def _section_kind(lines: list[str], i: int) -> tuple[str, str] | None:
    line = lines[i].strip()
    if i + 1 < len(lines) and re.match(_NUMPY_UNDERLINE, lines[i + 1]) and line:
        key = line.lower()
        if key in _GOOGLE_ARGS:
            return ("numpy", "args")
        if key in _GOOGLE_RETURNS:
            return ("numpy", "returns")
        return ("numpy", "other")
    if line.endswith(":") and lines[i] == lines[i].lstrip():
        key = line[:-1].strip().lower()
        if key in _GOOGLE_ARGS:
            return ("google", "args")
        if key in _GOOGLE_RETURNS:
            return ("google", "returns")
        if key in _GOOGLE_OTHER:
            return ("google", "other")
    return None


def _section_end(lines: list[str], start: int) -> int:
    for j in range(start, len(lines)):
        if _section_kind(lines, j) is not None or (
            lines[j] == lines[j].lstrip() and re.match(_REST_FIELD, lines[j].strip())
        ):
            return j
    return len(lines)


def _google_items(lines: list[str]) -> list[tuple[str | None, str]]:
    items: list[tuple[str | None, list[str]]] = []
    indent: int | None = None
    for line in lines:
        if not line.strip():
            continue
        this_indent = len(line) - len(line.lstrip())
        if indent is None:
            indent = this_indent
        m = re.match(_GOOGLE_ITEM, line.strip())
        if this_indent <= indent and m:
            items.append((m.group(1), [m.group(3)]))
        elif items:
            items[-1][1].append(line.strip())
    return [(n, "\n".join(d).strip()) for n, d in items]


def _numpy_items(lines: list[str], returns: bool) -> list[tuple[str | None, str]]:
    items: list[tuple[str | None, list[str]]] = []
    for line in lines:
        if not line.strip():
            continue
        if line == line.lstrip():
            # In `Returns`, a line without ` : ` names only the type.
            name = line.split(":", 1)[0].strip() if (":" in line or not returns) else ""
            items.append((name or None, []))
        elif items:
            items[-1][1].append(line.strip())
    return [(n, "\n".join(d).strip()) for n, d in items]
