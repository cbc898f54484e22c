"""Print a run's outputs (a table or JSON) and, on failure, the failing node, its inputs and the user's traceback."""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Mapping
from typing import Any

import click

import flytelite
from flytelite.cli._values import literal_to_jsonable, to_jsonable
from flytelite.exec.events import NodeEvent

__all__ = ["format_failure", "print_outputs", "user_traceback"]

_DISPLAY_ROWS = 20
_PACKAGE_DIR = os.path.dirname(os.path.abspath(flytelite.__file__))
# frames from these places are plumbing, not the user's code
_HIDDEN = (
    _PACKAGE_DIR,
    os.path.join("concurrent", "futures"),
    os.path.join("importlib", "__init__.py"),
    "<frozen importlib",
    f"{os.sep}threading.py",
    f"{os.sep}contextlib.py",
    os.path.join("site-packages", "click"),
    os.path.join("site-packages", "distributed"),
)


def _is_user_frame(filename: str) -> bool:
    return not any(h in filename for h in _HIDDEN)


def user_traceback(exc: BaseException) -> str:
    """Return the traceback of `exc` with flytelite's (and the executors') frames left out.

    A failure in another process (`RemoteTaskError`) carries its traceback as text; it is filtered the same way.
    """
    remote = getattr(exc, "trace", None)
    if isinstance(remote, str) and hasattr(exc, "type_name"):
        return _filter_text_traceback(remote)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_user_frame(f.filename)]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames)] if frames else []
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def _filter_text_traceback(text: str) -> str:
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        m = re.match(r'\s*File "([^"]+)", line \d+', line)
        if m:
            skipping = not _is_user_frame(m.group(1))
        elif not line.startswith(" "):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


def _indent(text: str, prefix: str = "  ") -> str:
    return "".join(prefix + line for line in text.splitlines(keepends=True))


def format_failure(exc: BaseException, failed: NodeEvent | None) -> str:
    """Return the report of a failed run: which node failed, with which inputs, and the user's traceback."""
    parts: list[str] = []
    if failed is not None:
        parts.append(click.style(f"✘ node {failed.node_id} ({failed.entity}) failed", fg="red", bold=True))
        inputs = getattr(failed, "inputs", None)
        if inputs is not None and inputs.literals:
            parts.append("inputs:")
            for name, lit in sorted(inputs.literals.items()):
                parts.append(f"  {name} = {json.dumps(literal_to_jsonable(lit), default=str)}")
    else:
        parts.append(click.style("✘ the run failed", fg="red", bold=True))
    parts.append(_indent(user_traceback(exc)).rstrip("\n"))
    return "\n".join(parts)


def print_outputs(outputs: Mapping[str, Any], as_json: bool) -> None:
    """Print outputs to standard output: pretty JSON with `as_json`, else a table (plain text when piped)."""
    if as_json:
        click.echo(json.dumps({k: to_jsonable(v) for k, v in outputs.items()}, indent=2, default=str))
        return
    if not outputs:
        click.echo("(no outputs)")
        return
    texts = {k: _display(v) for k, v in outputs.items()}
    if not sys.stdout.isatty():
        for k, text in texts.items():
            click.echo(f"{k}:{chr(10) if chr(10) in text else ' '}{text}")
        return
    from rich.console import Console  # rich loads only to draw on a terminal
    from rich.table import Table

    table = Table(title="outputs", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("value")
    for k, text in texts.items():
        table.add_row(k, text)
    Console().print(table)


def _display(value: Any) -> str:
    """Return an output as readable text: a dataframe as its table, anything else as (pretty) JSON."""
    if hasattr(value, "columns") and callable(getattr(value, "to_string", None)):
        return str(value.to_string(max_rows=_DISPLAY_ROWS))
    plain = to_jsonable(value)
    return plain if isinstance(plain, str) else json.dumps(plain, indent=2, default=str)
