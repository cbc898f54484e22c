"""`flytelite graph FILE_OR_MODULE ENTITY [--format mermaid|dot|svg|png] [-o OUT]`: draw the compiled graph."""

from __future__ import annotations

import shutil
import subprocess

import click

from flytelite.cli._graph import build_graph, to_dot, to_mermaid
from flytelite.cli._loading import get_entity, load_module

__all__ = ["graph", "render_with_graphviz"]

_GRAPHVIZ_HINT = (
    "Graphviz's `dot` program is not installed, so no {fmt} can be drawn "
    "(install it: `apt install graphviz`, `brew install graphviz`, or `conda install graphviz`)."
)


def render_with_graphviz(dot_text: str, fmt: str) -> bytes | None:
    """Return the drawing in `fmt` (svg, png) made by Graphviz's `dot`, or None when `dot` is not installed.

    Raises:
        click.ClickException: `dot` ran and failed.
    """
    program = shutil.which("dot")
    if program is None:
        return None
    proc = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, check=False)
    if proc.returncode != 0:
        raise click.ClickException(f"dot failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


@click.command("graph")
@click.argument("file_or_module")
@click.argument("entity")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "svg", "png"]),
    default="mermaid",
    show_default=True,
    help="mermaid and dot are text; svg and png are drawn by Graphviz.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here instead of stdout.")
def graph(file_or_module: str, entity: str, fmt: str, output: str | None) -> None:
    """Draw the compiled graph of a workflow: its tasks, sub-workflows, branches, map tasks and data edges.

    svg and png need Graphviz's `dot`; without it the dot text is printed (or written next to OUT with a .dot
    suffix) together with a note on how to install it. svg and png are written to ENTITY.svg / ENTITY.png unless
    -o is given.
    """
    loaded = load_module(file_or_module)
    g = build_graph(get_entity(loaded, entity))
    if fmt in ("mermaid", "dot"):
        text = to_mermaid(g) if fmt == "mermaid" else to_dot(g)
        _write_text(text, output)
        return
    dot_text = to_dot(g)
    drawing = render_with_graphviz(dot_text, fmt)
    if drawing is None:
        click.echo(_GRAPHVIZ_HINT.format(fmt=fmt), err=True)
        fallback = None if output is None else output.rsplit(".", 1)[0] + ".dot"
        _write_text(dot_text, fallback)
        return
    target = output or f"{entity}.{fmt}"
    with open(target, "wb") as f:
        f.write(drawing)
    click.echo(f"wrote {target}", err=True)


def _write_text(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    click.echo(f"wrote {output}", err=True)
