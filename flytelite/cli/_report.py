"""Print a run's outputs (a table or JSON) and, on failure, the failing node, its inputs and the user's traceback.

`user_output_to_stderr` keeps standard output for the outputs alone (`--json`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import click

from flytelite.cli._traceback import user_traceback
from flytelite.cli._values import json_text, literal_to_jsonable, to_jsonable
from flytelite.exec.events import NodeEvent

__all__ = ["format_failure", "print_outputs", "user_output_to_stderr"]

_DISPLAY_ROWS = 20


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
                parts.append(f"  {name} = {json_text(literal_to_jsonable(lit))}")
    else:
        parts.append(click.style("✘ the run failed", fg="red", bold=True))
    parts.append(_indent(user_traceback(exc)).rstrip("\n"))
    return "\n".join(parts)


def print_outputs(outputs: Mapping[str, Any], as_json: bool) -> None:
    """Print outputs to standard output: pretty JSON with `as_json`, else a table (plain text when piped)."""
    if as_json:
        click.echo(json_text({k: to_jsonable(v) for k, v in outputs.items()}, indent=2))
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
    return plain if isinstance(plain, str) else json_text(plain, indent=2)


@contextlib.contextmanager
def user_output_to_stderr(enabled: bool = True) -> Iterator[None]:
    """Send what runs inside the block writes to standard output to standard error instead (when `enabled`).

    Both levels are redirected: `sys.stdout` (what `print` uses) and, when standard output is a real file
    descriptor, descriptor 1 itself, which subprocesses, C extensions and worker processes started inside the block
    inherit. `flytelite run --json` uses it so that stdout carries the JSON document alone.
    """
    if not enabled:
        yield
        return
    saved_fd: int | None = None
    out_fd: int | None = None
    try:
        out_fd, err_fd = sys.stdout.fileno(), sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's capture)
        out_fd = None
    sys.stdout.flush()
    if out_fd is not None and out_fd != err_fd:
        saved_fd = os.dup(out_fd)
        os.dup2(err_fd, out_fd)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stderr.flush()
        if saved_fd is not None and out_fd is not None:
            os.dup2(saved_fd, out_fd)
            os.close(saved_fd)
